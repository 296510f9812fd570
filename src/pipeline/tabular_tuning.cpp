// The grid search of TabularPipelineOptions::tune (src/pipeline/tabular_tuning.hpp).
#include "tabular_tuning.hpp"

#include <chrono>

#include "claimlens/error.hpp"
#include "claimlens/model/model.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace claimlens {
namespace {

using Json = nlohmann::json;

// The parameters every combination shares: the user's, with the tuning's own defaults where the
// user set none (boosting: up to 1,000 rounds, cut by early stopping in each fold).
Json tuning_base(const Json& params, TabularAlgorithm algorithm) {
  Json base = params;
  if (algorithm == TabularAlgorithm::GradientBoosting) {
    if (!base.contains("n_estimators")) base["n_estimators"] = 1000;
    if (!base.contains("early_stopping")) base["early_stopping"] = "on";
  }
  return base;
}

GridSearchOptions search_options(const TabularPipelineOptions& options) {
  GridSearchOptions search;
  search.cv = options.tune_cv;
  search.scoring = {options.tune_scoring};
  search.refit = "";  // the pipeline fits the chosen parameters itself
  search.n_jobs = options.n_jobs;
  search.progress = options.progress;
  return search;
}

template <class Estimator>
CvResults search_trees(const Json& grid, const Json& base, const RowMatrix& X,
                       const std::vector<double>& y, const TabularPipelineOptions& options) {
  Json estimator_params = base;
  estimator_params.erase("algorithm");
  GridSearchCV<Estimator> search(grid, search_options(options), estimator_params);
  search.fit(X, y);
  return search.cv_results();
}

// Logistic regression has no binned fit: the same folds and scoring, one Model::fit per
// (combination, fold).
CvResults search_models(const Json& grid, const Json& base, const RowMatrix& X,
                        const std::vector<double>& y, const TabularPipelineOptions& options) {
  const std::vector<Json> combos = expand_param_grid(grid);
  std::vector<Json> params;
  for (const Json& combo : combos) {
    Json p = base;
    for (const auto& item : combo.items()) p[item.key()] = item.value();
    Model::validate_params(p);
    params.push_back(std::move(p));
  }
  const std::vector<Fold> folds = stratified_kfold(y, options.tune_cv);
  const std::vector<Metric> metrics = {metric_from_name(options.tune_scoring)};
  std::vector<std::vector<std::size_t>> groups(params.size());
  for (std::size_t i = 0; i < groups.size(); ++i) groups[i] = {i};
  const auto task = [&](std::size_t combo, std::size_t fold) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    const auto& [train, test] = folds[fold];
    std::vector<double> y_train, truth;
    for (std::size_t i : train) y_train.push_back(y[i]);
    for (std::size_t i : test) truth.push_back(y[i]);
    const Model model = Model::fit(params[combo], take_rows(X, train), y_train);
    const auto fitted = Clock::now();
    detail::FoldOutcome outcome;
    outcome.scores = score_binary(truth, model.predict_proba(take_rows(X, test)), metrics);
    outcome.fit_seconds = std::chrono::duration<double>(fitted - start).count();
    outcome.score_seconds = std::chrono::duration<double>(Clock::now() - fitted).count();
    return std::vector<detail::FoldOutcome>{outcome};
  };
  return detail::run_grid(combos, folds.size(), {options.tune_scoring}, groups, options.n_jobs,
                          task, options.progress, 0);
}

}  // namespace

Json default_tuning_grid(TabularAlgorithm algorithm) {
  switch (algorithm) {
    case TabularAlgorithm::GradientBoosting:
      return Json::parse(
          R"({"learning_rate": [0.05, 0.1, 0.3], "max_depth": [2, 4, 6],
              "min_child_weight": [1, 10]})");
    case TabularAlgorithm::RandomForest:
      return Json::parse(
          R"({"max_features": ["sqrt", 0.5], "min_samples_leaf": [1, 5, 20],
              "max_depth": [null, 12]})");
    case TabularAlgorithm::LogisticRegression:
      break;
  }
  return Json::parse(R"({"C": [0.001, 0.01, 0.1, 1, 10, 100]})");
}

namespace detail {

void check_tuning(const TabularPipelineOptions& options, const Json& params) {
  const Json grid =
      options.tune_grid.is_null() ? default_tuning_grid(options.algorithm) : options.tune_grid;
  std::vector<Json> combos;
  try {
    combos = expand_param_grid(grid);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("options.tune_grid: ") + e.what());
  }
  const Json base = tuning_base(params, options.algorithm);
  for (std::size_t i = 0; i < combos.size(); ++i) {
    Json p = base;
    for (const auto& item : combos[i].items()) p[item.key()] = item.value();
    try {
      Model::validate_params(p);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("options.tune_grid: combination " + std::to_string(i) + " " +
                            combos[i].dump() + ": " + e.what());
    }
  }
}

TuningOutcome tune_model(const Json& params, const RowMatrix& X, const std::vector<double>& y,
                         const TabularPipelineOptions& options) {
  const Json grid =
      options.tune_grid.is_null() ? default_tuning_grid(options.algorithm) : options.tune_grid;
  const Json base = tuning_base(params, options.algorithm);
  CvResults results;
  try {
    switch (options.algorithm) {
      case TabularAlgorithm::GradientBoosting:
        results = search_trees<GradientBoostingClassifier>(grid, base, X, y, options);
        break;
      case TabularAlgorithm::RandomForest:
        results = search_trees<RandomForestClassifier>(grid, base, X, y, options);
        break;
      case TabularAlgorithm::LogisticRegression:
        results = search_models(grid, base, X, y, options);
        break;
    }
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("tuning: ") + e.what());
  }
  const MetricResults& scores = results.metric(options.tune_scoring);
  const std::size_t best = best_index(results, options.tune_scoring);
  TuningOutcome out;
  out.params = base;
  for (const auto& item : results.params[best].items()) out.params[item.key()] = item.value();
  Json& report = out.report = Json::object();
  report["scoring"] = options.tune_scoring;
  report["cv"] = options.tune_cv;
  report["rows"] = y.size();
  report["grid"] = grid;
  report["best_params"] = results.params[best];
  report["best_score"] = scores.mean[best];
  report["best_std"] = scores.std[best];
  report["fitted_params"] = out.params;
  Json& candidates = report["candidates"] = Json::array();
  for (std::size_t i = 0; i < results.size(); ++i) {
    Json c = Json::object();
    c["params"] = results.params[i];
    c["mean"] = scores.mean[i];
    c["std"] = scores.std[i];
    c["rank"] = scores.rank[i];
    candidates.push_back(std::move(c));
  }
  return out;
}

}  // namespace detail
}  // namespace claimlens
