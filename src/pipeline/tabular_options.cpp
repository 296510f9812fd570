// TabularPipelineOptions' parameter table: its JSON keys, domains, defaults and docs, once.
#include <limits>

#include "claimlens/param_table.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens {
namespace {

using Json = nlohmann::json;
using O = TabularPipelineOptions;

ParamRow<O> params_row() {
  return {"params",
          "object",
          "an object",
          "the algorithm's own parameters (the tables above; \"algorithm\" is not one of them)",
          [](O& o, const JsonReader& r) { o.params = r.object().value(); },
          [](const O& o) { return o.params; },
          [](const O& o) { return o.params.is_object(); }};
}

ParamRow<O> drop_row() {
  return {"drop",
          "array of strings",
          "a list of column names",
          "columns not to use (each must exist)",
          [](O& o, const JsonReader& r) { o.drop = r.strings(); },
          [](const O& o) { return Json(o.drop); },
          [](const O&) { return true; }};
}

ParamRow<O> tune_grid_row() {
  return {"tune_grid",
          "object, array or null",
          "scikit-learn's param_grid: {key: [values...]} or an array of them",
          "the grid of the tuning; null: the algorithm's default grid (docs/tuning.md)",
          [](O& o, const JsonReader& r) { o.tune_grid = r.value(); },
          [](const O& o) { return o.tune_grid; },
          [](const O& o) {
            return o.tune_grid.is_null() || o.tune_grid.is_object() || o.tune_grid.is_array();
          }};
}

bool scoring_name(const std::string& name) {
  for (const char* known : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
    if (name == known) return true;
  }
  return false;
}

bool named(const std::string& name) {
  return !name.empty();
}

ParamTable<O> make_options_table() {
  using A = TabularAlgorithm;
  return ParamTable<O>(
      "options",
      {
          value_param<O, std::string>("target", "string", "a column name", &O::target,
                                      &JsonReader::string, &named, "the label column"),
          optional_param<O, std::string>(
              "positive", "string", "a value of the target", &O::positive, &JsonReader::string,
              [](const std::string&) { return true; },
              "the class that becomes 1; null: 1 / True for int64 / bool targets"),
          choice_param<O, A>("algorithm", &O::algorithm,
                             {{"rf", A::RandomForest},
                              {"gbdt", A::GradientBoosting},
                              {"logreg", A::LogisticRegression}},
                             "the estimator behind the feature plan"),
          params_row(),
          drop_row(),
          optional_param<O, std::string>("text", "string", "a column name", &O::text,
                                         &JsonReader::string, &named,
                                         "a text column turned into word n-gram counts"),
          int_param<O>("max_categories", &O::max_categories, 1, std::numeric_limits<int>::max(),
                       "most distinct values a string column may have to be one-hot encoded"),
          number_param<O>("validation_fraction", &O::validation_fraction,
                          NumberDomain{0.0, false, 1.0, true},
                          "share of the labelled rows held out to measure the model; 0 = none"),
          seed_param<O>("random_state", &O::random_state, "seed of the hold-out and the model"),
          n_jobs_param<O>(&O::n_jobs),
          bool_param<O>("tune", &O::tune,
                        "grid-search the algorithm's parameters on the training rows first"),
          value_param<O, std::string>("tune_scoring", "string",
                                      "accuracy, precision, recall, f1 or roc_auc",
                                      &O::tune_scoring, &JsonReader::string, &scoring_name,
                                      "the metric the tuning's cross-validation maximizes"),
          int_param<O>("tune_cv", &O::tune_cv, 2, 100, "stratified folds of the tuning"),
          tune_grid_row(),
      });
}

}  // namespace

CLAIMLENS_DEFINE_PARAMS(TabularPipelineOptions, make_options_table)

}  // namespace claimlens
