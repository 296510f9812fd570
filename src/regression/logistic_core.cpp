#include "logistic_core.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <string>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>

#include "claimlens/accurate_sum.hpp"
#include "claimlens/error.hpp"

namespace claimlens::regression_detail {

double sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

double log_loss(double z, double y) {
  // log(1 + exp(z)) without overflow, minus y*z.
  const double softplus = std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z)));
  return softplus - y * z;
}

ScaledDesign scale_design(const RowMatrix& X, bool fit_intercept, bool standardize) {
  const Eigen::Index n = X.rows(), k = X.cols();
  const Eigen::Index offset = fit_intercept ? 1 : 0;
  ScaledDesign d;
  d.intercept = fit_intercept;
  d.mean = Vector::Zero(k);
  d.scale = Vector::Ones(k);
  if (standardize) {
    for (Eigen::Index j = 0; j < k; ++j) {
      // With an intercept: the column's accurate mean and sum of squared deviations (an offset
      // common to the column costs no digits). Without one only rescale (by the root mean
      // square): centering would change the model.
      double ss;
      if (fit_intercept) {
        const CentralMoments m =
            central_moments(X.data() + j, static_cast<std::size_t>(n), static_cast<std::size_t>(k));
        d.mean[j] = m.mean;
        ss = m.m2;
      } else {
        ss = X.col(j).squaredNorm();
      }
      const double s = std::sqrt(ss / static_cast<double>(n));
      d.scale[j] = s > 0 && std::isfinite(s) ? s : 1.0;
    }
  }
  d.Z.resize(n, k + offset);
  if (fit_intercept) d.Z.col(0).setOnes();
  const Eigen::RowVectorXd inv = d.scale.cwiseInverse().transpose();
  const Eigen::RowVectorXd mean = d.mean.transpose();
  for (Eigen::Index i = 0; i < n; ++i) {
    d.Z.row(i).tail(k) = (X.row(i) - mean).cwiseProduct(inv);
  }
  return d;
}

LogisticProblem make_problem(const ScaledDesign& design, const Vector& y, Vector weight, double C,
                             bool l2) {
  LogisticProblem p;
  p.Z = &design.Z;
  p.y = &y;
  p.C = l2 ? C : 1.0;
  p.norm = p.C * weight.sum();
  p.weight = std::move(weight);
  p.penalty = Vector::Zero(design.Z.cols());
  if (l2) {
    const Eigen::Index offset = design.intercept ? 1 : 0;
    for (Eigen::Index j = 0; j < design.scale.size(); ++j) {
      p.penalty[j + offset] = 1.0 / (design.scale[j] * design.scale[j]);
    }
  }
  return p;
}

namespace {

constexpr Eigen::Index kMaxDiagnosedParameters = 500;

bool unpenalized(const LogisticProblem& pr) {
  return pr.penalty.cwiseAbs().maxCoeff() == 0.0;
}

// Per-sample pieces from one exp(-|z|): loss, p - y (without cancellation) and p(1-p).
struct SamplePieces {
  double loss, residual, curvature;
};

inline SamplePieces pieces(double z, double y) {
  const double e = std::exp(-std::abs(z));
  const double inv = 1.0 / (1.0 + e);
  const double p = z >= 0 ? inv : e * inv;  // sigmoid(z)
  const double q = z >= 0 ? e * inv : inv;  // 1 - sigmoid(z)
  // log(1 + e) instead of log1p: the absolute error stays ~1e-16 per sample, which is what a sum
  // of losses can resolve anyway, at a fraction of the cost.
  return {std::max(z, 0.0) + std::log(1.0 + e) - y * z, y == 1.0 ? -q : p, p * q};
}

// F(v); z receives Z v; optionally the gradient and the Hessian weights w*p*(1-p).
double evaluate(const LogisticProblem& pr, const Vector& v, Vector& z, Vector* grad,
                Vector* curvature = nullptr) {
  const RowMatrix& Z = *pr.Z;
  const Vector& y = *pr.y;
  z.noalias() = Z * v;
  double loss = 0.0;
  Vector r;
  if (grad) r.resize(z.size());
  if (curvature) curvature->resize(z.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    const SamplePieces s = pieces(z[i], y[i]);
    loss += pr.weight[i] * s.loss;
    if (grad) r[i] = pr.weight[i] * s.residual;
    if (curvature) (*curvature)[i] = pr.weight[i] * s.curvature;
  }
  const double pen = 0.5 * (pr.penalty.array() * v.array().square()).sum();
  if (grad) {
    grad->noalias() = pr.C * (Z.transpose() * r);
    *grad += pr.penalty.cwiseProduct(v);
    *grad /= pr.norm;
  }
  return (pen + pr.C * loss) / pr.norm;
}

bool separates(const LogisticProblem& pr, const Vector& z) {
  const Vector& y = *pr.y;
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    if (pr.weight[i] == 0.0) continue;
    if (y[i] == 1.0 ? !(z[i] > 0) : !(z[i] < 0)) return false;
  }
  return true;
}

