// Input checks and sums shared by the metrics sources.
#pragma once

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

/// Sorted distinct values of the given label vectors.
std::vector<int> unique_labels(Span<const int> a, Span<const int> b = {});

/// numpy's pairwise summation (add.reduce on a contiguous float64 array), so that means agree
/// with numpy's to the last bit or nearly.
double pairwise_sum(const double* values, std::size_t n);

}  // namespace claimlens::detail
