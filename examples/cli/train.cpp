// `claimlens train`: a binary classifier for any CSV (a TabularPipeline), measured on a stratified
// hold-out and saved as a model file that predict / evaluate / triage and the C ABI read.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_io/calibrate.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "command.hpp"
#include "model_support.hpp"
#include "progress.hpp"
#include "shards.hpp"
#include "train_distributed.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens train --data FILE --target COLUMN [--positive VALUE] [--algo "
    "rf|gbdt|logreg]\n"
    "                       [--params JSON] [--drop COL,...] [--text COLUMN] [--seed N]\n"
    "                       [--tune [--scoring METRIC] [--tune-cv K] [--tune-grid JSON]]\n"
    "                       [--calibrate sigmoid|isotonic [--cv K]] [--quiet] --model OUT\n"
    "\n"
    "Trains a binary classifier of COLUMN on any CSV and saves it (with its feature plan) to OUT\n"
    "(JSON text when OUT ends in .json, compact CBOR otherwise). Features, learned from the data:\n"
    "  - numeric and True/False columns as they are; a missing value stays missing for gbdt and\n"
    "    becomes the training median for rf and logreg,\n"
    "  - text columns with at most 20 distinct values one-hot encoded (a value not seen in\n"
    "    training, or a missing one, encodes as all zeros),\n"
    "  - text columns with more distinct values are left out (listed in the output),\n"
    "  - the --text column as word n-gram counts: 2-3 grams, English stop words removed, the 15\n"
    "    most frequent (as the seed analysis).\n"
    "Rows whose target is empty are dropped; the target must have exactly two values.\n"
    "\n"
    "options:\n"
    "  --data FILE        the CSV file (header row required); a glob or a comma-separated list\n"
    "                     trains on shards, and under mpirun the files' rows are shared among\n"
    "                     the ranks by bytes: one model whatever the rank count\n"
    "                     (docs/scale-out.md)\n"
    "  --target COLUMN    the column to predict\n"
    "  --positive VALUE   the class whose probability the model gives; needed for a text target\n"
    "                     (default 1 / True for a numeric / True-False target)\n"
    "  --algo NAME        rf (random forest, default), gbdt (gradient-boosted trees, XGBoost's\n"
    "                     semantics) or logreg (L2 logistic regression)\n"
    "  --params JSON      the algorithm's parameters with scikit-learn's / XGBoost's names, e.g.\n"
    "                     '{\"n_estimators\": 200, \"max_depth\": 8}' (rf, gbdt) or '{\"C\": "
    "0.5}'\n"
    "                     (logreg); an unknown name or a bad value is an error. gbdt's\n"
    "                     defaults here: learning_rate 0.1, max_depth 4, and above 10,000\n"
    "                     labelled rows early stopping on (10% of each class held out, the\n"
    "                     rounds up to its lowest log loss kept) with up to 1,000 rounds;\n"
    "                     100 rounds and no early stopping otherwise (docs/tuning.md)\n"
    "  --drop COL,...     columns not to use (ids, leaks)\n"
    "  --text COLUMN      a free-text column to turn into n-gram counts\n"
    "  --seed N           seed of the hold-out split and of the model (default 0)\n"
    "  --tune             grid-search the algorithm's parameters first, with stratified k-fold\n"
    "                     cross-validation on the rows the model is fitted on (the held-out 20%\n"
    "                     stay out of it); the default grids (docs/tuning.md): gbdt\n"
    "                     learning_rate x max_depth x min_child_weight, each fit up to 1,000\n"
    "                     rounds cut by early stopping; rf max_features x min_samples_leaf x\n"
    "                     max_depth; logreg C. --params are shared by every combination\n"
    "  --scoring METRIC   what --tune maximizes: roc_auc (default), accuracy, precision, recall\n"
    "                     or f1\n"
    "  --tune-cv K        folds of --tune (default 5)\n"
    "  --tune-grid JSON   another grid, scikit-learn's param_grid: '{\"max_depth\": [4, 8]}'\n"
    "  --quiet            no progress on stderr\n"
    "  --calibrate NAME   save a calibrated model: sigmoid (Platt scaling) or isotonic, fitted on\n"
    "                     out-of-fold probabilities of the labelled rows (the estimator refitted\n"
    "                     on K stratified folds, as `claimlens calibrate --cv K`)\n"
    "  --cv K             the folds of --calibrate (default 5)\n"
    "  --model OUT        where to save the model\n"
    "  --help             this text\n"
    "\n"
    "Before the final fit on every labelled row, 20% of them (stratified) are held out and the\n"
    "model fitted on the rest is measured on them: accuracy, precision, recall, F1, ROC AUC and "
    "the\n"
    "confusion matrix are printed. Bad input (missing file or column, unknown --algo, a target\n"
    "with one class, malformed --params) is one line on stderr, exit code 2, and no model file.\n";

