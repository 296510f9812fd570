#include "claimlens/ensemble/binning.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/random.hpp"

#include <omp.h>

namespace claimlens {
namespace {

// One past the largest value, as XGBoost places its last cut: every training value is below it.
double upper_sentinel(double v) {
  return v + (std::fabs(v) + 1e-5);
}

// Cuts from sorted non-missing values: one bin per distinct value when they fit, else exact
// quantiles (a new bin starts at the first distinct value whose rank reaches k * n / bins).
std::vector<double> quantile_cuts(const std::vector<double>& sorted, int bins) {
  std::vector<double> cuts;
  const std::size_t n = sorted.size();
  if (n == 0) return cuts;
  std::size_t distinct = 1;
  for (std::size_t i = 1; i < n; ++i) distinct += sorted[i] != sorted[i - 1];
  if (distinct <= static_cast<std::size_t>(bins)) {
    for (std::size_t i = 1; i < n; ++i) {
      if (sorted[i] != sorted[i - 1]) cuts.push_back(sorted[i]);
    }
  } else {
    int k = 1;
    for (std::size_t i = 1; i < n && k < bins; ++i) {
      if (sorted[i] == sorted[i - 1]) continue;
      // i is the rank of the first occurrence of sorted[i].
      if (static_cast<double>(i) * bins >= static_cast<double>(k) * static_cast<double>(n)) {
        cuts.push_back(sorted[i]);
        while (k < bins &&
               static_cast<double>(k) * static_cast<double>(n) <= static_cast<double>(i) * bins) {
          ++k;
        }
      }
    }
  }
  cuts.push_back(upper_sentinel(sorted.back()));
  return cuts;
}

}  // namespace

namespace {

// The bin of a value: NaN -> kMissingBin, else the number of cuts at or below it, capped at the
// last bin. A branch-free binary search: which half holds the value is data, not control flow,
// and would be mispredicted half the time.
inline std::uint8_t value_bin(const std::vector<double>& cuts, double value) {
  if (std::isnan(value) || cuts.empty()) return BinnedMatrix::kMissingBin;
  const double* base = cuts.data();
  std::size_t len = cuts.size();
  while (len > 1) {
    const std::size_t half = len / 2;
    base = base[half - 1] <= value ? base + half : base;
    len -= half;
  }
  const auto idx = static_cast<std::size_t>(base - cuts.data()) + (*base <= value);
  return static_cast<std::uint8_t>(std::min(idx, cuts.size() - 1));
}

}  // namespace

std::uint8_t BinnedMatrix::bin_of(std::size_t f, double value) const {
  return value_bin(cuts_[f], value);
}

void BinnedMatrix::check_shape(std::size_t rows, std::size_t cols, int max_bin) {
  if (max_bin < 2 || max_bin > 256) {
    throw InvalidArgument("BinnedMatrix: max_bin must be in [2, 256], got " +
                          std::to_string(max_bin));
  }
  if (rows == 0 || cols == 0) {
    throw InvalidArgument("BinnedMatrix: the matrix is empty (" + std::to_string(rows) + " x " +
                          std::to_string(cols) + ")");
  }
}

void BinnedMatrix::check_finite(const double* x, std::size_t rows, std::size_t cols,
                                std::size_t first_row) {
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      if (std::isinf(x[r * cols + c])) {
        throw InvalidArgument("BinnedMatrix: infinite value at row " +
                              std::to_string(first_row + r) + ", column " + std::to_string(c));
      }
    }
  }
}

BinnedMatrix::BinnedMatrix(std::size_t rows, std::size_t cols, int max_bin)
    : rows_(rows), cols_(cols), max_bin_(max_bin), cuts_(cols), min_cuts_(cols) {}

