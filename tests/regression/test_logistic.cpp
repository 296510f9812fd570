// LogisticRegression behaviour: bad input, separation, convergence reporting, weights, prediction.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "claimlens/regression/logit.hpp"

using namespace claimlens;
using Catch::Matchers::Contains;

namespace {

// A noisy, overlapping two-feature problem (no separation) drawn from the portable RNG.
void noisy_problem(RowMatrix& X, Vector& y, Eigen::Index n = 400, std::uint64_t seed = 3) {
  Random rng(seed);
  X.resize(n, 2);
  y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = rng.normal();
    X(i, 1) = 1000.0 * rng.normal() + 5000.0;
    const double z = 0.8 * X(i, 0) - 0.002 * (X(i, 1) - 5000.0) + 0.3;
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
}

LogisticRegressionOptions options(Penalty penalty = Penalty::L2) {
  LogisticRegressionOptions o;
  o.penalty = penalty;
  return o;
}

}  // namespace

TEST_CASE("LogisticRegression rejects bad input with a clear message") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y);
  LogisticRegression model;

  SECTION("NaN and inf in X name the cell") {
    RowMatrix bad = X;
    bad(7, 1) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(model.fit(bad, y), Contains("NaN") && Contains("row 7, column 1"));
    bad(7, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_AS(model.fit(bad, y), InvalidArgument);
    CHECK_THROWS_WITH(model.fit(bad, y), Contains("inf"));
  }
  SECTION("non-finite and non-binary targets") {
    Vector bad = y;
    bad[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH(model.fit(X, bad), Contains("y") && Contains("NaN") && Contains("row 3"));
    bad[3] = 2.0;
    CHECK_THROWS_AS(model.fit(X, bad), InvalidArgument);
    CHECK_THROWS_WITH(model.fit(X, bad), Contains("binary") && Contains("row 3 is 2"));
    CHECK_THROWS_WITH(model.fit(X, Vector::Zero(X.rows())), Contains("only class 0"));
  }
  SECTION("zero rows, zero columns and mismatched sizes") {
    CHECK_THROWS_WITH(model.fit(RowMatrix(0, 2), Vector(0)), Contains("zero rows"));
    CHECK_THROWS_WITH(model.fit(RowMatrix(4, 0), Vector::Zero(4)), Contains("zero columns"));
    CHECK_THROWS_WITH(model.fit(X, y.head(10)), Contains("10 entries") && Contains("400 rows"));
    CHECK_THROWS_WITH(model.fit(X, y, Vector::Ones(3)), Contains("sample_weight has 3 entries"));
    Vector w = Vector::Ones(X.rows());
    w[5] = -1;
    CHECK_THROWS_WITH(model.fit(X, y, w), Contains("sample_weight must be >= 0; row 5"));
  }
  SECTION("bad options") {
    auto o = options();
    o.C = 0;
    CHECK_THROWS_WITH(LogisticRegression(o), Contains("C must be a positive"));
    o.C = -1;
    CHECK_THROWS_AS(LogisticRegression(o), InvalidArgument);
    o.C = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_AS(LogisticRegression(o), InvalidArgument);
    o = options();
    o.max_iter = 0;
    CHECK_THROWS_WITH(LogisticRegression(o), Contains("max_iter"));
    o = options();
    o.tol = 0;
    CHECK_THROWS_WITH(LogisticRegression(o), Contains("tol"));
  }
  SECTION("use before fit and wrong width at predict time") {
    CHECK_THROWS_AS(model.predict_proba(X), StateError);
    CHECK_THROWS_WITH(model.coef(), Contains("before fit"));
    model.fit(X, y);
    CHECK_THROWS_WITH(model.predict(RowMatrix::Zero(3, 5)), Contains("5 columns") && Contains("2"));
    CHECK_THROWS_WITH(model.predict(X, 1.5), Contains("threshold"));
  }
}

TEST_CASE("perfect separation without penalty is reported, with L2 it is fine") {
  RowMatrix X(6, 1);
  X << -3, -2, -1, 1, 2, 3;
  Vector y(6);
  y << 0, 0, 0, 1, 1, 1;
  for (auto solver : {LogisticSolver::Newton, LogisticSolver::Lbfgs}) {
    auto o = options(Penalty::None);
    o.solver = solver;
    CHECK_THROWS_WITH(LogisticRegression(o).fit(X, y), Contains("perfect separation"));
  }
  LogisticRegression l2(options(Penalty::L2));
  l2.fit(X, y);
  CHECK(l2.converged());
  CHECK(l2.coef()[0] > 0);
  CHECK(l2.predict(X) == std::vector<int>{0, 0, 0, 1, 1, 1});
}

TEST_CASE("quasi-complete separation and collinear columns are reported without penalty") {
  // Column 1 is 1 only for positives (x=1 => y=1), the rest overlaps: quasi-complete separation.
  Random rng(11);
  const Eigen::Index n = 300;
  RowMatrix X(n, 2);
  Vector y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = rng.normal();
    y[i] = rng.uniform() < 0.5 ? 1.0 : 0.0;
    X(i, 1) = (y[i] == 1.0 && i % 3 == 0) ? 1.0 : 0.0;
  }
  for (auto solver : {LogisticSolver::Newton, LogisticSolver::Lbfgs}) {
    auto o = options(Penalty::None);
    o.solver = solver;
    o.max_iter = 1000;
    CHECK_THROWS_WITH(LogisticRegression(o).fit(X, y),
                      Contains("quasi-complete separation") && Contains("column 1"));
  }
  LogisticRegression penalized(options(Penalty::L2));
  penalized.fit(X, y);  // the penalty keeps the optimum finite
  CHECK(penalized.converged());
  CHECK_THROWS_WITH(fit_logit(X, y), Contains("quasi-complete separation") && Contains("x2"));

  RowMatrix C(n, 2);
  C.col(0) = X.col(0);
  C.col(1) = X.col(0) * 2.0 + Vector::Constant(n, 1.0);  // collinear with x1 and the intercept
  CHECK_THROWS_WITH(fit_logit(C, y), Contains("collinear") && Contains("x1") && Contains("x2"));
  C.col(1).setConstant(4.0);  // a constant column duplicates the intercept
  CHECK_THROWS_WITH(LogisticRegression(options(Penalty::None)).fit(C, y),
                    Contains("collinear") && Contains("column 1"));
}

