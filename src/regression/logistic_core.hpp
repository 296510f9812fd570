// The logistic-loss optimizers behind LogisticRegression and fit_logit. They work on a standardized
// copy of the design, an exact reparametrization of the original problem: with z = (x - mean) / sd,
// v_j = w_j * sd_j and v_0 = b + sum_j w_j * mean_j, and the L2 penalty 0.5*sum(w_j^2) becomes
// 0.5*sum(v_j^2 / sd_j^2), so the optimum maps back to original units exactly.
#pragma once

#include <string>
#include <vector>

#include "claimlens/matrix.hpp"

namespace claimlens::regression_detail {

struct ScaledDesign {
  RowMatrix Z;         // n x p; column 0 is all ones when intercept
  Vector mean, scale;  // per original feature; mean is 0 without an intercept
  bool intercept = true;
};

ScaledDesign scale_design(const RowMatrix& X, bool fit_intercept, bool standardize);

/// F(v) = (0.5 * v' diag(penalty) v + C * sum_i w_i * logloss(Z_i v, y_i)) / norm, norm = C*sum(w).
struct LogisticProblem {
  const RowMatrix* Z = nullptr;
  const Vector* y = nullptr;
  Vector weight;   // per sample
  Vector penalty;  // per parameter (0 for the intercept and without penalty)
  double C = 1.0;
  double norm = 1.0;
};

LogisticProblem make_problem(const ScaledDesign& design, const Vector& y, Vector weight, double C,
                             bool l2);

struct SolveResult {
  Vector v;
  bool converged = false;
  int iterations = 0;
  double gradient_norm = 0.0;
  double value = 0.0;
};

/// Newton's method with exact Hessian and backtracking line search. For an unpenalized problem it
/// throws StateError on perfect / quasi-complete separation and InvalidArgument on collinear
/// columns (naming them from `names`).
SolveResult solve_newton(const LogisticProblem& problem, int max_iter, double tol,
                         const std::vector<std::string>& names);
/// L-BFGS (memory 10) with a weak-Wolfe bisection line search; throws StateError on perfect
/// separation of an unpenalized problem, and with up to 500 parameters also on quasi-complete
/// separation / InvalidArgument on collinear columns.
SolveResult solve_lbfgs(const LogisticProblem& problem, int max_iter, double tol,
                        const std::vector<std::string>& names);

/// Unnormalized Hessian C*Z' diag(w p(1-p)) Z + diag(penalty) at v.
RowMatrix hessian(const LogisticProblem& problem, const Vector& v);

/// Original-unit coefficients and intercept from scaled parameters v.
void to_original(const ScaledDesign& design, const Vector& v, Vector& coef, double& intercept);
/// J with (intercept if any, coef...) = J v.
RowMatrix original_jacobian(const ScaledDesign& design);

/// Numerically stable log(1 + exp(z)) - y*z and sigmoid.
double log_loss(double z, double y);
double sigmoid(double z);

}  // namespace claimlens::regression_detail
