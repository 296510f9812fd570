// `claimlens evaluate`: a saved model's accuracy, precision, recall, F1, ROC AUC and confusion
// matrix on a labelled CSV.
#include <cmath>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"
#include "claimlens/metrics/calibration.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "command.hpp"
#include "model_support.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens evaluate --model M --data FILE [--target COLUMN] [--positive VALUE] "
    "[--json]\n"
    "\n"
    "Scores FILE with any model file claimlens saves (`claimlens train`, `claimlens analyze\n"
    "--model`, a model trained on a matrix, `claimlens calibrate` / `threshold`) and compares the\n"
    "predictions (positive when the probability is above the model's threshold: 0.5, or its\n"
    "operating point's) with the labels: accuracy, precision, recall, F1 and ROC AUC of the\n"
    "positive class, the confusion matrix, and how well the probabilities are calibrated: Brier\n"
    "score, log loss and expected calibration error (ECE, 10 uniform bins; docs/calibration.md).\n"
    "A model with an operating point also prints the precision and recall it reached on the rows\n"
    "its threshold was chosen on, with their bootstrap intervals.\n"
    "\n"
    "options:\n"
    "  --model M          the model file\n"
    "  --data FILE        a CSV with the model's input columns and the label column\n"
    "  --target COLUMN    the label column (default: the one the model was trained on;\n"
    "                     claim_status for a claim classifier; needed for a matrix model,\n"
    "                     which then reads the other columns)\n"
    "  --positive VALUE   the label value that means the model's positive class (default: that\n"
    "                     class's own name, e.g. claim); every other value is the negative class,\n"
    "                     and there may be only one other value\n"
    "  --json             print one JSON object instead of text: model_type, positive, target,\n"
    "                     rows, rows_skipped, accuracy, precision, recall, f1, roc_auc,\n"
    "                     confusion_matrix [[tn, fp], [fn, tp]], threshold, brier, log_loss,\n"
    "                     ece, operating_point (null or OperatingPoint's JSON)\n"
    "  --help             this text\n"
    "\n"
    "Rows with an empty label, and rows a claim classifier cannot score (an empty input cell),\n"
    "are skipped and counted. Both classes must occur among the rows evaluated.\n";

constexpr int kEceBins = 10;

std::string text_report(const nlohmann::json& r) {
  std::string out = "model: " + r["model"].get<std::string>() + "\n";
  out += "target '" + r["target"].get<std::string>() + "': positive '" +
         r["positive"].get<std::string>() + "', negative '" + r["negative"].get<std::string>() +
         "'\n";
  out += "rows evaluated: " + r["rows"].dump();
  if (r["rows_skipped"].get<std::size_t>() > 0) {
    out += " (" + r["rows_skipped"].dump() + " skipped: no label or not scorable)";
  }
  out += "\n";
  for (const char* key : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
    out += std::string(key) + std::string(11 - std::string(key).size(), ' ') +
           format_fixed(r[key].get<double>(), 4) + "\n";
  }
  out += "brier      " + format_fixed(r["brier"].get<double>(), 4) + "\n";
  out += "log loss   " + format_fixed(r["log_loss"].get<double>(), 4) + "\n";
  out += "ECE        " + format_fixed(r["ece"].get<double>(), 4) + " (" + std::to_string(kEceBins) +
         " uniform bins)\n";
  out += "threshold  " + format_number(r["threshold"].get<double>()) +
         (r["operating_point"].is_null() ? " (default: positive when P > 0.5)\n"
                                         : " (the model's operating point)\n");
  if (!r["operating_point"].is_null()) out += operating_point_text(r["operating_point"]);
  const auto& cm = r["confusion_matrix"];
  out += "confusion matrix (rows: true class, columns: predicted)\n";
  out += "                predicted 0  predicted 1\n";
  for (int t = 0; t < 2; ++t) {
    std::string a = cm[t][0].dump(), b = cm[t][1].dump();
    out += std::string(t ? "  true 1 (pos)" : "  true 0 (neg)") + std::string(14 - a.size(), ' ') +
           a + std::string(13 - b.size(), ' ') + b + "\n";
  }
  return out;
}

// The decisions at the model's threshold (binary_evaluation decides at 0.5).
void decide_at(nlohmann::json& r, Span<const int> y, Span<const double> p, double threshold) {
  std::int64_t tn = 0, fp = 0, fn = 0, tp = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const bool positive = p[i] > threshold;
    (y[i] == 1 ? (positive ? tp : fn) : (positive ? fp : tn)) += 1;
  }
  const auto ratio = [](std::int64_t a, std::int64_t b) {
    return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b);
  };
  r["accuracy"] = ratio(tp + tn, tp + tn + fp + fn);
  r["precision"] = ratio(tp, tp + fp);
  r["recall"] = ratio(tp, tp + fn);
  r["f1"] = ratio(2 * tp, 2 * tp + fp + fn);
  r["confusion_matrix"] = {{tn, fp}, {fn, tp}};
}

nlohmann::json operating_point_json(const Model& model) {
  const auto point = model_operating_point(model);
  return point ? point->to_json() : nlohmann::json(nullptr);
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "target", "positive"}, {"json"}});
  const Model model = load_model(args.get("model"));
  const LabelledData d =
      labelled_data(model, args.get("data"), args.get("target", ""), args.get("positive", ""));
  std::vector<double> y(d.y.begin(), d.y.end());
  nlohmann::json r = binary_evaluation(y, d.proba);
  decide_at(r, d.y, d.proba, model.threshold());
  r["threshold"] = model.threshold();
  r["brier"] = brier_score_loss(d.y, d.proba);
  r["log_loss"] = log_loss(d.y, d.proba);
  r["ece"] = expected_calibration_error(d.y, d.proba, kEceBins, CalibrationStrategy::Uniform);
  r["operating_point"] = operating_point_json(model);
  r["model"] = model.describe();
  r["model_type"] = model.model_type();
  r["target"] = d.target;
  r["positive"] = d.positive;
  r["negative"] = d.negative;
  r["rows"] = d.y.size();
  r["rows_skipped"] = d.skipped;
  std::cout << (args.has("json") ? r.dump(2) + "\n" : text_report(r));
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"evaluate", "accuracy, precision, recall, F1, ROC AUC of a model on a labelled CSV", kUsage,
     run});

}  // namespace
}  // namespace claimlens::cli
