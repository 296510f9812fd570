// Exact per-prediction explanations of tree ensembles: path-dependent TreeSHAP (Lundberg, Erion &
// Lee 2018, Algorithm 2; Lundberg et al. 2020), the value function of XGBoost's pred_contribs and
// LightGBM's pred_contrib, computed per leaf: from per-leaf tables in the spirit of Fast TreeSHAP
// v2 (Yang 2021), or by Gauss-Legendre quadrature of the Shapley weights' Beta integral (the
// identity of Linear TreeSHAP, Yu et al. 2022). docs/explanations.md gives the definitions, the
// layout and the algorithm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/ensemble/tree.hpp"
#include "claimlens/explain/shap_values.hpp"
#include "claimlens/matrix.hpp"

namespace claimlens {

class RandomForestClassifier;
class GradientBoostingClassifier;

/// How a split compares a row's value with its threshold (the value goes left when it is less).
/// Double: `x < threshold`, as claimlens' own trees predict. Float32: `(float)x < (float)threshold`
/// (XGBoost's `split_condition` is a float32), as XGBoost predicts; a value beyond float's range
/// compares as an infinity. NaN goes to the node's default side in both.
enum class SplitCompare { Double, Float32 };

/// The tree *view* contract: any type with these members (node 0 the root; children after their
/// parent is not required, but every node must be reached exactly once from the root):
///
///   std::size_t  size() const;                  // number of nodes
///   std::int32_t feature(std::size_t i) const;  // split feature, or -1 for a leaf
///   std::int32_t left(std::size_t i) const;     // children of a split (ignored for a leaf)
///   std::int32_t right(std::size_t i) const;
///   bool   default_left(std::size_t i) const;   // where NaN goes
///   double threshold(std::size_t i) const;      // compared as the ensemble's SplitCompare says
///   double value(std::size_t i) const;          // leaf output (read for leaves only)
///   double cover(std::size_t i) const;          // training weight in the node: sum of hessians
///                                               // (boosting) or weighted samples (forest), > 0,
///                                               // a split's children adding up to it
///
/// TreeView below is the view of a claimlens Tree; an importer with its own node layout writes
/// an adapter of these eight members and calls TreeShapExplainer::build.
class TreeView {
 public:
  explicit TreeView(const Tree& tree) : nodes_(tree.nodes().data()), size_(tree.size()) {}
  std::size_t size() const { return size_; }
  std::int32_t feature(std::size_t i) const { return nodes_[i].feature; }
  std::int32_t left(std::size_t i) const { return nodes_[i].left; }
  std::int32_t right(std::size_t i) const { return nodes_[i].right; }
  bool default_left(std::size_t i) const { return nodes_[i].default_left; }
  double threshold(std::size_t i) const { return nodes_[i].threshold; }
  double value(std::size_t i) const { return nodes_[i].value; }
  double cover(std::size_t i) const { return nodes_[i].cover; }

 private:
  const TreeNode* nodes_;
  std::size_t size_;
};

/// A view's nodes as TreeNode (gain 0), the neutral form every algorithm here reads.
template <class View>
std::vector<TreeNode> tree_nodes_of(const View& view) {
  std::vector<TreeNode> nodes(view.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    TreeNode& n = nodes[i];
    n.feature = view.feature(i);
    n.left = view.left(i);
    n.right = view.right(i);
    n.default_left = view.default_left(i);
    n.threshold = view.threshold(i);
    n.value = view.value(i);
    n.cover = view.cover(i);
  }
  return nodes;
}

/// How the ensemble's output is made of its trees' leaf values:
///   output(x) = base + scale * (leaf_0(x) + leaf_1(x) + ...)   (trees summed in order)
/// a forest: scale = 1 / n_trees, base = 0 (P(positive)); a booster: scale = 1, base = the base
/// margin (log-odds). The contributions and the bias sum to output(x).
struct TreeShapOutput {
  double scale = 1.0;
  double base = 0.0;
  ShapScale kind = ShapScale::Margin;
};

struct TreeShapOptions {
  /// Memory for the per-leaf tables (2^d doubles for a leaf whose path splits on d distinct
  /// features): leaves get tables, smallest d first, while they fit; the others are computed by
  /// O(d^2) quadrature. Results agree to rounding either way.
  std::size_t max_table_bytes = std::size_t{64} << 20;
  /// Covers must be > 0 and a split's children's covers must add up to its own within this
  /// relative tolerance (float32 covers of imported models differ by rounding).
  double cover_tolerance = 1e-3;
  /// Tests only: explain every tree as those with a path over 64 distinct features are (each
  /// leaf's followed features from its path's splits, quadrature leaves), not by masks.
  bool steps_only = false;
};

/// A tree ensemble prepared for explanation once (per model load, not per request): the leaves'
/// paths, their cover fractions and tables. Immutable after build; every const member is
/// thread-safe on a shared explainer.
class TreeShapExplainer {
 public:
  /// Per-caller scratch for explain_row: make one per thread and reuse it, so a row costs no
  /// heap allocation.
  class Workspace {
   public:
    Workspace() = default;

