// GridSearchCV over the real ensembles: plumbing equals a manual fold fit, thread-count
// independence, and parameter errors from the ensembles' own validation.
#include <catch2/catch.hpp>
#include <cmath>

#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"
#include "claimlens/random.hpp"

using Catch::Matchers::Contains;
using claimlens::GradientBoostingClassifier;
using claimlens::GridSearchCV;
using claimlens::GridSearchOptions;
using claimlens::RandomForestClassifier;
using claimlens::RowMatrix;
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

namespace {

/// Scores of a separately fitted model on fold `f` (the reference for the search's shared fits).
template <class Estimator>
std::vector<double> manual_fold_scores(const json& params, const RowMatrix& X,
                                       const std::vector<double>& y, std::size_t f) {
  using Params = std::decay_t<decltype(std::declval<Estimator>().params())>;
  Estimator manual(Params::from_json(params));
  const auto folds = claimlens::stratified_kfold(y, 5);
  manual.fit(claimlens::BinnedMatrix::from_dense(X), y, folds[f].first);
  std::vector<double> truth, proba;
  for (std::size_t r : folds[f].second) {
    truth.push_back(y[r]);
    proba.push_back(manual.predict_proba_row(X.data() + r * static_cast<std::size_t>(X.cols())));
  }
  return claimlens::score_binary(
      truth, proba,
      {claimlens::Metric::Accuracy, claimlens::Metric::Precision, claimlens::Metric::Recall,
       claimlens::Metric::F1, claimlens::Metric::RocAuc});
}

template <class Estimator>
void check_against_separate_fits(const json& grid, const json& base, std::size_t expected_fits) {
  RowMatrix X;
  std::vector<double> y;
  make_data(X, y);
  const GridSearchOptions options;  // (a GridSearchOptions{} temporary here crashes g++ 12)
  GridSearchCV<Estimator> search(grid, options, base);
  CHECK(search.fits_per_fold() == expected_fits);
  const auto& results = search.fit(X, y).cv_results();
  for (std::size_t c = 0; c < results.size(); ++c) {
    json merged = base;
    merged.update(results.params[c]);
    for (std::size_t f : {0u, 3u}) {
      const auto expected = manual_fold_scores<Estimator>(merged, X, y, f);
      for (std::size_t m = 0; m < expected.size(); ++m) {
        INFO("combination " << c << " fold " << f << " metric " << results.metrics[m].name);
        CHECK(results.metrics[m].split_scores[c][f] == expected[m]);  // bit for bit
      }
    }
  }
}

}  // namespace

TEST_CASE("forest grid search: shared fits score exactly like separate fits", "[grid][forest]") {
  // One fit of 25 unlimited-depth trees per fold and effective min_samples_split, that is
  // max(min_samples_split, 2 * min_samples_leaf): 2, 3, 5 for leaves of 1; 4, 5 for leaves of 2.
  // The others are its trees cut at max_depth 2 or 4, and its first 10 trees.
  check_against_separate_fits<RandomForestClassifier>(
      {{"max_depth", {2, nullptr, 4}},
       {"min_samples_leaf", {1, 2}},
       {"min_samples_split", {2, 3, 5}},
       {"n_estimators", {10, 25}}},
      {{"random_state", 5}, {"max_features", 0.6}, {"max_samples", 0.7}}, 5);
}

TEST_CASE("a forest tree cut at a depth is the tree grown with that max_depth", "[grid][forest]") {
  RowMatrix X;
  std::vector<double> y;
  make_data(X, y);
  auto fit = [&](json depth) {
    RandomForestClassifier forest(claimlens::RandomForestParams::from_json(
        {{"n_estimators", 6}, {"max_depth", depth}, {"max_features", 0.4}, {"random_state", 3}}));
    forest.fit(X, y);
    return forest;
  };
  const RandomForestClassifier deep = fit(nullptr);
  for (int depth : {1, 3, 6}) {
    const RandomForestClassifier cut = fit(depth);
    for (std::size_t t = 0; t < deep.trees().size(); ++t) {
      REQUIRE(cut.trees()[t].depth() <= depth);
      for (Eigen::Index r = 0; r < X.rows(); r += 7) {
        const double* row = X.data() + r * X.cols();
        INFO("depth " << depth << " tree " << t << " row " << r);
        CHECK(deep.trees()[t].predict_row_to_depth(row, depth) == cut.trees()[t].predict_row(row));
      }
    }
  }
}

TEST_CASE("boosting grid search: shared fits score exactly like separate fits", "[grid][gbdt]") {
  check_against_separate_fits<GradientBoostingClassifier>(
      {{"n_estimators", {30, 5, 12}}, {"learning_rate", {0.1, 0.3}}},
      {{"random_state", 3}, {"subsample", 0.7}, {"colsample_bytree", 0.8}, {"max_depth", 3}}, 2);
}

TEST_CASE("ensemble grid searches do not depend on the thread count", "[grid][forest][gbdt]") {
  RowMatrix X;
  std::vector<double> y;
  make_data(X, y);
  const json forest_grid = {
      {"max_depth", {4, nullptr}}, {"min_samples_leaf", {1, 3}}, {"n_estimators", {15}}};
  std::vector<double> p1, p2;
  const auto f1 = run<RandomForestClassifier>(forest_grid, {{"random_state", 1}}, 1, X, y, &p1);
  const auto f2 = run<RandomForestClassifier>(forest_grid, {{"random_state", 1}}, 2, X, y, &p2);
  for (std::size_t m = 0; m < f1.metrics.size(); ++m) {
    CHECK(f1.metrics[m].split_scores == f2.metrics[m].split_scores);
    CHECK(f1.metrics[m].rank == f2.metrics[m].rank);
  }
  CHECK(p1 == p2);

  const json gbdt_grid = {{"max_depth", {2, 4}},
                          {"learning_rate", {0.1, 0.3}},
                          {"n_estimators", {20}},
                          {"subsample", {0.8}}};
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
  CHECK_THROWS_WITH(GridSearchCV<GradientBoostingClassifier>(json{{"learning_rate", {0.1, -1.0}}}),
                    Contains("combination 1") && Contains("learning_rate"));
  CHECK_THROWS_WITH(GridSearchCV<RandomForestClassifier>(json{{"n_estimators", {"many"}}}),
                    Contains("n_estimators"));
}
