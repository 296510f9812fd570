// Private: the histogram tree grower shared by the random forest and gradient boosting.
//
// Each row carries a statistic triple (a, b, n): (weighted positives, weight, 1) for the forest,
// (gradient, hessian, 1) for boosting, (gradient level, hessian level, 1) in integers (QStats)
// for quantized boosting. A Policy turns triples into split scores and leaf values:
//   bool can_split(const Stats& node, int depth) const;   // stop rules before searching
//   bool valid_child(const Stats& child) const;           // min_samples_leaf / min_child_weight
//   double score(const Stats& s) const;                   // gain = score(L) + score(R) - score(P)
//   bool accept(double gain) const;                       // e.g. gain > gamma
//   double leaf_value(const Stats& s) const;
//   double cover(const Stats& s) const;                   // the node's saved cover
// Large nodes keep a full histogram per feature (the larger child gets its histogram by
// subtracting the smaller child's from the parent's, in the parent's buffer); small nodes are
// searched with a per-feature sparse histogram, so deep forest trees never touch 256-bin arrays.
// A node's rows are summed in fixed blocks (block_size: from the node's row count only), one
// histogram per block, added in block order: threads share out blocks (and, when blocks are
// few, features), and every bin gets the same sum whatever the thread count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "claimlens/communicator.hpp"
#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/random.hpp"

namespace claimlens::ensemble_detail {

// A row's or a bin's statistic triple (see above); T = double (Stats) or std::int32_t (QStats).
template <class T>
struct BasicStats {
  T a = 0, b = 0, n = 0;
  void add(const BasicStats& o) {
    a += o.a;
    b += o.b;
    n += o.n;
  }
  void sub(const BasicStats& o) {
    a -= o.a;
    b -= o.b;
    n -= o.n;
  }
};
template <class T>
BasicStats<T> operator-(BasicStats<T> x, const BasicStats<T>& y) {
  x.sub(y);
  return x;
}
using Stats = BasicStats<double>;
// Quantized boosting's statistics (use_quantized_grad): integer gradient and hessian levels and
// the row count. Integer sums are exact, so a bin's sum is the same in any order of its rows and
// blocks (no rounding to depend on it); the fit bounds rows * levels below 2^31 so they never
// overflow.
using QStats = BasicStats<std::int32_t>;

// Sums n triples over all ranks (one collective), in place.
template <class T>
void allreduce_stats(Communicator& comm, BasicStats<T>* s, std::size_t n) {
  static_assert(sizeof(BasicStats<T>) == 3 * sizeof(T), "BasicStats must be three packed T");
  comm.allreduce_sum(reinterpret_cast<T*>(s), 3 * n);
}
// A node's row count from its statistics (n counts rows, in doubles or integers).
template <class T>
std::size_t row_count(const BasicStats<T>& s) {
  return static_cast<std::size_t>(s.n);
}

/// Per leaf of the last tree: {node, begin, end} into the rows buffer given to build().
struct LeafRange {
  std::int32_t node;
  std::size_t begin, end;
};

struct BuildConfig {
  std::vector<int> features;  // candidate features of this tree, ascending
  int max_visits = 0;         // non-constant features searched per node (forest max_features)
  bool shuffle = false;       // visit features in a fresh random order at each node (forest)
  int n_threads = 1;          // histogram construction threads (boosting)
  // Distributed training: the rows given to build() are this rank's part of the node rows, and
  // every node's sums and histograms are summed over the ranks, so all ranks grow the same tree
  // (integer statistics make it the tree of one process holding every row). Every decision is
  // taken on the summed statistics; nodes never use the sparse (local-rows) search.
  Communicator* comm = nullptr;
};

template <class S>
class BasicTreeBuilder {
 public:
  static constexpr int kBins = 256;

  explicit BasicTreeBuilder(const BinnedMatrix& X);

  /// Grows one tree on rows[0, n_rows) (reordered in place). row_stats is indexed by row id.
  /// When config.shuffle, each node draws its features from its own random stream, derived from
  /// `seed` and the node's path from the root: a node's split depends on its rows and path only,
  /// so the tree grown with a smaller max_depth is this tree cut at that depth (the grid search
  /// relies on it). Every node's value is policy.leaf_value of its rows, internal nodes included.
  /// left_bins() then holds, per node, the largest value bin that goes left (for bin-space
  /// traversal of training rows).
  template <class Policy>
  Tree build(const Policy& policy, const BuildConfig& config, const S* row_stats,
             std::uint32_t* rows, std::size_t n_rows, std::uint64_t seed);

  const std::vector<std::int32_t>& left_bins() const { return left_bins_; }
  const std::vector<LeafRange>& leaf_ranges() const { return leaf_ranges_; }

