#include "tree_builder.hpp"

#include <cmath>
#include <cstring>

namespace claimlens::ensemble_detail {

TreeBuilder::TreeBuilder(const BinnedMatrix& X)
    : X_(X),
      // Below this size a sparse per-feature pass is cheaper than full 256-bin histograms.
      small_node_(std::max<std::size_t>(256, 16 * X.num_features())),
      scratch_(X.num_rows()),
      sparse_(kBins),
      bins_list_(kBins),
      mark_(X.num_rows(), 0u) {}

int TreeBuilder::alloc_slot() {
  if (!free_.empty()) {
    const int s = free_.back();
    free_.pop_back();
    return s;
  }
  pool_.emplace_back(X_.num_features() * kBins);
  return static_cast<int>(pool_.size() - 1);
}

bool TreeBuilder::plan_hist(const std::vector<int>& features, std::size_t n, int chunks) {
  // Costs in "row pass visits": a row pass over a feature with a dominant bin mostly skips
  // (a predictable branch), an exception entry costs a stamp lookup and a likely mispredict.
  constexpr double kSkipCost = 0.3, kExceptionCost = 4.0;
  const std::size_t nf = features.size();
  const double rows_all = static_cast<double>(X_.num_rows());
  const double dn = static_cast<double>(n);
  cost_.resize(nf);
  by_cost_.resize(nf);
  chunks_.resize(static_cast<std::size_t>(chunks));
  for (Chunk& c : chunks_) {
    c.rows_path.clear();
    c.exception_path.clear();
    c.cost = 0.0;
  }
  bool any_exception = false;
  for (std::size_t i = 0; i < nf; ++i) {
    const auto f = static_cast<std::size_t>(features[i]);
    const double ne = static_cast<double>(X_.num_exceptions(f));
    if (X_.dominant_bin(f) < 0) {
      cost_[i] = dn;
    } else if (ne * kExceptionCost < dn) {
      cost_[i] = -ne * kExceptionCost;  // negative: marks the exception path
      any_exception = true;
    } else {
      cost_[i] = dn * (kSkipCost + ne / rows_all);
    }
    by_cost_[i] = static_cast<int>(i);
  }
  // Largest first to the least loaded chunk (ties by index): balanced and thread-count free
  // in its result, since each feature is still summed by one thread in a fixed order.
  std::sort(by_cost_.begin(), by_cost_.end(), [&](int a, int b) {
    const double ca = std::fabs(cost_[static_cast<std::size_t>(a)]);
    const double cb = std::fabs(cost_[static_cast<std::size_t>(b)]);
    return ca != cb ? ca > cb : a < b;
  });
  for (int i : by_cost_) {
    Chunk* least = &chunks_[0];
    for (Chunk& c : chunks_) {
      if (c.cost < least->cost) least = &c;
    }
    const double c = cost_[static_cast<std::size_t>(i)];
    (c < 0 ? least->exception_path : least->rows_path)
        .push_back(features[static_cast<std::size_t>(i)]);
    least->cost += std::fabs(c);
  }
  // Row-pass order: features without a dominant bin first, then ascending.
  for (Chunk& c : chunks_) {
    std::sort(c.rows_path.begin(), c.rows_path.end(), [&](int a, int b) {
      const bool da = X_.dominant_bin(static_cast<std::size_t>(a)) < 0;
      const bool db = X_.dominant_bin(static_cast<std::size_t>(b)) < 0;
      return da != db ? da : a < b;
    });
  }
  return any_exception;
}

void TreeBuilder::build_hist(Stats* h, const std::vector<int>& features, const std::uint32_t* rows,
                             std::size_t n, const Stats* row_stats, const Stats& total,
                             int n_threads) {
  // Row-major pass: each row adds to one bin of every feature, so consecutive additions hit
  // different histograms and do not wait on each other. Mostly-constant features read their
  // exception rows instead. Threads split the features (each feature is still summed in a
  // fixed order: the same result at any thread count).
  const std::size_t nf = features.size();
  const int chunks =
      (n_threads > 1 && n * nf > 32768) ? std::min<int>(n_threads, static_cast<int>(nf)) : 1;
  if (plan_hist(features, n, chunks)) {
    if (++stamp_ == 0) {  // wrapped: clear old stamps
      std::fill(mark_.begin(), mark_.end(), 0u);
      stamp_ = 1;
    }
    for (std::size_t j = 0; j < n; ++j) mark_[rows[j]] = stamp_;
  }
#pragma omp parallel for schedule(static, 1) num_threads(chunks) if (chunks > 1)
  for (int c = 0; c < chunks; ++c) {
    const Chunk& chunk = chunks_[static_cast<std::size_t>(c)];
    const std::size_t m = chunk.rows_path.size();
    for (std::size_t b0 = 0; b0 < m; b0 += kBlock) {
      hist_block(h, chunk.rows_path.data() + b0, std::min(kBlock, m - b0), rows, n, row_stats,
                 total);
    }
    for (int f : chunk.exception_path) {
      hist_exceptions(h + static_cast<std::size_t>(f) * kBins, f, row_stats, total);
    }
  }
}

void TreeBuilder::hist_exceptions(Stats* h, int f, const Stats* row_stats,
                                  const Stats& total) const {
  const auto fu = static_cast<std::size_t>(f);
  clear_hist(h, fu);
  const std::uint32_t* exc = X_.exception_rows(fu);
  const std::size_t ne = X_.num_exceptions(fu);
  const std::uint8_t* col = X_.feature_bins(fu);
  const std::uint32_t* mark = mark_.data();
  const std::uint32_t stamp = stamp_;
  for (std::size_t e = 0; e < ne; ++e) {
    const std::uint32_t r = exc[e];
    if (mark[r] == stamp) h[col[r]].add(row_stats[r]);
  }
  fill_dominant(h, fu, total);
}

void TreeBuilder::clear_hist(Stats* hf, std::size_t f) const {
  // Only the feature's value bins and the missing bin are ever written; the rest stay zero.
  std::memset(static_cast<void*>(hf), 0, sizeof(Stats) * static_cast<std::size_t>(X_.num_bins(f)));
  hf[BinnedMatrix::kMissingBin] = Stats{};
}

void TreeBuilder::fill_dominant(Stats* hf, std::size_t f, const Stats& total) const {
  Stats rest;
  const int nb = X_.num_bins(f);
  for (int b = 0; b < nb; ++b) rest.add(hf[b]);
  rest.add(hf[BinnedMatrix::kMissingBin]);
  hf[X_.dominant_bin(f)] = total - rest;
}

void TreeBuilder::hist_block(Stats* h, const int* features, std::size_t m,
                             const std::uint32_t* rows, std::size_t n, const Stats* row_stats,
                             const Stats& total) const {
  // Features without a dominant bin come first (plan_hist orders them so): their additions
  // need no test.
  std::size_t col[kBlock];
  Stats* hf[kBlock];
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
    const Stats s = row_stats[r];
    for (std::size_t k = 0; k < dense; ++k) hf[k][rb[col[k]]].add(s);
    for (std::size_t k = dense; k < m; ++k) {
      const int b = rb[col[k]];
      if (b != skip[k]) hf[k][b].add(s);
    }
  }
  for (std::size_t k = dense; k < m; ++k) fill_dominant(hf[k], col[k], total);
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
