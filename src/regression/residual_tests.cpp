#include "residual_tests.hpp"

#include <cmath>
#include <limits>

#include <boost/math/distributions/chi_squared.hpp>

namespace claimlens::regression_detail {

namespace {

// D'Agostino's transform of the sample skewness to a standard normal (scipy.stats.skewtest).
double skew_z(double b2, double n) {
  double y = b2 * std::sqrt(((n + 1) * (n + 3)) / (6.0 * (n - 2)));
  const double beta2 =
      (3.0 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2.0) * (n + 5) * (n + 7) * (n + 9));
  const double w2 = -1 + std::sqrt(2 * (beta2 - 1));
  const double delta = 1 / std::sqrt(0.5 * std::log(w2));
  const double alpha = std::sqrt(2.0 / (w2 - 1));
  if (y == 0) y = 1;
  return delta * std::log(y / alpha + std::sqrt((y / alpha) * (y / alpha) + 1));
}

// Anscombe & Glynn's transform of the sample kurtosis (scipy.stats.kurtosistest).
double kurtosis_z(double b2, double n) {
  const double e = 3.0 * (n - 1) / (n + 1);
  const double varb2 = 24.0 * n * (n - 2) * (n - 3) / ((n + 1) * (n + 1.0) * (n + 3) * (n + 5));
  const double x = (b2 - e) / std::sqrt(varb2);
  const double sqrtbeta1 = 6.0 * (n * n - 5 * n + 2) / ((n + 7) * (n + 9)) *
                           std::sqrt((6.0 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const double a =
      6.0 + 8.0 / sqrtbeta1 * (2.0 / sqrtbeta1 + std::sqrt(1 + 4.0 / (sqrtbeta1 * sqrtbeta1)));
  const double term1 = 1 - 2 / (9.0 * a);
  const double denom = 1 + x * std::sqrt(2 / (a - 4.0));
  if (denom == 0) return std::numeric_limits<double>::quiet_NaN();
  const double term2 = (denom > 0 ? 1.0 : -1.0) * std::cbrt((1 - 2.0 / a) / std::abs(denom));
  return (term1 - term2) / std::sqrt(2 / (9.0 * a));
}

}  // namespace

ResidualTests residual_tests(const Vector& resid) {
  ResidualTests t;
  const double n = static_cast<double>(resid.size());
  const double mean = resid.mean();
  double m2 = 0, m3 = 0, m4 = 0;
  for (Eigen::Index i = 0; i < resid.size(); ++i) {
    const double d = resid[i] - mean, d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n, m3 /= n, m4 /= n;
  t.skew = m3 / std::pow(m2, 1.5);
  t.kurtosis = m4 / (m2 * m2);
  t.jarque_bera = n / 6.0 * (t.skew * t.skew + 0.25 * (t.kurtosis - 3) * (t.kurtosis - 3));
  const boost::math::chi_squared chi2(2.0);
  t.jb_pvalue = std::isfinite(t.jarque_bera)
                    ? boost::math::cdf(boost::math::complement(chi2, t.jarque_bera))
                    : std::numeric_limits<double>::quiet_NaN();
  if (resid.size() >= 8) {
    const double zs = skew_z(t.skew, n), zk = kurtosis_z(t.kurtosis, n);
    t.omnibus = zs * zs + zk * zk;
    t.omnibus_pvalue = std::isfinite(t.omnibus)
                           ? boost::math::cdf(boost::math::complement(chi2, t.omnibus))
                           : std::numeric_limits<double>::quiet_NaN();
  } else {
    t.omnibus = t.omnibus_pvalue = std::numeric_limits<double>::quiet_NaN();
  }
  double num = 0;
  for (Eigen::Index i = 1; i < resid.size(); ++i) {
    num += (resid[i] - resid[i - 1]) * (resid[i] - resid[i - 1]);
  }
  t.durbin_watson = num / resid.squaredNorm();
  return t;
}

}  // namespace claimlens::regression_detail
