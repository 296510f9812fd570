#include "claimlens/ensemble/binning.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <string>

#include "claimlens/error.hpp"

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

std::uint8_t BinnedMatrix::bin_of(std::size_t f, double value) const {
  if (std::isnan(value)) return kMissingBin;
  const auto& c = cuts_[f];
  if (c.empty()) return kMissingBin;
  auto it = std::upper_bound(c.begin(), c.end(), value);
  const auto idx = std::min<std::size_t>(static_cast<std::size_t>(it - c.begin()), c.size() - 1);
  return static_cast<std::uint8_t>(idx);
}

BinnedMatrix BinnedMatrix::from_dense(const double* x, std::size_t rows, std::size_t cols,
                                      int max_bin) {
  if (max_bin < 2 || max_bin > 256) {
    throw InvalidArgument("BinnedMatrix: max_bin must be in [2, 256], got " +
                          std::to_string(max_bin));
  }
  if (rows == 0 || cols == 0) {
    throw InvalidArgument("BinnedMatrix: the matrix is empty (" + std::to_string(rows) + " x " +
                          std::to_string(cols) + ")");
  }
  if (x == nullptr) throw InvalidArgument("BinnedMatrix: x is null");
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t c = 0; c < cols; ++c) {
      if (std::isinf(x[r * cols + c])) {
        throw InvalidArgument("BinnedMatrix: infinite value at row " + std::to_string(r) +
                              ", column " + std::to_string(c));
      }
    }
  }
  BinnedMatrix m;
  m.rows_ = rows;
  m.cols_ = cols;
  m.max_bin_ = max_bin;
  m.bins_.resize(rows * cols);
  m.cuts_.resize(cols);
  m.min_cuts_.resize(cols);
  m.dominant_bins_.assign(cols, -1);
  const int bins = std::min(max_bin, kMaxValueBins);
  const long long ncols = static_cast<long long>(cols);
  // An exception must not leave an OpenMP region (that is std::terminate, found by
  // tests/faults): each column keeps its own, the first is rethrown after the loop.
  std::vector<std::exception_ptr> errors(cols);
#pragma omp parallel for schedule(dynamic, 1) if (rows * cols > 200000)
  for (long long cl = 0; cl < ncols; ++cl) {
    try {
      const auto c = static_cast<std::size_t>(cl);
      std::vector<double> values;
      values.reserve(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        const double v = x[r * cols + c];
        if (!std::isnan(v)) values.push_back(v);
      }
      std::sort(values.begin(), values.end());
      m.cuts_[c] = quantile_cuts(values, bins);
      m.min_cuts_[c] = values.empty() ? 0.0 : values.front() - (std::fabs(values.front()) + 1e-5);
      std::uint8_t* out = m.bins_.data() + c * rows;
      std::size_t counts[256] = {};
      for (std::size_t r = 0; r < rows; ++r) {
        out[r] = m.bin_of(c, x[r * cols + c]);
        ++counts[out[r]];
      }
      const std::size_t* top = std::max_element(counts, counts + 256);
      if (rows > 0 && 2 * *top >= rows) m.dominant_bins_[c] = static_cast<int>(top - counts);
    } catch (...) {
      errors[static_cast<std::size_t>(cl)] = std::current_exception();
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  m.row_bins_.resize(rows * cols);
  for (std::size_t c = 0; c < cols; ++c) {
    const std::uint8_t* col = m.bins_.data() + c * rows;
    for (std::size_t r = 0; r < rows; ++r) m.row_bins_[r * cols + c] = col[r];
  }
  m.exception_offsets_.assign(cols + 1, 0);
  for (std::size_t c = 0; c < cols; ++c) {
    const std::uint8_t* col = m.bins_.data() + c * rows;
    const int d = m.dominant_bins_[c];
    // Row ids are uint32 in the tree builder; larger matrices are rejected by fit anyway.
    if (d >= 0 && rows < (std::size_t{1} << 32)) {
      for (std::size_t r = 0; r < rows; ++r) {
        if (col[r] != d) m.exception_rows_.push_back(static_cast<std::uint32_t>(r));
      }
    }
    m.exception_offsets_[c + 1] = m.exception_rows_.size();
  }
  return m;
}

BinnedMatrix BinnedMatrix::from_dense(const RowMatrix& x, int max_bin) {
  return from_dense(x.data(), static_cast<std::size_t>(x.rows()),
                    static_cast<std::size_t>(x.cols()), max_bin);
}

}  // namespace claimlens