   private:
    friend class TreeShapExplainer;
    std::vector<std::uint64_t> masks;    // per node of a tree: where the row leaves the path
    std::vector<double> lanes;           // kLanes partial sums per feature, per row of a block
    std::vector<double> quad;            // trees with paths over 64 distinct features only
    std::vector<std::uint8_t> followed;  // (the same)
  };

  TreeShapExplainer() = default;

  /// Prepares trees given by views (see TreeView for the contract). `what` names the model in
  /// messages ("GradientBoostingClassifier"). Throws InvalidArgument naming the tree and node for
  /// a malformed tree (child out of range, feature >= num_features, a node reached twice), and
  /// StateError naming the tree for one that cannot be explained: covers missing (0, negative,
  /// non-finite) or children's covers not adding up to their parent's.
  template <class Views>
  static TreeShapExplainer build(const Views& views, std::size_t num_features, SplitCompare compare,
                                 TreeShapOutput output, const std::string& what,
                                 TreeShapOptions options = {}) {
    std::vector<std::vector<TreeNode>> trees;
    for (const auto& v : views) trees.push_back(tree_nodes_of(v));
    return from_nodes(trees, num_features, compare, output, what, options);
  }
  static TreeShapExplainer from_nodes(const std::vector<std::vector<TreeNode>>& trees,
                                      std::size_t num_features, SplitCompare compare,
                                      TreeShapOutput output, const std::string& what,
                                      TreeShapOptions options = {});

  std::size_t num_features() const { return num_features_; }
  std::size_t num_trees() const { return trees_.size(); }
  std::size_t width() const { return num_features_ + 1; }
  ShapScale scale() const { return output_.kind; }
  /// The bias: E[output] under the covers (the value of the empty coalition).
  double expected_value() const { return expected_value_; }
  /// Bytes held by the per-leaf tables (see TreeShapOptions).
  std::size_t table_bytes() const { return tables_.size() * sizeof(double); }

  /// A workspace sized for this explainer (allocates; do it once per thread).
  Workspace make_workspace() const;
  /// Grows `ws` (of any explainer, or default-constructed) until it fits this explainer too;
  /// allocates only when it is too small. Lets one workspace per thread (thread_local) serve
  /// every explainer of a process: after the first row the single-row path allocates nothing.
  void fit_workspace(Workspace& ws) const;

  /// One row of num_features() values (NaN = missing, following the default side) into
  /// out[width()], bias last. No heap allocation. The caller guarantees row and out sizes (the
  /// checked entry points are explain() and the model layer); a workspace too small for this
  /// explainer (made by another one) is InvalidArgument.
  RowAdditivity explain_row(const double* row, double* out, Workspace& ws) const;
  /// `rows` rows the same way into out[rows * width()], output[rows] and residual[rows], on the
  /// calling thread in blocks of rows explained tree by tree (each row's bits those of
  /// explain_row). No heap allocation.
  void explain_rows(const double* x, std::size_t rows, double* out, double* output,
                    double* residual, Workspace& ws) const;

  /// `rows` rows of `cols` values: rows in parallel blocks on n_threads threads (1: the calling
  /// thread), each row computed exactly as explain_row, so the bits do not depend on the thread
  /// count. InvalidArgument when cols != num_features() or x is null.
  ShapValues explain(const double* x, std::size_t rows, std::size_t cols, int n_threads = 1) const;
  ShapValues explain(const RowMatrix& X, int n_threads = 1) const;

