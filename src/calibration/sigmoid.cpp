// Platt scaling fitted by Newton's method (claimlens/calibration/calibrators.hpp).
//
// The method is Lin, Lin and Weng (2007), Algorithm 1 (as libsvm's sigmoid_train): Platt's
// smoothed targets, the start (0, log((N- + 1) / (N+ + 1))), the Hessian plus 1e-12 on its
// diagonal, a backtracking line search with the sufficient-decrease constant 1e-4 and steps down
// to 1e-10, and every exp taken of a non-positive number. libsvm stops when both gradient entries
// are below 1e-5; here Newton runs until its decrement g'H^-1 g says the objective is within
// 1e-14 * max(1, objective) of the minimum, then takes full steps while they shrink the
// gradient (quadratic convergence makes that one or two), so the parameters are the optimum's
// to rounding, not only the objective.
#include <cmath>
#include <limits>
#include <string>

#include "checks.hpp"
#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"

namespace claimlens {

namespace {

constexpr int kMaxIterations = 100;
constexpr int kPolishSteps = 3;
constexpr double kMinStep = 1e-10;
constexpr double kHessianRidge = 1e-12;
constexpr double kSufficientDecrease = 1e-4;
constexpr double kGapTolerance = 1e-14;  // stop: predicted gap <= this * max(1, objective)
constexpr double kConvergedGap = 1e-12;  // converged when the final gap is at most this

struct Targets {
  double positive, negative;
};

Targets smoothed_targets(const std::array<std::int64_t, 2>& counts) {
  const double n0 = static_cast<double>(counts[0]), n1 = static_cast<double>(counts[1]);
  return {(n1 + 1.0) / (n1 + 2.0), 1.0 / (n0 + 2.0)};
}

// log(1 + e^z) - (1 - t) z without overflow: for z >= 0 it is t z + log1p(e^-z).
double loss(double z, double t) {
  return z >= 0 ? t * z + std::log1p(std::exp(-z)) : (t - 1.0) * z + std::log1p(std::exp(z));
}

// p = 1 / (1 + e^z) and 1 - p, from the exp of a non-positive number.
void probabilities(double z, double& p, double& q) {
  if (z >= 0) {
    const double e = std::exp(-z);
    p = e / (1.0 + e);
    q = 1.0 / (1.0 + e);
  } else {
    const double e = std::exp(z);
    p = 1.0 / (1.0 + e);
    q = e / (1.0 + e);
  }
}

double objective(Span<const double> s, Span<const int> y, Targets t, double a, double b) {
  double sum = 0.0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    sum += loss(a * s[i] + b, y[i] == 1 ? t.positive : t.negative);
  }
  return sum;
}

struct Derivatives {
  double g1 = 0, g2 = 0;                                     // gradient in (a, b)
  double h11 = kHessianRidge, h22 = kHessianRidge, h21 = 0;  // Hessian
};

Derivatives derivatives(Span<const double> s, Span<const int> y, Targets t, double a, double b) {
  Derivatives d;
  for (std::size_t i = 0; i < s.size(); ++i) {
    double p, q;
    probabilities(a * s[i] + b, p, q);
    const double w = p * q, r = (y[i] == 1 ? t.positive : t.negative) - p;
    d.h11 += s[i] * s[i] * w;
    d.h22 += w;
    d.h21 += s[i] * w;
    d.g1 += s[i] * r;
    d.g2 += r;
  }
  return d;
}

struct Solution {
  double a, b;
  SigmoidFitReport report;
};

// The Newton step -H^-1 g.
void newton_step(const Derivatives& d, double& da, double& db) {
  const double det = d.h11 * d.h22 - d.h21 * d.h21;
  da = -(d.h22 * d.g1 - d.h21 * d.g2) / det;
  db = -(d.h11 * d.g2 - d.h21 * d.g1) / det;
}

double gradient_size(const Derivatives& d) {
  return std::max(std::abs(d.g1), std::abs(d.g2));
}

// Newton steps from within rounding of the minimum: the objective can no longer tell better
// from worse, the gradient still can. Each full step is kept while it shrinks the gradient.
void polish(Span<const double> s, Span<const int> y, Targets t, Solution& sol, Derivatives d) {
  for (int k = 0; k < kPolishSteps; ++k) {
    double da, db;
    newton_step(d, da, db);
    const double a = sol.a + da, b = sol.b + db;
    const Derivatives next = derivatives(s, y, t, a, b);
    if (!(gradient_size(next) < gradient_size(d))) return;
    sol.a = a, sol.b = b, d = next;
    ++sol.report.iterations;
  }
}

Solution newton(Span<const double> s, Span<const int> y, Targets t, double b0) {
  Solution sol{0.0, b0, {}};
  double f = objective(s, y, t, sol.a, sol.b);
  double gap = std::numeric_limits<double>::infinity();
  for (int it = 0; it < kMaxIterations; ++it) {
    const Derivatives d = derivatives(s, y, t, sol.a, sol.b);
    double da, db;
    newton_step(d, da, db);
    const double slope = d.g1 * da + d.g2 * db;  // -g'H^-1 g: the Newton decrement, negated
    gap = -0.5 * slope;
    sol.report.iterations = it;
    if (!(gap > kGapTolerance * std::max(1.0, f))) {
      polish(s, y, t, sol, d);
      break;
    }
    bool moved = false;
    for (double step = 1.0; step >= kMinStep; step /= 2) {
      const double a = sol.a + step * da, b = sol.b + step * db;
      const double fa = objective(s, y, t, a, b);
      if (fa < f + kSufficientDecrease * step * slope) {
        sol.a = a, sol.b = b, f = fa, moved = true;
        break;
      }
    }
    if (!moved) break;  // rounding stops progress: the gap decides convergence below
    sol.report.iterations = it + 1;
  }
  const Derivatives d = derivatives(s, y, t, sol.a, sol.b);
  sol.report.objective = objective(s, y, t, sol.a, sol.b);
  sol.report.gradient[0] = d.g1;
  sol.report.gradient[1] = d.g2;
  sol.report.converged = gap <= kConvergedGap * std::max(1.0, f);
  return sol;
}

}  // namespace

