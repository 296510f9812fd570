#include "tree_builder.hpp"

#include <cmath>
#include <cstring>

#include <omp.h>

namespace claimlens::ensemble_detail {

template <class S>
BasicTreeBuilder<S>::BasicTreeBuilder(const BinnedMatrix& X)
    : X_(X),
      // Below this size a sparse per-feature pass is cheaper than full 256-bin histograms.
      small_node_(std::max<std::size_t>(256, 16 * X.num_features())),
      scratch_(X.num_rows()),
      sparse_(kBins),
      bins_list_(kBins),
      mark_(X.num_rows(), 0u),
      // Block histograms take at most about 32 MiB (64 blocks at the seed's 25 features).
      max_blocks_(std::clamp<std::size_t>(
          1 + (std::size_t{32} << 20) /
                  (std::max<std::size_t>(1, X.num_features()) * kBins * sizeof(S)),
          1, kMaxBlocks)) {
  for (std::size_t f = 0; f < X.num_features(); ++f) needs_marks_ |= X.dominant_bin(f) >= 0;
}

template <class S>
int BasicTreeBuilder<S>::alloc_slot() {
  if (!free_.empty()) {
    const int s = free_.back();
    free_.pop_back();
    return s;
  }
  pool_.emplace_back(X_.num_features() * kBins);
  return static_cast<int>(pool_.size() - 1);
}

template <class S>
void BasicTreeBuilder<S>::plan_hist(const std::vector<int>& features, std::size_t n, int groups) {
  // Costs in "row pass visits": a row pass over a feature with a dominant bin mostly skips
  // (a predictable branch), an exception entry costs a stamp lookup and a likely mispredict.
  constexpr double kSkipCost = 0.3, kExceptionCost = 4.0;
  const std::size_t nf = features.size();
  const double rows_all = static_cast<double>(X_.num_rows());
  const double dn = static_cast<double>(n);
  cost_.clear();
  by_cost_.clear();
  exception_path_.clear();
  row_path_.clear();
  groups_.resize(static_cast<std::size_t>(groups));
  for (Group& g : groups_) {
    g.features.clear();
    g.cost = 0.0;
  }
  for (std::size_t i = 0; i < nf; ++i) {
    const auto f = static_cast<std::size_t>(features[i]);
    const double ne = static_cast<double>(X_.num_exceptions(f));
    if (X_.dominant_bin(f) >= 0 && ne * kExceptionCost < dn) {
      exception_path_.push_back(features[i]);
      continue;
    }
    row_path_.push_back(features[i]);
    cost_.push_back(X_.dominant_bin(f) < 0 ? dn : dn * (kSkipCost + ne / rows_all));
    by_cost_.push_back(static_cast<int>(by_cost_.size()));
  }
  // Largest first to the least loaded group (ties by index). Which group sums a feature does
  // not change its sums, so the grouping may depend on the thread count.
  std::sort(by_cost_.begin(), by_cost_.end(), [&](int a, int b) {
    const double ca = cost_[static_cast<std::size_t>(a)], cb = cost_[static_cast<std::size_t>(b)];
    return ca != cb ? ca > cb : a < b;
  });
  for (int i : by_cost_) {
    Group* least = &groups_[0];
    for (Group& g : groups_) {
      if (g.cost < least->cost) least = &g;
    }
    least->features.push_back(row_path_[static_cast<std::size_t>(i)]);
    least->cost += cost_[static_cast<std::size_t>(i)];
  }
  // Row-pass order: features without a dominant bin first, then ascending.
  for (Group& g : groups_) {
    std::sort(g.features.begin(), g.features.end(), [&](int a, int b) {
      const bool da = X_.dominant_bin(static_cast<std::size_t>(a)) < 0;
      const bool db = X_.dominant_bin(static_cast<std::size_t>(b)) < 0;
      return da != db ? da : a < b;
    });
  }
}

template <class S>
std::size_t BasicTreeBuilder<S>::block_size(std::size_t n) const {
  const std::size_t blocks =
      std::min(max_blocks_, std::max<std::size_t>(1, (n + kBlockRows - 1) / kBlockRows));
  return std::max<std::size_t>(1, (n + blocks - 1) / blocks);
}

template <class S>
void BasicTreeBuilder<S>::build_hist(S* h, const std::vector<int>& features,
                                     const std::uint32_t* rows, std::size_t n, const S* row_stats,
                                     const S& total, int n_threads, std::uint32_t stamp) {
  // Row-major pass: each row adds to one bin of every feature, so consecutive additions hit
  // different histograms and do not wait on each other. Mostly-constant features read their
  // exception rows instead. The work items are (block, feature group) pairs plus one per
  // exception-path feature; with few blocks the row-pass features are split into groups so
  // that every thread has work (the feature-parallel kernel). Each bin's sum is its block sums
  // (rows in node order) added in block order, whichever thread made them.
  const std::size_t nf = features.size();
  const std::size_t bs = block_size(n);
  const std::size_t n_blocks = n == 0 ? 1 : (n + bs - 1) / bs;
  const bool parallel = n_threads > 1 && n * nf > 32768;
  int groups = 1;
  if (parallel && n_blocks < 2 * static_cast<std::size_t>(n_threads)) {
    groups = std::min<int>(n_threads, static_cast<int>(nf));
  }
  plan_hist(features, n, groups);
  const std::size_t per_block = X_.num_features() * kBins;
  if (block_hist_.size() < (n_blocks - 1) * per_block) {
    block_hist_.resize((n_blocks - 1) * per_block);
  }
  const int n_exc = static_cast<int>(exception_path_.size());
  const int items = n_exc + static_cast<int>(n_blocks) * groups;
  // One parallel region: fork, the items, a barrier if blocks are to be added, join.
#pragma omp parallel num_threads(n_threads) if (parallel)
  {
#pragma omp for schedule(dynamic, 1) nowait
    for (int i = 0; i < items; ++i) {
      if (i < n_exc) {
        const int f = exception_path_[static_cast<std::size_t>(i)];
        hist_exceptions(h + static_cast<std::size_t>(f) * kBins, f, row_stats, total, stamp);
        continue;
      }
      const auto block = static_cast<std::size_t>((i - n_exc) / groups);
      const std::vector<int>& fs = groups_[static_cast<std::size_t>((i - n_exc) % groups)].features;
      S* dest = block == 0 ? h : block_hist_.data() + (block - 1) * per_block;
      const std::size_t b0 = block * bs, len = std::min(n, b0 + bs) - b0;
      for (std::size_t k = 0; k < fs.size(); k += kBlock) {
        hist_block(dest, fs.data() + k, std::min(kBlock, fs.size() - k), rows + b0, len, row_stats);
      }
      if (n_blocks == 1) {  // the whole sum is here: no reduction phase
        for (int f : fs) {
          const auto fu = static_cast<std::size_t>(f);
          if (X_.dominant_bin(fu) >= 0) fill_dominant(h + fu * kBins, fu, total);
        }
      }
    }
    if (n_blocks > 1) {  // (the same branch in every thread)
#pragma omp barrier
      reduce_blocks(h, n_blocks, total);
    }
  }
}

template <class S>
void BasicTreeBuilder<S>::node_hist(S* h, const BuildConfig& config, const std::uint32_t* rows,
                                    std::size_t n, const S* row_stats, const S& total,
                                    std::uint32_t stamp) {
  if (config.comm == nullptr) {
    build_hist(h, config.features, rows, n, row_stats, total, config.n_threads, stamp);
    return;
  }
  // Dominant bins are filled from this rank's own total: each rank's histogram is complete
  // before the sum, whichever bins its shard calls dominant.
  S local;
  for (std::size_t i = 0; i < n; ++i) local.add(row_stats[rows[i]]);
  build_hist(h, config.features, rows, n, row_stats, local, config.n_threads, stamp);
  allreduce_hist(*config.comm, h, config.features);
}

template <class S>
void BasicTreeBuilder<S>::allreduce_hist(Communicator& comm, S* h,
                                         const std::vector<int>& features) {
  // Packed: only the bins that exist (value bins and the missing bin), one collective per node.
  packed_.clear();
  for (int f : features) {
    const S* hf = h + static_cast<std::size_t>(f) * kBins;
    packed_.insert(packed_.end(), hf, hf + X_.num_bins(static_cast<std::size_t>(f)));
    packed_.push_back(hf[BinnedMatrix::kMissingBin]);
  }
  allreduce_stats(comm, packed_.data(), packed_.size());
  std::size_t k = 0;
  for (int f : features) {
    S* hf = h + static_cast<std::size_t>(f) * kBins;
    const auto nb = static_cast<std::size_t>(X_.num_bins(static_cast<std::size_t>(f)));
    std::copy(packed_.begin() + static_cast<std::ptrdiff_t>(k),
              packed_.begin() + static_cast<std::ptrdiff_t>(k + nb), hf);
    hf[BinnedMatrix::kMissingBin] = packed_[k + nb];
    k += nb + 1;
  }
}

template <class S>
void BasicTreeBuilder<S>::reduce_blocks(S* h, std::size_t n_blocks, const S& total) {
  // Called inside build_hist's parallel region (or alone): the threads share the features.
  const std::size_t per_block = X_.num_features() * kBins;
  const int m = static_cast<int>(row_path_.size());
#pragma omp for schedule(dynamic, 1) nowait
  for (int k = 0; k < m; ++k) {
    const auto f = static_cast<std::size_t>(row_path_[static_cast<std::size_t>(k)]);
    S* hf = h + f * kBins;
    const auto nb = static_cast<std::size_t>(X_.num_bins(f));
    for (std::size_t blk = 1; blk < n_blocks; ++blk) {
      const S* src = block_hist_.data() + (blk - 1) * per_block + f * kBins;
      for (std::size_t b = 0; b < nb; ++b) hf[b].add(src[b]);
      hf[BinnedMatrix::kMissingBin].add(src[BinnedMatrix::kMissingBin]);
    }
    if (X_.dominant_bin(f) >= 0) fill_dominant(hf, f, total);
  }
}

template <class S>
void BasicTreeBuilder<S>::hist_exceptions(S* h, int f, const S* row_stats, const S& total,
                                          std::uint32_t stamp) const {
  const auto fu = static_cast<std::size_t>(f);
  clear_hist(h, fu);
  const std::uint32_t* exc = X_.exception_rows(fu);
  const std::size_t ne = X_.num_exceptions(fu);
  const std::uint8_t* col = X_.feature_bins(fu);
  const std::uint32_t* mark = mark_.data();
  for (std::size_t e = 0; e < ne; ++e) {
    const std::uint32_t r = exc[e];
    if (mark[r] == stamp) h[col[r]].add(row_stats[r]);
  }
  fill_dominant(h, fu, total);
}

template <class S>
void BasicTreeBuilder<S>::clear_hist(S* hf, std::size_t f) const {
  // Only the feature's value bins and the missing bin are ever written; the rest stay zero.
  std::memset(static_cast<void*>(hf), 0, sizeof(S) * static_cast<std::size_t>(X_.num_bins(f)));
  hf[BinnedMatrix::kMissingBin] = S{};
}

template <class S>
void BasicTreeBuilder<S>::fill_dominant(S* hf, std::size_t f, const S& total) const {
  S rest;
  const int nb = X_.num_bins(f);
  for (int b = 0; b < nb; ++b) rest.add(hf[b]);
  rest.add(hf[BinnedMatrix::kMissingBin]);
  hf[X_.dominant_bin(f)] = total - rest;
}

template <class S>
void BasicTreeBuilder<S>::hist_block(S* h, const int* features, std::size_t m,
                                     const std::uint32_t* rows, std::size_t n,
                                     const S* row_stats) const {
  // Features without a dominant bin come first (plan_hist orders them so): their additions
  // need no test.
  std::size_t col[kBlock];
  S* hf[kBlock];
  int skip[kBlock];
  std::size_t dense = 0;
  for (std::size_t k = 0; k < m; ++k) {
    col[k] = static_cast<std::size_t>(features[k]);
    hf[k] = h + col[k] * kBins;
    skip[k] = X_.dominant_bin(col[k]);
    dense += skip[k] < 0;
    clear_hist(hf[k], col[k]);
  }
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t r = rows[j];
    const std::uint8_t* rb = X_.row_bins(r);
    const S s = row_stats[r];
    for (std::size_t k = 0; k < dense; ++k) hf[k][rb[col[k]]].add(s);
    for (std::size_t k = dense; k < m; ++k) {
      const int b = rb[col[k]];
      if (b != skip[k]) hf[k][b].add(s);
    }
  }
}

