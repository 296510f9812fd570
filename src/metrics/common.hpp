// Input checks and sums shared by the metrics sources.
#pragma once

#include "claimlens/pairwise_sum.hpp"

#include <cstddef>
#include <string>
#include <vector>

#include "claimlens/span.hpp"

namespace claimlens::detail {

/// InvalidArgument unless both label vectors are non-empty and of the same length.
void check_label_pair(const char* function, Span<const int> y_true, Span<const int> y_pred);

/// InvalidArgument unless y_true is non-empty, holds only 0/1 and matches `size` values.
void check_binary_labels(const char* function, Span<const int> y_true, std::size_t size,
                         const char* values_name);

/// Sorted distinct values of the given label vectors (a dense bitmap when their range is small,
/// which it is for class labels, else a sort).
std::vector<int> unique_labels(Span<const int> a, Span<const int> b = {});

/// Position of a label in a label list, or -1: a direct table when the labels span a small
/// range, else a binary search.
class LabelIndex {
 public:
  explicit LabelIndex(const std::vector<int>& labels);
  long operator()(int label) const {
    if (!table_.empty()) {
      const long long offset = static_cast<long long>(label) - min_;
      return offset < 0 || offset >= static_cast<long long>(table_.size())
                 ? -1
                 : table_[static_cast<std::size_t>(offset)];
    }
    return search(label);
  }

 private:
  long search(int label) const;
  long long min_ = 0;
  std::vector<int> table_;
  std::vector<int> sorted_;
  std::vector<std::size_t> position_;
};

/// numpy's pairwise summation (add.reduce on a contiguous float64 array), so that means agree
/// with numpy's to the last bit or nearly.
inline double pairwise_sum(const double* values, std::size_t n) {
  return claimlens::pairwise_sum(values, n);
}

}  // namespace claimlens::detail
