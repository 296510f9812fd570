// GridSearchCV: grid expansion and folds equal to scikit-learn's, scoring, best-parameter
// selection, determinism across thread counts, progress, and bad input.
#include <catch2/catch.hpp>
#include <cmath>
#include <mutex>

#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"
#include "claimlens/random.hpp"
#include "model_selection/toy_estimator.hpp"
#include "support/paths.hpp"

using Catch::Matchers::Contains;
using claimlens::GridSearchCV;
using claimlens::GridSearchOptions;
using claimlens::InvalidArgument;
using claimlens::RowMatrix;
using claimlens::StateError;
using claimlens::testing::Stump;
using json = nlohmann::json;

namespace {

const json& fixture() {
  static const json j = json::parse(
      claimlens::testing::read_text_file(claimlens::testing::fixture_path("sklearn_grid.json")));
  return j;
}

std::vector<double> digits_to_labels(const std::string& s) {
  std::vector<double> y;
  for (char c : s) y.push_back(c == '1' ? 1.0 : 0.0);
  return y;
}

/// 600 rows: feature 1 decides the label (with 10% noise), features 0 and 2 are noise.
void toy_problem(RowMatrix& X, std::vector<double>& y) {
  claimlens::Random rng(42);
  X.resize(600, 3);
  y.resize(600);
  for (int i = 0; i < 600; ++i) {
    X(i, 0) = rng.uniform();
    X(i, 1) = rng.uniform();
    X(i, 2) = std::floor(rng.uniform() * 10);
    y[static_cast<std::size_t>(i)] = (X(i, 1) > 0.4) != (rng.uniform() < 0.1) ? 1.0 : 0.0;
  }
}

}  // namespace

TEST_CASE("expand_param_grid gives scikit-learn's ParameterGrid order", "[grid]") {
  for (const auto& case_ : fixture()["grids"]) {
    const auto expanded = claimlens::expand_param_grid(case_["grid"]);
    REQUIRE(expanded.size() == case_["expanded"].size());
    for (std::size_t i = 0; i < expanded.size(); ++i) CHECK(expanded[i] == case_["expanded"][i]);
  }
  CHECK(claimlens::expand_param_grid(fixture()["grids"][0]["grid"]).size() == 72);
  CHECK(claimlens::expand_param_grid(fixture()["grids"][1]["grid"]).size() == 24);
}

TEST_CASE("bad grids are rejected naming the parameter", "[grid]") {
  using claimlens::expand_param_grid;
  CHECK_THROWS_WITH(expand_param_grid(json{{"max_depth", json::array()}}),
                    Contains("'max_depth'") && Contains("empty"));
  CHECK_THROWS_WITH(expand_param_grid(json{{"n_estimators", 5}}),
                    Contains("'n_estimators'") && Contains("must be a list"));
  CHECK_THROWS_WITH(expand_param_grid(json{{"a", "xy"}}), Contains("'a'"));
  CHECK_THROWS_WITH(expand_param_grid(json(3)), Contains("param_grid must be an object"));
  CHECK_THROWS_WITH(expand_param_grid(json::array({json{{"a", {1}}}, 7})),
                    Contains("param_grid[1]"));
  CHECK(expand_param_grid(json::object()).size() == 1);
}

TEST_CASE("stratified folds equal scikit-learn's StratifiedKFold", "[grid][folds]") {
  for (const auto& case_ : fixture()["folds"]) {
    const auto y = digits_to_labels(case_["y"].get<std::string>());
    const int k = case_["n_splits"].get<int>();
    const auto pairs = claimlens::stratified_kfold(y, k);
    REQUIRE(pairs.size() == static_cast<std::size_t>(k));
    std::vector<int> folds(y.size(), -1);
    for (std::size_t f = 0; f < pairs.size(); ++f) {
      for (std::size_t r : pairs[f].second) folds[r] = static_cast<int>(f);
    }
    const std::string expected = case_["test_folds"].get<std::string>();
    REQUIRE(folds.size() == expected.size());
    std::size_t mismatches = 0;
    for (std::size_t i = 0; i < folds.size(); ++i) mismatches += folds[i] != expected[i] - '0';
    INFO(case_["name"].get<std::string>() << " k=" << k);
    CHECK(mismatches == 0);

    // Train/test index lists partition the rows and keep the class ratio per fold.
    double positives = 0;
    for (double v : y) positives += v;
    for (const auto& [train, test] : pairs) {
      CHECK(train.size() + test.size() == y.size());
      double fold_pos = 0;
      for (std::size_t r : test) fold_pos += y[r];
      CHECK(std::abs(fold_pos - positives / k) <= 1.0);
    }
  }
}

