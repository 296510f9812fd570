// Private to the xgboost module: XGBoost's prediction arithmetic on flat node arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "claimlens/ensemble/tree.hpp"

namespace claimlens::xgboost_detail {

/// The smallest double d with float(d) >= t: for every double v that is not NaN,
/// `float(v) < t` (XGBoost's test, on the value rounded to float32 to nearest-even) is `v < d`.
/// So a batch compares doubles and never converts a row.
double float32_split_bound(float t);

/// XGBoost 1.7's common::Sigmoid in float32 (src/common/math.h).
float xgboost_sigmoid(float margin);

/// Trees back to back in 16-byte nodes, siblings adjacent. A row's margin is
/// init + leaf(tree 0) + leaf(tree 1) + ... added in float32 in tree order, as XGBoost's CPU
/// predictor adds them (PredictByAllTrees), whatever path (one row, a block, threads) computes it.
class Forest32 {
 public:
  /// Trees [begin, end) of `trees`, whose thresholds and leaf values are float32 values and whose
  /// right children are left + 1 (as XGBoostBooster builds them).
  Forest32(const std::vector<Tree>& trees, std::size_t begin, std::size_t end);

  std::size_t num_trees() const { return roots_.size(); }

  float margin_row(const double* row, float init) const {
    float sum = init;
    for (std::uint32_t root : roots_) sum += leaf(root, row);
    return sum;
  }
  /// out[r] = margin_row(x + r * cols, init), on the calling thread, no allocation.
  void margin_rows(const double* x, std::size_t rows, std::size_t cols, float init,
                   double* out) const;
  /// The same with blocks of rows over n_threads (OpenMP); the same bits.
  void margin_rows(const double* x, std::size_t rows, std::size_t cols, float init, int n_threads,
                   double* out) const;

 private:
  struct Node {
    double value;          // float32_split_bound of the split, or the float32 leaf value
    std::int32_t feature;  // -1 for a leaf; kDefaultLeft flags a split sending NaN left
    std::uint32_t left;    // left child; the right child follows it
  };
  static constexpr std::int32_t kDefaultLeft = std::int32_t{1} << 30;
  static std::uint32_t next(const Node& n, const double* row) {
    const double v = row[n.feature & (kDefaultLeft - 1)];
    const bool left = (v != v) ? (n.feature & kDefaultLeft) != 0 : v < n.value;
    return n.left + (left ? 0u : 1u);
  }
  float leaf(std::uint32_t i, const double* row) const {
    const Node* nodes = nodes_.data();
    while (nodes[i].feature >= 0) i = next(nodes[i], row);
    return static_cast<float>(nodes[i].value);
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> roots_;
  std::vector<std::uint32_t> depths_;  // most splits on a root-to-leaf path
  std::vector<std::uint8_t> uniform_;  // every leaf at that depth
};

}  // namespace claimlens::xgboost_detail