TEST_CASE("non-convergence is reported, and thrown when convergence is required") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y);
  auto o = options();
  o.solver = LogisticSolver::Lbfgs;
  o.standardize = false;
  o.max_iter = 2;
  LogisticRegression model(o);
  model.fit(X, y);
  CHECK_FALSE(model.converged());
  CHECK(model.n_iter() == 2);
  CHECK(model.report().gradient_norm > o.tol);
  o.require_convergence = true;
  CHECK_THROWS_WITH(LogisticRegression(o).fit(X, y),
                    Contains("did not reach the optimum") && Contains("2 iterations"));
}

TEST_CASE("Newton and L-BFGS agree, coefficients are in original units") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y, 2000);
  for (auto penalty : {Penalty::L2, Penalty::None}) {
    auto o = options(penalty);
    o.C = 0.05;
    o.solver = LogisticSolver::Newton;
    LogisticRegression newton(o);
    newton.fit(X, y);
    o.solver = LogisticSolver::Lbfgs;
    o.tol = 1e-12;
    o.max_iter = 1000;
    LogisticRegression lbfgs(o);
    lbfgs.fit(X, y);
    REQUIRE(newton.converged());
    REQUIRE(lbfgs.converged());
    CHECK((newton.coef() - lbfgs.coef()).cwiseAbs().maxCoeff() < 1e-7 * newton.coef().norm());
    CHECK(std::abs(newton.intercept() - lbfgs.intercept()) < 1e-7);
    // Stationarity in original units: grad = w + C X'(p - y) (no penalty: X'(p - y)) is ~0.
    const Vector p = newton.predict_proba(X).col(1);
    Vector grad = (penalty == Penalty::L2 ? o.C : 1.0) * (X.transpose() * (p - y));
    if (penalty == Penalty::L2) grad += newton.coef();
    CHECK(std::abs((p - y).sum()) < 1e-8 * X.rows());
    CHECK(std::abs(grad[0]) < 1e-6);
    CHECK(std::abs(grad[1]) < 1e-6 * 5000);
  }
}

