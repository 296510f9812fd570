// The classic TreeSHAP recursion (Lundberg, Erion & Lee 2018, Algorithm 2), shared by the public
// reference and by the explainer's trees whose paths are too long for its masks.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "claimlens/ensemble/tree.hpp"
#include "claimlens/explain/tree_shap.hpp"

namespace claimlens::explain_detail {

/// One entry of the path m of Algorithm 2.
struct PathElement {
  double zero = 0.0, one = 0.0, weight = 0.0;
  std::int32_t feature = -1;
};

/// x rounded to float32 as a conversion would, a value beyond float's range to +-infinity
/// (without the conversion's undefined behaviour).
inline double as_float(double x) {
  if (std::fabs(x) <= static_cast<double>(FLT_MAX)) return static_cast<float>(x);
  return x > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
}

/// A split's test: NaN to the default side, otherwise value < threshold in double or in float32
/// (the threshold then already rounded by as_float).
inline bool goes_left(double x, double threshold, bool default_left, SplitCompare compare) {
  if (x != x) return default_left;
  return (compare == SplitCompare::Float32 ? as_float(x) : x) < threshold;
}

/// The most distinct split features on a root-to-leaf path and the most splits on one.
struct PathBounds {
  std::size_t unique = 0;
  std::size_t depth = 0;
};
PathBounds path_bounds(const TreeNode* nodes);

/// Path elements the recursion needs for a tree with these bounds.
inline std::size_t classic_path_size(const PathBounds& b) {
  return (b.depth + 2) * (b.unique + 2);
}

/// Adds the tree's contributions for `row` to phi; `path` has classic_path_size elements.
void classic_shap(const TreeNode* nodes, const PathBounds& bounds, SplitCompare compare,
                  const double* row, double* phi, PathElement* path);

}  // namespace claimlens::explain_detail
