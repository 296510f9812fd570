// Feature quantization shared by the random forest and gradient boosting: every feature is cut
// once into at most 255 value bins (plus one bin for NaN) so that split search works on small
// histograms instead of sorted rows, and so that every tree and every cross-validation fold can
// reuse the same binned matrix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "claimlens/communicator.hpp"
#include "claimlens/matrix.hpp"

namespace claimlens {

/// A feature-major (column-major) uint8 matrix of bin indices plus the cut points that define them.
///
/// For feature f with cuts c[0] < c[1] < ... < c[k-1], bin i holds the values v with
/// c[i-1] <= v < c[i] (bin 0: v < c[0]); the last cut lies above the largest training value, and
/// values beyond it (at prediction time) belong to the last bin. NaN goes to kMissingBin. A split
/// "bins 0..i go left" is therefore the raw test `v < c[i]`, which is how trees store thresholds.
class BinnedMatrix {
 public:
  /// The bin of NaN values, whatever the number of value bins.
  static constexpr std::uint8_t kMissingBin = 255;
  /// The most value bins a feature may have (bins 0..254; 255 is kMissingBin).
  static constexpr int kMaxValueBins = 255;

  BinnedMatrix() = default;

  /// Rows sampled for the cuts above which binning does not sort every value (LightGBM's
  /// bin_construct_sample_cnt is also 200,000).
  static constexpr std::size_t kSampleRows = 200000;

  /// Bins a row-major matrix (rows x cols, `x[r * cols + c]`). `max_bin` in [2, 256] caps the
  /// value bins per feature (at most kMaxValueBins are used). Cuts are exact quantiles of the
  /// sorted non-missing values: a feature with at most that many distinct values gets one bin per
  /// value. Above `sample_rows` rows the quantiles are those of a sample, each row kept with
  /// probability sample_rows / rows by a hash of (seed, row id), as from_dense_distributed draws
  /// it: both give the same bins on the same rows, whatever the rank count. The last cut and
  /// min_cut always come from the extremes of every row. Infinite values are rejected
  /// (InvalidArgument naming row and column); NaN is missing.
  static BinnedMatrix from_dense(const double* x, std::size_t rows, std::size_t cols,
                                 int max_bin = 256, std::uint64_t seed = 0,
                                 std::size_t sample_rows = kSampleRows);
  static BinnedMatrix from_dense(const RowMatrix& x, int max_bin = 256, std::uint64_t seed = 0,
                                 std::size_t sample_rows = kSampleRows);

  /// Distributed training: bins this rank's shard (its rows of the global matrix, which follow
  /// the lower ranks' rows; see RowShard) with cuts that are the same on every rank and do not
  /// depend on the rank count. The cuts are from_dense's, computed on a sample of the global
  /// rows: every row when there are at most `sample_rows` (then equal to from_dense on the whole
  /// matrix), else each row with probability sample_rows / total, drawn by a hash of (seed, its
  /// global row id) (LightGBM samples 200,000 rows for its bins: bin_construct_sample_cnt).
  /// The last cut and min_cut come from the global extremes. A collective: every rank calls it;
  /// an invalid shard on any rank throws on every rank ("rank K: ...").
  static BinnedMatrix from_dense_distributed(const double* x, std::size_t rows, std::size_t cols,
                                             int max_bin, Communicator& comm, std::uint64_t seed,
                                             std::size_t sample_rows = kSampleRows);

  /// Receives one block of a shard's rows: `rows` rows of `cols` values, row-major.
  using RowBlockVisitor = std::function<void(const double* x, std::size_t rows)>;
  /// A shard's rows produced block by block, in order, each time it is called with a visitor
  /// (the same rows every time): a frame transformed a chunk at a time, so that the shard's
  /// float64 matrix never exists whole.
  using RowBlocks = std::function<void(const RowBlockVisitor& visit)>;

