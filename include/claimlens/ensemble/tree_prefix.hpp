// Prefix scoring of tree ensembles: how one fitted model stands in for several parameter
// combinations of a grid search. The primary template says "no sharing"; each ensemble that can
// share fits specializes detail::TreePrefix in its own header, right after the class, so that the
// specialization is visible wherever the model is (GridSearchCV, model_selection/, only uses it).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "claimlens/ensemble/tree.hpp"

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
/// and scores every prefix. A specialization with kEnabled = true provides, for its Params:
///   - share_key(params, key): edits the JSON key (params without n_estimators and n_jobs) under
///     which combinations share one fit;
///   - cut(params): the member's TreeCut;
///   - widen(fit, member): grows the shared fit's params to cover the member;
///   - predict(model, row, cuts, out): P(y=1) of each member, computed exactly as the member's own
///     fit would by predict_proba_row, so the scores equal separate fits bit for bit
///     (tests/model_selection/test_grid_ensembles.cpp checks this).
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

}  // namespace detail
}  // namespace claimlens