nlohmann::json json_option(const Args& args, const std::string& name) {
  try {
    return nlohmann::json::parse(args.get(name));
  } catch (const nlohmann::json::exception& e) {  // parse errors and number overflow alike
    throw InvalidArgument("--" + name + " is not valid JSON: " + e.what());
  }
}

void tuning_options(const Args& args, TabularPipelineOptions& options) {
  options.tune = args.has("tune");
  for (const char* option : {"scoring", "tune-cv", "tune-grid"}) {
    if (args.has(option) && !options.tune) {
      throw UsageError{std::string("option --") + option + " is an option of --tune"};
    }
  }
  if (args.has("scoring")) options.tune_scoring = args.get("scoring");
  const long long cv = args.get_int("tune-cv", 5);
  if (cv < 2 || cv > 100) throw UsageError{"--tune-cv must be 2..100, got " + std::to_string(cv)};
  options.tune_cv = static_cast<int>(cv);
  if (args.has("tune-grid")) options.tune_grid = json_option(args, "tune-grid");
}

TabularPipelineOptions parse_options(const Args& args) {
  TabularPipelineOptions options;
  options.target = args.get("target");
  if (args.has("positive")) options.positive = args.get("positive");
  try {
    options.algorithm = parse_tabular_algorithm(args.get("algo", "rf"));
  } catch (const InvalidArgument& e) {
    throw UsageError{std::string("--algo: ") + e.what()};
  }
  if (args.has("params")) {
    options.params = json_option(args, "params");
    if (!options.params.is_object()) {
      throw InvalidArgument(
          "--params must be a JSON object such as '{\"n_estimators\": 200}', "
          "got " +
          options.params.dump());
    }
  }
  if (args.has("drop")) options.drop = split_list(args.get("drop"), "drop");
  if (args.has("text")) options.text = args.get("text");
  const long long seed = args.get_int("seed", 0);
  if (seed < 0) throw UsageError{"option --seed needs a number >= 0"};
  options.random_state = static_cast<std::uint64_t>(seed);
  tuning_options(args, options);
  return options;
}

std::string metrics_text(const nlohmann::json& m) {
  std::string out;
  for (const char* key : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
    out += "  " + std::string(key) + std::string(11 - std::string(key).size(), ' ') +
           format_fixed(m.at(key).get<double>(), 4) + "\n";
  }
  const auto& cm = m.at("confusion_matrix");
  out += "  confusion matrix [[tn, fp], [fn, tp]]: " + cm.dump() + "\n";
  return out;
}

// The search's outcome: the best combination and the five best by mean CV score.
std::string tuning_text(const nlohmann::json& t) {
  const auto& candidates = t.at("candidates");
  const std::string scoring = t.at("scoring").get<std::string>();
  std::string out = "tuning: " + std::to_string(candidates.size()) + " combinations x " +
                    t.at("cv").dump() + " stratified folds on " + t.at("rows").dump() + " rows, " +
                    scoring + "\n";
  std::vector<std::size_t> order(candidates.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return candidates[a].at("rank").get<int>() < candidates[b].at("rank").get<int>();
  });
  for (std::size_t k = 0; k < std::min<std::size_t>(5, order.size()); ++k) {
    const auto& c = candidates[order[k]];
    out += std::string(k == 0 ? "  best " : "       ") + "CV " + scoring + " " +
           format_fixed(c.at("mean").get<double>(), 4) + " (std " +
           format_fixed(c.at("std").get<double>(), 4) + ") " + c.at("params").dump() + "\n";
  }
  return out;
}

std::string summary(const TabularPipeline& model, const std::string& path) {
  const nlohmann::json& r = model.report();
  std::size_t numeric = 0, categorical = 0;
  for (const auto& p : model.plan()) {
    numeric += p.kind == PlanColumn::Kind::Numeric;
    categorical += p.kind == PlanColumn::Kind::Categorical;
  }
  std::string out = "rows: " + r.at("rows").dump() + " (" + r.at("rows_used").dump() +
                    " with a target, " + r.at("rows_without_target").dump() + " without)\n";
  out += "classes: positive '" + model.positive() + "' " + r["classes"][model.positive()].dump() +
         ", negative '" + model.negative() + "' " + r["classes"][model.negative()].dump() + "\n";
  out += "features: " + std::to_string(model.num_features()) + " (" + std::to_string(numeric) +
         " numeric, " + std::to_string(categorical) + " one-hot encoded column" +
         (categorical == 1 ? "" : "s");
  if (model.text_column()) out += ", n-grams of '" + *model.text_column() + "'";
  out += ")\n";
  for (const auto& note : model.notes()) out += "  note: " + note + "\n";
  out += std::string("algorithm: ") + tabular_algorithm_name(model.algorithm()) + "\n";
  if (const auto* booster = model.model().get_if<GradientBoostingClassifier>()) {
    const GradientBoostingParams& p = booster->params();
    out += "boosting rounds: " + std::to_string(booster->trees().size()) + " of " +
           std::to_string(p.n_estimators) +
           (p.stops_early(static_cast<std::size_t>(r.at("rows_used").get<long long>()))
                ? " (early stopping: the rounds up to the lowest log loss on " +
                      format_number(p.validation_fraction * 100) + "% of each class held out)"
                : " (early stopping off)") +
           "\n";
  }
  if (r.contains("tuning")) out += tuning_text(r.at("tuning"));
  if (!r.at("validation").is_null()) {
    out += "validation on " + r["validation"]["rows"].dump() + " held-out rows:\n";
    out += metrics_text(r["validation"]);
  }
  out += "model saved to " + path + " (fitted on all " + r.at("rows_used").dump() + " rows)\n";
  return out;
}