void BinnedMatrix::set_cuts(std::size_t c, const std::vector<double>& sorted, double largest,
                            double smallest) {
  if (largest == -std::numeric_limits<double>::infinity()) return;  // every value is missing
  // A sample may miss every value of a mostly-missing column: one bin then holds them all.
  cuts_[c] = sorted.empty() ? std::vector<double>{0.0}
                            : quantile_cuts(sorted, std::min(max_bin_, kMaxValueBins));
  cuts_[c].back() = upper_sentinel(largest);
  min_cuts_[c] = smallest - (std::fabs(smallest) + 1e-5);
}

void BinnedMatrix::bin_block(const double* x, std::size_t first, std::size_t count) {
  bins_.resize(rows_ * cols_);
  row_bins_.resize(rows_ * cols_);
  const std::size_t cols = cols_;
  // Row blocks whose values stay in cache while every column is read from them.
  constexpr std::size_t kBlockRows = 2048;
  const auto n_blocks = static_cast<long long>((count + kBlockRows - 1) / kBlockRows);
#pragma omp parallel for schedule(static) if (count * cols > 200000)
  for (long long b = 0; b < n_blocks; ++b) {
    const std::size_t r0 = static_cast<std::size_t>(b) * kBlockRows;
    const std::size_t r1 = std::min(count, r0 + kBlockRows);
    std::uint8_t* row_out = row_bins_.data() + first * cols;
    for (std::size_t c = 0; c < cols; ++c) {
      const std::vector<double>& cuts = cuts_[c];
      std::uint8_t* out = bins_.data() + c * rows_ + first;
      for (std::size_t r = r0; r < r1; ++r) {
        const std::uint8_t bin = value_bin(cuts, x[r * cols + c]);
        out[r] = bin;
        row_out[r * cols + c] = bin;
      }
    }
  }
}

void BinnedMatrix::finish_bins() {
  const std::size_t rows = rows_, cols = cols_;
  dominant_bins_.assign(cols, -1);
  exception_offsets_.assign(cols + 1, 0);
  const long long ncols = static_cast<long long>(cols);
#pragma omp parallel for schedule(dynamic, 1) if (rows * cols > 200000)
  for (long long cl = 0; cl < ncols; ++cl) {
    const auto c = static_cast<std::size_t>(cl);
    const std::uint8_t* col = bins_.data() + c * rows;
    std::size_t counts[256] = {};
    for (std::size_t r = 0; r < rows; ++r) ++counts[col[r]];
    const std::size_t* top = std::max_element(counts, counts + 256);
    // Row ids are uint32 in the tree builder; larger matrices are rejected by fit anyway.
    if (rows > 0 && 2 * *top >= rows && rows < (std::size_t{1} << 32)) {
      dominant_bins_[c] = static_cast<int>(top - counts);
      exception_offsets_[c + 1] = rows - *top;
    }
  }
  for (std::size_t c = 0; c < cols; ++c) exception_offsets_[c + 1] += exception_offsets_[c];
  exception_rows_.resize(exception_offsets_[cols]);
#pragma omp parallel for schedule(dynamic, 1) if (rows * cols > 200000)
  for (long long cl = 0; cl < ncols; ++cl) {
    const auto c = static_cast<std::size_t>(cl);
    const std::uint8_t* col = bins_.data() + c * rows;
    const int d = dominant_bins_[c];
    std::uint32_t* out = exception_rows_.data() + exception_offsets_[c];
    if (d < 0) continue;
    for (std::size_t r = 0; r < rows; ++r) {
      if (col[r] != d) *out++ = static_cast<std::uint32_t>(r);
    }
  }
}

