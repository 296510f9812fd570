// OLS and Logit: bad input, rank deficiency, exact recovery and internal consistency.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "claimlens/regression/logit.hpp"
#include "claimlens/regression/ols.hpp"

using namespace claimlens;
using Catch::Matchers::Contains;

namespace {

void linear_problem(RowMatrix& X, Vector& y, Eigen::Index n = 200) {
  Random rng(5);
  X.resize(n, 3);
  y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    X(i, 0) = rng.normal();
    X(i, 1) = 1e5 * rng.uniform();
    X(i, 2) = rng.uniform() < 0.3 ? 1.0 : 0.0;
    y[i] = 2.0 + 0.5 * X(i, 0) - 3e-5 * X(i, 1) + 1.5 * X(i, 2) + 0.1 * rng.normal();
  }
}

}  // namespace

TEST_CASE("fit_ols rejects bad input with a clear message") {
  RowMatrix X;
  Vector y;
  linear_problem(X, y);
  RowMatrix bad = X;
  bad(4, 2) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(fit_ols(bad, y), Contains("inf") && Contains("row 4, column 2"));
  Vector ybad = y;
  ybad[9] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(fit_ols(X, ybad), Contains("y holds a non-finite value (NaN) at row 9"));
  CHECK_THROWS_WITH(fit_ols(RowMatrix(0, 3), Vector(0)), Contains("zero rows"));
  CHECK_THROWS_WITH(fit_ols(X, y.head(5)), Contains("5 entries"));
  CHECK_THROWS_AS(fit_ols(X.topRows(4), y.head(4)), InvalidArgument);
  CHECK_THROWS_WITH(fit_ols(X.topRows(4), y.head(4)),
                    Contains("4 rows for 4 parameters") && Contains("more features than rows"));
  OLSOptions o;
  o.names = {"a", "b"};
  CHECK_THROWS_WITH(fit_ols(X, y, o), Contains("names has 2 entries but X has 3 columns"));
}

TEST_CASE("fit_ols names the column that makes the design rank deficient") {
  RowMatrix X;
  Vector y;
  linear_problem(X, y);
  RowMatrix dep(X.rows(), 4);
  dep.leftCols(3) = X;
  dep.col(3) = 2.0 * X.col(0) - 1e-5 * X.col(1);
  OLSOptions o;
  o.names = {"noise", "views", "flag", "combo"};
  CHECK_THROWS_WITH(fit_ols(dep, y, o), Contains("rank deficient") && Contains("'combo'"));
  dep.col(3).setConstant(7.0);  // duplicates the constant
  CHECK_THROWS_WITH(fit_ols(dep, y, o), Contains("'combo'") && Contains("'const'"));
  dep.col(3).setZero();
  CHECK_THROWS_WITH(fit_ols(dep, y, o), Contains("'combo'"));
}

TEST_CASE("fit_ols recovers an exact linear relation and its statistics agree") {
  RowMatrix X;
  Vector y;
  linear_problem(X, y);
  const Vector exact =
      (X * Vector::Map(std::vector<double>{0.5, -3e-5, 1.5}.data(), 3)).array() + 2.0;
  const OLSResults e = fit_ols(X, exact);
  CHECK(e.params[0] == Approx(2.0).epsilon(1e-12));
  CHECK(e.params[2] == Approx(-3e-5).epsilon(1e-10));
  CHECK(e.rsquared == Approx(1.0).epsilon(1e-12));

  const OLSResults r = fit_ols(X, y);
  REQUIRE(r.names == std::vector<std::string>{"const", "x1", "x2", "x3"});
  CHECK(r.df_model == 3);
  CHECK(r.df_resid == X.rows() - 4);
  CHECK(r.ssr == Approx(r.resid.squaredNorm()));
  CHECK(r.ess + r.ssr == Approx(r.centered_tss));
  CHECK(r.fvalue == Approx((r.ess / 3) / (r.ssr / r.df_resid)));
  // Residuals are orthogonal to every column (normal equations).
  CHECK(std::abs(r.resid.sum()) < 1e-9);
  CHECK(std::abs(X.col(1).dot(r.resid)) < 1e-9 * X.col(1).norm() * r.resid.norm());
  const RowMatrix ci = r.conf_int(0.01);
  for (Eigen::Index j = 0; j < 4; ++j) {
    CHECK(ci(j, 0) < r.ci_low[j]);
    CHECK(ci(j, 1) > r.ci_high[j]);
  }
  CHECK_THROWS_WITH(r.conf_int(1.5), Contains("alpha"));
  const std::string text = r.summary();
  CHECK_THAT(text, Contains("OLS Regression Results") && Contains("Durbin-Watson:") &&
                       Contains("x2") && Contains("Cond. No."));

  // Without a constant: uncentered R-squared, as statsmodels.
  OLSOptions o;
  o.add_constant = false;
  const OLSResults nc = fit_ols(X, y, o);
  CHECK(nc.names.size() == 3);
  CHECK(nc.rsquared == Approx(1.0 - nc.ssr / y.squaredNorm()));
}

TEST_CASE("fit_logit rejects bad input and reports separation") {
  RowMatrix X(6, 1);
  X << -3, -2, -1, 1, 2, 3;
  Vector y(6);
  y << 0, 0, 0, 1, 1, 1;
  CHECK_THROWS_WITH(fit_logit(X, y), Contains("perfect separation"));
  Vector y3 = y;
  y3[0] = 3;
  CHECK_THROWS_WITH(fit_logit(X, y3), Contains("binary") && Contains("row 0 is 3"));
  CHECK_THROWS_WITH(fit_logit(X.middleRows(2, 2), y.segment(2, 2)),
                    Contains("2 rows for 2 parameters; need more rows than parameters"));
  LogitOptions o;
  o.max_iter = 0;
  CHECK_THROWS_WITH(fit_logit(X, y, o), Contains("max_iter"));
  RowMatrix nan = X;
  nan(2, 0) = std::nan("");
  CHECK_THROWS_WITH(fit_logit(nan, y), Contains("NaN") && Contains("row 2, column 0"));
}

TEST_CASE("fit_logit reports a fit that has not reached the optimum") {
  Random rng(9);
  RowMatrix X(500, 2);
  Vector y(500);
  for (Eigen::Index i = 0; i < 500; ++i) {
    X(i, 0) = rng.normal();
    X(i, 1) = rng.normal();
    y[i] = rng.uniform() < 1 / (1 + std::exp(-(X(i, 0) - 2 * X(i, 1)))) ? 1 : 0;
  }
  LogitOptions o;
  o.max_iter = 1;
  CHECK_THROWS_WITH(fit_logit(X, y, o), Contains("did not reach the optimum in 1 iterations"));
  const LogitResults r = fit_logit(X, y);
  CHECK(r.converged);
  CHECK(r.params[2] < 0);
  CHECK(r.llf > r.llnull);
  CHECK(r.aic == Approx(-2 * r.llf + 6));
  CHECK(r.conf_int(0.05)(1, 0) == Approx(r.ci_low[1]));
}
