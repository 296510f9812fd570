#include "claimlens/regression/logit.hpp"

#include <cmath>
#include <string>

#include <Eigen/Cholesky>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>

#include "claimlens/error.hpp"
#include "common.hpp"
#include "logistic_core.hpp"

namespace claimlens {

using namespace regression_detail;

RowMatrix LogitResults::conf_int(double alpha) const {
  if (!(alpha > 0 && alpha < 1)) {
    throw InvalidArgument("conf_int: alpha must be in (0, 1), got " +
                          format_general(alpha, 17, false));
  }
  const double q = boost::math::quantile(boost::math::complement(boost::math::normal(), alpha / 2));
  RowMatrix out(params.size(), 2);
  out.col(0) = params - q * bse;
  out.col(1) = params + q * bse;
  return out;
}

std::string LogitResults::summary() const {
  std::string out = summary_header("Logit Regression Results",
                                   {{"Dep. Variable:", dep_name},
                                    {"Model:", "Logit"},
                                    {"Method:", "MLE"},
                                    {"Date:", "<date>"},
                                    {"Time:", "<time>"},
                                    {"converged:", converged ? "True" : "False"},
                                    {"Covariance Type:", "nonrobust"}},
                                   {{"No. Observations:", std::to_string(nobs)},
                                    {"Df Residuals:", format_general(df_resid, 17, false)},
                                    {"Df Model:", format_general(df_model, 17, false)},
                                    {"Pseudo R-squ.:", format_general(prsquared, 4, true)},
                                    {"Log-Likelihood:", format_general(llf, 5, true)},
                                    {"LL-Null:", format_general(llnull, 5, true)},
                                    {"LLR p-value:", format_general(llr_pvalue, 4, true)}});
  out += summary_params(names, params, bse, zvalues, pvalues, ci_low, ci_high, "z", "P>|z|", true);
  return out;
}

namespace {

void check_logit_input(const RowMatrix& X, const Vector& y, const LogitOptions& options) {
  check_matrix(X, "X");
  check_vector(y, X.rows(), "y");
  check_binary(y);
  if (options.max_iter < 1) {
    throw InvalidArgument("fit_logit: max_iter must be >= 1, got " +
                          std::to_string(options.max_iter));
  }
  if (!(options.tol > 0) || !std::isfinite(options.tol)) {
    throw InvalidArgument("fit_logit: tol must be a positive finite number");
  }
  const Eigen::Index p = X.cols() + (options.add_constant ? 1 : 0);
  if (X.rows() <= p) {
    throw InvalidArgument("fit_logit: " + std::to_string(X.rows()) + " rows for " +
                          std::to_string(p) + " parameters; need more rows than parameters");
  }
}

}  // namespace

LogitResults fit_logit(const RowMatrix& X, const Vector& y, const LogitOptions& options) {
  check_logit_input(X, y, options);
  LogitResults r;
  r.names = parameter_names(options.names, X.cols(), options.add_constant);
  r.dep_name = options.dep_name;
  r.nobs = static_cast<size_t>(X.rows());

  const ScaledDesign design = scale_design(X, options.add_constant, true);
  const LogisticProblem problem = make_problem(design, y, Vector::Ones(X.rows()), 1.0, false);
  const SolveResult res = solve_newton(problem, options.max_iter, options.tol, r.names);
  if (!res.converged) {
    throw StateError("fit_logit: Newton's method did not reach the optimum in " +
                     std::to_string(res.iterations) + " iterations (scaled gradient norm " +
                     format_general(res.gradient_norm, 6, false) + "); raise max_iter");
  }
  r.converged = true;
  r.iterations = res.iterations;

  // Covariance = inverse observed information, computed on the well-conditioned scaled problem and
  // carried to original units through the linear map params = J v.
  const RowMatrix H = hessian(problem, res.v);
  Eigen::LLT<Eigen::MatrixXd> llt(H);
  if (llt.info() != Eigen::Success) {
    throw StateError("fit_logit: the information matrix is singular at the optimum");
  }
  const Eigen::MatrixXd Hinv = llt.solve(Eigen::MatrixXd::Identity(H.rows(), H.cols()));
  const RowMatrix J = original_jacobian(design);
  r.cov_params = J * Hinv * J.transpose();
  r.params = J * res.v;
  r.bse = r.cov_params.diagonal().cwiseSqrt();
  r.zvalues = r.params.cwiseQuotient(r.bse);
  r.pvalues.resize(r.params.size());
  const boost::math::normal normal;
  for (Eigen::Index j = 0; j < r.params.size(); ++j) {
    r.pvalues[j] = 2.0 * boost::math::cdf(boost::math::complement(normal, std::abs(r.zvalues[j])));
  }
  const RowMatrix ci = r.conf_int(0.05);
  r.ci_low = ci.col(0);
  r.ci_high = ci.col(1);

  const Vector z = design.Z * res.v;
  double llf = 0.0;
  for (Eigen::Index i = 0; i < z.size(); ++i) llf -= log_loss(z[i], y[i]);
  r.llf = llf;
  // The null model is intercept-only (as statsmodels, even without a constant in X).
  const double n = static_cast<double>(y.size()), n1 = y.sum(), pbar = n1 / n;
  r.llnull = n1 * std::log(pbar) + (n - n1) * std::log1p(-pbar);
  const double k = static_cast<double>(r.params.size());
  r.df_model = k - 1.0;
  r.df_resid = n - k;
  r.llr = -2.0 * (r.llnull - r.llf);
  r.llr_pvalue = r.df_model > 0 ? boost::math::cdf(boost::math::complement(
                                      boost::math::chi_squared(r.df_model), std::max(r.llr, 0.0)))
                                : 1.0;
  r.prsquared = 1.0 - r.llf / r.llnull;
  r.aic = -2.0 * r.llf + 2.0 * k;
  r.bic = -2.0 * r.llf + std::log(n) * k;
  return r;
}

}  // namespace claimlens