std::optional<CalibrateOptions> calibration(const Args& args, Progress& progress) {
  if (args.has("calibrate")) {
    CalibrateOptions c = calibrate_options(args, "calibrate", 5);
    c.progress = [&progress](double f) { progress("calibration folds", f); };
    return c;
  }
  if (args.has("cv")) throw UsageError{"option --cv is the folds of --calibrate"};
  return std::nullopt;
}

// The pipeline calibrated out of fold on its labelled rows; one line saying so.
Model calibrated(const Model& model, const TabularPipeline& pipeline, const DataFrame& frame,
                 const CalibrateOptions& c, std::string& line) {
  const std::vector<double> labels = pipeline.encode_target(frame, pipeline.target());
  std::vector<std::size_t> rows;
  std::vector<int> y;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (std::isnan(labels[i])) continue;
    rows.push_back(i);
    y.push_back(labels[i] == 1.0 ? 1 : 0);
  }
  line = std::string("calibrated: ") + calibration_method_name(c.method) + " on " +
         std::to_string(c.cv) + "-fold out-of-fold probabilities of " + std::to_string(y.size()) +
         " rows\n";
  return calibrate_model(model, frame.take(rows), y, {pipeline.target()}, c);
}

// Good without tuning (docs/tuning.md): gbdt stops early on a validation split when the data
// has more than 10,000 labelled rows (scikit-learn's HistGradientBoosting rule, decided once for
// the measured fit and the final fit alike), and its defaults are a slower, shallower booster
// than XGBoost's: learning_rate 0.1, max_depth 4, up to 1,000 rounds when it stops early and
// 100 otherwise. --params overrides each.
// On shards (no frame here), early stopping stays off: its validation split is sequential.
void gbdt_defaults(TabularPipelineOptions& options, const DataFrame* frame) {
  if (options.algorithm != TabularAlgorithm::GradientBoosting || options.tune) return;
  nlohmann::json& p = options.params;
  if (!p.contains("early_stopping")) {
    std::size_t labelled = 0;  // a missing target column fails in fit, naming it
    if (frame && frame->has_column(options.target)) {
      const Column& target = frame->column(options.target);
      labelled = target.size() - target.null_count();
    }
    p["early_stopping"] = labelled > kEarlyStoppingAutoRows ? "on" : "off";
  }
  if (!p.contains("learning_rate")) p["learning_rate"] = 0.1;
  if (!p.contains("max_depth")) p["max_depth"] = 4;
  if (!p.contains("n_estimators")) p["n_estimators"] = p["early_stopping"] == "on" ? 1000 : 100;
}

int run(const std::vector<std::string>& argv) {
  Args args(argv,
            Args::Spec{{"data", "target", "positive", "algo", "params", "drop", "text", "seed",
                        "model", "calibrate", "cv", "scoring", "tune-cv", "tune-grid"},
                       {"tune", "quiet"}});
  const std::string data = args.get("data");
  const std::string out = args.get("model");
  Progress progress("train", args.has("quiet"));
  TabularPipelineOptions options = parse_options(args);
  options.progress = [&progress](double f) { progress("tuning", f); };
  const std::optional<CalibrateOptions> calibrate = calibration(args, progress);
  if (wants_shards(data)) {
    if (options.tune || calibrate) {
      throw UsageError{"--tune and --calibrate are not available when training on shards"};
    }
    gbdt_defaults(options, nullptr);
    return train_distributed(data, out, options, summary);
  }
  const DataFrame frame = read_data(data);
  gbdt_defaults(options, &frame);
  const Model model(TabularPipeline::fit(frame, options));
  const TabularPipeline& pipeline = *model.get_if<TabularPipeline>();
  std::string line;
  const Model saved = calibrate ? calibrated(model, pipeline, frame, *calibrate, line) : model;
  save_model(saved, out);
  std::cout << summary(pipeline, out) << line;
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"train", "train a binary classifier (rf, gbdt, logreg) on any CSV", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
