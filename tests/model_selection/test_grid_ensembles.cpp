// GridSearchCV over the real ensembles: plumbing equals a manual fold fit, thread-count
// independence, and parameter errors from the ensembles' own validation.
#include <catch2/catch.hpp>
#include <cmath>

#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"
#include "claimlens/random.hpp"

using claimlens::GradientBoostingClassifier;
using claimlens::GridSearchCV;
using claimlens::GridSearchOptions;
using claimlens::RandomForestClassifier;
using claimlens::RowMatrix;
using Catch::Matchers::Contains;
using json = nlohmann::json;

namespace {

void make_data(RowMatrix& X, std::vector<double>& y) {
  claimlens::Random rng(17);
  const Eigen::Index rows = 900;
  X.resize(rows, 5);
  y.resize(static_cast<std::size_t>(rows));
  for (Eigen::Index r = 0; r < rows; ++r) {
    for (Eigen::Index c = 0; c < 5; ++c) X(r, c) = rng.normal();
    X(r, 4) = std::floor(X(r, 4) * 3);  // a few distinct values
    const double margin = X(r, 0) - 0.7 * X(r, 1) + 0.3 * X(r, 4) + 0.8 * rng.normal();
    y[static_cast<std::size_t>(r)] = margin > 0.2 ? 1.0 : 0.0;
  }
}

template <class Estimator>
claimlens::CvResults run(const json& grid, const json& base, int threads, RowMatrix& X,
                         std::vector<double>& y, std::vector<double>* best_proba = nullptr) {
  GridSearchOptions options;
  options.n_jobs = threads;
  GridSearchCV<Estimator> search(grid, options, base);
  search.fit(X, y);
  if (best_proba) *best_proba = search.best_estimator().predict_proba(X);
  return search.cv_results();
}

}  // namespace

TEST_CASE("forest grid search: a split score equals a manual fit on that fold", "[grid][forest]") {
  RowMatrix X;
  std::vector<double> y;
  make_data(X, y);
  const json grid = {{"max_depth", {3, nullptr}}, {"n_estimators", {10, 25}}};
  const json base = {{"random_state", 5}, {"max_features", 0.6}, {"max_samples", 0.7}};
  const auto results = run<RandomForestClassifier>(grid, base, 2, X, y);
  REQUIRE(results.size() == 4);

  // Combination 1 = {max_depth 3, n_estimators 25}; fold 2 of StratifiedKFold(5).
  json merged = base;
  merged.update(results.params[1]);
  CHECK(results.params[1] == json{{"max_depth", 3}, {"n_estimators", 25}});
  RandomForestClassifier manual(claimlens::RandomForestParams::from_json(merged));
  const auto folds = claimlens::stratified_kfold(y, 5);
  manual.fit(claimlens::BinnedMatrix::from_dense(X), y, folds[2].first);
  std::vector<double> truth, proba;
  for (std::size_t r : folds[2].second) {
    truth.push_back(y[r]);
    proba.push_back(manual.predict_proba_row(X.data() + r * 5));
  }
  const auto manual_scores = claimlens::score_binary(
      truth, proba, {claimlens::Metric::Recall, claimlens::Metric::RocAuc});
  CHECK(results.metric("recall").split_scores[1][2] == manual_scores[0]);
  CHECK(results.metric("roc_auc").split_scores[1][2] == manual_scores[1]);
  CHECK(results.metric("roc_auc").mean[1] > 0.8);
}

TEST_CASE("ensemble grid searches do not depend on the thread count", "[grid][forest][gbdt]") {
  RowMatrix X;
  std::vector<double> y;
  make_data(X, y);
  const json forest_grid = {{"max_depth", {4, nullptr}}, {"min_samples_leaf", {1, 3}},
                            {"n_estimators", {15}}};
  std::vector<double> p1, p2;
  const auto f1 = run<RandomForestClassifier>(forest_grid, {{"random_state", 1}}, 1, X, y, &p1);
  const auto f2 = run<RandomForestClassifier>(forest_grid, {{"random_state", 1}}, 2, X, y, &p2);
  for (std::size_t m = 0; m < f1.metrics.size(); ++m) {
    CHECK(f1.metrics[m].split_scores == f2.metrics[m].split_scores);
    CHECK(f1.metrics[m].rank == f2.metrics[m].rank);
  }
  CHECK(p1 == p2);

  const json gbdt_grid = {{"max_depth", {2, 4}}, {"learning_rate", {0.1, 0.3}},
                          {"n_estimators", {20}}, {"subsample", {0.8}}};
  const auto g1 = run<GradientBoostingClassifier>(gbdt_grid, {{"random_state", 2}}, 1, X, y, &p1);
  const auto g2 = run<GradientBoostingClassifier>(gbdt_grid, {{"random_state", 2}}, 2, X, y, &p2);
  for (std::size_t m = 0; m < g1.metrics.size(); ++m) {
    CHECK(g1.metrics[m].split_scores == g2.metrics[m].split_scores);
  }
  CHECK(p1 == p2);
  CHECK(g1.metric("roc_auc").mean[0] > 0.8);
}

TEST_CASE("ensemble parameter errors name the combination and key", "[grid][forest][gbdt]") {
  CHECK_THROWS_WITH(GridSearchCV<RandomForestClassifier>(json{{"max_dept", {3}}}),
                    Contains("combination 0") && Contains("max_dept"));
  CHECK_THROWS_WITH(GridSearchCV<GradientBoostingClassifier>(
                        json{{"learning_rate", {0.1, -1.0}}}),
                    Contains("combination 1") && Contains("learning_rate"));
  CHECK_THROWS_WITH(GridSearchCV<RandomForestClassifier>(json{{"n_estimators", {"many"}}}),
                    Contains("n_estimators"));
}
