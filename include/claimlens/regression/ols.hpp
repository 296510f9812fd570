// Ordinary least squares with statsmodels-style inference and residual diagnostics.
#pragma once

#include <string>
#include <vector>

#include "claimlens/matrix.hpp"

namespace claimlens {

struct OLSOptions {
  bool add_constant = true;        // prepend "const" like sm.add_constant
  std::vector<std::string> names;  // one per column of X; empty = x1, x2, ...
  std::string dep_name = "y";
};

/// Parameters ordered like statsmodels: "const" first (if added), then the columns of X.
struct OLSResults {
  std::vector<std::string> names;
  std::string dep_name;
  Vector params, bse, tvalues, pvalues, ci_low, ci_high;  // 95% t intervals
  Vector fittedvalues, resid;
  RowMatrix cov_params;
  double rsquared = 0, rsquared_adj = 0, fvalue = 0, f_pvalue = 0;
  double llf = 0, aic = 0, bic = 0, ssr = 0, ess = 0, centered_tss = 0, mse_resid = 0;
  double df_model = 0, df_resid = 0;
  size_t nobs = 0;
  // Residual diagnostics, as statsmodels' summary() (omni_normtest, jarque_bera, durbin_watson).
  double omnibus = 0, omnibus_pvalue = 0, jarque_bera = 0, jb_pvalue = 0, skew = 0, kurtosis = 0;
  double durbin_watson = 0, condition_number = 0;

  RowMatrix conf_int(double alpha = 0.05) const;
  /// A text table laid out like statsmodels' RegressionResults.summary().
  std::string summary() const;
};

/// Least squares by column-pivoted QR. Throws InvalidArgument on bad input, when there are not more
/// rows than parameters, or when the design is rank deficient (naming the dependent column).
OLSResults fit_ols(const RowMatrix& X, const Vector& y, const OLSOptions& options = {});

}  // namespace claimlens
