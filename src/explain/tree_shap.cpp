// Explaining rows with a prepared ensemble. Per tree and row: one pass over the splits gives
// every leaf the mask of the path features where the row leaves its path (each split tested
// once), then each leaf adds its share to the features of its path from its table (O(d)) or by
// quadrature (O(d^2)); see docs/explanations.md.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "claimlens/threads.hpp"
#include "classic.hpp"  // goes_left

namespace claimlens {

namespace {

inline std::uint64_t all_bits(std::uint32_t d) {
  return d >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << d) - 1;
}

}  // namespace

// A leaf with a table: O(d) for the row whose followed features are `u`.
void TreeShapExplainer::table_leaf(const Leaf& leaf, std::uint64_t u, double* phi) const {
  const double* t = tables_.data() + leaf.table;
  const std::int32_t* f = path_feature_.data() + leaf.first;
  const double* c = path_c_.data() + leaf.first;
  const double left_path = t[u];
  for (std::uint32_t p = 0; p < leaf.d; ++p) {
    // Both candidates, picked by index: whether the row follows is data, not a pattern a branch
    // predictor learns.
    const double share[2] = {-left_path, t[u ^ (std::uint64_t{1} << p)] * c[p]};
    phi[f[p]] += share[(u >> p) & 1u];
  }
}

// A leaf without a table. With w(s, d) = s! (d-1-s)! / d! = integral over [0, 1] of
// t^s (1-t)^(d-1-s) (a Beta function), a feature's share is an integral of a product of one
// factor per other path feature: z + (1 - z) t where the row follows the path, z (1 - t) where it
// leaves it (Yu et al. 2022 build Linear TreeSHAP on the same identity). The integrand has degree
// d - 1: Gauss-Legendre with ceil(d / 2) nodes is exact. Every factor lies in [0, 1] and every
// term is positive, so nothing cancels (the classic UNWIND and polynomial division lose a digit
// per few features on long paths). p has room for ceil(d / 2) values.
template <class Followed>
void TreeShapExplainer::quad_leaf(const Leaf& leaf, Followed followed, double* p,
                                  double* phi) const {
  const std::uint32_t d = leaf.d, k = (d + 1) / 2;
  const std::int32_t* f = path_feature_.data() + leaf.first;
  const double* z = path_z_.data() + leaf.first;
  const double* c = path_c_.data() + leaf.first;  // 1 - z
  const double* t = quad_t_.data() + static_cast<std::size_t>(k) * (k - 1) / 2;
  const double* w = quad_w_.data() + static_cast<std::size_t>(k) * (k - 1) / 2;
  // p[i] = w_i * value * prod of every path feature's factor at t_i.
  for (std::uint32_t i = 0; i < k; ++i) p[i] = w[i] * leaf.value;
  for (std::uint32_t q = 0; q < d; ++q) {
    if (followed(q)) {
      for (std::uint32_t i = 0; i < k; ++i) p[i] *= z[q] + c[q] * t[i];
    } else {
      for (std::uint32_t i = 0; i < k; ++i) p[i] *= z[q] * (1.0 - t[i]);
    }
  }
  // A feature the row leaves the path at: -z times the integral without its factor z (1 - t);
  // one it follows: (1 - z) times the integral without its factor z + (1 - z) t.
  double left_path = 0.0;
  for (std::uint32_t i = 0; i < k; ++i) left_path += p[i] / (1.0 - t[i]);
  for (std::uint32_t q = 0; q < d; ++q) {
    if (!followed(q)) {
      phi[f[q]] -= left_path;
      continue;
    }
    double sum = 0.0;
    for (std::uint32_t i = 0; i < k; ++i) sum += p[i] / (z[q] + c[q] * t[i]);
    phi[f[q]] += c[q] * sum;
  }
}