TEST_CASE("sample weights equal duplicated rows, balanced weights equalize the classes") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y, 300);
  Vector w = Vector::Ones(X.rows());
  RowMatrix Xd(X.rows() + 50, 2);
  Vector yd(X.rows() + 50);
  Xd.topRows(X.rows()) = X;
  yd.head(X.rows()) = y;
  for (Eigen::Index i = 0; i < 50; ++i) {
    w[i] = 2.0;
    Xd.row(X.rows() + i) = X.row(i);
    yd[X.rows() + i] = y[i];
  }
  LogisticRegression a(options()), b(options());
  a.fit(X, y, w);
  b.fit(Xd, yd);
  CHECK((a.coef() - b.coef()).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(std::abs(a.intercept() - b.intercept()) < 1e-9);

  auto o = options(Penalty::None);
  o.class_weight = ClassWeight::Balanced;
  LogisticRegression balanced(o);
  balanced.fit(X, y);
  // Unpenalized with balanced weights the weighted residuals of each class cancel: the mean
  // predicted probability over the two classes' weights is exactly 1/2.
  const Vector p = balanced.predict_proba(X).col(1);
  const double n1 = y.sum(), n0 = X.rows() - n1;
  double s = 0;
  for (Eigen::Index i = 0; i < X.rows(); ++i) s += (y[i] == 1 ? 1 / n1 : 1 / n0) * (p[i] - y[i]);
  CHECK(std::abs(s) < 1e-9);
}

TEST_CASE("predict_proba rows sum to one and predict follows the threshold") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y);
  LogisticRegression model(options());
  model.fit(X, y);
  const RowMatrix proba = model.predict_proba(X);
  const Vector z = model.decision_function(X);
  const auto pred = model.predict(X);
  const auto strict = model.predict(X, 0.9);
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    CHECK(proba(i, 0) + proba(i, 1) == Approx(1.0).epsilon(1e-15));
    CHECK(pred[i] == (z[i] > 0 ? 1 : 0));
    CHECK(strict[i] == (proba(i, 1) > 0.9 ? 1 : 0));
  }
  CHECK(model.predict(RowMatrix(0, 2)).empty());
}

TEST_CASE("without an intercept the fit passes through the origin") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y);
  auto o = options();
  o.fit_intercept = false;
  LogisticRegression model(o);
  model.fit(X, y);
  REQUIRE(model.converged());
  CHECK(model.intercept() == 0.0);
  const Vector p = model.predict_proba(X).col(1);
  const Vector grad = model.coef() + X.transpose() * (p - y);
  CHECK(std::abs(grad[0]) < 1e-6);
  CHECK(std::abs(grad[1]) < 1e-6 * 5000);
}

TEST_CASE("positive_proba, n_features_in and feature_importances of a fitted model") {
  RowMatrix X;
  Vector y;
  noisy_problem(X, y);
  LogisticRegression unfitted;
  CHECK_THROWS_MATCHES(
      unfitted.n_features_in(), StateError,
      Catch::Matchers::Message("LogisticRegression::n_features_in called before fit"));
  CHECK_THROWS_MATCHES(
      unfitted.feature_importances(), StateError,
      Catch::Matchers::Message("LogisticRegression::feature_importances called before fit"));

  LogisticRegression m(options());
  m.fit(X, y);
  CHECK(m.n_features_in() == static_cast<std::size_t>(X.cols()));
  const RowMatrix p = m.predict_proba(X);
  const std::vector<double> p1 = m.positive_proba(X);
  REQUIRE(p1.size() == static_cast<std::size_t>(X.rows()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) CHECK(p1[std::size_t(i)] == p(i, 1));
  CHECK_THROWS_AS(m.positive_proba(RowMatrix::Zero(2, X.cols() + 1)), InvalidArgument);

  const std::vector<double> shares = m.feature_importances();
  REQUIRE(shares.size() == static_cast<std::size_t>(X.cols()));
  double total = 0.0, abs_coef = m.coef().cwiseAbs().sum();
  for (std::size_t j = 0; j < shares.size(); ++j) {
    CHECK(shares[j] == Approx(std::abs(m.coef()[Eigen::Index(j)]) / abs_coef));
    total += shares[j];
  }
  CHECK(total == Approx(1.0));
}
