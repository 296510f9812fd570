// Normality and autocorrelation diagnostics of residuals, as statsmodels' OLS summary reports them
// (scipy.stats.normaltest = D'Agostino-Pearson K^2, Jarque-Bera, Durbin-Watson).
#pragma once

#include "claimlens/matrix.hpp"

namespace claimlens::regression_detail {

struct ResidualTests {
  double omnibus = 0, omnibus_pvalue = 0;  // NaN below 8 residuals (scipy's skewtest needs 8)
  double jarque_bera = 0, jb_pvalue = 0;
  double skew = 0, kurtosis = 0;  // biased; kurtosis is Pearson's (normal = 3)
  double durbin_watson = 0;
};

ResidualTests residual_tests(const Vector& resid);

}  // namespace claimlens::regression_detail