 private:
  struct Task {
    std::size_t begin, end;
    int depth;
    std::int32_t node;
    int slot;  // histogram slot or -1
    S total;
    std::uint64_t key;    // seed of the node's random stream (from the tree seed and its path)
    std::uint32_t stamp;  // the mark its rows carry in mark_ (set by its parent's partition)
  };
  struct Split {
    double gain = -std::numeric_limits<double>::infinity();
    int feature = -1;
    int left_bin = -1;
    bool default_left = false;
    double threshold = 0.0;
    S left;  // the left child's sums, read off the histogram
  };

  int alloc_slot();
  void free_slot(int slot) { free_.push_back(slot); }
  S* hist(int slot) { return pool_[static_cast<std::size_t>(slot)].data(); }
  // `total` is the node's sum over rows: the dominant bin of each feature is skipped in the
  // pass and set to total minus the other bins.
  // `stamp` marks the node's rows in mark_ (read by the exception path).
  void build_hist(S* h, const std::vector<int>& features, const std::uint32_t* rows, std::size_t n,
                  const S* row_stats, const S& total, int n_threads, std::uint32_t stamp);
  // A node's histogram: build_hist on its rows; distributed, on this rank's rows (with their own
  // total) and then summed over the ranks (value bins and the missing bin of `features`).
  void node_hist(S* h, const BuildConfig& config, const std::uint32_t* rows, std::size_t n,
                 const S* row_stats, const S& total, std::uint32_t stamp);
  void allreduce_hist(Communicator& comm, S* h, const std::vector<int>& features);
  static constexpr std::size_t kBlock = 64;  // features per pass over the rows
  // Rows per histogram block: the seed's nodes (11,450 training rows) fit in one, so their sums
  // are plain row-order sums. At most max_blocks_ blocks per node (then wider ones), bounding
  // the block histograms' memory.
  static constexpr std::size_t kBlockRows = 16384;
  static constexpr std::size_t kMaxBlocks = 64;
  std::size_t block_size(std::size_t n) const;
  // Rows [0, n) of one block into h's bins of `features` (cleared first; dominant bins skipped).
  void hist_block(S* h, const int* features, std::size_t m, const std::uint32_t* rows,
                  std::size_t n, const S* row_stats) const;
  // h += the row-pass features' bins of the other blocks, in block order; then dominant bins.
  // (An orphaned `omp for`: run by the threads of build_hist's region.)
  void reduce_blocks(S* h, std::size_t n_blocks, const S& total);
  void clear_hist(S* hf, std::size_t f) const;
  // The dominant bin of feature f: the node total minus its other bins.
  void fill_dominant(S* hf, std::size_t f, const S& total) const;
  // Feature f's histogram from its exception rows marked with `stamp`.
  void hist_exceptions(S* h, int f, const S* row_stats, const S& total, std::uint32_t stamp) const;
  // Chooses per feature between the row pass and the exception list (by the node's row count
  // n), and splits the row-pass features into `groups` of about equal cost.
  void plan_hist(const std::vector<int>& features, std::size_t n, int groups);
  // Fills sparse_ for feature f from rows; returns the ascending non-missing bins in bins_list_.
  int sparse_hist(int f, const std::uint32_t* rows, std::size_t n, const S* row_stats);
  template <class Policy>
  void scan(const Policy& p, int f, const S* h, int k, const S& total, double parent,
            Split& best) const;
  template <class Policy>
  Split find_split(const Policy& p, const BuildConfig& config, const Task& t, const S* row_stats,
                   const std::uint32_t* rows);
  // Stable: the result is one, whatever the thread count (large nodes split rows by thread).
  // Marks the left rows with stamp_left, the right ones with stamp_right.
  std::size_t partition(const Split& s, std::uint32_t* rows, const Task& t, int n_threads,
                        std::uint32_t stamp_left, std::uint32_t stamp_right);

