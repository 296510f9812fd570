#include <algorithm>

#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/threads.hpp"
#include "fit_support.hpp"

namespace claimlens {

namespace {

// The most splits on a root-to-leaf path, and whether every leaf lies that deep (children
// come after their parent in a Tree).
std::uint32_t tree_depth(const Tree& t, bool& uniform) {
  std::vector<std::uint32_t> depth(t.size(), 0);
  std::uint32_t most = 0, least = ~std::uint32_t{0};
  for (std::size_t i = 0; i < t.size(); ++i) {
    const TreeNode& n = t.nodes()[i];
    if (n.is_leaf()) {
      most = std::max(most, depth[i]);
      least = std::min(least, depth[i]);
      continue;
    }
    depth[static_cast<std::size_t>(n.left)] = depth[i] + 1;
    depth[static_cast<std::size_t>(n.right)] = depth[i] + 1;
  }
  uniform = most == least;
  return most;
}

}  // namespace

FlatForest::FlatForest(const std::vector<Tree>& trees) {
  std::size_t total = 0;
  for (const Tree& t : trees) total += t.size();
  nodes_.reserve(total);
  roots_.reserve(trees.size());
  depths_.reserve(trees.size());
  uniform_.reserve(trees.size());
  std::vector<std::uint32_t> pos;
  std::vector<std::int32_t> stack;
  for (const Tree& t : trees) {
    // Depth-first renumbering that queues a node's two children together: siblings end up
    // adjacent (right = left + 1) and a left path stays close in memory. Trees grown here
    // already have this layout, so for them it is the identity.
    const auto base = static_cast<std::uint32_t>(nodes_.size());
    roots_.push_back(base);
    bool uniform = false;
    depths_.push_back(tree_depth(t, uniform));
    uniform_.push_back(uniform ? 1 : 0);
    nodes_.resize(base + t.size());
    pos.assign(t.size(), 0);
    std::uint32_t next = 1;
    stack.assign(1, 0);
    while (!stack.empty()) {
      const auto o = static_cast<std::size_t>(stack.back());
      stack.pop_back();
      const TreeNode& n = t.nodes()[o];
      Node& out = nodes_[base + pos[o]];
      out = Node{n.value, -1, 0};
      if (n.is_leaf()) continue;
      out.value = n.threshold;
      out.feature = n.feature | (n.default_left ? kDefaultLeft : 0);
      out.left = base + next;
      pos[static_cast<std::size_t>(n.left)] = next;
      pos[static_cast<std::size_t>(n.right)] = next + 1;
      next += 2;
      stack.push_back(n.right);
      stack.push_back(n.left);
    }
  }
}

namespace {
constexpr std::size_t kRowBlock = 64;
}

void FlatForest::sum_rows(const double* x, std::size_t rows, std::size_t cols, double* out) const {
  const Node* nodes = nodes_.data();
  std::uint32_t at[kRowBlock];
  for (std::size_t begin = 0; begin < rows; begin += kRowBlock) {
    const std::size_t m = std::min(rows - begin, kRowBlock);
    const double* xb = x + begin * cols;
    double* ob = out + begin;
    for (std::size_t r = 0; r < m; ++r) ob[r] = 0.0;
    for (std::size_t t = 0; t < roots_.size(); ++t) {  // a tree stays in cache for the block
      // The block descends one level at a time: the rows' paths are independent chains of
      // loads that overlap, where one row at a time waits on each node in turn.
      const std::uint32_t depth = depths_[t];
      for (std::size_t r = 0; r < m; ++r) at[r] = roots_[t];
      if (uniform_[t]) {  // every leaf at `depth`: no row meets a leaf before the end
        for (std::uint32_t level = 0; level < depth; ++level) {
          for (std::size_t r = 0; r < m; ++r) {
            const Node& n = nodes[at[r]];
            const double v =
                xb[r * cols + static_cast<std::size_t>(n.feature & (kDefaultLeft - 1))];
            const bool left = (v != v) ? (n.feature & kDefaultLeft) != 0 : v < n.value;
            at[r] = n.left + (left ? 0u : 1u);
          }
        }
      } else {
        for (bool moved = true; moved;) {
          moved = false;
          for (std::size_t r = 0; r < m; ++r) {
            const Node& n = nodes[at[r]];
            if (n.feature < 0) continue;
            moved = true;
            const double v =
                xb[r * cols + static_cast<std::size_t>(n.feature & (kDefaultLeft - 1))];
            const bool left = (v != v) ? (n.feature & kDefaultLeft) != 0 : v < n.value;
            at[r] = n.left + (left ? 0u : 1u);
          }
        }
      }
      // Leaf values added in tree order, as sum_row adds them: the same bits.
      for (std::size_t r = 0; r < m; ++r) ob[r] += nodes[at[r]].value;
    }
  }
}

void FlatForest::sum_rows(const double* x, std::size_t rows, std::size_t cols, int n_jobs,
                          double* out) const {
  const long long blocks = static_cast<long long>((rows + kRowBlock - 1) / kRowBlock);
  // Small batches stay on the calling thread without looking at the machine's load.
  const int n_threads = rows * roots_.size() > 20000 ? resolve_idle_jobs(n_jobs) : 1;
  if (n_threads <= 1) {
    sum_rows(x, rows, cols, out);
    return;
  }
#pragma omp parallel for schedule(static) num_threads(n_threads)
  for (long long bi = 0; bi < blocks; ++bi) {
    const std::size_t begin = static_cast<std::size_t>(bi) * kRowBlock;
    const std::size_t m = std::min(rows - begin, kRowBlock);
    sum_rows(x + begin * cols, m, cols, out + begin);
  }
}

void RandomForestClassifier::predict_proba_rows(const double* x, std::size_t rows, std::size_t cols,
                                                double* out) const {
  check_fitted("predict_proba_rows");
  ensemble_detail::check_predict_inputs("RandomForestClassifier.predict_proba_rows", x, rows, cols,
                                        n_features_);
  if (rows > 0 && out == nullptr) {
    throw InvalidArgument("RandomForestClassifier.predict_proba_rows: out is null");
  }
  flat_.sum_rows(x, rows, cols, out);
  // Scaled as predict_proba_row scales one row: the same bits.
  const double inv = 1.0 / static_cast<double>(trees_.size());
  for (std::size_t r = 0; r < rows; ++r) out[r] *= inv;
}

}  // namespace claimlens
