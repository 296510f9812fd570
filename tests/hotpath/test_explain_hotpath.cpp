// The single-row explanation path allocates nothing once its workspace exists: tree ensembles
// (table, quadrature and long-path leaves) and the logistic regression.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "alloc_counter.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/explain/linear_shap.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "claimlens/model/model.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/random.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "support/paths.hpp"

namespace {

using namespace claimlens;
using claimlens::testing::AllocationScope;

void data(RowMatrix& X, std::vector<double>& y) {
  Random rng(9);
  X.resize(300, 5);
  y.resize(300);
  for (Eigen::Index r = 0; r < 300; ++r) {
    for (Eigen::Index c = 0; c < 5; ++c) X(r, c) = rng.normal();
    y[static_cast<std::size_t>(r)] = X(r, 0) - X(r, 1) + 0.5 * rng.normal() > 0 ? 1.0 : 0.0;
    if (r % 7 == 0) X(r, 2) = std::nan("");
  }
}

std::size_t allocations_explaining(const TreeShapExplainer& e, const RowMatrix& X) {
  auto ws = e.make_workspace();
  std::vector<double> out(e.width());
  double sink = 0.0;
  AllocationScope scope;
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    sink += e.explain_row(X.data() + r * X.cols(), out.data(), ws).residual + out[0];
  }
  const std::size_t n = scope.counts().total();
  CHECK(std::isfinite(sink));
  return n;
}

// Model::explain_rows one row at a time, after one row that makes the explainer and this
// thread's workspace.
std::size_t allocations_explaining(const Model& model, const RowMatrix& X) {
  std::vector<double> out(model.num_features() + 1);
  double residual = 0.0, sink = 0.0;
  model.explain_rows(X.data(), 1, out.data(), &residual);
  AllocationScope scope;
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    model.explain_rows(X.data() + r * X.cols(), 1, out.data(), &residual);
    sink += residual + out[0];
  }
  const std::size_t n = scope.counts().total();
  CHECK(std::isfinite(sink));
  return n;
}

}  // namespace

TEST_CASE("hot path: explaining one row allocates nothing", "[hotpath][explain]") {
  RowMatrix X;
  std::vector<double> y;
  data(X, y);
  GradientBoostingParams gp;
  gp.n_estimators = 20;
  GradientBoostingClassifier gb(gp);
  gb.fit(X, y);
  RandomForestParams fp;
  fp.n_estimators = 10;
  RandomForestClassifier rf(fp);
  rf.fit(X, y);
  TreeShapOptions quadrature, steps;
  quadrature.max_table_bytes = 0;
  steps.steps_only = true;
  CHECK(allocations_explaining(tree_shap(gb), X) == 0);
  CHECK(allocations_explaining(tree_shap(rf), X) == 0);
  CHECK(allocations_explaining(tree_shap(rf, quadrature), X) == 0);
  CHECK(allocations_explaining(tree_shap(gb, steps), X) == 0);

  LogisticRegression lr;
  RowMatrix dense = X;
  for (Eigen::Index r = 0; r < dense.rows(); ++r) {
    if (std::isnan(dense(r, 2))) dense(r, 2) = 0.0;
  }
  lr.fit(dense, Eigen::Map<const Vector>(y.data(), static_cast<Eigen::Index>(y.size())));
  const LinearShapExplainer le(lr);
  std::vector<double> out(le.width());
  AllocationScope scope;
  for (Eigen::Index r = 0; r < dense.rows(); ++r) le.explain_row(dense.data() + r * 5, out.data());
  CHECK(scope.counts().total() == 0);
}

TEST_CASE("hot path: the model layer explains one row without allocating", "[hotpath][explain]") {
  RowMatrix X;
  std::vector<double> y;
  data(X, y);
  const Span<const double> labels(y.data(), y.size());
  const Model gb =
      Model::fit({{"algorithm", "gradient_boosting"}, {"n_estimators", 20}}, X, labels);
  const Model rf = Model::fit({{"algorithm", "random_forest"}, {"n_estimators", 10}}, X, labels);
  CHECK(allocations_explaining(gb, X) == 0);
  CHECK(allocations_explaining(rf, X) == 0);
  // Two models on one thread share its workspace: still nothing once both have run.
  CHECK(allocations_explaining(gb, X) == 0);
  RowMatrix dense = X;
  for (Eigen::Index r = 0; r < dense.rows(); ++r) {
    if (std::isnan(dense(r, 2))) dense(r, 2) = 0.0;
  }
  const Model lr = Model::fit({{"algorithm", "logistic_regression"}}, dense, labels);
  CHECK(allocations_explaining(lr, dense) == 0);
}

TEST_CASE("hot path: an imported XGBoost booster explains one row without allocating",
          "[hotpath][explain]") {
  const Model booster =
      load_model(claimlens::testing::fixture_path("xgboost/claim_d8_100_nan.json"));
  Random rng(4);
  RowMatrix X(200, static_cast<Eigen::Index>(booster.num_features()));
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    for (Eigen::Index c = 0; c < X.cols(); ++c) {
      X(r, c) = (r + c) % 9 == 0 ? std::nan("") : 1000.0 * rng.uniform();
    }
  }
  CHECK(allocations_explaining(booster, X) == 0);
}