TEST_CASE("stratified folds reject impossible splits", "[grid][folds]") {
  const std::vector<double> y = {0, 1, 0, 1, 0, 0};
  CHECK_THROWS_WITH(claimlens::stratified_kfold(y, 3), Contains("class 1 has only 2"));
  CHECK_THROWS_WITH(claimlens::stratified_kfold(y, 1), Contains("at least 2"));
  CHECK_THROWS_WITH(claimlens::stratified_kfold(std::vector<double>{0, 0, 0, 0}, 2),
                    Contains("single class"));
  CHECK_THROWS_WITH(claimlens::stratified_kfold(std::vector<double>{0, 2, 0, 1}, 2),
                    Contains("y[1] = 2"));
}

TEST_CASE("score_binary equals scikit-learn's scorers, ties included", "[grid][scores]") {
  using claimlens::Metric;
  const std::vector<Metric> all = {Metric::Accuracy, Metric::Precision, Metric::Recall, Metric::F1,
                                   Metric::RocAuc};
  for (const auto& case_ : fixture()["scores"]) {
    const auto y = case_["y"].get<std::vector<double>>();
    const auto p = case_["proba"].get<std::vector<double>>();
    const auto s = claimlens::score_binary(y, p, all);
    CHECK(s[0] == Approx(case_["accuracy"].get<double>()).epsilon(1e-12));
    CHECK(s[1] == Approx(case_["precision"].get<double>()).epsilon(1e-12));
    CHECK(s[2] == Approx(case_["recall"].get<double>()).epsilon(1e-12));
    CHECK(s[3] == Approx(case_["f1"].get<double>()).epsilon(1e-12));
    CHECK(s[4] == Approx(case_["roc_auc"].get<double>()).epsilon(1e-12));
  }
  CHECK_THROWS_WITH(claimlens::score_binary(std::vector<double>{1, 1}, std::vector<double>{.2, .3},
                                            {Metric::RocAuc}),
                    Contains("only one class (1) present in y_true"));  // metrics' roc_auc_score
  CHECK_THROWS_WITH(claimlens::score_binary(std::vector<double>{1, 0}, std::vector<double>{.2},
                                            {Metric::Accuracy}),
                    Contains("2 entries"));
  CHECK_THROWS_WITH(claimlens::score_binary(std::vector<double>{1, 0}, std::vector<double>{.2, NAN},
                                            {Metric::Accuracy}),
                    Contains("proba[1]"));
  CHECK_THROWS_WITH(claimlens::metric_from_name("auc"), Contains("unknown scoring metric 'auc'"));
  for (Metric m : all) CHECK(claimlens::metric_from_name(claimlens::metric_name(m)) == m);
}

TEST_CASE("grid search picks the informative feature and refits it", "[grid]") {
  RowMatrix X;
  std::vector<double> y;
  toy_problem(X, y);
  GridSearchOptions options;
  options.refit = "accuracy";
  GridSearchCV<Stump> search(json{{"feature", {0, 1, 2}}, {"smoothing", {0.0, 1.0}}}, options);
  search.fit(X, y);
  const auto& results = search.cv_results();
  REQUIRE(results.size() == 6);
  CHECK(search.best_params()["feature"] == 1);
  CHECK(search.best_params()["smoothing"] == 0.0);  // ties: the first combination wins
  const auto& accuracy = results.metric("accuracy");
  CHECK_THROWS_WITH(results.metric("log_loss"), Contains("metric 'log_loss' was not scored"));
  CHECK(accuracy.rank[search.best_index()] == 1);
  CHECK(search.best_score() == accuracy.mean[search.best_index()]);
  CHECK(search.best_score() > 0.85);
  // Smoothing does not change which side wins, so both feature-1 combinations tie for rank 1.
  CHECK(accuracy.rank[2] == 1);
  CHECK(accuracy.rank[3] == 1);
  CHECK(accuracy.rank[0] == 3);
  for (std::size_t c = 0; c < results.size(); ++c) {
    double sum = 0, sq = 0;
    for (double v : accuracy.split_scores[c]) sum += v;
    const double mean = sum / 5;
    for (double v : accuracy.split_scores[c]) sq += (v - mean) * (v - mean);
    CHECK(accuracy.mean[c] == Approx(mean));
    CHECK(accuracy.std[c] == Approx(std::sqrt(sq / 5)).margin(1e-15));
  }
  // The refit model was trained on every row with the best parameters.
  CHECK(search.best_estimator().params().feature == 1);
  CHECK(search.best_estimator().threshold() == Approx(0.4).margin(0.05));

  const json table = results.to_json();
  CHECK(table["params"].size() == 6);
  CHECK(table["split4_test_roc_auc"].size() == 6);
  CHECK(table["rank_test_recall"].size() == 6);
  CHECK(table.contains("mean_fit_time"));
}