template <SplitCompare C>
double TreeShapExplainer::explain_tree(const TreeInfo& tree, const double* row, double* phi,
                                       Workspace& ws) const {
  if (tree.long_paths) return explain_long_tree<C>(tree, row, phi, ws);
  std::uint64_t* m = ws.masks.data();
  const Split* splits = splits_.data() + tree.split_begin;
  m[0] = 0;
  for (std::uint32_t i = 0; i < tree.n_splits; ++i) {
    const Split& s = splits[i];
    const bool left = explain_detail::goes_left(row[s.feature], s.threshold, s.default_left, C);
    const std::uint64_t bit = std::uint64_t{1} << s.pos;
    m[s.left] = m[i] | (left ? 0 : bit);
    m[s.right] = m[i] | (left ? bit : 0);
  }
  const Leaf* leaves = leaves_.data() + tree.leaf_begin;
  const std::uint64_t* leaf_masks = m + tree.n_splits;
  double reached = 0.0;
  double p[32];  // quad_leaf's ceil(d / 2) values, d <= 64
  for (std::uint32_t l = 0; l < tree.n_leaves; ++l) {
    const Leaf& leaf = leaves[l];
    const std::uint64_t mask = leaf_masks[l];
    const double pick[2] = {reached, leaf.value};  // the one leaf whose whole path the row
    reached = pick[mask == 0];                     // follows (selected without a branch)
    if (leaf.d == 0) continue;
    const std::uint64_t u = all_bits(leaf.d) & ~mask;
    double* lane = phi + (l % kLanes) * num_features_;
    if (leaf.table != kNoTable) {
      table_leaf(leaf, u, lane);
    } else {
      quad_leaf(
          leaf, [u](std::uint32_t q) { return ((u >> q) & 1u) != 0; }, p, lane);
    }
  }
  return reached;
}

// A tree with a path over 64 distinct features: each split's side once, then each leaf's
// followed features from its steps.
template <SplitCompare C>
double TreeShapExplainer::explain_long_tree(const TreeInfo& tree, const double* row, double* phi,
                                            Workspace& ws) const {
  std::uint64_t* left = ws.masks.data();
  const Split* splits = splits_.data() + tree.split_begin;
  for (std::uint32_t i = 0; i < tree.n_splits; ++i) {
    const Split& s = splits[i];
    left[i] = explain_detail::goes_left(row[s.feature], s.threshold, s.default_left, C);
  }
  std::uint8_t* followed = ws.followed.data();
  double reached = 0.0;
  for (std::uint32_t l = 0; l < tree.n_leaves; ++l) {
    const Leaf& leaf = leaves_[tree.leaf_begin + l];
    std::fill(followed, followed + leaf.d, std::uint8_t{1});
    bool all = true;
    for (std::uint32_t k = 0; k < leaf.n_steps; ++k) {
      const Step& s = steps_[leaf.step_first + k];
      if ((left[s.split] != 0) != s.left) {
        followed[s.pos] = 0;
        all = false;
      }
    }
    if (all) reached = leaf.value;
    if (leaf.d == 0) continue;
    quad_leaf(
        leaf, [followed](std::uint32_t q) { return followed[q] != 0; }, ws.quad.data(),
        phi + (l % kLanes) * num_features_);
  }
  return reached;
}

RowAdditivity TreeShapExplainer::finish_row(double leaf_sum, double* out) const {
  for (std::size_t j = 0; j < num_features_; ++j) out[j] *= output_.scale;
  out[num_features_] = expected_value_;
  RowAdditivity a;
  a.output = output_.base + output_.scale * leaf_sum;  // the model's own operations: same bits
  double total = 0.0;
  for (std::size_t j = 0; j <= num_features_; ++j) total += out[j];
  a.residual = std::fabs(total - a.output);
  return a;
}

template <SplitCompare C>
void TreeShapExplainer::explain_block(const double* x, std::size_t rows, std::size_t cols,
                                      double* out, double* output, double* residual,
                                      Workspace& ws) const {
  double sums[kBlock];
  const std::size_t n = num_features_, width = n + 1, lanes = kLanes * n;
  double* acc = ws.lanes.data();
  std::fill(acc, acc + rows * lanes, 0.0);
  for (std::size_t r = 0; r < rows; ++r) sums[r] = 0.0;
  for (const TreeInfo& tree : trees_) {  // a tree stays in cache for the block
    for (std::size_t r = 0; r < rows; ++r) {
      sums[r] += explain_tree<C>(tree, x + r * cols, acc + r * lanes, ws);
    }
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const double* a = acc + r * lanes;
    double* o = out + r * width;
    for (std::size_t j = 0; j < n; ++j) o[j] = (a[j] + a[n + j]) + (a[2 * n + j] + a[3 * n + j]);
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const RowAdditivity a = finish_row(sums[r], out + r * width);
    output[r] = a.output;
    residual[r] = a.residual;
  }
}

