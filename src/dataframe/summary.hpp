// Internal: the numeric reductions behind describe() and groupby, computed the way pandas does
// (so results agree to the last bits, not just approximately).
#pragma once

#include "claimlens/pairwise_sum.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace claimlens::detail {

/// numpy's pairwise summation (what pandas' mean uses: nulls are summed as 0).
inline double pairwise_sum(const double* values, size_t n) {
  return claimlens::pairwise_sum(values, n);
}

/// Mean over the non-null values; NaN when there are none.
double nan_mean(const std::vector<double>& values_with_nan);

/// Standard deviation (ddof) over the non-null values as bottleneck's nanstd computes it (two
/// sequential passes); NaN for count <= ddof.
double nan_std(const std::vector<double>& values_with_nan, int ddof = 1);

/// numpy.percentile(sorted, q * 100, method="linear") of ascending values (no NaN).
double quantile_sorted(const std::vector<double>& sorted, double q);

/// Characters (UTF-8 code points) in s, pandas' display width (no East Asian widening).
size_t display_width(const std::string& s);

/// pandas' float column formatting in a frame (FloatArrayFormatter with display.precision 6,
/// leading space): "% .6f", trailing zeros trimmed equally, or "% .6e" for very large/small.
/// Nulls are "NaN".
std::vector<std::string> format_float_column(const std::vector<double>& values,
                                             const std::vector<bool>& valid);

/// A pandas text table: index labels (left-aligned), then right-aligned columns, one space apart.
/// `cells[c]` are the already formatted values of column c.
std::string format_table(const std::vector<std::string>& index_labels,
                         const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& cells);

}  // namespace claimlens::detail