template <class S>
int BasicTreeBuilder<S>::sparse_hist(int f, const std::uint32_t* rows, std::size_t n,
                                     const S* row_stats) {
  std::uint64_t seen[4] = {0, 0, 0, 0};
  const std::uint8_t* col = X_.feature_bins(static_cast<std::size_t>(f));
  S* h = sparse_.data();
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t r = rows[j];
    const std::uint8_t b = col[r];
    seen[b >> 6] |= std::uint64_t{1} << (b & 63);
    h[b].add(row_stats[r]);
  }
  seen[BinnedMatrix::kMissingBin >> 6] &= ~(std::uint64_t{1} << (BinnedMatrix::kMissingBin & 63));
  int k = 0;
  for (int w = 0; w < 4; ++w) {
    std::uint64_t bits = seen[w];
    while (bits) {
      const int b = __builtin_ctzll(bits);
      bins_list_[static_cast<std::size_t>(k++)] = static_cast<std::uint8_t>(w * 64 + b);
      bits &= bits - 1;
    }
  }
  return k;
}

template <class S>
std::size_t BasicTreeBuilder<S>::partition(const Split& s, std::uint32_t* rows, const Task& t,
                                           int n_threads, std::uint32_t stamp_left,
                                           std::uint32_t stamp_right) {
  // Stable, so rows stay in ascending id order within a node (cache-friendly gathers).
  const std::uint8_t* col = X_.feature_bins(static_cast<std::size_t>(s.feature));
  const auto goes_left = [&](std::uint32_t r) {
    const std::uint8_t b = col[r];
    return b == BinnedMatrix::kMissingBin ? s.default_left : static_cast<int>(b) <= s.left_bin;
  };
  std::uint32_t* scratch = scratch_.data();
  std::uint32_t* mark = mark_.data();
  const bool marks = needs_marks_;
  const std::size_t n = t.end - t.begin;
  const int chunks = n_threads > 1 && n > 65536 ? n_threads : 1;
  if (chunks == 1) {
    std::size_t w = t.begin, m = 0;
    // Branch-free: the direction of a row is data, not control flow (it is unpredictable).
    for (std::size_t i = t.begin; i < t.end; ++i) {
      const std::uint32_t r = rows[i];
      const bool left = goes_left(r);
      if (marks) mark[r] = left ? stamp_left : stamp_right;
      rows[w] = r;
      scratch[m] = r;
      w += left;
      m += !left;
    }
    std::copy(scratch, scratch + m, rows + w);
    return w;
  }
  // Each thread partitions its stretch of the node into the same stretch of scratch (lefts
  // from the front, rights from the back, reversed), then, after one barrier, copies them to
  // their final places: after the left (right) rows of the stretches before it.
  part_left_.assign(static_cast<std::size_t>(chunks), 0);
  std::uint32_t* node = rows + t.begin;
#pragma omp parallel num_threads(chunks)
  {
    const auto c = static_cast<std::size_t>(omp_get_thread_num());
    const auto nt = static_cast<std::size_t>(omp_get_num_threads());
    const std::size_t sb = n * c / nt, se = n * (c + 1) / nt;
    std::size_t l = 0, r = 0;
    for (std::size_t i = sb; i < se; ++i) {  // branch-free: both slots written, one kept
      const std::uint32_t row = node[i];
      const bool left = goes_left(row);
      if (marks) mark[row] = left ? stamp_left : stamp_right;
      scratch[sb + l] = row;
      scratch[se - 1 - r] = row;
      l += left;
      r += !left;
    }
    part_left_[c] = l;
#pragma omp barrier
    std::size_t before = 0, n_left = 0;
    for (std::size_t k = 0; k < nt; ++k) {
      before += k < c ? part_left_[k] : 0;
      n_left += part_left_[k];
    }
    std::copy(scratch + sb, scratch + sb + l, node + before);
    std::uint32_t* right = node + n_left + (sb - before);
    for (std::size_t k = 0; k < r; ++k) right[k] = scratch[se - 1 - k];
  }
  std::size_t n_left = 0;
  for (std::size_t m : part_left_) n_left += m;
  return t.begin + n_left;
}

template class BasicTreeBuilder<Stats>;
template class BasicTreeBuilder<QStats>;

}  // namespace claimlens::ensemble_detail