[[noreturn]] void throw_perfect_separation(int iteration) {
  throw StateError(
      "perfect separation: the coefficients reached at iteration " + std::to_string(iteration) +
      " classify every sample correctly, so the unpenalized maximum-likelihood estimate does not "
      "exist (use penalty l2)");
}

// C * Z' diag(curvature) Z + diag(penalty), unnormalized.
RowMatrix hessian_from(const LogisticProblem& pr, const Vector& curvature) {
  const RowMatrix& Z = *pr.Z;
  const RowMatrix Zs = curvature.cwiseSqrt().asDiagonal() * Z;
  Eigen::MatrixXd H = Eigen::MatrixXd::Zero(Z.cols(), Z.cols());
  H.selfadjointView<Eigen::Lower>().rankUpdate(Zs.transpose(), pr.C);
  RowMatrix full = H.selfadjointView<Eigen::Lower>();
  full.diagonal() += pr.penalty;
  return full;
}

RowMatrix hessian_at(const LogisticProblem& pr, const Vector& z) {
  Vector curvature(z.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) {
    curvature[i] = pr.weight[i] * pieces(z[i], (*pr.y)[i]).curvature;
  }
  return hessian_from(pr, curvature);
}

std::string join_names(const std::vector<std::string>& names, const Eigen::VectorXd& u) {
  std::string out;
  const double top = u.cwiseAbs().maxCoeff();
  for (Eigen::Index j = 0; j < u.size(); ++j) {
    if (std::abs(u[j]) < 0.05 * top) continue;
    if (!out.empty()) out += ", ";
    out += "'" +
           (j < static_cast<Eigen::Index>(names.size()) ? names[j] : "#" + std::to_string(j)) + "'";
  }
  return out;
}

// For an unpenalized fit whose Hessian is (nearly) singular, tells a recession direction (quasi-
// complete separation: moving along u never hurts any sample) from collinear columns (Z u = 0).
void diagnose_unpenalized(const LogisticProblem& pr, const Vector& z, bool converged,
                          const std::vector<std::string>& names) {
  const RowMatrix H = hessian_at(pr, z) / pr.norm;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(H);
  const Eigen::VectorXd& lambda = es.eigenvalues();
  if (converged && lambda[0] > 1e-9 * lambda[lambda.size() - 1]) return;
  const Eigen::VectorXd u = es.eigenvectors().col(0);
  const Vector zu = *pr.Z * u;
  double reach = 0.0;
  for (Eigen::Index i = 0; i < pr.Z->rows(); ++i) reach = std::max(reach, pr.Z->row(i).norm());
  const double m = zu.cwiseAbs().maxCoeff();
  if (m <= 1e-7 * reach) {
    throw InvalidArgument("the design columns are collinear (" + join_names(names, u) +
                          " are linearly dependent" +
                          (pr.Z->col(0).isOnes() ? ", possibly with the intercept" : "") +
                          "); the unpenalized coefficients are not identified");
  }
  const Vector& y = *pr.y;
  const double eps = 1e-6 * m;
  Eigen::Index pos = 0, neg = 0;
  for (Eigen::Index i = 0; i < zu.size(); ++i) {
    if (pr.weight[i] == 0.0 || std::abs(zu[i]) <= eps) continue;
    ((y[i] == 1.0) == (zu[i] > 0) ? pos : neg) += 1;
  }
  if (pos == 0 || neg == 0) {
    throw StateError("quasi-complete separation: " + std::to_string(pos + neg) + " of " +
                     std::to_string(zu.size()) +
                     " samples are perfectly predicted along the "
                     "direction of " +
                     join_names(names, u) +
                     ", so the unpenalized maximum-likelihood estimate does not exist (use "
                     "penalty l2 or drop those columns)");
  }
}

}  // namespace

