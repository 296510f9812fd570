// GridSearchCV<Estimator> member definitions (included by grid_search.hpp). The estimator-free
// work (grid expansion, folds, scoring, the parallel loop, aggregation) is compiled once in
// src/model_selection/.
#pragma once

#include <chrono>
#include <map>
#include <numeric>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace claimlens {

template <class Estimator>
GridSearchCV<Estimator>::GridSearchCV(const nlohmann::json& param_grid, GridSearchOptions options,
                                      const nlohmann::json& base_params)
    : options_(std::move(options)) {
  metrics_ = detail::check_options(options_);
  if (!base_params.is_object()) {
    throw InvalidArgument(std::string("GridSearchCV: base_params must be a JSON object, not ") +
                          base_params.type_name());
  }
  combos_ = expand_param_grid(param_grid);
  params_.reserve(combos_.size());
  for (std::size_t i = 0; i < combos_.size(); ++i) {
    nlohmann::json merged = base_params;
    for (const auto& item : combos_[i].items()) merged[item.key()] = item.value();
    try {
      params_.push_back(Params::from_json(merged));
    } catch (const Error& e) {
      throw InvalidArgument(
          "GridSearchCV: parameter combination " + std::to_string(i) + " " +
          combos_[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ": " +
          e.what());
    }
  }
}

template <class Estimator>
GridSearchCV<Estimator>& GridSearchCV<Estimator>::fit(const RowMatrix& X, Span<const double> y) {
  detail::check_xy(X, y);
  return fit(X, y, stratified_kfold(y, options_.cv));
}

template <class Estimator>
GridSearchCV<Estimator>& GridSearchCV<Estimator>::fit(const RowMatrix& X, Span<const double> y,
                                                      const std::vector<Fold>& folds) {
  using Clock = std::chrono::steady_clock;
  detail::check_xy(X, y);
  detail::check_folds(folds, static_cast<std::size_t>(X.rows()));
  fitted_ = false;
  has_best_estimator_ = false;

  // One binning per distinct max_bin (normally exactly one), shared by all folds and fits.
  std::map<int, BinnedMatrix> binned;
  for (const Params& p : params_) {
    if (!binned.count(p.max_bin)) binned.emplace(p.max_bin, BinnedMatrix::from_dense(X, p.max_bin));
  }
  const std::size_t cols = static_cast<std::size_t>(X.cols());
  const double* data = X.data();
  auto task = [&](std::size_t combo, std::size_t fold) {
    Params p = params_[combo];
    p.n_jobs = 1;  // the search parallelizes across fits
    Estimator estimator(p);
    const auto start = Clock::now();
    estimator.fit(binned.at(p.max_bin), y, folds[fold].first);
    const auto fitted = Clock::now();
    const std::vector<std::size_t>& test = folds[fold].second;
    std::vector<double> truth(test.size()), proba(test.size());
    for (std::size_t i = 0; i < test.size(); ++i) {
      truth[i] = y[test[i]];
      proba[i] = estimator.predict_proba_row(data + test[i] * cols);
    }
    detail::FoldOutcome outcome;
    outcome.scores = score_binary(truth, proba, metrics_);
    const auto scored = Clock::now();
    outcome.fit_seconds = std::chrono::duration<double>(fitted - start).count();
    outcome.score_seconds = std::chrono::duration<double>(scored - fitted).count();
    return outcome;
  };
  const bool refit = !options_.refit.empty();
  results_ = detail::run_grid(combos_, folds.size(), metrics_, options_.scoring, options_.n_jobs,
                              task, options_.progress, refit ? 1 : 0);
  if (refit) {
    best_index_ = detail::best_index(results_, options_.refit);
    Params p = params_[best_index_];
    p.n_jobs = options_.n_jobs;
    std::vector<std::size_t> all(static_cast<std::size_t>(X.rows()));
    std::iota(all.begin(), all.end(), std::size_t{0});
    best_estimator_ = Estimator(p);
    best_estimator_.fit(binned.at(p.max_bin), y, all);
    has_best_estimator_ = true;
    if (options_.progress) options_.progress(1.0);
  }
  fitted_ = true;
  return *this;
}

template <class Estimator>
void GridSearchCV<Estimator>::check_fitted(const char* what) const {
  if (!fitted_) throw StateError(std::string("GridSearchCV::") + what + " called before fit");
}

template <class Estimator>
const CvResults& GridSearchCV<Estimator>::cv_results() const {
  check_fitted("cv_results");
  return results_;
}

template <class Estimator>
std::size_t GridSearchCV<Estimator>::best_index() const {
  check_fitted("best_index");
  if (options_.refit.empty()) {
    throw StateError("GridSearchCV: no best combination without a refit metric (options.refit)");
  }
  return best_index_;
}

template <class Estimator>
const nlohmann::json& GridSearchCV<Estimator>::best_params() const {
  return combos_[best_index()];
}

template <class Estimator>
double GridSearchCV<Estimator>::best_score() const {
  return results_.metric(options_.refit).mean[best_index()];
}

template <class Estimator>
const Estimator& GridSearchCV<Estimator>::best_estimator() const {
  check_fitted("best_estimator");
  if (!has_best_estimator_) {
    throw StateError("GridSearchCV: best_estimator is not available (options.refit is empty)");
  }
  return best_estimator_;
}

// Instantiated once in src/model_selection/grid_search_models.cpp.
extern template class GridSearchCV<RandomForestClassifier>;
extern template class GridSearchCV<GradientBoostingClassifier>;

}  // namespace claimlens
