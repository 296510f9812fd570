// t-tests and t intervals, with scipy's formulas (scipy/stats/_stats_py.py: _ttest_finish,
// _unequal_var_ttest_denom, _equal_var_ttest_denom) and Boost.Math's Student t distribution. The
// means and variances are claimlens/accurate_sum.hpp's: the difference of the means keeps the
// digits a large common offset would take from scipy's (docs/statistics.md).
#include "claimlens/stats/hypothesis.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <string>

#include "claimlens/accurate_sum.hpp"
#include "common.hpp"

namespace claimlens::stats {

namespace {

using detail::invalid;

struct SampleStats {
  double n = 0, var = 0;  // count and variance (ddof 1)
  CentralMoments moments;
};

SampleStats sample_stats(Span<const double> x, NanPolicy nan, const char* function,
                         const char* arg) {
  detail::require_count(x, nan, 2, function, arg);
  SampleStats s;
  s.moments = central_moments(x.data(), x.size());
  s.n = static_cast<double>(s.moments.count);
  s.var = s.moments.variance(1);
  return s;
}

// scipy's _ttest_finish: the tail(s) of Student's t beyond t.
double t_p_value(double t, double df, Alternative alternative) {
  const boost::math::students_t_distribution<double> dist(df);
  switch (alternative) {
    case Alternative::Less:
      return boost::math::cdf(dist, t);
    case Alternative::Greater:
      return boost::math::cdf(boost::math::complement(dist, t));
    case Alternative::TwoSided:
      break;
  }
  return 2.0 * boost::math::cdf(boost::math::complement(dist, std::fabs(t)));
}

void check_confidence(double confidence, const char* function) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    invalid(function, "confidence must be in (0, 1), got " + detail::format_number(confidence));
  }
}

}  // namespace

const char* alternative_name(Alternative alternative) {
  switch (alternative) {
    case Alternative::Less:
      return "less";
    case Alternative::Greater:
      return "greater";
    case Alternative::TwoSided:
      break;
  }
  return "two-sided";
}

Alternative alternative_from_name(std::string_view name) {
  if (name == "two-sided") return Alternative::TwoSided;
  if (name == "less") return Alternative::Less;
  if (name == "greater") return Alternative::Greater;
  invalid("alternative_from_name",
          "unknown alternative '" + std::string(name) + "' (valid: two-sided, less, greater)");
}

TTestResult ttest_ind(Span<const double> a, Span<const double> b, bool equal_var,
                      Alternative alternative, NanPolicy nan) {
  const SampleStats sa = sample_stats(a, nan, "ttest_ind", "a");
  const SampleStats sb = sample_stats(b, nan, "ttest_ind", "b");
  if (sa.var == 0 && sb.var == 0) {
    invalid("ttest_ind", "a and b both have zero variance; the t statistic is undefined");
  }
  TTestResult r;
  double denom;
  if (equal_var) {
    r.df = sa.n + sb.n - 2.0;
    const double pooled = (sa.moments.m2 + sb.moments.m2) / r.df;  // (n - 1) var, unrounded
    denom = std::sqrt(pooled * (1.0 / sa.n + 1.0 / sb.n));
  } else {
    const double vn1 = sa.var / sa.n, vn2 = sb.var / sb.n;
    r.df = (vn1 + vn2) * (vn1 + vn2) / (vn1 * vn1 / (sa.n - 1) + vn2 * vn2 / (sb.n - 1));
    denom = std::sqrt(vn1 + vn2);
  }
  r.statistic = mean_difference(sa.moments, sb.moments) / denom;
  r.p_value = t_p_value(r.statistic, r.df, alternative);
  return r;
}

TTestResult welch_ttest(Span<const double> a, Span<const double> b, Alternative alternative,
                        NanPolicy nan) {
  return ttest_ind(a, b, false, alternative, nan);
}

TTestResult ttest_1samp(Span<const double> a, double popmean, Alternative alternative,
                        NanPolicy nan) {
  if (!std::isfinite(popmean)) {
    invalid("ttest_1samp", "popmean must be finite, got " + detail::format_number(popmean));
  }
  const SampleStats s = sample_stats(a, nan, "ttest_1samp", "a");
  if (s.var == 0) invalid("ttest_1samp", "a has zero variance; the t statistic is undefined");
  TTestResult r;
  r.df = s.n - 1;
  r.statistic = s.moments.mean_minus(popmean) / std::sqrt(s.var / s.n);
  r.p_value = t_p_value(r.statistic, r.df, alternative);
  return r;
}

Interval t_interval(double confidence, double df, double loc, double scale) {
  check_confidence(confidence, "t_interval");
  if (!(df > 0)) invalid("t_interval", "df must be > 0, got " + detail::format_number(df));
  if (!(scale > 0) || !std::isfinite(scale)) {
    invalid("t_interval", "scale must be finite and > 0, got " + detail::format_number(scale));
  }
  if (!std::isfinite(loc)) invalid("t_interval", "loc must be finite");
  const boost::math::students_t_distribution<double> dist(df);
  // scipy's rv_continuous.interval: ppf((1 - c) / 2) and ppf((1 + c) / 2), each ppf * scale + loc.
  Interval out;
  out.low = boost::math::quantile(dist, (1.0 - confidence) / 2) * scale + loc;
  out.high = boost::math::quantile(dist, (1.0 + confidence) / 2) * scale + loc;
  return out;
}

Interval mean_confidence_interval(Span<const double> x, double confidence, NanPolicy nan) {
  check_confidence(confidence, "mean_confidence_interval");
  const SampleStats s = sample_stats(x, nan, "mean_confidence_interval", "x");
  const double se = std::sqrt(s.var) / std::sqrt(s.n);
  if (se == 0) invalid("mean_confidence_interval", "x has zero variance (standard error 0)");
  return t_interval(confidence, s.n - 1, s.moments.mean, se);
}

}  // namespace claimlens::stats
