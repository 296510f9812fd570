#include "forest32.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace claimlens::xgboost_detail {

double float32_split_bound(float t) {
  // Rounding to nearest is monotonic, so {v : float(v) >= t} is [d, inf): d is the midpoint
  // between t and the float below it, or the double just above it when the midpoint itself
  // rounds down (ties go to the even mantissa). The midpoint of two floats is exact in double.
  const float below = std::nextafter(t, -std::numeric_limits<float>::infinity());
  const double mid = std::isinf(below) ? -(static_cast<double>(FLT_MAX) + std::ldexp(1.0, 103))
                                       : (static_cast<double>(below) + static_cast<double>(t)) / 2;
  return static_cast<float>(mid) >= t
             ? mid
             : std::nextafter(mid, std::numeric_limits<double>::infinity());
}

float xgboost_sigmoid(float margin) {
  // XGBoost 1.7, src/common/math.h: the exponent capped at 88.7 against overflow, and an
  // epsilon that a float sum >= 1 absorbs (kept for the same operations).
  constexpr float kEps = 1e-16f;
  const float x = std::min(-margin, 88.7f);
  const float denom = std::exp(x) + 1.0f + kEps;
  return 1.0f / denom;
}

namespace {

// Splits on the longest root-to-leaf path, and whether every leaf lies that deep.
std::uint32_t tree_depth(const Tree& t, bool& uniform) {
  std::uint32_t most = 0, least = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::pair<std::int32_t, std::uint32_t>> stack{{0, 0}};
  while (!stack.empty()) {
    const auto [i, d] = stack.back();
    stack.pop_back();
    const auto l = t.nodes()[static_cast<std::size_t>(i)].left;
    if (l < 0) {
      most = std::max(most, d);
      least = std::min(least, d);
      continue;
    }
    stack.push_back({l, d + 1});
    stack.push_back({t.nodes()[static_cast<std::size_t>(i)].right, d + 1});
  }
  uniform = most == least;
  return most;
}

}  // namespace

Forest32::Forest32(const std::vector<Tree>& trees, std::size_t begin, std::size_t end) {
  std::vector<std::pair<std::int32_t, std::uint32_t>> stack;  // (node in tree, slot in nodes_)
  for (std::size_t ti = begin; ti < end; ++ti) {
    const Tree& t = trees[ti];
    bool uniform = false;
    depths_.push_back(tree_depth(t, uniform));
    uniform_.push_back(uniform ? 1 : 0);
    const auto root = static_cast<std::uint32_t>(nodes_.size());
    roots_.push_back(root);
    nodes_.push_back({});
    stack.assign(1, {0, root});
    while (!stack.empty()) {  // reachable nodes only; each pair of children allocated together
      const auto [i, slot] = stack.back();
      stack.pop_back();
      const TreeNode& n = t.nodes()[static_cast<std::size_t>(i)];
      if (n.is_leaf()) {
        nodes_[slot] = Node{n.value, -1, 0};
        continue;
      }
      const auto children = static_cast<std::uint32_t>(nodes_.size());
      nodes_.resize(nodes_.size() + 2);
      nodes_[slot] = Node{float32_split_bound(static_cast<float>(n.threshold)),
                          n.feature | (n.default_left ? kDefaultLeft : 0), children};
      stack.push_back({n.right, children + 1});
      stack.push_back({n.left, children});
    }
  }
}

namespace {
constexpr std::size_t kRowBlock = 64;
}

void Forest32::margin_rows(const double* x, std::size_t rows, std::size_t cols, float init,
                           double* out) const {
  const Node* nodes = nodes_.data();
  std::uint32_t at[kRowBlock];
  float sum[kRowBlock];
  for (std::size_t begin = 0; begin < rows; begin += kRowBlock) {
    const std::size_t m = std::min(rows - begin, kRowBlock);
    const double* xb = x + begin * cols;
    for (std::size_t r = 0; r < m; ++r) sum[r] = init;
    // A block without a missing value (the common case) skips the default-direction test.
    bool missing = false;
    for (std::size_t i = 0; i < m * cols; ++i) missing |= xb[i] != xb[i];
    for (std::size_t t = 0; t < roots_.size(); ++t) {  // one tree stays in cache for the block
      // The rows descend one level at a time: independent chains of loads that overlap.
      for (std::size_t r = 0; r < m; ++r) at[r] = roots_[t];
      if (uniform_[t] && !missing) {
        for (std::uint32_t level = 0; level < depths_[t]; ++level) {
          for (std::size_t r = 0; r < m; ++r) {
            const Node& n = nodes[at[r]];
            const double v =
                xb[r * cols + static_cast<std::size_t>(n.feature & (kDefaultLeft - 1))];
            at[r] = n.left + (v < n.value ? 0u : 1u);
          }
        }
      } else if (uniform_[t]) {
        for (std::uint32_t level = 0; level < depths_[t]; ++level) {
          for (std::size_t r = 0; r < m; ++r) at[r] = next(nodes[at[r]], xb + r * cols);
        }
      } else {
        for (bool moved = true; moved;) {
          moved = false;
          for (std::size_t r = 0; r < m; ++r) {
            if (nodes[at[r]].feature < 0) continue;
            moved = true;
            at[r] = next(nodes[at[r]], xb + r * cols);
          }
        }
      }
      for (std::size_t r = 0; r < m; ++r) sum[r] += static_cast<float>(nodes[at[r]].value);
    }
    for (std::size_t r = 0; r < m; ++r) out[begin + r] = static_cast<double>(sum[r]);
  }
}

void Forest32::margin_rows(const double* x, std::size_t rows, std::size_t cols, float init,
                           int n_threads, double* out) const {
  if (n_threads <= 1 || rows * roots_.size() <= 20000) {
    margin_rows(x, rows, cols, init, out);
    return;
  }
  const long long blocks = static_cast<long long>((rows + kRowBlock - 1) / kRowBlock);
#pragma omp parallel for schedule(static) num_threads(n_threads)
  for (long long b = 0; b < blocks; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kRowBlock;
    margin_rows(x + begin * cols, std::min(rows - begin, kRowBlock), cols, init, out + begin);
  }
}

}  // namespace claimlens::xgboost_detail
