// Internal helpers shared by the stats sources: NaN scans, numpy's masked sum, messages. Means,
// variances and covariances come from claimlens/accurate_sum.hpp.
#pragma once

#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/span.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "claimlens/stats/summation.hpp"

namespace claimlens::stats::detail {

/// Shortest round-trip text of a double, locale-independent.
inline std::string format_number(double value) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

[[noreturn]] inline void invalid(const std::string& function, const std::string& message) {
  throw InvalidArgument("stats::" + function + ": " + message);
}

/// Number of non-NaN values of x; with NanPolicy::Raise, InvalidArgument naming the argument and
/// the index of the first NaN.
inline std::size_t valid_count(Span<const double> x, NanPolicy nan, const char* function,
                               const char* arg) {
  std::size_t nans = 0;
  for (double v : x) nans += std::isnan(v) ? 1 : 0;
  if (nans != 0 && nan == NanPolicy::Raise) {
    std::size_t i = 0;
    while (!std::isnan(x[i])) ++i;
    invalid(function, std::string(arg) + " has a NaN at index " + std::to_string(i) +
                          " and the NaN policy is Raise");
  }
  return x.size() - nans;
}

/// valid_count that also insists on at least `minimum` values.
inline std::size_t require_count(Span<const double> x, NanPolicy nan, std::size_t minimum,
                                 const char* function, const char* arg) {
  const std::size_t n = valid_count(x, nan, function, arg);
  if (n < minimum) {
    invalid(function, std::string(arg) + " has " + std::to_string(n) +
                          " non-NaN value(s); at least " + std::to_string(minimum) + " are needed");
  }
  return n;
}

/// Sum with NaN counted as 0 (pandas' nansum: fill missing with 0, then numpy's sum).
inline double masked_sum(Span<const double> x) {
  const double* p = x.data();
  return pairwise_sum(x.size(), [p](std::size_t i) { return std::isnan(p[i]) ? 0.0 : p[i]; });
}

}  // namespace claimlens::stats::detail