  const BinnedMatrix& X_;
  std::size_t small_node_;  // nodes with at most this many rows use sparse histograms
  std::vector<std::vector<S>> pool_;
  std::vector<int> free_;
  std::vector<Task> stack_;
  std::vector<std::uint32_t> scratch_;
  std::vector<S> sparse_;
  std::vector<std::uint8_t> bins_list_;
  std::vector<int> order_;
  std::vector<std::int32_t> left_bins_;
  std::vector<LeafRange> leaf_ranges_;
  // The rows of a node carry its stamp in mark_, set when its parent is partitioned (fresh
  // stamps per partition, so no clearing is needed and no pass before a histogram); only when
  // some feature has a dominant bin (needs_marks_).
  // histogram, so no clearing is needed).
  std::vector<std::uint32_t> mark_;
  std::uint32_t stamp_ = 0;
  bool needs_marks_ = false;
  struct Group {
    std::vector<int> features;  // row-pass features; those without a dominant bin first
    double cost = 0.0;
  };
  std::vector<Group> groups_;
  std::vector<int> exception_path_;  // features summed from their exception rows
  std::vector<int> row_path_;        // all row-pass features
  std::vector<double> cost_;
  std::vector<int> by_cost_;
  std::size_t max_blocks_;
  // Histograms of blocks 1, 2, ... (block 0 sums straight into the node's histogram); reused.
  std::vector<S> block_hist_;
  std::vector<std::size_t> part_left_;  // partition: left rows per thread's stretch
  std::vector<S> packed_;               // allreduce_hist's buffer
};

template <class S>
template <class Policy>
void BasicTreeBuilder<S>::scan(const Policy& p, int f, const S* h, int k, const S& total,
                               double parent, Split& best) const {
  const S& miss = h[BinnedMatrix::kMissingBin];
  const std::vector<double>& cuts = X_.cuts(static_cast<std::size_t>(f));
  // Forward (XGBoost's first pass): value bins <= bins_list_[j] left, missing right.
  S left;
  for (int j = 0; j < k; ++j) {
    left.add(h[bins_list_[j]]);
    if (j == k - 1 && miss.n == 0) break;
    const S right = total - left;
    if (!p.valid_child(left) || !p.valid_child(right)) continue;
    const double g = p.score(left) + p.score(right) - parent;
    if (g > best.gain) {
      best = Split{g, f, bins_list_[j], false, cuts[bins_list_[j]], left};
    }
  }
  if (miss.n == 0) return;
  // Backward: value bins >= bins_list_[j] right, missing left.
  S right;
  for (int j = k - 1; j >= 0; --j) {
    right.add(h[bins_list_[j]]);
    const S l = total - right;
    if (!p.valid_child(l) || !p.valid_child(right)) continue;
    const double g = p.score(l) + p.score(right) - parent;
    if (g > best.gain) {
      const int r = bins_list_[j];
      const double thr = r == 0 ? X_.min_cut(static_cast<std::size_t>(f)) : cuts[r - 1];
      best = Split{g, f, r - 1, true, thr, l};
    }
  }
}

template <class S>
template <class Policy>
typename BasicTreeBuilder<S>::Split BasicTreeBuilder<S>::find_split(const Policy& p,
                                                                    const BuildConfig& config,
                                                                    const Task& t,
                                                                    const S* row_stats,
                                                                    const std::uint32_t* rows) {
  Split best;
  std::optional<Random> rng;  // only a forest shuffles: boosting's nodes need no stream
  if (config.shuffle) {
    rng.emplace(t.key);
    order_.assign(config.features.begin(), config.features.end());
  }
  const double parent = p.score(t.total);
  const int nf = static_cast<int>(config.features.size());
  int visited = 0;
  for (int i = 0; i < nf && visited < config.max_visits; ++i) {
    int f;
    if (config.shuffle) {  // lazy Fisher-Yates: draw the next feature among those left
      const auto j = static_cast<int>(i + rng->uniform_int(static_cast<std::uint64_t>(nf - i)));
      std::swap(order_[static_cast<std::size_t>(i)], order_[static_cast<std::size_t>(j)]);
      f = order_[static_cast<std::size_t>(i)];
    } else {
      f = config.features[static_cast<std::size_t>(i)];
    }
    const S* h;
    int k;
    if (t.slot >= 0) {
      h = hist(t.slot) + static_cast<std::size_t>(f) * kBins;
      k = 0;
      const int nb = X_.num_bins(static_cast<std::size_t>(f));
      for (int b = 0; b < nb; ++b) {
        if (h[b].n > 0.5) bins_list_[static_cast<std::size_t>(k++)] = static_cast<std::uint8_t>(b);
      }
    } else {
      k = sparse_hist(f, rows + t.begin, t.end - t.begin, row_stats);
      h = sparse_.data();
    }
    const bool has_missing = h[BinnedMatrix::kMissingBin].n > 0.5;
    if (k + (has_missing ? 1 : 0) > 1) {  // constant features do not count as visited
      ++visited;
      scan(p, f, h, k, t.total, parent, best);
    }
    if (t.slot < 0) {  // reset the sparse histogram for the next feature
      for (int j = 0; j < k; ++j) sparse_[bins_list_[static_cast<std::size_t>(j)]] = S{};
      sparse_[BinnedMatrix::kMissingBin] = S{};
    }
  }
  return best;
}

template <class S>
template <class Policy>
Tree BasicTreeBuilder<S>::build(const Policy& p, const BuildConfig& config, const S* row_stats,
                                std::uint32_t* rows, std::size_t n_rows, std::uint64_t seed) {
  std::vector<TreeNode> nodes;
  left_bins_.clear();
  leaf_ranges_.clear();
  nodes.emplace_back();
  left_bins_.push_back(-1);
  // Two stamps per split at most: clear the marks before they could wrap within this tree.
  if (std::uint64_t{stamp_} + 2 * std::uint64_t{n_rows} + 2 >
      std::numeric_limits<std::uint32_t>::max()) {
    std::fill(mark_.begin(), mark_.end(), 0u);
    stamp_ = 0;
  }
  const std::uint32_t root_stamp = ++stamp_;
  S total;
  for (std::size_t i = 0; i < n_rows; ++i) total.add(row_stats[rows[i]]);
  if (config.comm) allreduce_stats(*config.comm, &total, 1);
  if (needs_marks_) {
    for (std::size_t i = 0; i < n_rows; ++i) mark_[rows[i]] = root_stamp;
  }
  // Distributed, every node searches the summed full histogram (sparse ones are local).
  const std::size_t small_node = config.comm ? 0 : small_node_;
  int root_slot = -1;
  if (row_count(total) > small_node) {
    root_slot = alloc_slot();
    node_hist(hist(root_slot), config, rows, n_rows, row_stats, total, root_stamp);
  }
  stack_.clear();
  stack_.push_back(Task{0, n_rows, 0, 0, root_slot, total, seed, root_stamp});
  while (!stack_.empty()) {
    const Task t = stack_.back();
    stack_.pop_back();
    TreeNode& node = nodes[static_cast<std::size_t>(t.node)];
    node.cover = p.cover(t.total);
    node.value = p.leaf_value(t.total);
    Split s;
    if (p.can_split(t.total, t.depth)) s = find_split(p, config, t, row_stats, rows);
    if (s.feature < 0 || !p.accept(s.gain)) {
      leaf_ranges_.push_back(LeafRange{t.node, t.begin, t.end});
      if (t.slot >= 0) free_slot(t.slot);
      continue;
    }
    const S ls = s.left, rs = t.total - s.left;
    const std::uint32_t stamp_left = ++stamp_, stamp_right = ++stamp_;
    const std::size_t mid = partition(s, rows, t, config.n_threads, stamp_left, stamp_right);
    const auto left_id = static_cast<std::int32_t>(nodes.size());
    node.feature = s.feature;
    node.threshold = s.threshold;
    node.default_left = s.default_left;
    node.gain = s.gain;
    node.left = left_id;
    node.right = left_id + 1;
    left_bins_[static_cast<std::size_t>(t.node)] = s.left_bin;
    nodes.emplace_back();  // invalidates `node`
    nodes.emplace_back();
    left_bins_.push_back(-1);
    left_bins_.push_back(-1);
    Task lt{t.begin, mid, t.depth + 1, left_id, -1, ls, derive_seed(t.key, 0), stamp_left};
    Task rt{mid, t.end, t.depth + 1, left_id + 1, -1, rs, derive_seed(t.key, 1), stamp_right};
    // Histograms only for children that will search for a split (not for leaves-to-be).
    // Row counts from the (summed) statistics: the same decisions on every rank.
    const bool want_l = row_count(ls) > small_node && p.can_split(ls, t.depth + 1);
    const bool want_r = row_count(rs) > small_node && p.can_split(rs, t.depth + 1);
    if (t.slot >= 0 && (want_l || want_r)) {
      const bool left_small = row_count(ls) <= row_count(rs);
      Task& small = left_small ? lt : rt;
      Task& large = left_small ? rt : lt;
      const bool want_small = left_small ? want_l : want_r;
      const bool want_large = left_small ? want_r : want_l;
      const int slot = alloc_slot();
      node_hist(hist(slot), config, rows + small.begin, small.end - small.begin, row_stats,
                small.total, small.stamp);
      if (want_large) {  // sibling by subtraction, in the parent's buffer
        S* parent_h = hist(t.slot);
        const S* small_h = hist(slot);
        for (int f : config.features) {  // value bins and the missing bin only
          const std::size_t off = static_cast<std::size_t>(f) * kBins;
          const int nb = X_.num_bins(static_cast<std::size_t>(f));
          for (int b = 0; b < nb; ++b) parent_h[off + b].sub(small_h[off + b]);
          parent_h[off + BinnedMatrix::kMissingBin].sub(small_h[off + BinnedMatrix::kMissingBin]);
        }
        large.slot = t.slot;
      } else {
        free_slot(t.slot);
      }
      if (want_small) {
        small.slot = slot;
      } else {
        free_slot(slot);
      }
    } else if (t.slot >= 0) {
      free_slot(t.slot);
    }
    stack_.push_back(rt);
    stack_.push_back(lt);
  }
  return Tree(std::move(nodes));
}

/// The random forest's and float boosting's builder; BasicTreeBuilder<QStats> is quantized
/// boosting's (explicitly instantiated in tree_builder.cpp for both).
using TreeBuilder = BasicTreeBuilder<Stats>;
extern template class BasicTreeBuilder<Stats>;
extern template class BasicTreeBuilder<QStats>;

}  // namespace claimlens::ensemble_detail
