// Internal: the numeric reductions behind describe() and groupby: pandas' definitions, with means
// and standard deviations from claimlens/accurate_sum.hpp (exact to a few ulps, where pandas' can
// lose the digits of a large offset; docs/statistics.md).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace claimlens::detail {

/// Mean over the non-null values (claimlens/accurate_sum.hpp: pandas' mean without its rounding
/// error); NaN when there are none.
double nan_mean(const std::vector<double>& values_with_nan);

/// Standard deviation (ddof) over the non-null values, from the exact mean
/// (claimlens/accurate_sum.hpp); NaN for count <= ddof.
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