namespace {

// Folds the largest and the negated smallest non-missing value of each column of a row-major
// block into bounds (2 * cols entries, -inf where a column has none yet). False when a value is
// infinite. Maxima do not depend on the order they are taken in, so threads may share the rows.
bool fold_bounds(const double* x, std::size_t rows, std::size_t cols, std::vector<double>& bounds) {
  const bool parallel = rows * cols > 200000;
  const auto n_threads = static_cast<std::size_t>(parallel ? omp_get_max_threads() : 1);
  std::vector<double> local(n_threads * 2 * cols, -std::numeric_limits<double>::infinity());
  std::vector<char> finite(n_threads, 1);
  const auto nrows = static_cast<long long>(rows);
#pragma omp parallel num_threads(static_cast <int>(n_threads)) if (parallel)
  {
    const auto t = static_cast<std::size_t>(omp_get_thread_num());
    double* mine = local.data() + t * 2 * cols;
    bool ok = true;
#pragma omp for schedule(static)
    for (long long rl = 0; rl < nrows; ++rl) {
      const double* row = x + static_cast<std::size_t>(rl) * cols;
      for (std::size_t c = 0; c < cols; ++c) {
        const double v = row[c];
        if (std::isnan(v)) continue;
        ok = ok && !std::isinf(v);
        mine[2 * c] = std::max(mine[2 * c], v);
        mine[2 * c + 1] = std::max(mine[2 * c + 1], -v);
      }
    }
    finite[t] = ok;
  }
  for (std::size_t t = 0; t < n_threads; ++t) {
    for (std::size_t i = 0; i < 2 * cols; ++i) {
      bounds[i] = std::max(bounds[i], local[t * 2 * cols + i]);
    }
  }
  return std::all_of(finite.begin(), finite.end(), [](char ok) { return ok != 0; });
}

// Which rows set the cuts: each row kept or not by a hash of its global id, so the sample is the
// same whatever the ranks hold (all rows when there are at most sample_rows).
class RowSampler {
 public:
  RowSampler(const RowShard& shard, std::uint64_t seed, std::size_t sample_rows)
      : first_row_(shard.first_row),
        all_(shard.total_rows <= sample_rows),
        keep_(static_cast<double>(sample_rows) / static_cast<double>(shard.total_rows)),
        key_(derive_seed(seed, (std::uint64_t{1} << 63) + 23)) {}

  // Whether the shard's row `local` (counted from its first) is in the sample.
  bool keeps(std::uint64_t local) const {
    return all_ ||
           static_cast<double>(derive_seed(key_, first_row_ + local) >> 11) * 0x1p-53 < keep_;
  }

 private:
  std::uint64_t first_row_;
  bool all_;
  double keep_;
  std::uint64_t key_;
};

// This rank's share of the sample's values, serialized column by column: a uint64 count, then
// the non-missing values.
class LocalSample {
 public:
  LocalSample(std::size_t cols, const RowShard& shard, std::uint64_t seed, std::size_t sample_rows)
      : values_(cols), sampler_(shard, seed, sample_rows) {}

  // Rows [first, first + rows) of the shard, row-major.
  void add(const double* x, std::size_t rows, std::size_t first) {
    const std::size_t cols = values_.size();
    for (std::size_t r = 0; r < rows; ++r) {
      if (!sampler_.keeps(first + r)) continue;
      for (std::size_t c = 0; c < cols; ++c) {
        if (!std::isnan(x[r * cols + c])) values_[c].push_back(x[r * cols + c]);
      }
    }
  }

  std::vector<double> serialized() const {
    std::vector<double> out;
    for (const auto& column : values_) {
      const auto n = static_cast<std::uint64_t>(column.size());
      out.push_back(0.0);
      std::memcpy(&out.back(), &n, sizeof n);
      out.insert(out.end(), column.begin(), column.end());
    }
    return out;
  }