TEST_CASE("grid search results do not depend on the thread count", "[grid]") {
  RowMatrix X;
  std::vector<double> y;
  toy_problem(X, y);
  const json grid = {{"feature", {0, 1, 2}}, {"smoothing", {0.0, 0.5, 2.0}}};
  std::vector<claimlens::CvResults> runs;
  for (int threads : {1, 2, 3}) {
    GridSearchOptions options;
    options.n_jobs = threads;
    GridSearchCV<Stump> search(grid, options);
    runs.push_back(search.fit(X, y).cv_results());
  }
  for (const auto& run : runs) {
    for (std::size_t m = 0; m < run.metrics.size(); ++m) {
      CHECK(run.metrics[m].split_scores == runs[0].metrics[m].split_scores);
      CHECK(run.metrics[m].rank == runs[0].metrics[m].rank);
    }
  }
}

TEST_CASE("grid search reports progress up to 1", "[grid]") {
  RowMatrix X;
  std::vector<double> y;
  toy_problem(X, y);
  std::vector<double> seen;
  GridSearchOptions options;
  options.cv = 3;
  options.progress = [&](double f) { seen.push_back(f); };  // never called concurrently
  GridSearchCV<Stump>(json{{"feature", {0, 1}}}, options).fit(X, y);
  REQUIRE(seen.size() == 2 * 3 + 1);
  for (std::size_t i = 1; i < seen.size(); ++i) CHECK(seen[i] > seen[i - 1]);
  CHECK(seen.back() == 1.0);

  options.progress = [](double) { throw std::runtime_error("cancelled by the caller"); };
  GridSearchCV<Stump> cancelled(json{{"feature", {0, 1}}}, options);
  CHECK_THROWS_WITH(cancelled.fit(X, y), "cancelled by the caller");
  CHECK_THROWS_AS(cancelled.cv_results(), StateError);
}

TEST_CASE("grid search rejects bad parameters, options and data", "[grid]") {
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"depth", {1, 2}}}),
                    Contains("combination 0") && Contains("'depth'"));
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", {1, -2}}}),
                    Contains("combination 1") && Contains("feature must be >= 0"));
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", 1}}), Contains("must be a list"));
  GridSearchOptions options;
  options.refit = "log_loss";
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", {1}}}, options),
                    Contains("'log_loss'") && Contains("not among the scoring"));
  options = GridSearchOptions{};
  options.scoring = {"recall", "recall"};
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", {1}}}, options), Contains("twice"));
  options = GridSearchOptions{};
  options.cv = 1;
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", {1}}}, options), Contains("cv"));
  options = GridSearchOptions{};
  options.n_jobs = -2;  // 0 means all cores (claimlens/threads.hpp); below -1 is refused
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", {1}}}, options), Contains("n_jobs"));
  CHECK_THROWS_WITH(GridSearchCV<Stump>(json{{"feature", {1}}}, {}, json::array()),
                    Contains("base_params"));

  GridSearchCV<Stump> search(json{{"feature", {0}}});
  CHECK_THROWS_AS(search.best_params(), StateError);
  RowMatrix X = RowMatrix::Zero(4, 2);
  CHECK_THROWS_WITH(search.fit(X, std::vector<double>{0, 1, 0}), Contains("3 labels"));
  CHECK_THROWS_WITH(search.fit(X, std::vector<double>{0, 1, 0, 5}), Contains("y[3] = 5"));
  CHECK_THROWS_WITH(search.fit(X, std::vector<double>{0, 1, 0, 1}), Contains("greater than"));
  std::vector<claimlens::Fold> folds = {{{0, 1}, {2, 3}}, {{2, 3}, {0, 9}}};
  CHECK_THROWS_WITH(search.fit(X, std::vector<double>{0, 1, 0, 1}, folds), Contains("row 9"));
  folds = {{{}, {0, 1}}, {{0, 1}, {2, 3}}};
  CHECK_THROWS_WITH(search.fit(X, std::vector<double>{0, 1, 0, 1}, folds),
                    Contains("fold 0 has an empty train or test set"));
  folds = {{{0, 1}, {2, 3}}};
  CHECK_THROWS_WITH(search.fit(X, std::vector<double>{0, 1, 0, 1}, folds),
                    Contains("needs at least 2 folds"));
  // An estimator failure inside the parallel loop reaches the caller.
  GridSearchCV<Stump> out_of_range(json{{"feature", {5}}});
  RowMatrix X2;
  std::vector<double> y2;
  toy_problem(X2, y2);
  CHECK_THROWS_WITH(out_of_range.fit(X2, y2), Contains("feature out of range"));
}
