// Unpenalized logistic regression with statsmodels-style inference (Logit(...).fit().summary()).
#pragma once

#include <string>
#include <vector>

#include "claimlens/matrix.hpp"

namespace claimlens {

struct LogitOptions {
  bool add_constant = true;        // prepend "const" like sm.add_constant
  std::vector<std::string> names;  // one per column of X; empty = x1, x2, ...
  std::string dep_name = "y";
  int max_iter = 100;
  double tol = 1e-8;  // scaled gradient criterion, as LogisticRegressionOptions::tol
};

/// Results of the maximum-likelihood fit. Parameter vectors are ordered like statsmodels:
/// "const" first (if added), then the columns of X.
struct LogitResults {
  std::vector<std::string> names;
  std::string dep_name;
  Vector params, bse, zvalues, pvalues, ci_low, ci_high;  // 95% Wald intervals
  RowMatrix cov_params;
  double llf = 0, llnull = 0, llr = 0, llr_pvalue = 0, prsquared = 0, aic = 0, bic = 0;
  double df_model = 0, df_resid = 0;
  size_t nobs = 0;
  bool converged = false;
  int iterations = 0;

  /// Wald intervals at level 1 - alpha: rows = params, columns = lower, upper.
  RowMatrix conf_int(double alpha = 0.05) const;
  /// A text table laid out like statsmodels' LogitResults.summary().
  std::string summary() const;
};

/// Fits P(y=1) = 1/(1+exp(-X b)) by Newton's method to the exact optimum. Throws InvalidArgument on
/// bad input or collinear columns, StateError on perfect / quasi-complete separation or if the
/// optimum is not reached within max_iter.
LogitResults fit_logit(const RowMatrix& X, const Vector& y, const LogitOptions& options = {});

}  // namespace claimlens
