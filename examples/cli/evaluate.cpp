// `claimlens evaluate`: a saved model's accuracy, precision, recall, F1, ROC AUC and confusion
// matrix on a labelled CSV.
#include <cmath>
#include <iostream>
#include <set>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"
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
    "--model`, a model trained on a matrix) and compares the predictions (positive when the\n"
    "probability is above 0.5) with the labels: accuracy, precision, recall, F1 and ROC AUC of\n"
    "the positive class, and the confusion matrix.\n"
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
    "                     confusion_matrix [[tn, fp], [fn, tp]]\n"
    "  --help             this text\n"
    "\n"
    "Rows with an empty label, and rows a claim classifier cannot score (an empty input cell),\n"
    "are skipped and counted. Both classes must occur among the rows evaluated.\n";

struct Labels {
  std::vector<double> y;  // 1 positive, 0 negative, NaN no label
  std::string negative;
};

Labels encode(const Column& column, const std::string& target, const std::string& positive) {
  Labels out;
  out.y.assign(column.size(), std::nan(""));
  const bool bool_positive =
      column.dtype() == DType::Bool && (positive == "true" || positive == "1");
  std::set<std::string> others;
  bool seen_positive = false;
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column.is_null(i)) continue;
    const std::string label = cell_text(column, i);
    const bool pos = label == positive || (bool_positive && label == "True");
    seen_positive = seen_positive || pos;
    if (!pos && others.size() < 3) others.insert(label);
    out.y[i] = pos ? 1.0 : 0.0;
  }
  std::string listed;
  for (const auto& o : others) listed += (listed.empty() ? "'" : ", '") + o + "'";
  if (!seen_positive) {
    throw InvalidArgument("no row of target '" + target + "' has the positive value '" + positive +
                          "'" + (listed.empty() ? "" : " (its values: " + listed + ")") +
                          "; name the value that means it with --positive");
  }
  if (others.size() > 1) {
    throw InvalidArgument("target '" + target + "' has more than two values (" + listed +
                          " besides '" + positive + "')");
  }
  if (others.empty()) {
    throw InvalidArgument("target '" + target + "' holds only '" + positive +
                          "': evaluation needs both classes");
  }
  out.negative = *others.begin();
  return out;
}

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

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "target", "positive"}, {"json"}});
  const Model model = load_model(args.get("model"));
  const ModelSchema schema = model.schema();
  const DataFrame frame = read_data(args.get("data"));
  const std::string target = target_column(model, args.get("target", ""));
  if (!frame.has_column(target)) {
    throw SchemaError("target column '" + target + "' is not in the data '" + args.get("data") +
                      "'");
  }
  const Labels labels = encode(frame.column(target), target, args.get("positive", schema.positive));
  const std::vector<double> p = model.predict_proba(frame, {target});
  std::vector<double> y, scores;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(labels.y[i]) || std::isnan(p[i])) continue;
    y.push_back(labels.y[i]);
    scores.push_back(p[i]);
  }
  if (y.empty()) throw InvalidArgument("no row has both a label and a score");
  nlohmann::json r = binary_evaluation(y, scores);
  r["model"] = model.describe();
  r["model_type"] = model.model_type();
  r["target"] = target;
  r["positive"] = args.get("positive", schema.positive);
  r["negative"] = labels.negative;
  r["rows"] = y.size();
  r["rows_skipped"] = frame.num_rows() - y.size();
  std::cout << (args.has("json") ? r.dump(2) + "\n" : text_report(r));
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"evaluate", "accuracy, precision, recall, F1, ROC AUC of a model on a labelled CSV", kUsage,
     run});

}  // namespace
}  // namespace claimlens::cli