 private:
  std::vector<std::vector<double>> values_;
  RowSampler sampler_;
};

// Every rank's sampled values of column c, sorted (the cuts do not depend on who held them).
std::vector<double> gathered_column(const std::vector<unsigned char>& all,
                                    const std::vector<std::size_t>& offsets, std::size_t c) {
  std::vector<double> values;
  for (std::size_t k = 0; k + 1 < offsets.size(); ++k) {
    const unsigned char* part = all.data() + offsets[k];
    for (std::size_t j = 0;; ++j) {
      std::uint64_t n = 0;
      std::memcpy(&n, part, sizeof n);
      part += sizeof n;
      if (j == c) {
        const std::size_t at = values.size();
        values.resize(at + n);
        // values.data() is null while no rank sampled a value of the column: no memcpy then.
        if (n > 0) std::memcpy(values.data() + at, part, n * sizeof(double));
        break;
      }
      part += n * sizeof(double);
    }
  }
  std::sort(values.begin(), values.end());
  return values;
}

// Runs `pass` over every block of `blocks`, checking that they hold `rows` rows in all, and
// agrees on its outcome: an Error on any rank is thrown on every rank.
void agreed_pass(const BinnedMatrix::RowBlocks& blocks, std::size_t rows, Communicator& comm,
                 const std::function<void(const double*, std::size_t, std::size_t)>& pass) {
  std::string error;
  try {
    std::size_t seen = 0;
    blocks([&](const double* x, std::size_t n) {
      if (n > rows - seen) {
        throw InvalidArgument("BinnedMatrix: the blocks hold more than the " +
                              std::to_string(rows) + " rows announced");
      }
      if (n > 0 && x == nullptr) throw InvalidArgument("BinnedMatrix: x is null");
      pass(x, n, seen);
      seen += n;
    });
    if (seen != rows) {
      throw InvalidArgument("BinnedMatrix: the blocks hold " + std::to_string(seen) +
                            " rows, not the " + std::to_string(rows) + " announced");
    }
  } catch (const Error& e) {
    error = e.what();
  }
  comm.agree(error);
}

}  // namespace

void BinnedMatrix::agree_on_shape(std::size_t rows, std::size_t cols, int max_bin,
                                  Communicator& comm) {
  std::string error;
  try {
    if (rows > 0) check_shape(rows, cols, max_bin);  // a rank may hold no rows
  } catch (const Error& e) {
    error = e.what();
  }
  comm.agree(error);
  double shape[4] = {static_cast<double>(cols), -static_cast<double>(cols),
                     static_cast<double>(max_bin), -static_cast<double>(max_bin)};
  comm.allreduce_max(shape, 4);
  if (shape[0] != -shape[1] || shape[2] != -shape[3]) {
    throw InvalidArgument("BinnedMatrix: the ranks' shards differ in columns or max_bin (" +
                          std::to_string(cols) + " columns, max_bin " + std::to_string(max_bin) +
                          " here)");
  }
}

BinnedMatrix BinnedMatrix::from_row_blocks_distributed(const RowBlocks& blocks, std::size_t rows,
                                                       std::size_t cols, int max_bin,
                                                       Communicator& comm, std::uint64_t seed,
                                                       std::size_t sample_rows) {
  agree_on_shape(rows, cols, max_bin, comm);
  const RowShard shard = row_shard(comm, rows);
  if (shard.total_rows == 0) throw InvalidArgument("BinnedMatrix: no rank holds a row");
  // The first pass: the sample, and the global extremes (not the sample's): the last cut must
  // lie above every training value and min_cut below, on every rank's rows.
  LocalSample sample(cols, shard, seed, sample_rows);
  std::vector<double> bounds(2 * cols, -std::numeric_limits<double>::infinity());
  agreed_pass(blocks, rows, comm, [&](const double* x, std::size_t n, std::size_t first) {
    if (!fold_bounds(x, n, cols, bounds)) check_finite(x, n, cols, first);
    sample.add(x, n, first);
  });
  comm.allreduce_max(bounds.data(), bounds.size());
  const std::vector<double> mine = sample.serialized();
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all =
      comm.allgather(mine.data(), mine.size() * sizeof(double), offsets);
  BinnedMatrix m(rows, cols, max_bin);
  for (std::size_t c = 0; c < cols; ++c) {
    m.set_cuts(c, gathered_column(all, offsets, c), bounds[2 * c], -bounds[2 * c + 1]);
  }
  // The second pass: the bins.
  agreed_pass(blocks, rows, comm,
              [&](const double* x, std::size_t n, std::size_t first) { m.bin_block(x, first, n); });
  m.finish_bins();
  return m;
}

