// GridSearchCV<Estimator> member definitions (included by grid_search.hpp), generic over the
// estimator: a model that can score several combinations from one fit says so by specializing
// detail::TreePrefix (claimlens/ensemble/tree_prefix.hpp) beside its class. The estimator-free
// work (grid expansion, folds, scoring, the parallel loop, aggregation) is compiled once in
// src/model_selection/.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <utility>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/tree_prefix.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace claimlens {
namespace detail {

/// Groups combinations that share one fit (TreePrefix), each group ordered as
/// tree_prefix_outputs needs; without TreePrefix every combination is its own group.
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
      TreePrefix<Estimator>::share_key(params[i], *key);
      const auto [it, added] = group_of.emplace(key->dump(), groups.size());
      if (added) groups.emplace_back();
      groups[it->second].push_back(i);
    }
    const auto order = [](const TreeCut& c) {
      return std::make_pair(c.max_depth > 0 ? c.max_depth : std::numeric_limits<int>::max(),
                            c.trees);
    };
    for (auto& g : groups) {
      std::stable_sort(g.begin(), g.end(), [&](std::size_t a, std::size_t b) {
        return order(TreePrefix<Estimator>::cut(params[a])) <
               order(TreePrefix<Estimator>::cut(params[b]));
      });
    }
  }
  return groups;
}

/// The parameters of a group's shared fit.
template <class Estimator, class Params>
Params shared_fit_params(const std::vector<Params>& params,
                         const std::vector<std::size_t>& members) {
  Params fit = params[members.front()];
  if constexpr (TreePrefix<Estimator>::kEnabled) {
    for (std::size_t m : members) TreePrefix<Estimator>::widen(fit, params[m]);
  }
  return fit;
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

  // One binning per distinct max_bin and seed (normally exactly one), shared by all folds and
  // fits: above BinnedMatrix::kSampleRows rows the seed draws the rows the cuts come from.
  using BinKey = std::pair<int, std::uint64_t>;
  std::map<BinKey, BinnedMatrix> binned;
  for (const Params& p : params_) {
    const BinKey key{p.max_bin, p.random_state};
    if (!binned.count(key)) {
      binned.emplace(key, BinnedMatrix::from_dense(X, p.max_bin, p.random_state));
    }
  }
  const std::size_t cols = static_cast<std::size_t>(X.cols());
  const double* data = X.data();
  auto task = [&](std::size_t group, std::size_t fold) {
    const std::vector<std::size_t>& members = groups_[group];
    Params p = detail::shared_fit_params<Estimator>(params_, members);
    p.n_jobs = 1;  // the search parallelizes across fits
    Estimator estimator(p);
    const auto start = Clock::now();
    estimator.fit(binned.at(BinKey{p.max_bin, p.random_state}), y, folds[fold].first);
    const auto fitted = Clock::now();
    const std::vector<std::size_t>& test = folds[fold].second;
    std::vector<int> truth(test.size());  // 0/1, as check_xy verified
    std::vector<std::vector<double>> proba(members.size(), std::vector<double>(test.size()));
    std::vector<detail::TreeCut> cuts;
    if constexpr (detail::TreePrefix<Estimator>::kEnabled) {
      for (std::size_t m : members) cuts.push_back(detail::TreePrefix<Estimator>::cut(params_[m]));
    }
    std::vector<double> row_proba(members.size());
    for (std::size_t i = 0; i < test.size(); ++i) {
      truth[i] = y[test[i]] == 1.0 ? 1 : 0;
      const double* row = data + test[i] * cols;
      if constexpr (detail::TreePrefix<Estimator>::kEnabled) {
        detail::TreePrefix<Estimator>::predict(estimator, row, cuts, row_proba.data());
      } else {
        row_proba[0] = estimator.predict_proba_row(row);
      }
      for (std::size_t m = 0; m < members.size(); ++m) proba[m][i] = row_proba[m];
    }
    const double fit_seconds = std::chrono::duration<double>(fitted - start).count();
    std::vector<detail::FoldOutcome> outcomes(members.size());
    for (std::size_t m = 0; m < members.size(); ++m) {
      outcomes[m].scores = detail::score_labels(truth, proba[m], metrics_);
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
    best_estimator_.fit(binned.at(BinKey{p.max_bin, p.random_state}), y, all);
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

}  // namespace claimlens
