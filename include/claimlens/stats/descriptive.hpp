// Descriptive statistics over a column of doubles (NaN = missing), with pandas' and numpy's
// definitions: sums are numpy's pairwise sums; means, variances and skew come from
// claimlens/accurate_sum.hpp (pivot-shifted, compensated, exact to a few ulps where numpy loses
// the digits of a large offset; docs/statistics.md); quantiles use numpy's methods by partial
// selection (nth_element), never a full sort.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "claimlens/span.hpp"

namespace claimlens::stats {

/// What to do with NaN (missing) values: skip them like pandas' skipna=True / scipy's
/// nan_policy="omit", or refuse them with InvalidArgument.
enum class NanPolicy { Omit, Raise };

/// Number of non-NaN values.
std::size_t count(Span<const double> x);
/// Sum of the non-NaN values (0 for none), numpy's pairwise order.
double sum(Span<const double> x, NanPolicy nan = NanPolicy::Omit);
/// pandas' Series.mean(): sum / count, computed without the rounding of the sum (so it can differ
/// from sum(x) / count(x) in the last bits). InvalidArgument when no value is left.
double mean(Span<const double> x, NanPolicy nan = NanPolicy::Omit);
/// pandas' Series.var(ddof): sum((x - mean)^2) / (count - ddof), for the exact mean. ddof is
/// explicit (pandas uses 1, numpy 0). InvalidArgument when count <= ddof or ddof < 0.
double variance(Span<const double> x, int ddof, NanPolicy nan = NanPolicy::Omit);
/// sqrt(variance(x, ddof)).
double stddev(Span<const double> x, int ddof, NanPolicy nan = NanPolicy::Omit);
/// Standard error of the mean, stddev(x, ddof) / sqrt(count) (scipy.stats.sem, ddof 1).
double sem(Span<const double> x, int ddof = 1, NanPolicy nan = NanPolicy::Omit);
double min(Span<const double> x, NanPolicy nan = NanPolicy::Omit);
double max(Span<const double> x, NanPolicy nan = NanPolicy::Omit);

/// Sample skewness. bias=false is pandas' Series.skew() (adjusted Fisher-Pearson, needs 3 values);
/// bias=true is scipy.stats.skew's default (m3 / m2^1.5). InvalidArgument for a constant column.
double skew(Span<const double> x, bool bias = false, NanPolicy nan = NanPolicy::Omit);

/// numpy.quantile's methods (pandas' interpolation= takes the first five).
enum class QuantileMethod {
  Linear,                   // (n-1)q, interpolated: numpy/pandas default, Hyndman-Fan 7
  Lower,                    // floor((n-1)q)
  Higher,                   // ceil((n-1)q)
  Nearest,                  // round-half-even((n-1)q)
  Midpoint,                 // mean of lower and higher
  InvertedCdf,              // Hyndman-Fan 1
  AveragedInvertedCdf,      // Hyndman-Fan 2
  ClosestObservation,       // Hyndman-Fan 3
  InterpolatedInvertedCdf,  // Hyndman-Fan 4
  Hazen,                    // Hyndman-Fan 5
  Weibull,                  // Hyndman-Fan 6
  MedianUnbiased,           // Hyndman-Fan 8
  NormalUnbiased,           // Hyndman-Fan 9
};
/// numpy's name ("linear", "inverted_cdf", ...).
const char* quantile_method_name(QuantileMethod method);
/// The method of a numpy name; InvalidArgument listing the valid names otherwise.
QuantileMethod quantile_method_from_name(std::string_view name);

/// numpy.quantile(x[~isnan(x)], q, method) (pandas' Series.quantile). q in [0, 1], else
/// InvalidArgument naming q; InvalidArgument when no value is left.
double quantile(Span<const double> x, double q, QuantileMethod method = QuantileMethod::Linear,
                NanPolicy nan = NanPolicy::Omit);
/// Several quantiles with one copy of the data and one multi-index partial selection.
std::vector<double> quantiles(Span<const double> x, Span<const double> qs,
                              QuantileMethod method = QuantileMethod::Linear,
                              NanPolicy nan = NanPolicy::Omit);
/// numpy.median / pandas' Series.median(): the middle value, or the mean of the two middle ones.
double median(Span<const double> x, NanPolicy nan = NanPolicy::Omit);
/// Interquartile range quantile(0.75) - quantile(0.25) (scipy.stats.iqr with the same method).
double iqr(Span<const double> x, QuantileMethod method = QuantileMethod::Linear,
           NanPolicy nan = NanPolicy::Omit);

/// pandas' describe() of one numeric column. std is NaN with a single value.
struct Summary {
  std::size_t count = 0;
  double mean = 0, std = 0, min = 0, q25 = 0, q50 = 0, q75 = 0, max = 0;
};
/// InvalidArgument when no value is left.
Summary describe(Span<const double> x, NanPolicy nan = NanPolicy::Omit);

/// The non-NaN values of x in order (a copy); InvalidArgument naming `what` when nan is Raise and a
/// NaN is present.
std::vector<double> dropna(Span<const double> x, NanPolicy nan = NanPolicy::Omit,
                           const char* what = "x");

}  // namespace claimlens::stats