BinnedMatrix BinnedMatrix::from_dense(const double* x, std::size_t rows, std::size_t cols,
                                      int max_bin, std::uint64_t seed, std::size_t sample_rows) {
  check_shape(rows, cols, max_bin);
  if (x == nullptr) throw InvalidArgument("BinnedMatrix: x is null");
  std::vector<double> bounds(2 * cols, -std::numeric_limits<double>::infinity());
  if (!fold_bounds(x, rows, cols, bounds)) check_finite(x, rows, cols);
  // The rows from_dense_distributed samples on one rank, so both bin the same rows alike. Each
  // column's sampled values are gathered, sorted and dropped in turn (a copy of the whole
  // sample would cost as much memory as the input below kSampleRows rows).
  const RowSampler sampler(RowShard{0, rows, rows}, seed, sample_rows);
  std::vector<std::size_t> kept;
  for (std::size_t r = 0; r < rows; ++r) {
    if (sampler.keeps(r)) kept.push_back(r);
  }
  BinnedMatrix m(rows, cols, max_bin);
  const long long ncols = static_cast<long long>(cols);
  // An exception (std::bad_alloc) must not leave an OpenMP region (that is std::terminate,
  // found by tests/faults): each column keeps its own, the first is rethrown after the loop.
  std::vector<std::exception_ptr> errors(cols);
#pragma omp parallel for schedule(dynamic, 1) if (rows * cols > 200000)
  for (long long cl = 0; cl < ncols; ++cl) {
    const auto c = static_cast<std::size_t>(cl);
    try {
      std::vector<double> values;
      values.reserve(kept.size());
      for (const std::size_t r : kept) {
        if (!std::isnan(x[r * cols + c])) values.push_back(x[r * cols + c]);
      }
      std::sort(values.begin(), values.end());
      m.set_cuts(c, values, bounds[2 * c], -bounds[2 * c + 1]);
    } catch (...) {
      errors[c] = std::current_exception();
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  m.bin_block(x, 0, rows);
  m.finish_bins();
  return m;
}

BinnedMatrix BinnedMatrix::take_rows(const std::vector<std::size_t>& ids) const {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] >= rows_ || (i > 0 && ids[i] <= ids[i - 1])) {
      throw InvalidArgument("BinnedMatrix.take_rows: ids[" + std::to_string(i) +
                            "] = " + std::to_string(ids[i]) + " is not an ascending row id below " +
                            std::to_string(rows_));
    }
  }
  BinnedMatrix out(ids.size(), cols_, max_bin_);
  out.cuts_ = cuts_;
  out.min_cuts_ = min_cuts_;
  out.bins_.resize(ids.size() * cols_);
  out.row_bins_.resize(ids.size() * cols_);
  for (std::size_t c = 0; c < cols_; ++c) {
    const std::uint8_t* from = bins_.data() + c * rows_;
    std::uint8_t* to = out.bins_.data() + c * ids.size();
    for (std::size_t i = 0; i < ids.size(); ++i) to[i] = from[ids[i]];
  }
  for (std::size_t i = 0; i < ids.size(); ++i) {
    std::copy_n(row_bins(ids[i]), cols_, out.row_bins_.data() + i * cols_);
  }
  out.finish_bins();
  return out;
}

BinnedMatrix BinnedMatrix::from_dense_distributed(const double* x, std::size_t rows,
                                                  std::size_t cols, int max_bin, Communicator& comm,
                                                  std::uint64_t seed, std::size_t sample_rows) {
  const RowBlocks whole = [&](const RowBlockVisitor& visit) {
    if (rows > 0) visit(x, rows);
  };
  return from_row_blocks_distributed(whole, rows, cols, max_bin, comm, seed, sample_rows);
}

BinnedMatrix BinnedMatrix::from_dense(const RowMatrix& x, int max_bin, std::uint64_t seed,
                                      std::size_t sample_rows) {
  return from_dense(x.data(), static_cast<std::size_t>(x.rows()),
                    static_cast<std::size_t>(x.cols()), max_bin, seed, sample_rows);
}

}  // namespace claimlens
