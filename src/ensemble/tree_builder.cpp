#include "tree_builder.hpp"

#include <cstring>

namespace claimlens::ensemble_detail {

TreeBuilder::TreeBuilder(const BinnedMatrix& X)
    : X_(X),
      // Below this size a sparse per-feature pass is cheaper than full 256-bin histograms.
      small_node_(std::max<std::size_t>(256, 16 * X.num_features())),
      scratch_(X.num_rows()),
      sparse_(kBins),
      bins_list_(kBins) {}

int TreeBuilder::alloc_slot() {
  if (!free_.empty()) {
    const int s = free_.back();
    free_.pop_back();
    return s;
  }
  pool_.emplace_back(X_.num_features() * kBins);
  return static_cast<int>(pool_.size() - 1);
}

void TreeBuilder::build_hist(Stats* h, const std::vector<int>& features, const std::uint32_t* rows,
                             std::size_t n, const Stats* row_stats, const Stats& total,
                             int n_threads) {
  // Row-major pass: each row adds to one bin of every feature, so consecutive additions hit
  // different histograms and do not wait on each other. Threads split the features (each
  // feature is still summed in row order: the same result at any thread count).
  const std::size_t nf = features.size();
  const int chunks =
      (n_threads > 1 && n * nf > 32768) ? std::min<int>(n_threads, static_cast<int>(nf)) : 1;
#pragma omp parallel for schedule(static, 1) num_threads(chunks) if (chunks > 1)
  for (int c = 0; c < chunks; ++c) {
    const std::size_t fb = nf * static_cast<std::size_t>(c) / static_cast<std::size_t>(chunks);
    const std::size_t fe = nf * static_cast<std::size_t>(c + 1) / static_cast<std::size_t>(chunks);
    for (std::size_t b0 = fb; b0 < fe; b0 += kBlock) {
      hist_block(h, features.data() + b0, std::min(kBlock, fe - b0), rows, n, row_stats, total);
    }
  }
}

void TreeBuilder::hist_block(Stats* h, const int* features, std::size_t m,
                             const std::uint32_t* rows, std::size_t n, const Stats* row_stats,
                             const Stats& total) const {
  std::size_t col[kBlock], offset[kBlock];
  int skip[kBlock];  // the dominant bin, or kBins: none
  for (std::size_t k = 0; k < m; ++k) {
    col[k] = static_cast<std::size_t>(features[k]);
    offset[k] = col[k] * kBins;
    const int d = X_.dominant_bin(col[k]);
    skip[k] = d < 0 ? kBins : d;
    std::memset(static_cast<void*>(h + offset[k]), 0, sizeof(Stats) * kBins);
  }
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint32_t r = rows[j];
    const std::uint8_t* rb = X_.row_bins(r);
    const Stats s = row_stats[r];
    for (std::size_t k = 0; k < m; ++k) {
      const int b = rb[col[k]];
      if (b == skip[k]) continue;
      Stats& e = h[offset[k] + static_cast<std::size_t>(b)];
      e.a += s.a;
      e.b += s.b;
      e.n += s.n;
    }
  }
  for (std::size_t k = 0; k < m; ++k) {
    if (skip[k] == kBins) continue;
    Stats rest;
    for (int b = 0; b < kBins; ++b) rest.add(h[offset[k] + static_cast<std::size_t>(b)]);
    h[offset[k] + static_cast<std::size_t>(skip[k])] = total - rest;
  }
}

int TreeBuilder::sparse_hist(int f, const std::uint32_t* rows, std::size_t n,
                             const Stats* row_stats) {
  std::uint64_t seen[4] = {0, 0, 0, 0};
  const std::uint8_t* col = X_.feature_bins(static_cast<std::size_t>(f));
  Stats* h = sparse_.data();
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

std::size_t TreeBuilder::partition(const Split& s, std::uint32_t* rows, const Task& t) {
  // Stable, so rows stay in ascending id order within a node (cache-friendly gathers).
  const std::uint8_t* col = X_.feature_bins(static_cast<std::size_t>(s.feature));
  std::size_t w = t.begin, m = 0;
  // Branch-free: the direction of a row is data, not control flow (it is unpredictable).
  std::uint32_t* scratch = scratch_.data();
  for (std::size_t i = t.begin; i < t.end; ++i) {
    const std::uint32_t r = rows[i];
    const std::uint8_t b = col[r];
    const bool go_left =
        b == BinnedMatrix::kMissingBin ? s.default_left : static_cast<int>(b) <= s.left_bin;
    rows[w] = r;
    scratch[m] = r;
    w += go_left;
    m += !go_left;
  }
  std::copy(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(m), rows + w);
  return w;
}

}  // namespace claimlens::ensemble_detail
