// A fitted decision tree as flat node arrays, shared by the random forest and gradient boosting.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/json_reader.hpp"

namespace claimlens {

/// Resource bounds of the tree ensembles (docs/limits.md), checked by the parameter validation of
/// both ensembles, so also when a model file is loaded (its params are validated): more trees or a
/// deeper max_depth is InvalidArgument (ModelFormatError from a file) naming the parameter,
/// rather than an attempt to reserve memory for them.
inline constexpr int kMaxEstimators = 100000;
inline constexpr int kMaxTreeDepth = 1024;

/// One node. Internal nodes send a row left when `row[feature] < threshold`, and a NaN to the
/// left when `default_left`; leaves have feature == -1 and children -1. Children always come
/// after their parent, so the node array is acyclic by construction and node 0 is the root.
struct TreeNode {
  double threshold = 0.0;  // raw feature value (not a bin), so raw-double prediction is exact
  double value = 0.0;      // P(y=1) for a forest tree, margin contribution for boosting; an
                           // internal node holds what it would predict as a leaf
  double gain = 0.0;       // split: impurity decrease (forest) or loss change (boosting)
  double cover = 0.0;      // weighted samples (forest) or hessian sum (boosting) in the node
  std::int32_t feature = -1;
  std::int32_t left = -1;
  std::int32_t right = -1;
  bool default_left = false;

  bool is_leaf() const { return feature < 0; }
};

class Tree {
 public:
  Tree() = default;
  explicit Tree(std::vector<TreeNode> nodes) : nodes_(std::move(nodes)) {}

  const std::vector<TreeNode>& nodes() const { return nodes_; }
  std::vector<TreeNode>& mutable_nodes() { return nodes_; }
  std::size_t size() const { return nodes_.size(); }
  std::size_t num_leaves() const;
  int depth() const;

  /// The leaf value reached by one row (row has at least max feature + 1 entries). No allocation.
  double predict_row(const double* row) const { return predict_row_to_depth(row, 0); }

  /// The value where one row stops when the tree is cut at max_depth (nodes that deep act as
  /// leaves; max_depth <= 0: not cut). For a tree whose nodes split on their own rows alone (the
  /// forest's), this is the tree grown with that max_depth.
  double predict_row_to_depth(const double* row, int max_depth) const {
    const TreeNode* nodes = nodes_.data();
    const int stop = max_depth > 0 ? max_depth : -1;
    std::int32_t i = 0;
    for (int depth = 0; nodes[i].feature >= 0 && depth != stop; ++depth) {
      const TreeNode& n = nodes[i];
      const double v = row[n.feature];
      // NaN compares false, so test it first to honour the learned default direction.
      i = (v != v) ? (n.default_left ? n.left : n.right) : (v < n.threshold ? n.left : n.right);
    }
    return nodes[i].value;
  }

  /// {"feature": [...], "threshold": [...], "left": [...], "right": [...], "default_left":
  /// [...], "value": [...], "gain": [...], "cover": [...]} (column arrays, compact).
  nlohmann::json to_json() const;

  /// Validates everything (equal array lengths, children after parents and in range, every node
  /// reached exactly once, feature < n_features, finite numbers); the error names the path of
  /// the value at fault (e.g. 'model.trees[3].left[7]').
  static Tree from_json(const JsonReader& j, std::size_t n_features);

 private:
  std::vector<TreeNode> nodes_;
};

/// Inference layout of a whole ensemble: 16-byte nodes, siblings adjacent (right = left + 1),
/// trees back to back, so a batch walks far less memory than the fat TreeNode arrays.
class FlatForest {
 public:
  FlatForest() = default;
  explicit FlatForest(const std::vector<Tree>& trees);

  std::size_t num_trees() const { return roots_.size(); }

  /// Sum of the leaf values of every tree for one row (no allocation).
  double sum_row(const double* row) const {
    double sum = 0.0;
    for (std::uint32_t root : roots_) sum += leaf(root, row);
    return sum;
  }
  /// out[r] = sum_row(x + r * cols) for every row, rows in parallel blocks on
  /// resolve_idle_jobs(n_jobs) threads when the batch is big enough (claimlens/threads.hpp), each
  /// row summed in tree order so the result does not depend on the thread count.
  void sum_rows(const double* x, std::size_t rows, std::size_t cols, int n_jobs, double* out) const;
  /// The same on the calling thread only, without allocating (no OpenMP region).
  void sum_rows(const double* x, std::size_t rows, std::size_t cols, double* out) const;

 private:
  struct Node {
    double value;          // threshold (split) or leaf value
    std::int32_t feature;  // -1 for a leaf
    std::uint32_t left;    // index of the left child; the right child follows it
  };
  static constexpr std::int32_t kDefaultLeft = std::int32_t{1} << 30;  // flag in `feature`
  double leaf(std::uint32_t i, const double* row) const {
    const Node* nodes = nodes_.data();
    while (nodes[i].feature >= 0) {
      const Node& n = nodes[i];
      const std::int32_t f = n.feature & (kDefaultLeft - 1);
      const double v = row[f];
      const bool left = (v != v) ? (n.feature & kDefaultLeft) != 0 : v < n.value;
      i = n.left + (left ? 0u : 1u);
    }
    return nodes[i].value;
  }

  std::vector<Node> nodes_;
  std::vector<std::uint32_t> roots_;
  // Per tree: the most splits on a root-to-leaf path, and whether every leaf lies that deep
  // (how a batch walks it: see sum_rows).
  std::vector<std::uint32_t> depths_;
  std::vector<std::uint8_t> uniform_;
};

/// Which statistic a boosting feature importance aggregates (XGBoost's importance_type).
enum class ImportanceType { Weight, Gain, TotalGain, Cover, TotalCover };

}  // namespace claimlens
