// The explain tests' yardstick: Shapley values by brute force over every feature subset, with
// TreeSHAP's path-dependent value function computed independently of the library (a recursive
// descent weighing a split's sides by their covers when its feature is unknown), and random
// trees to feed it.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "claimlens/ensemble/tree.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "claimlens/random.hpp"

namespace claimlens::testing {

inline bool test_goes_left(const TreeNode& n, double x, SplitCompare compare) {
  if (std::isnan(x)) return n.default_left;
  if (compare == SplitCompare::Float32) {
    return static_cast<float>(x) < static_cast<float>(n.threshold);
  }
  return x < n.threshold;
}

/// E[tree(x) | x_S]: known features follow the row, unknown ones average the children by cover.
inline double conditional_value(const std::vector<TreeNode>& nodes, std::int32_t j, const double* x,
                                std::uint32_t known, SplitCompare compare) {
  const TreeNode& n = nodes[static_cast<std::size_t>(j)];
  if (n.is_leaf()) return n.value;
  if ((known >> n.feature) & 1u) {
    return conditional_value(nodes, test_goes_left(n, x[n.feature], compare) ? n.left : n.right, x,
                             known, compare);
  }
  const TreeNode& l = nodes[static_cast<std::size_t>(n.left)];
  const TreeNode& r = nodes[static_cast<std::size_t>(n.right)];
  return (l.cover * conditional_value(nodes, n.left, x, known, compare) +
          r.cover * conditional_value(nodes, n.right, x, known, compare)) /
         n.cover;
}

/// Shapley values of v(S) = base + scale * sum_t E[tree_t(x) | x_S] over `n` features (at most
/// 12), bias v(empty) last: n + 1 values.
inline std::vector<double> brute_force_shap(const std::vector<std::vector<TreeNode>>& trees,
                                            std::size_t n, const double* x, double scale,
                                            double base, SplitCompare compare) {
  const std::uint32_t subsets = 1u << n;
  std::vector<double> v(subsets);
  for (std::uint32_t s = 0; s < subsets; ++s) {
    double sum = 0.0;
    for (const auto& t : trees) sum += conditional_value(t, 0, x, s, compare);
    v[s] = base + scale * sum;
  }
  std::vector<double> factorial(n + 1, 1.0);
  for (std::size_t k = 1; k <= n; ++k) factorial[k] = factorial[k - 1] * static_cast<double>(k);
  std::vector<double> phi(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::uint32_t s = 0; s < subsets; ++s) {
      if ((s >> i) & 1u) continue;
      const auto size = static_cast<std::size_t>(__builtin_popcount(s));
      const double w = factorial[size] * factorial[n - size - 1] / factorial[n];
      phi[i] += w * (v[s | (1u << i)] - v[s]);
    }
  }
  phi[n] = v[0];
  return phi;
}

/// A random tree on features [0, used) of up to `depth` levels: random thresholds in [0, 1),
/// covers split at random fractions, random leaf values, random default sides; features may
/// repeat on a path.
inline std::vector<TreeNode> random_tree(Random& rng, int depth, int used) {
  std::vector<TreeNode> nodes(1);
  nodes[0].cover = 100.0 + 1000.0 * rng.uniform();
  struct Item {
    std::int32_t node;
    int level;
  };
  std::vector<Item> stack{{0, 0}};
  while (!stack.empty()) {
    const Item it = stack.back();
    stack.pop_back();
    const bool split = it.level < depth && (it.level < 2 || rng.uniform() < 0.8);
    if (!split) {
      nodes[static_cast<std::size_t>(it.node)].value = 2.0 * rng.uniform() - 1.0;
      continue;
    }
    const auto left = static_cast<std::int32_t>(nodes.size());
    nodes.resize(nodes.size() + 2);
    TreeNode& n = nodes[static_cast<std::size_t>(it.node)];
    n.feature = static_cast<std::int32_t>(rng.uniform_int(static_cast<std::uint64_t>(used)));
    n.threshold = rng.uniform();
    n.default_left = rng.uniform() < 0.5;
    n.left = left;
    n.right = left + 1;
    n.value = 0.0;
    const double fraction = 0.05 + 0.9 * rng.uniform();
    nodes[static_cast<std::size_t>(left)].cover = n.cover * fraction;
    nodes[static_cast<std::size_t>(left + 1)].cover = n.cover - n.cover * fraction;
    stack.push_back({left + 1, it.level + 1});
    stack.push_back({left, it.level + 1});
  }
  return nodes;
}

/// A row of n values in [0, 1) with NaN at probability `missing`.
inline std::vector<double> random_row(Random& rng, std::size_t n, double missing) {
  std::vector<double> row(n);
  for (double& x : row) x = rng.uniform() < missing ? std::nan("") : rng.uniform();
  return row;
}

}  // namespace claimlens::testing
