#include "claimlens/regression/logistic_regression.hpp"

#include <cmath>
#include <string>

#include "claimlens/error.hpp"
#include "common.hpp"
#include "logistic_core.hpp"

namespace claimlens {

using regression_detail::check_binary;
using regression_detail::check_matrix;
using regression_detail::check_vector;
using regression_detail::format_general;

const char* penalty_name(Penalty penalty) {
  return penalty == Penalty::L2 ? "l2" : "none";
}

const char* solver_name(LogisticSolver solver) {
  switch (solver) {
    case LogisticSolver::Newton:
      return "newton";
    case LogisticSolver::Lbfgs:
      return "lbfgs";
    default:
      return "auto";
  }
}

namespace {

void check_options(const LogisticRegressionParams& o) {
  if (!(o.C > 0) || !std::isfinite(o.C)) {
    throw InvalidArgument("LogisticRegression: C must be a positive finite number, got " +
                          format_general(o.C, 17, false));
  }
  if (o.max_iter < 1) {
    throw InvalidArgument("LogisticRegression: max_iter must be >= 1, got " +
                          std::to_string(o.max_iter));
  }
  if (!(o.tol > 0) || !std::isfinite(o.tol)) {
    throw InvalidArgument("LogisticRegression: tol must be a positive finite number, got " +
                          format_general(o.tol, 17, false));
  }
  if (o.newton_max_features < 0) {
    throw InvalidArgument("LogisticRegression: newton_max_features must be >= 0");
  }
}

// Per-sample weights: sample_weight (or ones) times sklearn's balanced weight n / (2 * n_class).
Vector sample_weights(const Vector& y, const Vector& sample_weight, ClassWeight class_weight) {
  const Eigen::Index n = y.size();
  Vector w = sample_weight.size() == 0 ? Vector::Ones(n) : sample_weight;
  if (sample_weight.size() != 0) {
    check_vector(sample_weight, n, "sample_weight");
    for (Eigen::Index i = 0; i < n; ++i) {
      if (w[i] < 0) {
        throw InvalidArgument("sample_weight must be >= 0; row " + std::to_string(i) + " is " +
                              format_general(w[i], 17, false));
      }
    }
    if (!(w.sum() > 0)) throw InvalidArgument("sample_weight sums to zero");
  }
  if (class_weight == ClassWeight::Balanced) {
    const double n1 = y.sum(), n0 = static_cast<double>(n) - n1;
    for (Eigen::Index i = 0; i < n; ++i) {
      w[i] *= static_cast<double>(n) / (2.0 * (y[i] == 1.0 ? n1 : n0));
    }
  }
  return w;
}

}  // namespace

LogisticRegression::LogisticRegression(const LogisticRegressionParams& options)
    : options_(options) {
  check_options(options_);
}

LogisticRegression& LogisticRegression::fit(const RowMatrix& X, const Vector& y,
                                            const Vector& sample_weight) {
  check_options(options_);
  check_matrix(X, "X");
  check_vector(y, X.rows(), "y");
  check_binary(y);
  Vector w = sample_weights(y, sample_weight, options_.class_weight);
  const bool l2 = options_.penalty == Penalty::L2;

  using namespace regression_detail;
  const ScaledDesign design = scale_design(X, options_.fit_intercept, options_.standardize);
  const LogisticProblem problem = make_problem(design, y, std::move(w), options_.C, l2);
  LogisticSolver solver = options_.solver;
  if (solver == LogisticSolver::Auto) {
    solver =
        X.cols() <= options_.newton_max_features ? LogisticSolver::Newton : LogisticSolver::Lbfgs;
  }
  std::vector<std::string> names;
  if (options_.fit_intercept) names.push_back("intercept");
  for (Eigen::Index j = 0; j < X.cols(); ++j) names.push_back("column " + std::to_string(j));
  const SolveResult res = solver == LogisticSolver::Newton
                              ? solve_newton(problem, options_.max_iter, options_.tol, names)
                              : solve_lbfgs(problem, options_.max_iter, options_.tol, names);

  LogisticFitReport report;
  report.converged = res.converged;
  report.iterations = res.iterations;
  report.gradient_norm = res.gradient_norm;
  report.solver = solver;
  if (!res.converged && options_.require_convergence) {
    throw StateError(std::string("LogisticRegression (") + solver_name(solver) +
                     ") did not reach the optimum: " + std::to_string(res.iterations) +
                     " iterations (max_iter " + std::to_string(options_.max_iter) +
                     "), scaled gradient norm " + format_general(res.gradient_norm, 6, false) +
                     " > tol " + format_general(options_.tol, 6, false));
  }
  Vector coef;
  double intercept = 0.0;
  to_original(design, res.v, coef, intercept);
  report.objective = objective(X, y, coef, intercept, sample_weight);
  coef_ = std::move(coef);
  intercept_ = intercept;
  // The baseline of linear SHAP (explain/linear_shap.hpp): the rows' means, frequency-weighted.
  if (sample_weight.size() == 0) {
    feature_means_ = X.colwise().mean().transpose();
  } else {
    feature_means_ = (X.transpose() * sample_weight) / sample_weight.sum();
  }
  report_ = report;
  fitted_ = true;
  return *this;
}

double LogisticRegression::objective(const RowMatrix& X, const Vector& y, const Vector& coef,
                                     double intercept, const Vector& sample_weight) const {
  check_matrix(X, "X");
  check_vector(y, X.rows(), "y");
  check_binary(y);
  if (coef.size() != X.cols()) {
    throw InvalidArgument("coef has " + std::to_string(coef.size()) + " entries but X has " +
                          std::to_string(X.cols()) + " columns");
  }
  const Vector w = sample_weights(y, sample_weight, options_.class_weight);
  const Vector z = (X * coef).array() + intercept;
  double loss = 0.0;
  for (Eigen::Index i = 0; i < z.size(); ++i)
    loss += w[i] * regression_detail::log_loss(z[i], y[i]);
  if (options_.penalty == Penalty::None) return loss;
  return 0.5 * coef.squaredNorm() + options_.C * loss;
}

void LogisticRegression::require_fitted(const char* what) const {
  if (!fitted_) throw StateError(std::string("LogisticRegression::") + what + " called before fit");
}

const Vector& LogisticRegression::coef() const {
  require_fitted("coef");
  return coef_;
}

double LogisticRegression::intercept() const {
  require_fitted("intercept");
  return intercept_;
}

std::vector<double> LogisticRegression::positive_proba(const RowMatrix& X) const {
  const RowMatrix p = predict_proba(X);  // row-major: column 1 is strided
  std::vector<double> out(static_cast<std::size_t>(p.rows()));
  for (Eigen::Index i = 0; i < p.rows(); ++i) out[std::size_t(i)] = p(i, 1);
  return out;
}

std::size_t LogisticRegression::n_features_in() const {
  require_fitted("n_features_in");
  return static_cast<std::size_t>(coef_.size());
}

std::vector<double> LogisticRegression::feature_importances() const {
  require_fitted("feature_importances");
  const double total = coef_.cwiseAbs().sum();
  std::vector<double> out(static_cast<std::size_t>(coef_.size()), 0.0);
  for (Eigen::Index j = 0; j < coef_.size() && total > 0; ++j) {
    out[std::size_t(j)] = std::abs(coef_[j]) / total;
  }
  return out;
}

Vector LogisticRegression::decision_function(const RowMatrix& X) const {
  require_fitted("decision_function");
  if (X.cols() != coef_.size()) {
    throw InvalidArgument("X has " + std::to_string(X.cols()) +
                          " columns but the model was fit on " + std::to_string(coef_.size()));
  }
  if (X.rows() == 0) return Vector();
  check_matrix(X, "X");
  return (X * coef_).array() + intercept_;
}

RowMatrix LogisticRegression::predict_proba(const RowMatrix& X) const {
  const Vector z = decision_function(X);
  RowMatrix out(z.size(), 2);
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    out(i, 1) = regression_detail::sigmoid(z[i]);
    out(i, 0) = regression_detail::sigmoid(-z[i]);
  }
  return out;
}

std::vector<int> LogisticRegression::predict(const RowMatrix& X, double threshold) const {
  if (!(threshold >= 0 && threshold <= 1)) {
    throw InvalidArgument("predict: threshold must be in [0, 1], got " +
                          format_general(threshold, 17, false));
  }
  const RowMatrix proba = predict_proba(X);
  std::vector<int> out(static_cast<size_t>(proba.rows()));
  for (Eigen::Index i = 0; i < proba.rows(); ++i) out[i] = proba(i, 1) > threshold ? 1 : 0;
  return out;
}

}  // namespace claimlens
