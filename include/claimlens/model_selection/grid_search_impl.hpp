// GridSearchCV<Estimator> member definitions (included by grid_search.hpp). The estimator-free
// work (grid expansion, folds, scoring, the parallel loop, aggregation) is compiled once in
// src/model_selection/.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace claimlens {
namespace detail {

/// One member of a shared fit: the prediction of its first `trees` trees, each cut at
/// `max_depth` (0: as grown).
struct TreeCut {
  int trees = 0;
  int max_depth = 0;
};

/// Shared fits for ensembles whose first k trees are exactly the model fitted with
/// n_estimators = k (trees / boosting rounds seeded by derive_seed(random_state, index), nothing
/// depending on the total count): the search fits the group's largest n_estimators once per fold
/// and scores every prefix. A forest shares more (see its specialization). predict(model, row,
/// cuts, out) gives P(y=1) of each member, computed exactly as the member's own fit would by
/// predict_proba_row, so the scores equal separate fits bit for bit
/// (tests/model_selection/test_grid_ensembles.cpp checks this).
template <class Estimator>
struct TreePrefix {
  static constexpr bool kEnabled = false;
};

/// For cuts sorted by (max_depth, trees): sums the trees' outputs for `row`, cut at each
/// max_depth, over each prefix, and stores finish(sum, k) for a prefix of k trees.
template <class Finish>
void tree_prefix_outputs(const std::vector<Tree>& trees, const double* row,
                         const std::vector<TreeCut>& cuts, double* out, Finish finish) {
  for (std::size_t next = 0; next < cuts.size();) {
    const int depth = cuts[next].max_depth;
    double sum = 0.0;
    std::size_t used = 0;
    for (; next < cuts.size() && cuts[next].max_depth == depth; ++next) {
      const auto k = std::min(static_cast<std::size_t>(cuts[next].trees), trees.size());
      for (; used < k; ++used) sum += trees[used].predict_row_to_depth(row, depth);
      out[next] = finish(sum, k);
    }
  }
}

/// A forest's nodes split on their own rows and random stream alone (ensemble_detail's
/// TreeBuilder), so the tree grown with max_depth d is the deeper tree cut at d, and
/// min_samples_split acts only through max(min_samples_split, 2 * min_samples_leaf): members that
/// differ in n_estimators and max_depth, or in min_samples_split with the same such maximum,
/// share the fit of the largest n_estimators and max_depth.
template <>
struct TreePrefix<RandomForestClassifier> {
  static constexpr bool kEnabled = true;
  static void share_key(const RandomForestParams& p, nlohmann::json& key) {
    key.erase("max_depth");
    key["min_samples_split"] = std::max(p.min_samples_split, 2 * p.min_samples_leaf);
  }
  static TreeCut cut(const RandomForestParams& p) {
    return {p.n_estimators, p.max_depth ? *p.max_depth : 0};
  }
  static void widen(RandomForestParams& fit, const RandomForestParams& member) {
    fit.n_estimators = std::max(fit.n_estimators, member.n_estimators);
    if (fit.max_depth && (!member.max_depth || *member.max_depth > *fit.max_depth)) {
      fit.max_depth = member.max_depth;
    }
  }
  static void predict(const RandomForestClassifier& model, const double* row,
                      const std::vector<TreeCut>& cuts, double* out) {
    tree_prefix_outputs(model.trees(), row, cuts, out, [](double sum, std::size_t k) {
      return sum * (1.0 / static_cast<double>(k));  // as predict_proba_row scales
    });
  }
};

template <>
struct TreePrefix<GradientBoostingClassifier> {
  static constexpr bool kEnabled = true;
  static void share_key(const GradientBoostingParams&, nlohmann::json&) {}
  static TreeCut cut(const GradientBoostingParams& p) { return {p.n_estimators, 0}; }
  static void widen(GradientBoostingParams& fit, const GradientBoostingParams& member) {
    fit.n_estimators = std::max(fit.n_estimators, member.n_estimators);
  }
  static void predict(const GradientBoostingClassifier& model, const double* row,
                      const std::vector<TreeCut>& cuts, double* out) {
    tree_prefix_outputs(model.trees(), row, cuts, out, [&](double sum, std::size_t) {
      double margin = model.base_margin();
      margin += sum;  // base + (tree sum), in predict_proba_row's order
      return 1.0 / (1.0 + std::exp(-margin));
    });
  }
};

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

  // One binning per distinct max_bin (normally exactly one), shared by all folds and fits.
  std::map<int, BinnedMatrix> binned;
  for (const Params& p : params_) {
    if (!binned.count(p.max_bin)) binned.emplace(p.max_bin, BinnedMatrix::from_dense(X, p.max_bin));
  }
  const std::size_t cols = static_cast<std::size_t>(X.cols());
  const double* data = X.data();
  auto task = [&](std::size_t group, std::size_t fold) {
    const std::vector<std::size_t>& members = groups_[group];
    Params p = detail::shared_fit_params<Estimator>(params_, members);
    p.n_jobs = 1;  // the search parallelizes across fits
    Estimator estimator(p);
    const auto start = Clock::now();
    estimator.fit(binned.at(p.max_bin), y, folds[fold].first);
    const auto fitted = Clock::now();
    const std::vector<std::size_t>& test = folds[fold].second;
    std::vector<double> truth(test.size());
    std::vector<std::vector<double>> proba(members.size(), std::vector<double>(test.size()));
    std::vector<detail::TreeCut> cuts;
    if constexpr (detail::TreePrefix<Estimator>::kEnabled) {
      for (std::size_t m : members) cuts.push_back(detail::TreePrefix<Estimator>::cut(params_[m]));
    }
    std::vector<double> row_proba(members.size());
    for (std::size_t i = 0; i < test.size(); ++i) {
      truth[i] = y[test[i]];
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
