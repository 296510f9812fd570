// Data splitting like scikit-learn's train_test_split, KFold and StratifiedKFold. The sizes and
// per-class counts of every split equal scikit-learn's; which rows land where comes from
// claimlens::Random (not numpy's stream), except StratifiedKFold(shuffle=false), whose folds are
// scikit-learn's sample for sample.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// Row indices of one split.
struct SplitIndices {
  std::vector<std::size_t> train;
  std::vector<std::size_t> test;
};

/// test_size: a fraction in (0, 1) (float in sklearn) or a row count (int in sklearn).
class TestSize {
 public:
  static TestSize fraction(double share) { return TestSize(true, share); }
  static TestSize count(std::size_t rows) { return TestSize(false, static_cast<double>(rows)); }
  bool is_fraction() const { return fraction_; }
  double value() const { return value_; }

 private:
  TestSize(bool fraction, double value) : fraction_(fraction), value_(value) {}
  bool fraction_;
  double value_;
};

struct TrainTestSplitOptions {
  TestSize test_size = TestSize::fraction(0.25);
  bool shuffle = true;
  std::uint64_t seed = 0;
};

/// (n_train, n_test) as sklearn computes them: n_test = ceil(test_size * n) for a fraction,
/// n_train = n - n_test. InvalidArgument when test_size is out of range or a side is empty.
std::pair<std::size_t, std::size_t> train_test_sizes(std::size_t n_samples,
                                                     const TestSize& test_size);

/// Rows 0..n-1 split into train and test. shuffle: a seeded permutation (train and test in
/// permutation order, as sklearn returns them); no shuffle: the first n_train rows are train.
SplitIndices train_test_split(std::size_t n_samples, const TrainTestSplitOptions& options = {});

/// Stratified like train_test_split(stratify=labels) (StratifiedShuffleSplit's allocation:
/// per-class counts from the same "approximate mode" rule). Requires shuffle, every class with
/// at least 2 members, and both sides at least as large as the number of classes.
SplitIndices train_test_split_stratified(Span<const std::int64_t> labels,
                                         const TrainTestSplitOptions& options = {});
SplitIndices train_test_split_stratified(const std::vector<std::string>& labels,
                                         const TrainTestSplitOptions& options = {});

/// train_test_split of a frame's rows -> (train, test); `stratify` names a label column
/// (string, int64 or bool, no nulls) or is empty.
std::pair<DataFrame, DataFrame> train_test_split(const DataFrame& frame,
                                                 const TrainTestSplitOptions& options = {},
                                                 const std::string& stratify = "");

/// K consecutive folds (after a seeded shuffle when `shuffle`); the first n % k folds have one
/// extra row. Train and test indices ascending, as sklearn yields them.
class KFold {
 public:
  explicit KFold(std::size_t n_splits = 5, bool shuffle = false, std::uint64_t seed = 0);
  std::vector<SplitIndices> split(std::size_t n_samples) const;
  std::size_t n_splits() const { return n_splits_; }

 private:
  std::size_t n_splits_;
  bool shuffle_;
  std::uint64_t seed_;
};

/// Folds preserving class proportions with sklearn's allocation (each class spread so fold
/// counts differ by at most one). InvalidArgument when a class has fewer than n_splits members
/// (sklearn only warns unless every class does; a fold without a class breaks per-fold metrics).
class StratifiedKFold {
 public:
  explicit StratifiedKFold(std::size_t n_splits = 5, bool shuffle = false, std::uint64_t seed = 0);
  std::vector<SplitIndices> split(Span<const std::int64_t> labels) const;
  std::vector<SplitIndices> split(const std::vector<std::string>& labels) const;
  /// Fold number of every sample's test fold (sklearn's _make_test_folds).
  std::vector<std::size_t> test_folds(Span<const std::int64_t> labels) const;
  std::size_t n_splits() const { return n_splits_; }

 private:
  std::size_t n_splits_;
  bool shuffle_;
  std::uint64_t seed_;
};

}  // namespace claimlens