RowAdditivity TreeShapExplainer::explain_row(const double* row, double* out, Workspace& ws) const {
  check_workspace(ws, 1);
  RowAdditivity a;
  if (compare_ == SplitCompare::Double) {
    explain_block<SplitCompare::Double>(row, 1, num_features_, out, &a.output, &a.residual, ws);
  } else {
    explain_block<SplitCompare::Float32>(row, 1, num_features_, out, &a.output, &a.residual, ws);
  }
  return a;
}

void TreeShapExplainer::check_workspace(const Workspace& ws, std::size_t rows) const {
  if (ws.masks.size() < max_nodes_ || ws.lanes.size() < rows * kLanes * num_features_ ||
      ws.followed.size() < max_long_d_ || ws.quad.size() < (max_long_d_ + 1) / 2) {
    throw InvalidArgument(
        "TreeShapExplainer.explain_row: the workspace is too small for this explainer (make it "
        "with this explainer's make_workspace())");
  }
}

void TreeShapExplainer::explain_rows(const double* x, std::size_t rows, double* out, double* output,
                                     double* residual, Workspace& ws) const {
  check_workspace(ws, std::min(rows, kBlock));
  const std::size_t n = num_features_;
  for (std::size_t begin = 0; begin < rows; begin += kBlock) {
    const std::size_t m = std::min(kBlock, rows - begin);
    if (compare_ == SplitCompare::Double) {
      explain_block<SplitCompare::Double>(x + begin * n, m, n, out + begin * (n + 1),
                                          output + begin, residual + begin, ws);
    } else {
      explain_block<SplitCompare::Float32>(x + begin * n, m, n, out + begin * (n + 1),
                                           output + begin, residual + begin, ws);
    }
  }
}

ShapValues TreeShapExplainer::explain(const double* x, std::size_t rows, std::size_t cols,
                                      int n_threads) const {
  if (cols != num_features_) {
    throw InvalidArgument("TreeShapExplainer.explain: X has " + std::to_string(cols) +
                          " columns but the model has " + std::to_string(num_features_) +
                          " features");
  }
  if (rows > 0 && x == nullptr) throw InvalidArgument("TreeShapExplainer.explain: X is null");
  if (!valid_n_jobs(n_threads)) {
    throw InvalidArgument("TreeShapExplainer.explain: n_threads " + std::to_string(n_threads) +
                          " is below -1");
  }
  ShapValues v;
  v.rows = rows;
  v.num_features = num_features_;
  v.scale = output_.kind;
  v.values.assign(rows * (num_features_ + 1), 0.0);
  v.output.assign(rows, 0.0);
  v.residual.assign(rows, 0.0);
  const auto blocks = static_cast<long long>((rows + kBlock - 1) / kBlock);
  const int threads =
      static_cast<int>(std::min<long long>(resolve_n_jobs(n_threads), std::max(blocks, 1LL)));
  std::vector<Workspace> spaces(static_cast<std::size_t>(threads), make_workspace());
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (long long b = 0; b < blocks; ++b) {
    const std::size_t begin = static_cast<std::size_t>(b) * kBlock;
    const std::size_t m = std::min(kBlock, rows - begin);
    double* out = v.values.data() + begin * (num_features_ + 1);
    Workspace& ws = spaces[static_cast<std::size_t>(omp_get_thread_num())];
    if (compare_ == SplitCompare::Double) {
      explain_block<SplitCompare::Double>(x + begin * cols, m, cols, out, v.output.data() + begin,
                                          v.residual.data() + begin, ws);
    } else {
      explain_block<SplitCompare::Float32>(x + begin * cols, m, cols, out, v.output.data() + begin,
                                           v.residual.data() + begin, ws);
    }
  }
  return v;
}

ShapValues TreeShapExplainer::explain(const RowMatrix& X, int n_threads) const {
  return explain(X.data(), static_cast<std::size_t>(X.rows()), static_cast<std::size_t>(X.cols()),
                 n_threads);
}

}  // namespace claimlens