RowMatrix hessian(const LogisticProblem& problem, const Vector& v) {
  const Vector z = *problem.Z * v;
  return hessian_at(problem, z);
}

SolveResult solve_newton(const LogisticProblem& pr, int max_iter, double tol,
                         const std::vector<std::string>& names) {
  const bool unpen = unpenalized(pr);
  SolveResult res;
  res.v = Vector::Zero(pr.Z->cols());
  Vector z, g, h, zn, gn, hn;
  double F = evaluate(pr, res.v, z, &g, &h);
  bool last_step_small = false;
  bool stalled = false;
  while (true) {
    res.gradient_norm = g.lpNorm<Eigen::Infinity>();
    // Stop only once the gradient is tiny AND a Newton step no longer moves the point: the step
    // after the first tiny gradient polishes the coefficients (quadratic convergence).
    if (res.gradient_norm <= tol && last_step_small) {
      res.converged = true;
      break;
    }
    if (res.iterations >= max_iter || stalled) break;
    const RowMatrix H = hessian_from(pr, h) / pr.norm;
    Eigen::LLT<Eigen::MatrixXd> llt(H);
    if (llt.info() != Eigen::Success) {
      if (unpen) diagnose_unpenalized(pr, z, false, names);
      throw StateError("Newton: the Hessian is not positive definite at iteration " +
                       std::to_string(res.iterations) + " (numerically singular design)");
    }
    const Vector d = -llt.solve(g);
    const double dec = g.dot(d);
    double t = 1.0, Fn = F;
    Vector vn;
    while (true) {
      vn = res.v + t * d;
      Fn = evaluate(pr, vn, zn, &gn, &hn);
      if (Fn <= F + 1e-4 * t * dec) break;
      // Within rounding of F the Newton step is still the best move available.
      if (-dec <= 1e-20 + 1e-14 * std::abs(F) && Fn <= F + 1e-13 * std::max(1.0, std::abs(F)))
        break;
      t *= 0.5;
      if (t < 1e-12) {
        stalled = true;
        break;
      }
    }
    if (stalled) break;
    const double step = (t * d).lpNorm<Eigen::Infinity>();
    last_step_small = step <= 1e-9 * (1.0 + res.v.lpNorm<Eigen::Infinity>());
    res.v = vn;
    ++res.iterations;
    F = Fn;
    z.swap(zn);
    g.swap(gn);
    h.swap(hn);
    if (unpen && separates(pr, z)) throw_perfect_separation(res.iterations);
  }
  res.value = F;
  if (unpen) diagnose_unpenalized(pr, z, res.converged, names);
  return res;
}

namespace {

// Two-loop recursion: d = -H_k g.
Vector lbfgs_direction(const std::deque<Vector>& S, const std::deque<Vector>& Y,
                       const std::deque<double>& rho, const Vector& g) {
  Vector q = g;
  const size_t m = S.size();
  std::vector<double> alpha(m);
  for (size_t k = m; k-- > 0;) {
    alpha[k] = rho[k] * S[k].dot(q);
    q -= alpha[k] * Y[k];
  }
  if (m > 0) q *= S[m - 1].dot(Y[m - 1]) / Y[m - 1].squaredNorm();
  for (size_t k = 0; k < m; ++k) {
    const double beta = rho[k] * Y[k].dot(q);
    q += (alpha[k] - beta) * S[k];
  }
  return -q;
}

}  // namespace

