// IQR fences, outlier counts and capping.
#include "claimlens/stats/outliers.hpp"

#include <cmath>

#include "common.hpp"

namespace claimlens::stats {

IqrFences iqr_fences(Span<const double> x, double k, NanPolicy nan) {
  if (!(k >= 0) || !std::isfinite(k)) {
    detail::invalid("iqr_fences", "k must be finite and >= 0, got " + detail::format_number(k));
  }
  const double qs[2] = {0.25, 0.75};
  const std::vector<double> q =
      quantiles(x, Span<const double>(qs, 2), QuantileMethod::Linear, nan);
  IqrFences f;
  f.q1 = q[0];
  f.q3 = q[1];
  f.iqr = f.q3 - f.q1;
  f.lower = f.q1 - k * f.iqr;
  f.upper = f.q3 + k * f.iqr;
  return f;
}

std::size_t count_outliers(Span<const double> x, const IqrFences& fences, Tail tail) {
  const bool low = tail != Tail::Upper, high = tail != Tail::Lower;
  std::size_t n = 0;
  for (double v : x) n += ((low && v < fences.lower) || (high && v > fences.upper)) ? 1 : 0;
  return n;
}

void cap_outliers_inplace(Span<double> x, const IqrFences& fences, Tail tail) {
  const bool low = tail != Tail::Upper, high = tail != Tail::Lower;
  for (double& v : x) {
    if (high && v > fences.upper) v = fences.upper;
    if (low && v < fences.lower) v = fences.lower;
  }
}

std::vector<double> cap_outliers(Span<const double> x, const IqrFences& fences, Tail tail) {
  std::vector<double> out(x.begin(), x.end());
  cap_outliers_inplace(out, fences, tail);
  return out;
}

}  // namespace claimlens::stats
