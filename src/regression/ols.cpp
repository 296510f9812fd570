#include "claimlens/regression/ols.hpp"

#include <cmath>
#include <string>

#include <Eigen/QR>
#include <Eigen/SVD>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "claimlens/error.hpp"
#include "common.hpp"
#include "residual_tests.hpp"

namespace claimlens {

using namespace regression_detail;

RowMatrix OLSResults::conf_int(double alpha) const {
  if (!(alpha > 0 && alpha < 1)) {
    throw InvalidArgument("conf_int: alpha must be in (0, 1), got " +
                          format_general(alpha, 17, false));
  }
  const double q =
      boost::math::quantile(boost::math::complement(boost::math::students_t(df_resid), alpha / 2));
  RowMatrix out(params.size(), 2);
  out.col(0) = params - q * bse;
  out.col(1) = params + q * bse;
  return out;
}

std::string OLSResults::summary() const {
  std::string out = summary_header("OLS Regression Results",
                                   {{"Dep. Variable:", dep_name},
                                    {"Model:", "OLS"},
                                    {"Method:", "Least Squares"},
                                    {"Date:", "<date>"},
                                    {"Time:", "<time>"},
                                    {"No. Observations:", std::to_string(nobs)},
                                    {"Df Residuals:", format_general(df_resid, 17, false)},
                                    {"Df Model:", format_general(df_model, 17, false)},
                                    {"Covariance Type:", "nonrobust"}},
                                   {{"R-squared:", format_fixed(rsquared, 3)},
                                    {"Adj. R-squared:", format_fixed(rsquared_adj, 3)},
                                    {"F-statistic:", format_general(fvalue, 4, true)},
                                    {"Prob (F-statistic):", format_general(f_pvalue, 3, true)},
                                    {"Log-Likelihood:", format_general(llf, 5, true)},
                                    {"AIC:", format_general(aic, 4, true)},
                                    {"BIC:", format_general(bic, 4, true)}});
  out += summary_params(names, params, bse, tvalues, pvalues, ci_low, ci_high, "t", "P>|t|", false);
  std::string diag = summary_header("",
                                    {{"Omnibus:", format_fixed(omnibus, 3)},
                                     {"Prob(Omnibus):", format_fixed(omnibus_pvalue, 3)},
                                     {"Skew:", format_fixed(skew, 3)},
                                     {"Kurtosis:", format_fixed(kurtosis, 3)}},
                                    {{"Durbin-Watson:", format_fixed(durbin_watson, 3)},
                                     {"Jarque-Bera (JB):", format_fixed(jarque_bera, 3)},
                                     {"Prob(JB):", format_general(jb_pvalue, 3, true)},
                                     {"Cond. No.", format_general(condition_number, 3, true)}});
  // Drop the empty title line; its 78-wide rule closes the parameter table, as in statsmodels.
  diag = diag.substr(diag.find('\n') + 1);
  out += diag + std::string(78, '=') + "\n";
  return out;
}

namespace {

void check_ols_input(const RowMatrix& X, const Vector& y, Eigen::Index p) {
  check_matrix(X, "X");
  check_vector(y, X.rows(), "y");
  if (X.rows() <= p) {
    throw InvalidArgument("fit_ols: " + std::to_string(X.rows()) + " rows for " +
                          std::to_string(p) +
                          " parameters; OLS needs more rows than parameters (more features than "
                          "rows leaves no residual degrees of freedom)");
  }
}

// Column-pivoted QR on unit-norm columns: rank deficiency names the first dependent column.
void check_rank(const Eigen::ColPivHouseholderQR<Eigen::MatrixXd>& qr,
                const std::vector<std::string>& names) {
  const Eigen::Index p = qr.cols();
  if (qr.rank() == p) return;
  std::string dependent;
  for (Eigen::Index k = qr.rank(); k < p; ++k) {
    if (!dependent.empty()) dependent += ", ";
    dependent += "'" + names[qr.colsPermutation().indices()[k]] + "'";
  }
  throw InvalidArgument("fit_ols: the design matrix is rank deficient (rank " +
                        std::to_string(qr.rank()) + " of " + std::to_string(p) + " columns): " +
                        dependent + " is a linear combination of the other columns");
}

}  // namespace

OLSResults fit_ols(const RowMatrix& X, const Vector& y, const OLSOptions& options) {
  const Eigen::Index p = X.cols() + (options.add_constant ? 1 : 0);
  check_ols_input(X, y, p);
  OLSResults r;
  r.names = parameter_names(options.names, X.cols(), options.add_constant);
  r.dep_name = options.dep_name;
  r.nobs = static_cast<size_t>(X.rows());
  const Eigen::MatrixXd A = with_constant(X, options.add_constant);
  const double n = static_cast<double>(X.rows());

  Eigen::VectorXd colnorm = A.colwise().norm().transpose();
  for (Eigen::Index j = 0; j < p; ++j) {
    if (colnorm[j] == 0) colnorm[j] = 1;  // an all-zero column is caught as rank deficient
  }
  const Eigen::MatrixXd As = A * colnorm.cwiseInverse().asDiagonal();
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(As);
  qr.setThreshold(1e-10);
  check_rank(qr, r.names);

  r.params = qr.solve(y).cwiseQuotient(colnorm);
  r.fittedvalues = A * r.params;
  r.resid = y - r.fittedvalues;
  r.ssr = r.resid.squaredNorm();
  const double k_const = options.add_constant ? 1.0 : 0.0;
  r.df_model = static_cast<double>(p) - k_const;
  r.df_resid = n - static_cast<double>(p);
  r.mse_resid = r.ssr / r.df_resid;
  r.centered_tss = (y.array() - y.mean()).square().sum();
  // Without a constant statsmodels measures R-squared against the uncentered total sum of squares.
  const double tss = options.add_constant ? r.centered_tss : y.squaredNorm();
  r.ess = tss - r.ssr;
  r.rsquared = 1.0 - r.ssr / tss;
  r.rsquared_adj = 1.0 - (n - k_const) / r.df_resid * (1.0 - r.rsquared);
  r.fvalue = (r.ess / r.df_model) / r.mse_resid;
  r.f_pvalue = r.df_model > 0 && std::isfinite(r.fvalue)
                   ? boost::math::cdf(boost::math::complement(
                         boost::math::fisher_f(r.df_model, r.df_resid), std::max(r.fvalue, 0.0)))
                   : std::nan("");
  r.llf = -n / 2.0 * (std::log(2.0 * M_PI * r.ssr / n) + 1.0);
  r.aic = -2.0 * r.llf + 2.0 * static_cast<double>(p);
  r.bic = -2.0 * r.llf + std::log(n) * static_cast<double>(p);

  // (A'A)^-1 = D^-1 P R^-1 R^-T P' D^-1 from the QR of the scaled design.
  const Eigen::MatrixXd R =
      qr.matrixR().topLeftCorner(p, p).template triangularView<Eigen::Upper>();
  const Eigen::MatrixXd Rinv =
      R.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
  Eigen::MatrixXd inner = Rinv * Rinv.transpose();
  inner = qr.colsPermutation() * inner * qr.colsPermutation().transpose();
  const Eigen::MatrixXd Dinv = colnorm.cwiseInverse().asDiagonal();
  r.cov_params = r.mse_resid * (Dinv * inner * Dinv);
  r.bse = r.cov_params.diagonal().cwiseSqrt();
  r.tvalues = r.params.cwiseQuotient(r.bse);
  r.pvalues.resize(p);
  const boost::math::students_t t(r.df_resid);
  for (Eigen::Index j = 0; j < p; ++j) {
    r.pvalues[j] = 2.0 * boost::math::cdf(boost::math::complement(t, std::abs(r.tvalues[j])));
  }
  const RowMatrix ci = r.conf_int(0.05);
  r.ci_low = ci.col(0);
  r.ci_high = ci.col(1);

  const ResidualTests tests = residual_tests(r.resid);
  r.omnibus = tests.omnibus;
  r.omnibus_pvalue = tests.omnibus_pvalue;
  r.jarque_bera = tests.jarque_bera;
  r.jb_pvalue = tests.jb_pvalue;
  r.skew = tests.skew;
  r.kurtosis = tests.kurtosis;
  r.durbin_watson = tests.durbin_watson;
  // Ratio of extreme singular values of the design (statsmodels' "Cond. No.").
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(A);
  const auto& s = svd.singularValues();
  r.condition_number = s[0] / s[s.size() - 1];
  return r;
}

}  // namespace claimlens