SolveResult solve_lbfgs(const LogisticProblem& pr, int max_iter, double tol,
                        const std::vector<std::string>& names) {
  const bool unpen = unpenalized(pr);
  const size_t memory = 10;
  SolveResult res;
  res.v = Vector::Zero(pr.Z->cols());
  Vector z, g, zn, gn;
  double F = evaluate(pr, res.v, z, &g);
  std::deque<Vector> S, Y;
  std::deque<double> rho;
  while (true) {
    res.gradient_norm = g.lpNorm<Eigen::Infinity>();
    if (res.gradient_norm <= tol) {
      res.converged = true;
      break;
    }
    if (res.iterations >= max_iter) break;
    Vector d = lbfgs_direction(S, Y, rho, g);
    double dphi0 = g.dot(d);
    if (!(dphi0 < 0)) {  // lost descent (rounding): restart from steepest descent
      S.clear(), Y.clear(), rho.clear();
      d = -g;
      dphi0 = -g.squaredNorm();
    }
    // Weak Wolfe by bisection; near the optimum F changes below its rounding, so an approximate
    // Wolfe test (Hager & Zhang) on the directional derivative takes over.
    double lo = 0.0, hi = std::numeric_limits<double>::infinity();
    double t = S.empty() ? std::min(1.0, 1.0 / g.norm()) : 1.0;
    double Fn = F;
    bool accepted = false;
    for (int ls = 0; ls < 60 && !accepted; ++ls) {
      Vector vn = res.v + t * d;
      Fn = evaluate(pr, vn, zn, &gn);
      const double dphi = gn.dot(d);
      const bool armijo = Fn <= F + 1e-4 * t * dphi0;
      const bool approx = Fn <= F + 1e-12 * std::abs(F) && dphi <= -0.8 * dphi0;
      if ((armijo || approx) && dphi >= 0.9 * dphi0) {
        accepted = true;
        Vector s = vn - res.v, yv = gn - g;
        const double sy = s.dot(yv);
        if (sy > 1e-16 * s.norm() * yv.norm()) {
          if (S.size() == memory) S.pop_front(), Y.pop_front(), rho.pop_front();
          S.push_back(std::move(s));
          Y.push_back(std::move(yv));
          rho.push_back(1.0 / sy);
        }
        res.v = std::move(vn);
        F = Fn;
        g = gn;
        z = zn;
      } else if (!(armijo || approx)) {
        hi = t;
        t = 0.5 * (lo + hi);
      } else {
        lo = t;
        t = std::isinf(hi) ? 2.0 * t : 0.5 * (lo + hi);
      }
    }
    if (!accepted) break;  // line search failed: reported as not converged
    ++res.iterations;
    if (unpen && separates(pr, z)) throw_perfect_separation(res.iterations);
  }
  res.value = F;
  // Under quasi-complete separation the gradient also fades as the coefficients run away, so a
  // "converged" unpenalized fit is checked for a recession direction (while the p x p
  // eigen-decomposition stays cheap).
  if (unpen && pr.Z->cols() <= kMaxDiagnosedParameters) {
    diagnose_unpenalized(pr, z, false, names);
  }
  return res;
}

void to_original(const ScaledDesign& design, const Vector& v, Vector& coef, double& intercept) {
  coef = v.tail(design.scale.size()).cwiseQuotient(design.scale);
  intercept = design.intercept ? v[0] - coef.dot(design.mean) : 0.0;
}

RowMatrix original_jacobian(const ScaledDesign& design) {
  const Eigen::Index k = design.scale.size();
  const Eigen::Index offset = design.intercept ? 1 : 0;
  RowMatrix J = RowMatrix::Zero(k + offset, k + offset);
  if (design.intercept) J(0, 0) = 1.0;
  for (Eigen::Index j = 0; j < k; ++j) {
    J(j + offset, j + offset) = 1.0 / design.scale[j];
    if (design.intercept) J(0, j + offset) = -design.mean[j] / design.scale[j];
  }
  return J;
}

}  // namespace claimlens::regression_detail