 private:
  // A split, renumbered so parents come first; a child < n_splits is a split, otherwise the leaf
  // child - n_splits. `pos` is the split feature's place among the distinct features of the
  // path from the root to the split (its bit in the leaves' masks).
  struct Split {
    double threshold;
    std::int32_t feature;
    std::uint32_t left, right;
    std::uint8_t pos;
    bool default_left;
  };
  // A leaf: its path's d distinct features (in order of first appearance) start at `first` in
  // path_feature_ / path_z_ / path_c_; table != kNoTable: offset of its 2^d table in tables_.
  // In a tree with paths over 64 distinct features (no masks), its path's splits are
  // steps_[step_first, step_first + d_steps).
  struct Leaf {
    double value;
    std::uint32_t first;
    std::uint32_t d;
    std::size_t table;
    std::uint32_t step_first, n_steps;
  };
  struct Step {
    std::uint32_t split;
    std::uint32_t pos;
    bool left;
  };
  struct TreeInfo {
    std::uint32_t split_begin, n_splits, leaf_begin, n_leaves;
    bool long_paths;  // a path over 64 distinct features: steps, not masks
  };
  static constexpr std::size_t kNoTable = ~std::size_t{0};
  // Consecutive leaves add into different copies of the row's values (summed at the end), so
  // additions to one feature do not wait on each other.
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kBlock = 32;  // rows explained together, tree by tree

  double add_tree(const std::vector<TreeNode>& nodes, const std::vector<std::int32_t>& order,
                  bool steps_only);
  void assign_tables(std::size_t max_table_bytes);
  void fill_table(const Leaf& leaf);
  void table_leaf(const Leaf& leaf, std::uint64_t followed, double* phi) const;
  template <class Followed>
  void quad_leaf(const Leaf& leaf, Followed followed, double* p, double* phi) const;
  // Add one tree's contributions (unscaled) and return the value of the leaf the row reaches.
  template <SplitCompare C>
  double explain_tree(const TreeInfo& tree, const double* row, double* phi, Workspace& ws) const;
  template <SplitCompare C>
  double explain_long_tree(const TreeInfo& tree, const double* row, double* phi,
                           Workspace& ws) const;
  RowAdditivity finish_row(double leaf_sum, double* out) const;
  // InvalidArgument unless ws fits this explainer for blocks of `rows` rows.
  void check_workspace(const Workspace& ws, std::size_t rows) const;
  template <SplitCompare C>
  void explain_block(const double* x, std::size_t rows, std::size_t cols, double* out,
                     double* output, double* residual, Workspace& ws) const;

  std::size_t num_features_ = 0;
  SplitCompare compare_ = SplitCompare::Double;
  TreeShapOutput output_;
  double expected_value_ = 0.0;
  std::vector<TreeInfo> trees_;
  std::vector<Split> splits_;
  std::vector<Leaf> leaves_;
  std::vector<std::int32_t> path_feature_;
  std::vector<double> path_z_;  // z: product of cover fractions of the feature's splits
  std::vector<double> path_c_;  // (1 - z) / z (tables) or 1 - z (quadrature)
  std::vector<double> tables_;
  std::vector<Step> steps_;
  // Gauss-Legendre rules on [0, 1] of k = 1 .. ceil(max d / 2) nodes, rule k at k (k - 1) / 2.
  std::vector<double> quad_t_, quad_w_;
  std::uint32_t max_long_d_ = 0;
  std::size_t max_nodes_ = 0;
};

/// The explainers of claimlens' ensembles (covers from their training): a forest on the
/// probability scale, a booster on the margin scale (its base margin included in the bias).
/// StateError before fit or for trees without covers.
TreeShapExplainer tree_shap(const RandomForestClassifier& model, TreeShapOptions options = {});
TreeShapExplainer tree_shap(const GradientBoostingClassifier& model, TreeShapOptions options = {});

/// The classic algorithm (Lundberg et al. 2018, Algorithm 2; O(L D^2) per tree), kept as the
/// reference the fast path is tested against. Its UNWIND divides and subtracts, losing about one
/// digit per ten distinct features on a path (2e-12 at 20, 1e-7 at 40): the explainer does not
/// use it. adds one tree's contributions for `row` to
/// phi[0..num_features) and returns the tree's expected value (the bias part). Validates nothing:
/// `nodes` must satisfy the view contract.
double tree_shap_reference(const std::vector<TreeNode>& nodes, SplitCompare compare,
                           const double* row, double* phi);

}  // namespace claimlens
