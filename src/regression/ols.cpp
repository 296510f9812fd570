#include "claimlens/regression/ols.hpp"

#include <cmath>
#include <string>

#include <Eigen/Eigenvalues>
#include <Eigen/Householder>
#include <Eigen/QR>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/fisher_f.hpp>
#include <boost/math/distributions/students_t.hpp>

#include "claimlens/accurate_sum.hpp"
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

// On unit-norm columns |R_jj| is the distance of column j from the span of the columns before it.
void check_rank(const Eigen::MatrixXd& R, const std::vector<std::string>& names) {
  const Eigen::Index p = R.cols();
  for (Eigen::Index j = 0; j < p; ++j) {
    if (std::abs(R(j, j)) > 1e-10) continue;
    throw InvalidArgument(
        "fit_ols: the design matrix is rank deficient: column '" + names[j] +
        "' is a linear combination of the columns before it" +
        (j > 0 ? " ('" + names[0] + "'" + (j > 1 ? "..'" + names[j - 1] + "'" : "") + ")"
               : std::string(" (it is all zeros)")));
  }
}

}  // namespace

OLSResults fit_ols(const RowMatrix& X, const Vector& y, const OLSOptions& options) {
  const Eigen::Index p = X.cols() + (options.add_constant ? 1 : 0);
  check_ols_input(X, y, p);
  OLSResults r;
  r.names = parameter_names(options.names, X.cols(), options.add_constant);
  r.dep_name = options.dep_name;
  r.nobs = static_cast<size_t>(X.rows());
  const double n = static_cast<double>(X.rows());

  // Householder QR of the design with unit-norm columns (scale-free rank test and conditioning).
  Eigen::MatrixXd As(X.rows(), p);
  if (options.add_constant) As.col(0).setOnes();
  As.rightCols(X.cols()) = X;
  Eigen::VectorXd colnorm = As.colwise().norm().transpose();
  for (Eigen::Index j = 0; j < p; ++j) {
    if (colnorm[j] == 0) colnorm[j] = 1;  // an all-zero column is caught as rank deficient
  }
  As *= colnorm.cwiseInverse().asDiagonal();
  Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(As);
  const Eigen::MatrixXd R = qr.matrixQR().topLeftCorner(p, p).triangularView<Eigen::Upper>();
  check_rank(R, r.names);

  const Eigen::VectorXd qty = (qr.householderQ().transpose() * y).head(p);
  const Eigen::VectorXd beta_scaled = R.triangularView<Eigen::Upper>().solve(qty);
  r.params = beta_scaled.cwiseQuotient(colnorm);
  r.fittedvalues = X * r.params.tail(X.cols());
  if (options.add_constant) r.fittedvalues.array() += r.params[0];
  r.resid = y - r.fittedvalues;
  r.ssr = r.resid.squaredNorm();
  const double k_const = options.add_constant ? 1.0 : 0.0;
  r.df_model = static_cast<double>(p) - k_const;
  r.df_resid = n - static_cast<double>(p);
  r.mse_resid = r.ssr / r.df_resid;
  r.centered_tss = central_moments(y.data(), static_cast<std::size_t>(y.size())).m2;
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

  // (A'A)^-1 = D^-1 R^-1 R^-T D^-1 from the QR of the scaled design A D^-1 = Q R.
  const Eigen::MatrixXd Rinv =
      R.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(p, p));
  const Eigen::MatrixXd Dinv = colnorm.cwiseInverse().asDiagonal();
  r.cov_params = r.mse_resid * (Dinv * (Rinv * Rinv.transpose()) * Dinv);
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
  // statsmodels' "Cond. No.": sqrt of the extreme eigenvalue ratio of A'A = D R'R D.
  const Eigen::MatrixXd gram = colnorm.asDiagonal() * (R.transpose() * R) * colnorm.asDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram, Eigen::EigenvaluesOnly);
  const auto& ev = eig.eigenvalues();
  r.condition_number = std::sqrt(ev[ev.size() - 1] / ev[0]);
  return r;
}

}  // namespace claimlens
