// Moments and extremes (quantiles live in quantile.cpp).
#include "claimlens/stats/descriptive.hpp"

#include <cmath>
#include <limits>

#include "claimlens/accurate_sum.hpp"
#include "common.hpp"

namespace claimlens::stats {

using detail::invalid;
using detail::require_count;

std::size_t count(Span<const double> x) {
  return detail::valid_count(x, NanPolicy::Omit, "count", "x");
}

double sum(Span<const double> x, NanPolicy nan) {
  detail::valid_count(x, nan, "sum", "x");
  return detail::masked_sum(x);
}

double mean(Span<const double> x, NanPolicy nan) {
  require_count(x, nan, 1, "mean", "x");
  return central_moments(x.data(), x.size()).mean;
}

double variance(Span<const double> x, int ddof, NanPolicy nan) {
  if (ddof < 0) invalid("variance", "ddof must be >= 0, got " + std::to_string(ddof));
  require_count(x, nan, static_cast<std::size_t>(ddof) + 1, "variance", "x");
  return central_moments(x.data(), x.size()).variance(ddof);
}

double stddev(Span<const double> x, int ddof, NanPolicy nan) {
  return std::sqrt(variance(x, ddof, nan));
}

double sem(Span<const double> x, int ddof, NanPolicy nan) {
  const double var = variance(x, ddof, nan);
  return std::sqrt(var) / std::sqrt(static_cast<double>(count(x)));
}

namespace {

template <class Better>
double extreme(Span<const double> x, NanPolicy nan, const char* function, Better better) {
  require_count(x, nan, 1, function, "x");
  double best = std::numeric_limits<double>::quiet_NaN();
  for (double v : x) {
    if (std::isnan(v)) continue;
    if (std::isnan(best) || better(v, best)) best = v;
  }
  return best;
}

}  // namespace

double min(Span<const double> x, NanPolicy nan) {
  return extreme(x, nan, "min", [](double a, double b) { return a < b; });
}

double max(Span<const double> x, NanPolicy nan) {
  return extreme(x, nan, "max", [](double a, double b) { return a > b; });
}

double skew(Span<const double> x, bool bias, NanPolicy nan) {
  const std::size_t n = require_count(x, nan, bias ? 2 : 3, "skew", "x");
  const double count = static_cast<double>(n);
  const CentralMoments moments = central_moments(x.data(), x.size());
  const double avg = moments.mean;
  double m2 = moments.m2;
  // Cubed deviations from the accurate mean (its residual error is far below their rounding).
  const double* p = x.data();
  CompensatedSum cubes[1];
  accurate_sums<1>(
      x.size(),
      [p, moments](std::size_t i, double(&t)[1]) {
        const bool present = !std::isnan(p[i]);  // one select: see accurate_sums
        const double e = moments.deviation(present ? p[i] : moments.mean);
        t[0] = e * e * e * static_cast<double>(present);
      },
      cubes);
  double m3 = cubes[0].value();
  if (bias) {
    // scipy.stats.skew: central moments m2, m3 as means; "constant" below its resolution test.
    m2 /= count;
    m3 /= count;
    const double resolution = 1e-15 * avg;
    if (m2 <= resolution * resolution) invalid("skew", "x is constant (zero variance)");
    return m3 / std::pow(m2, 1.5);
  }
  // pandas' nanskew: sums below 1e-14 are floating-point noise and count as 0.
  if (std::fabs(m2) < 1e-14) invalid("skew", "x is constant (zero variance)");
  if (std::fabs(m3) < 1e-14) m3 = 0.0;
  return (count * std::pow(count - 1, 0.5) / (count - 2)) * (m3 / std::pow(m2, 1.5));
}

Summary describe(Span<const double> x, NanPolicy nan) {
  Summary s;
  s.count = require_count(x, nan, 1, "describe", "x");
  const CentralMoments moments = central_moments(x.data(), x.size());
  s.mean = moments.mean;
  s.std = s.count > 1 ? std::sqrt(moments.variance(1)) : std::numeric_limits<double>::quiet_NaN();
  const double qs[] = {0.25, 0.5, 0.75};
  const std::vector<double> q = quantiles(x, Span<const double>(qs, 3));
  s.q25 = q[0];
  s.q50 = q[1];
  s.q75 = q[2];
  s.min = min(x);
  s.max = max(x);
  return s;
}

std::vector<double> dropna(Span<const double> x, NanPolicy nan, const char* what) {
  const std::size_t n = detail::valid_count(x, nan, "dropna", what);
  std::vector<double> out;
  out.reserve(n);
  for (double v : x) {
    if (!std::isnan(v)) out.push_back(v);
  }
  return out;
}

}  // namespace claimlens::stats