  /// from_dense_distributed over rows produced in blocks, with the same result, bit for bit, as
  /// on the whole matrix: `blocks` is called twice (the sample, then the bins), and must yield
  /// `rows` rows of `cols` columns in all. An error (infinite value, a block that does not fit,
  /// an Error thrown by `blocks`) on any rank throws on every rank ("rank K: ...").
  static BinnedMatrix from_row_blocks_distributed(const RowBlocks& blocks, std::size_t rows,
                                                  std::size_t cols, int max_bin, Communicator& comm,
                                                  std::uint64_t seed,
                                                  std::size_t sample_rows = kSampleRows);

  /// The given rows (ascending local ids), binned as here: the same cuts, so a model fitted on
  /// them splits on the same thresholds (a hold-out's training part).
  BinnedMatrix take_rows(const std::vector<std::size_t>& ids) const;

  std::size_t num_rows() const { return rows_; }
  std::size_t num_features() const { return cols_; }
  int max_bin() const { return max_bin_; }

  /// Bin indices of feature f for every row (num_rows() entries).
  const std::uint8_t* feature_bins(std::size_t f) const { return bins_.data() + f * rows_; }
  std::uint8_t bin(std::size_t row, std::size_t f) const { return bins_[f * rows_ + row]; }
  /// The same bins row-major (num_features() entries per row): histogram construction reads a
  /// row's features together, which keeps independent additions in flight.
  const std::uint8_t* row_bins(std::size_t row) const { return row_bins_.data() + row * cols_; }

  /// Number of value bins of feature f (0 when the feature is entirely missing).
  int num_bins(std::size_t f) const { return static_cast<int>(cuts_[f].size()); }
  /// Upper bounds of the value bins of feature f (see the class comment).
  const std::vector<double>& cuts(std::size_t f) const { return cuts_[f]; }
  /// A value strictly below every training value of feature f (XGBoost's "min value" cut).
  double min_cut(std::size_t f) const { return min_cuts_[f]; }

  /// The bin holding at least half of feature f's rows, or -1. Histogram construction skips
  /// it and recovers it from the node total (LightGBM's most-frequent-bin trick): one-hot and
  /// n-gram count features are mostly zero, and repeated additions into one bin form a
  /// dependency chain that would dominate the pass.
  int dominant_bin(std::size_t f) const { return dominant_bins_[f]; }
  /// The rows of feature f outside its dominant bin, ascending (none when it has no dominant
  /// bin). A histogram of a large node reads these instead of every row for mostly-constant
  /// features: the dominant bin is the node total minus the rest.
  const std::uint32_t* exception_rows(std::size_t f) const {
    return exception_rows_.data() + exception_offsets_[f];
  }
  std::size_t num_exceptions(std::size_t f) const {
    return exception_offsets_[f + 1] - exception_offsets_[f];
  }

  /// The bin a raw value falls in for feature f (NaN -> kMissingBin).
  std::uint8_t bin_of(std::size_t f, double value) const;

 private:
  BinnedMatrix(std::size_t rows, std::size_t cols, int max_bin);
  static void check_shape(std::size_t rows, std::size_t cols, int max_bin);
  // check_shape on every rank holding rows, and the same cols and max_bin on all (a collective).
  static void agree_on_shape(std::size_t rows, std::size_t cols, int max_bin, Communicator& comm);
  // InvalidArgument naming the first infinite value (rows numbered from first_row).
  static void check_finite(const double* x, std::size_t rows, std::size_t cols,
                           std::size_t first_row = 0);
  // Cuts of column c from its sorted sampled values, the last one above `largest` and min_cut
  // below `smallest` (the extremes of every row).
  void set_cuts(std::size_t c, const std::vector<double>& sorted, double largest, double smallest);
  // Bins rows [first, first + count) of the matrix, given row-major in x, with the cuts set:
  // both layouts.
  void bin_block(const double* x, std::size_t first, std::size_t count);
  // Once every row is binned: dominant bins and the exception rows.
  void finish_bins();

  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  int max_bin_ = 256;
  std::vector<std::uint8_t> bins_;
  std::vector<std::uint8_t> row_bins_;
  std::vector<std::vector<double>> cuts_;
  std::vector<double> min_cuts_;
  std::vector<int> dominant_bins_;
  std::vector<std::size_t> exception_offsets_;  // cols + 1 entries into exception_rows_
  std::vector<std::uint32_t> exception_rows_;
};

}  // namespace claimlens
