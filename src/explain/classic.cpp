// Algorithm 2 of Lundberg, Erion & Lee (2018), "Consistent Individualized Feature Attribution
// for Tree Ensembles": the path m holds, per distinct feature met on the way down, the fraction
// of training weight that follows the path when the feature is unknown (zero: the covers) and
// whether the row follows it when known (one), and the weights of the subsets of those features
// by size; a leaf's value is shared out from them. Written from the paper's pseudo-code.
#include <algorithm>
#include <vector>

#include "classic.hpp"

namespace claimlens::explain_detail {

namespace {

// EXTEND: m[0..n) grows by (feature, zero, one) to n + 1 elements.
void extend(PathElement* m, std::size_t n, double zero, double one, std::int32_t feature) {
  m[n].feature = feature;
  m[n].zero = zero;
  m[n].one = one;
  m[n].weight = n == 0 ? 1.0 : 0.0;
  const double size = static_cast<double>(n + 1);
  for (std::size_t i = n; i-- > 0;) {
    m[i + 1].weight += one * m[i].weight * static_cast<double>(i + 1) / size;
    m[i].weight = zero * m[i].weight * static_cast<double>(n - i) / size;
  }
}

// UNWIND: removes element k of m[0..n] (n + 1 elements), undoing its EXTEND.
void unwind(PathElement* m, std::size_t n, std::size_t k) {
  const double one = m[k].one, zero = m[k].zero;
  const double size = static_cast<double>(n + 1);
  double next = m[n].weight;
  for (std::size_t i = n; i-- > 0;) {
    if (one != 0.0) {
      const double kept = m[i].weight;
      m[i].weight = next * size / (static_cast<double>(i + 1) * one);
      next = kept - m[i].weight * zero * static_cast<double>(n - i) / size;
    } else {
      m[i].weight = m[i].weight * size / (zero * static_cast<double>(n - i));
    }
  }
  for (std::size_t i = k; i < n; ++i) {
    m[i].feature = m[i + 1].feature;
    m[i].zero = m[i + 1].zero;
    m[i].one = m[i + 1].one;
  }
}

// The total weight of the subsets of m[0..n] without element k (UNWIND's sum, m unchanged).
double unwound_sum(const PathElement* m, std::size_t n, std::size_t k) {
  const double one = m[k].one, zero = m[k].zero;
  const double size = static_cast<double>(n + 1);
  double next = m[n].weight, total = 0.0;
  for (std::size_t i = n; i-- > 0;) {
    if (one != 0.0) {
      const double w = next * size / (static_cast<double>(i + 1) * one);
      total += w;
      next = m[i].weight - w * zero * static_cast<double>(n - i) / size;
    } else if (zero != 0.0) {
      total += m[i].weight * size / (zero * static_cast<double>(n - i));
    }
  }
  return total;
}

struct Recursion {
  const TreeNode* nodes;
  SplitCompare compare;
  const double* row;
  double* phi;
  PathElement* buffer;
  std::size_t stride;

  // RECURSE: node j at `level`, whose parent's path (n elements) is at `parent`.
  void run(std::int32_t j, std::size_t level, const PathElement* parent, std::size_t n, double zero,
           double one, std::int32_t feature) const {
    PathElement* m = buffer + level * stride;
    std::copy(parent, parent + n, m);
    extend(m, n, zero, one, feature);
    const TreeNode& node = nodes[j];
    if (node.is_leaf()) {
      for (std::size_t i = 1; i <= n; ++i) {
        const double w = unwound_sum(m, n, i);
        phi[m[i].feature] += w * (m[i].one - m[i].zero) * node.value;
      }
      return;
    }
    const bool left = goes_left(row[node.feature], node.threshold, node.default_left, compare);
    const std::int32_t hot = left ? node.left : node.right;
    const std::int32_t cold = left ? node.right : node.left;
    double in_zero = 1.0, in_one = 1.0;
    std::size_t count = n + 1;
    for (std::size_t k = 1; k <= n; ++k) {
      if (m[k].feature != node.feature) continue;
      in_zero = m[k].zero;  // a feature met again: its fractions multiply
      in_one = m[k].one;
      unwind(m, n, k);
      count = n;
      break;
    }
    const double cover = node.cover;
    run(hot, level + 1, m, count, in_zero * (nodes[hot].cover / cover), in_one, node.feature);
    run(cold, level + 1, m, count, in_zero * (nodes[cold].cover / cover), 0.0, node.feature);
  }
};

}  // namespace

PathBounds path_bounds(const TreeNode* nodes) {
  // Depth-first with the path's features on a stack: (node, depth, distinct so far).
  struct Item {
    std::int32_t node;
    std::size_t depth;
  };
  PathBounds b;
  std::vector<Item> stack{{0, 0}};
  std::vector<std::int32_t> path;  // features of the splits above the item, by depth
  while (!stack.empty()) {
    const Item it = stack.back();
    stack.pop_back();
    path.resize(it.depth);
    const TreeNode& n = nodes[it.node];
    if (n.is_leaf()) {
      std::vector<std::int32_t> distinct(path);
      std::sort(distinct.begin(), distinct.end());
      const auto u = static_cast<std::size_t>(std::unique(distinct.begin(), distinct.end()) -
                                              distinct.begin());
      b.unique = std::max(b.unique, u);
      b.depth = std::max(b.depth, it.depth);
      continue;
    }
    path.push_back(n.feature);
    stack.push_back({n.right, it.depth + 1});
    stack.push_back({n.left, it.depth + 1});
  }
  return b;
}

void classic_shap(const TreeNode* nodes, const PathBounds& bounds, SplitCompare compare,
                  const double* row, double* phi, PathElement* path) {
  const Recursion r{nodes, compare, row, phi, path, bounds.unique + 2};
  r.run(0, 0, nullptr, 0, 1.0, 1.0, -1);
}

}  // namespace claimlens::explain_detail

namespace claimlens {

double tree_shap_reference(const std::vector<TreeNode>& given, SplitCompare compare,
                           const double* row, double* phi) {
  std::vector<TreeNode> nodes = given;
  if (compare == SplitCompare::Float32) {  // compared in float: (float)x < (float)threshold
    for (TreeNode& n : nodes) n.threshold = explain_detail::as_float(n.threshold);
  }
  const explain_detail::PathBounds b = explain_detail::path_bounds(nodes.data());
  std::vector<explain_detail::PathElement> path(explain_detail::classic_path_size(b));
  explain_detail::classic_shap(nodes.data(), b, compare, row, phi, path.data());
  // The expected value: the covers' weighted mean of the leaves.
  struct Mean {
    const std::vector<TreeNode>& nodes;
    double operator()(std::int32_t j) const {
      const TreeNode& n = nodes[static_cast<std::size_t>(j)];
      if (n.is_leaf()) return n.value;
      return (nodes[static_cast<std::size_t>(n.left)].cover * (*this)(n.left) +
              nodes[static_cast<std::size_t>(n.right)].cover * (*this)(n.right)) /
             n.cover;
    }
  };
  return Mean{nodes}(0);
}

}  // namespace claimlens
