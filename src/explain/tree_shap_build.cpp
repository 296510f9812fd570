// Preparing a tree ensemble for explanation, once per model: each tree's links and covers
// checked, its splits renumbered parents first with their feature's bit among the distinct
// features of their path, and each leaf's path summarized by its distinct features and their
// cover fractions z (with the leaf's table when it fits, see fill_table).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "classic.hpp"  // path_bounds
#include "shap_weights.hpp"

namespace claimlens {

namespace {

std::string number(double x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

constexpr std::size_t kMaskBits = 64;        // distinct features a leaf's mask can hold
constexpr std::uint32_t kMaxTableBits = 12;  // 32 KiB: larger tables cost more than they save

// The nodes reached from the root, parents first (left subtree before right), with every link
// checked: InvalidArgument naming the tree and node.
std::vector<std::int32_t> preorder(const std::vector<TreeNode>& nodes, std::size_t num_features,
                                   const std::string& where) {
  const std::size_t n = nodes.size();
  if (n == 0) throw InvalidArgument(where + " has no nodes");
  std::vector<std::uint8_t> reached(n, 0);
  std::vector<std::int32_t> order, stack{0};
  order.reserve(n);
  reached[0] = 1;
  while (!stack.empty()) {
    const std::int32_t j = stack.back();
    stack.pop_back();
    order.push_back(j);
    const TreeNode& node = nodes[static_cast<std::size_t>(j)];
    const std::string at = where + " node " + std::to_string(j);
    if (node.is_leaf()) {
      if (!std::isfinite(node.value)) {
        throw InvalidArgument(at + ": leaf value " + number(node.value) + " is not finite");
      }
      continue;
    }
    if (static_cast<std::size_t>(node.feature) >= num_features) {
      throw InvalidArgument(at + ": split feature " + std::to_string(node.feature) +
                            " is not below the model's " + std::to_string(num_features) +
                            " features");
    }
    if (std::isnan(node.threshold)) throw InvalidArgument(at + ": threshold is NaN");
    for (const std::int32_t child : {node.right, node.left}) {
      if (child < 0 || static_cast<std::size_t>(child) >= n) {
        throw InvalidArgument(at + ": child " + std::to_string(child) +
                              " is not a node index in [0, " + std::to_string(n) + ")");
      }
      if (reached[static_cast<std::size_t>(child)]++) {
        throw InvalidArgument(where + " node " + std::to_string(child) +
                              " is reached twice (a cycle or a shared child)");
      }
      stack.push_back(child);
    }
  }
  if (order.size() != n) {
    const auto lost = std::find(reached.begin(), reached.end(), 0) - reached.begin();
    throw InvalidArgument(where + " node " + std::to_string(lost) +
                          " is not reached from the root");
  }
  return order;
}

// TreeSHAP weighs a split's sides by their covers: they must be there and add up (StateError).
void check_covers(const std::vector<TreeNode>& nodes, double tolerance, const std::string& where) {
  bool any_split = false, any_cover = false;
  for (const TreeNode& n : nodes) {
    any_split = any_split || !n.is_leaf();
    any_cover = any_cover || n.cover != 0.0;
  }
  if (any_split && !any_cover) {
    throw StateError(where +
                     " has no covers (every node's cover is 0): TreeSHAP needs each node's "
                     "training weight (sum of hessians or weighted samples)");
  }
  for (std::size_t j = 0; j < nodes.size(); ++j) {
    const TreeNode& n = nodes[j];
    if (n.is_leaf()) continue;
    for (const std::size_t i :
         {j, static_cast<std::size_t>(n.left), static_cast<std::size_t>(n.right)}) {
      const double c = nodes[i].cover;
      if (!(c > 0.0) || !std::isfinite(c)) {
        throw StateError(where + " node " + std::to_string(i) + " has cover " + number(c) +
                         ": covers must be finite and above 0");
      }
    }
    const double l = nodes[static_cast<std::size_t>(n.left)].cover;
    const double r = nodes[static_cast<std::size_t>(n.right)].cover;
    if (std::fabs(l + r - n.cover) > tolerance * n.cover) {
      throw StateError(where + " node " + std::to_string(j) + ": its children's covers " +
                       number(l) + " + " + number(r) + " do not add up to its cover " +
                       number(n.cover));
    }
  }
}

}  // namespace

TreeShapExplainer TreeShapExplainer::from_nodes(const std::vector<std::vector<TreeNode>>& trees,
                                                std::size_t num_features, SplitCompare compare,
                                                TreeShapOutput output, const std::string& what,
                                                TreeShapOptions options) {
  if (!std::isfinite(output.scale) || !std::isfinite(output.base)) {
    throw InvalidArgument(what + ": the output's scale and base must be finite");
  }
  if (!(options.cover_tolerance >= 0.0)) {
    throw InvalidArgument(what + ": cover_tolerance must be >= 0");
  }
  TreeShapExplainer e;
  e.num_features_ = num_features;
  e.compare_ = compare;
  e.output_ = output;
  double expected = 0.0;
  for (std::size_t t = 0; t < trees.size(); ++t) {
    const std::string where = what + ": tree " + std::to_string(t);
    const std::vector<std::int32_t> order = preorder(trees[t], num_features, where);
    check_covers(trees[t], options.cover_tolerance, where);
    expected += e.add_tree(trees[t], order, options.steps_only);
  }
  e.expected_value_ = output.base + output.scale * expected;
  e.assign_tables(options.max_table_bytes);
  // The quadrature rules the leaves without a table need.
  std::uint32_t most = 0;
  for (const Leaf& leaf : e.leaves_) {
    if (leaf.table == kNoTable) most = std::max(most, (leaf.d + 1) / 2);
  }
  e.quad_t_.assign(static_cast<std::size_t>(most) * (most + 1) / 2, 0.0);
  e.quad_w_.assign(e.quad_t_.size(), 0.0);
  for (std::uint32_t k = 1; k <= most; ++k) {
    const std::size_t at = static_cast<std::size_t>(k) * (k - 1) / 2;
    explain_detail::gauss_legendre(k, e.quad_t_.data() + at, e.quad_w_.data() + at);
  }
  return e;
}

namespace {

// The path from the root to node j (from the parent links), summarized: its nodes, its distinct
// split features in order of first appearance with each one's z (the product of the cover
// fractions of its splits), each step's place among them, and the product of all fractions.
struct PathSummary {
  std::vector<std::int32_t> nodes, features;
  std::vector<std::uint32_t> place;  // per step k (the split nodes[k]): its feature's index
  std::vector<double> z;
  double fraction = 1.0;
};

void summarize_path(const std::vector<TreeNode>& tree, const std::vector<std::uint32_t>& parent,
                    std::int32_t j, PathSummary& out) {
  out.nodes.clear();
  for (std::size_t i = static_cast<std::size_t>(j); i != 0; i = parent[i]) {
    out.nodes.push_back(static_cast<std::int32_t>(i));
  }
  out.nodes.push_back(0);
  std::reverse(out.nodes.begin(), out.nodes.end());  // root ... j
  out.features.clear();
  out.place.clear();
  out.z.clear();
  out.fraction = 1.0;
  for (std::size_t k = 0; k + 1 < out.nodes.size(); ++k) {
    const TreeNode& s = tree[static_cast<std::size_t>(out.nodes[k])];
    const double r = tree[static_cast<std::size_t>(out.nodes[k + 1])].cover / s.cover;
    const auto at = static_cast<std::size_t>(
        std::find(out.features.begin(), out.features.end(), s.feature) - out.features.begin());
    if (at == out.features.size()) {
      out.features.push_back(s.feature);
      out.z.push_back(r);
    } else {
      out.z[at] *= r;
    }
    out.place.push_back(static_cast<std::uint32_t>(at));
    out.fraction *= r;
  }
}

}  // namespace

double TreeShapExplainer::add_tree(const std::vector<TreeNode>& in,
                                   const std::vector<std::int32_t>& order, bool steps_only) {
  std::vector<TreeNode> nodes = in;
  if (compare_ == SplitCompare::Float32) {  // the comparison is float's: so is the threshold
    for (TreeNode& n : nodes) n.threshold = explain_detail::as_float(n.threshold);
  }
  TreeInfo info{};
  info.split_begin = static_cast<std::uint32_t>(splits_.size());
  info.leaf_begin = static_cast<std::uint32_t>(leaves_.size());
  info.long_paths = steps_only || explain_detail::path_bounds(nodes.data()).unique > kMaskBits;
  // Slots: splits numbered in preorder, then leaves in preorder.
  std::vector<std::uint32_t> slot(nodes.size(), 0), parent(nodes.size(), 0);
  for (const std::int32_t j : order) {
    const TreeNode& node = nodes[static_cast<std::size_t>(j)];
    if (node.is_leaf()) continue;
    slot[static_cast<std::size_t>(j)] = info.n_splits++;
    parent[static_cast<std::size_t>(node.left)] = static_cast<std::uint32_t>(j);
    parent[static_cast<std::size_t>(node.right)] = static_cast<std::uint32_t>(j);
  }
  for (const std::int32_t j : order) {
    if (nodes[static_cast<std::size_t>(j)].is_leaf()) {
      slot[static_cast<std::size_t>(j)] = info.n_splits + info.n_leaves++;
    }
  }
  splits_.resize(info.split_begin + info.n_splits);
  PathSummary path;
  double expected = 0.0;
  for (const std::int32_t j : order) {
    summarize_path(nodes, parent, j, path);
    const TreeNode& node = nodes[static_cast<std::size_t>(j)];
    if (!node.is_leaf()) {
      const auto pos = std::find(path.features.begin(), path.features.end(), node.feature) -
                       path.features.begin();
      Split& s = splits_[info.split_begin + slot[static_cast<std::size_t>(j)]];
      s.threshold = node.threshold;
      s.feature = node.feature;
      s.left = slot[static_cast<std::size_t>(node.left)];
      s.right = slot[static_cast<std::size_t>(node.right)];
      s.pos = static_cast<std::uint8_t>(std::min<std::ptrdiff_t>(pos, kMaskBits - 1));
      s.default_left = node.default_left;
      continue;
    }
    expected += node.value * path.fraction;
    const auto d = static_cast<std::uint32_t>(path.features.size());
    const auto steps_before = static_cast<std::uint32_t>(steps_.size());
    if (info.long_paths) {
      max_long_d_ = std::max(max_long_d_, d);
      for (std::size_t k = 0; k + 1 < path.nodes.size(); ++k) {
        const TreeNode& s = nodes[static_cast<std::size_t>(path.nodes[k])];
        steps_.push_back(Step{slot[static_cast<std::size_t>(path.nodes[k])], path.place[k],
                              path.nodes[k + 1] == s.left});
      }
    }
    leaves_.push_back(Leaf{node.value, static_cast<std::uint32_t>(path_feature_.size()), d,
                           kNoTable, steps_before,
                           static_cast<std::uint32_t>(steps_.size()) - steps_before});
    path_feature_.insert(path_feature_.end(), path.features.begin(), path.features.end());
    path_z_.insert(path_z_.end(), path.z.begin(), path.z.end());
  }
  max_nodes_ = std::max<std::size_t>(max_nodes_, info.n_splits + info.n_leaves);
  trees_.push_back(info);
  return expected;
}

void TreeShapExplainer::assign_tables(std::size_t max_table_bytes) {
  // The largest d such that every leaf with at most d distinct features gets its table within
  // the budget: small tables save the most work per byte.
  std::vector<std::size_t> bytes_by_d(kMaxTableBits + 1, 0);
  for (const Leaf& leaf : leaves_) {
    if (leaf.d >= 1 && leaf.d <= kMaxTableBits && leaf.n_steps == 0) {
      bytes_by_d[leaf.d] += (std::size_t{1} << leaf.d) * sizeof(double);
    }
  }
  std::uint32_t limit = 0;
  std::size_t total = 0;
  for (std::uint32_t d = 1; d <= kMaxTableBits; ++d) {
    if (total + bytes_by_d[d] > max_table_bytes) break;
    total += bytes_by_d[d];
    limit = d;
  }
  tables_.reserve(total / sizeof(double));
  path_c_.resize(path_z_.size());
  for (Leaf& leaf : leaves_) {
    const bool table = leaf.d >= 1 && leaf.d <= limit && leaf.n_steps == 0;  // masks: no steps
    for (std::uint32_t p = 0; p < leaf.d; ++p) {  // the table's factor, or the quadrature's
      const double zp = path_z_[leaf.first + p];
      path_c_[leaf.first + p] = table ? (1.0 - zp) / zp : 1.0 - zp;
    }
    if (!table) continue;
    leaf.table = tables_.size();
    tables_.resize(tables_.size() + (std::size_t{1} << leaf.d));
    fill_table(leaf);
  }
}

// T[j] for every subset j of the leaf's d features (bit p: feature p is known and the row
// follows the path there): value * prod_{p not in j} z_p * sum_{S in j} w(|S|, d) prod_{j \ S} z
// (docs/explanations.md). A feature the row leaves the path at gets -T[U]; one it follows gets
// T[U without it] * (1 - z) / z, U being the row's set.
void TreeShapExplainer::fill_table(const Leaf& leaf) {
  const std::uint32_t d = leaf.d;
  const double* z = path_z_.data() + leaf.first;
  double w[kMaxTableBits + 1] = {};  // w[d] stays 0: no coalition holds all d features
  explain_detail::shapley_weights(d, w);
  const std::size_t n = std::size_t{1} << d;
  std::vector<double> poly(n * (d + 1), 0.0);  // poly[j]: coefficients of prod_{p in j} (t + z_p)
  poly[0] = 1.0;
  double* out = tables_.data() + leaf.table;
  for (std::size_t j = 0; j < n; ++j) {
    double* pj = poly.data() + j * (d + 1);
    std::uint32_t size = 0;
    if (j != 0) {  // j = previous set + its lowest feature p: multiply by (t + z_p)
      const auto p = static_cast<std::uint32_t>(__builtin_ctzll(j));
      const double* prev = poly.data() + (j & (j - 1)) * (d + 1);
      size = static_cast<std::uint32_t>(__builtin_popcountll(j));
      pj[0] = z[p] * prev[0];
      for (std::uint32_t k = 1; k <= size; ++k) pj[k] = prev[k - 1] + z[p] * prev[k];
    }
    double g = leaf.value;
    for (std::uint32_t p = 0; p < d; ++p) {
      if (!((j >> p) & 1u)) g *= z[p];
    }
    double sum = 0.0;
    for (std::uint32_t s = 0; s < std::min(size + 1, d); ++s) sum += w[s] * pj[s];
    out[j] = g * sum;
  }
}

TreeShapExplainer::Workspace TreeShapExplainer::make_workspace() const {
  Workspace ws;
  ws.masks.assign(std::max<std::size_t>(max_nodes_, 1), 0);
  ws.lanes.assign(kBlock * kLanes * num_features_, 0.0);
  if (max_long_d_ > 0) {
    ws.quad.assign((max_long_d_ + 1) / 2, 0.0);
    ws.followed.assign(max_long_d_, 0);
  }
  return ws;
}

void TreeShapExplainer::fit_workspace(Workspace& ws) const {
  const auto grow = [](auto& v, std::size_t n) {
    if (v.size() < n) v.resize(n);
  };
  grow(ws.masks, std::max<std::size_t>(max_nodes_, 1));
  grow(ws.lanes, kBlock * kLanes * num_features_);
  grow(ws.quad, (max_long_d_ + 1) / 2);
  grow(ws.followed, max_long_d_);
}

}  // namespace claimlens
