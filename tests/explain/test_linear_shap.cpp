// Linear SHAP of a logistic regression: contributions coef * (x - mean) on the margin scale,
// equal to brute-force Shapley values of v(S) = the margin with the features outside S at their
// training means; the means kept by fit and in the model document (older documents load without
// them and are refused when explained); additivity on every row of the seed's test split.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/explain/linear_shap.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/random.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "ensemble/support.hpp"

using namespace claimlens;
using namespace claimlens::testing;

namespace {

void synthetic(RowMatrix& X, Vector& y, Eigen::Index n, std::uint64_t seed) {
  Random rng(seed);
  X.resize(n, 6);
  y.resize(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    for (Eigen::Index c = 0; c < 6; ++c) X(r, c) = rng.normal() * (1.0 + c) + c;
    const double z = 0.8 * X(r, 0) - 0.3 * X(r, 2) + 0.1 * X(r, 5) - 1.0;
    y[r] = rng.uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
}

LogisticRegression fitted(const RowMatrix& X, const Vector& y, const Vector& w = Vector()) {
  LogisticRegression m;
  m.fit(X, y, w);
  return m;
}

}  // namespace

TEST_CASE("linear shap: coef * (x - mean) equals brute-force Shapley values", "[explain]") {
  RowMatrix X;
  Vector y;
  synthetic(X, y, 300, 1);
  const LogisticRegression m = fitted(X, y);
  const Vector mean = X.colwise().mean().transpose();
  REQUIRE(m.feature_means().size() == 6);
  for (Eigen::Index j = 0; j < 6; ++j)
    CHECK(m.feature_means()[j] == Approx(mean[j]).epsilon(1e-14));
  const LinearShapExplainer e(m);
  CHECK(e.scale() == ShapScale::Margin);
  const ShapValues v = e.explain(X, 2);
  const Vector margin = m.decision_function(X);
  for (std::size_t r = 0; r < v.rows; ++r) {
    const double* x = X.data() + r * 6;
    // v(S): the margin with the features outside S at their means; Shapley over all 64 subsets.
    std::vector<double> value(64);
    for (std::uint32_t s = 0; s < 64; ++s) {
      value[s] = m.intercept();
      for (Eigen::Index j = 0; j < 6; ++j) {
        value[s] += m.coef()[j] * (((s >> j) & 1u) ? x[j] : m.feature_means()[j]);
      }
    }
    const double fact[7] = {1, 1, 2, 6, 24, 120, 720};
    for (std::size_t j = 0; j < 6; ++j) {
      double phi = 0.0;
      for (std::uint32_t s = 0; s < 64; ++s) {
        if ((s >> j) & 1u) continue;
        const int k = __builtin_popcount(s);
        phi += fact[k] * fact[6 - k - 1] / fact[6] * (value[s | (1u << j)] - value[s]);
      }
      CHECK(std::fabs(v.at(r, j) - phi) <= 1e-12);
    }
    CHECK(std::fabs(v.at(r, 6) - value[0]) <= 1e-12);
    CHECK(std::fabs(v.output[r] - margin[static_cast<Eigen::Index>(r)]) <= 1e-12);
    CHECK(v.residual[r] <= 1e-12);
  }
  CHECK(e.explain(X, 1).values == v.values);
}

TEST_CASE("linear shap: sample weights weigh the means", "[explain]") {
  RowMatrix X;
  Vector y;
  synthetic(X, y, 200, 2);
  Vector w = Vector::Ones(200);
  w.head(50).setConstant(3.0);
  const LogisticRegression m = fitted(X, y, w);
  for (Eigen::Index j = 0; j < 6; ++j) {
    const double expected = (X.col(j).array() * w.array()).sum() / w.sum();
    CHECK(m.feature_means()[j] == Approx(expected).epsilon(1e-14));
  }
}

TEST_CASE("linear shap: the means in the model document, older documents refused",
          "[explain][bad]") {
  RowMatrix X;
  Vector y;
  synthetic(X, y, 200, 3);
  const LogisticRegression m = fitted(X, y);
  nlohmann::json doc = m.to_json();
  REQUIRE(doc.contains("feature_means"));
  const LogisticRegression back = LogisticRegression::from_json(doc);
  CHECK(back.feature_means() == m.feature_means());
  CHECK(LinearShapExplainer(back).explain(X).values == LinearShapExplainer(m).explain(X).values);

  nlohmann::json old = doc;
  old.erase("feature_means");
  const LogisticRegression legacy = LogisticRegression::from_json(old);
  CHECK(legacy.feature_means().size() == 0);
  CHECK(legacy.decision_function(X) == m.decision_function(X));  // still predicts
  CHECK_THROWS_MATCHES(LinearShapExplainer(legacy), StateError,
                       MessageContains("LogisticRegression.explain: the model has no training "
                                       "feature means (it was saved before claimlens kept them)"));

  nlohmann::json short_means = doc;
  short_means["feature_means"].erase(0);
  CHECK_THROWS_MATCHES(LogisticRegression::from_json(short_means), ModelFormatError,
                       MessageContains("'feature_means' has 5 entries, expected 6"));
  CHECK_THROWS_MATCHES(LinearShapExplainer(LogisticRegression()), StateError,
                       MessageContains("LogisticRegression.explain: the model is not fitted"));
}

TEST_CASE("linear shap: non-finite values and wrong widths are refused", "[explain][bad]") {
  RowMatrix X;
  Vector y;
  synthetic(X, y, 100, 4);
  const LinearShapExplainer e(fitted(X, y));
  RowMatrix bad = X;
  bad(7, 3) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_MATCHES(e.explain(bad), InvalidArgument,
                       MessageContains("LogisticRegression.explain: row 7 column 3 is not finite"));
  std::vector<double> out(7);
  CHECK_THROWS_MATCHES(e.explain_row(bad.data() + 7 * 6, out.data()), InvalidArgument,
                       MessageContains("column 3 is not finite"));
  CHECK_THROWS_MATCHES(e.explain(X.data(), 100, 5), InvalidArgument,
                       MessageContains("LinearShapExplainer.explain: X has 5 columns but the "
                                       "model has 6 features"));
}

TEST_CASE("real data: a logistic regression is additive on every test row", "[explain][real]") {
  const LabeledMatrix train = load_claim_matrix("ensemble_claim_train.json");
  const LabeledMatrix test = load_claim_matrix("ensemble_claim_test.json");
  LogisticRegression m;
  m.fit(train.X,
        Eigen::Map<const Vector>(train.y.data(), static_cast<Eigen::Index>(train.y.size())));
  const ShapValues v = linear_shap(m).explain(test.X, 2);
  REQUIRE(v.rows == 3817);
  const Vector margin = m.decision_function(test.X);
  double worst = 0.0;
  for (std::size_t r = 0; r < v.rows; ++r) {
    worst = std::max(worst, std::fabs(v.output[r] - margin[static_cast<Eigen::Index>(r)]));
  }
  INFO("largest additivity residual " << v.max_residual() << ", output vs model " << worst);
  CHECK(v.max_residual() < 1e-9);
  CHECK(worst < 1e-9);
}
