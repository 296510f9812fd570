// GridSearchCV<Estimator> member definitions (included by grid_search.hpp). The estimator-free
// work (grid expansion, folds, scoring, the parallel loop, aggregation) is compiled once in
// src/model_selection/.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace claimlens {
namespace detail {

/// Shared fits for ensembles whose first k trees are exactly the model fitted with
/// n_estimators = k (trees / boosting rounds seeded by derive_seed(random_state, index), nothing
/// depending on the total count): the search fits the largest n_estimators of a group once per
/// fold and scores every prefix. predict(model, row, counts, out) gives P(y=1) of each prefix
/// (counts ascending), computed exactly as the estimator's predict_proba_row does, so the scores
/// equal separate fits bit for bit (tests/model_selection/test_grid_ensembles.cpp checks this).
template <class Estimator>
struct TreePrefix {
  static constexpr bool kEnabled = false;
};

/// Sums the trees' outputs for `row` over the prefixes counts[0] <= counts[1] <= ... and stores
/// finish(sum, k) for each prefix of k trees.
template <class Finish>
void tree_prefix_outputs(const std::vector<Tree>& trees, const double* row,
                         const std::vector<int>& counts, double* out, Finish finish) {
  double sum = 0.0;
  std::size_t used = 0;
  for (std::size_t next = 0; next < counts.size(); ++next) {
    const auto k = std::min(static_cast<std::size_t>(counts[next]), trees.size());
    for (; used < k; ++used) sum += trees[used].predict_row(row);
    out[next] = finish(sum, k);
  }
}

template <>
struct TreePrefix<RandomForestClassifier> {
  static constexpr bool kEnabled = true;
  static void predict(const RandomForestClassifier& model, const double* row,
                      const std::vector<int>& counts, double* out) {
    tree_prefix_outputs(model.trees(), row, counts, out, [](double sum, std::size_t k) {
      return sum / static_cast<double>(k);  // the mean of predict_proba_row
    });
  }
};

template <>
struct TreePrefix<GradientBoostingClassifier> {
  static constexpr bool kEnabled = true;
  static void predict(const GradientBoostingClassifier& model, const double* row,
                      const std::vector<int>& counts, double* out) {
    tree_prefix_outputs(model.trees(), row, counts, out, [&](double sum, std::size_t) {
      double margin = model.base_margin();
      margin += sum;  // base + (tree sum), in predict_proba_row's order
      return 1.0 / (1.0 + std::exp(-margin));
    });
  }
};

/// Groups combinations equal up to n_estimators (by their full parsed parameters), each group
/// ordered by ascending n_estimators; without TreePrefix every combination is its own group.
template <class Estimator, class Params>
std::vector<std::vector<std::size_t>> share_fits(const std::vector<Params>& params) {
  std::vector<std::vector<std::size_t>> groups;
  if constexpr (!TreePrefix<Estimator>::kEnabled) {
    for (std::size_t i = 0; i < params.size(); ++i) groups.push_back({i});
  } else {
    std::map<std::string, std::size_t> group_of;
    for (std::size_t i = 0; i < params.size(); ++i) {
      JsonDocument key = params[i].to_json();  // disposed (claimlens/json_document.hpp)
      key->erase("n_estimators");
      key->erase("n_jobs");
      const auto [it, added] = group_of.emplace(key->dump(), groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    for (auto& g : groups) {
      std::stable_sort(g.begin(), g.end(), [&](std::size_t a, std::size_t b) {
        return params[a].n_estimators < params[b].n_estimators;
      });
    }
  }
  return groups;
}

}  // namespace detail

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
    JsonDocument merged(base_params);  // disposed (claimlens/json_document.hpp)
    for (const auto& item : combos_[i].items()) (*merged)[item.key()] = item.value();
    try {
      params_.push_back(Params::from_json(*merged));
    } catch (const Error& e) {
      throw InvalidArgument(
          "GridSearchCV: parameter combination " + std::to_string(i) + " " +
          combos_[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + ": " +
          e.what());
    }
  }
  groups_ = detail::share_fits<Estimator>(params_);
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
  auto task = [&](std::size_t group, std::size_t fold) {
    const std::vector<std::size_t>& members = groups_[group];
    Params p = params_[members.back()];  // the largest n_estimators of the group
    p.n_jobs = 1;                        // the search parallelizes across fits
    Estimator estimator(p);
    const auto start = Clock::now();
    estimator.fit(binned.at(p.max_bin), y, folds[fold].first);
    const auto fitted = Clock::now();
    const std::vector<std::size_t>& test = folds[fold].second;
    std::vector<double> truth(test.size());
    std::vector<std::vector<double>> proba(members.size(), std::vector<double>(test.size()));
    std::vector<int> counts;
    if constexpr (detail::TreePrefix<Estimator>::kEnabled) {
      for (std::size_t m : members) counts.push_back(params_[m].n_estimators);
    }
    std::vector<double> row_proba(members.size());
    for (std::size_t i = 0; i < test.size(); ++i) {
      truth[i] = y[test[i]];
      const double* row = data + test[i] * cols;
      if constexpr (detail::TreePrefix<Estimator>::kEnabled) {
        detail::TreePrefix<Estimator>::predict(estimator, row, counts, row_proba.data());
      } else {
        row_proba[0] = estimator.predict_proba_row(row);
      }
      for (std::size_t m = 0; m < members.size(); ++m) proba[m][i] = row_proba[m];
    }
    const double fit_seconds = std::chrono::duration<double>(fitted - start).count();
    std::vector<detail::FoldOutcome> outcomes(members.size());
    for (std::size_t m = 0; m < members.size(); ++m) {
      outcomes[m].scores = score_binary(truth, proba[m], metrics_);
      outcomes[m].fit_seconds = fit_seconds;  // the shared fit's time for each member
    }
    const double score_seconds = std::chrono::duration<double>(Clock::now() - fitted).count();
    for (auto& outcome : outcomes) {
      outcome.score_seconds = score_seconds / static_cast<double>(members.size());
    }
    return outcomes;
  };
  const bool refit = !options_.refit.empty();
  results_ = detail::run_grid(combos_, folds.size(), options_.scoring, groups_, options_.n_jobs,
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