SigmoidCalibrator::SigmoidCalibrator(double a, double b) : a_(a), b_(b) {
  if (!std::isfinite(a) || !std::isfinite(b)) {
    throw InvalidArgument("SigmoidCalibrator: a and b must be finite, not " +
                          detail::shown_number(a) + " and " + detail::shown_number(b));
  }
}

SigmoidCalibrator SigmoidCalibrator::fit(Span<const double> scores, Span<const int> y) {
  const auto counts = detail::check_calibration_data("sigmoid calibration", scores, y);
  const double b0 =
      std::log((static_cast<double>(counts[0]) + 1.0) / (static_cast<double>(counts[1]) + 1.0));
  const Solution sol = newton(scores, y, smoothed_targets(counts), b0);
  SigmoidCalibrator c(sol.a, sol.b);
  c.report_ = sol.report;
  return c;
}

double SigmoidCalibrator::predict(double score) const {
  if (std::isnan(score)) return score;
  double p, q;
  probabilities(a_ * score + b_, p, q);
  return p;
}

std::vector<double> SigmoidCalibrator::predict(Span<const double> scores) const {
  std::vector<double> out(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) out[i] = predict(scores[i]);
  return out;
}

double sigmoid_objective(Span<const double> scores, Span<const int> y, double a, double b) {
  const auto counts = detail::check_scores_labels("sigmoid_objective", scores, y);
  return objective(scores, y, smoothed_targets(counts), a, b);
}

void sigmoid_gradient(Span<const double> scores, Span<const int> y, double a, double b,
                      double gradient[2]) {
  const auto counts = detail::check_scores_labels("sigmoid_gradient", scores, y);
  const Derivatives d = derivatives(scores, y, smoothed_targets(counts), a, b);
  gradient[0] = d.g1;
  gradient[1] = d.g2;
}

nlohmann::json SigmoidCalibrator::to_json() const {
  JsonDocument doc(nlohmann::json::object());
  nlohmann::json& j = *doc;
  j["a"] = a_;
  j["b"] = b_;
  j["iterations"] = report_.iterations;
  j["converged"] = report_.converged;
  j["objective"] = report_.objective;
  return std::move(j);
}

SigmoidCalibrator SigmoidCalibrator::from_json(const JsonReader& j) {
  j.object().only_keys({"method", "a", "b", "iterations", "converged", "objective"});
  SigmoidCalibrator c(j.at("a").finite(), j.at("b").finite());
  c.report_.iterations =
      static_cast<int>(j.at("iterations").integer(0, kMaxIterations + kPolishSteps));
  c.report_.converged = j.at("converged").boolean();
  c.report_.objective = j.at("objective").finite();
  return c;
}

}  // namespace claimlens
