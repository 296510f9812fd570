// One decision rule (claimlens/metrics/binary.hpp): a probability of exactly 0.5 is class 0 in
// cross-validation (GridSearchCV), in the validation and test figures (binary_evaluation, the
// tabular pipeline's report), in predict() and in `claimlens evaluate`.
//
// The case: one constant feature and balanced labels. A random forest without bootstrap and
// with every feature grows single-leaf trees whose value is the training share of class 1, and
// stratified folds / hold-outs of 10 + 10 rows keep that share at exactly 0.5; a power-of-two
// tree count keeps the forest's mean exact.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/metrics/binary.hpp"
#include "claimlens/model_selection/grid_search.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "cli_support.hpp"

using claimlens::testing::run_cli;
using claimlens::testing::TempDir;
using nlohmann::json;

namespace {

constexpr std::size_t kRows = 20;
const json kTieForest = {{"n_estimators", 4}, {"bootstrap", false}, {"max_features", nullptr}};

std::vector<double> alternating_labels() {
  std::vector<double> y(kRows);
  for (std::size_t i = 0; i < kRows; ++i) y[i] = static_cast<double>(i % 2);
  return y;
}

std::string tie_csv() {
  std::string csv = "x,label\n";
  for (std::size_t i = 0; i < kRows; ++i) csv += "1.5," + std::to_string(i % 2) + "\n";
  return csv;
}

// What every path must report for 10 + 10 rows all scored 0.5: everything predicted class 0.
void check_all_negative(const json& r, std::int64_t rows) {
  INFO(r.dump());
  CHECK(r["accuracy"].get<double>() == 0.5);
  CHECK(r["precision"].get<double>() == 0.0);
  CHECK(r["recall"].get<double>() == 0.0);
  CHECK(r["f1"].get<double>() == 0.0);
  CHECK(r["roc_auc"].get<double>() == 0.5);
  CHECK(r["confusion_matrix"] == json::array({{rows / 2, 0}, {rows / 2, 0}}));
}

}  // namespace

TEST_CASE("the decision rule: class 1 iff P(y=1) > 0.5", "[threshold]") {
  STATIC_REQUIRE(claimlens::kDecisionThreshold == 0.5);
  STATIC_REQUIRE_FALSE(claimlens::predicts_positive(0.5));
  STATIC_REQUIRE(claimlens::predicts_positive(0.5000000000000001));
  STATIC_REQUIRE(claimlens::predicted_class(0.5) == 0);
  CHECK(claimlens::predicted_class(std::nan("")) == 0);
  CHECK(claimlens::predicted_classes(std::vector<double>{0.0, 0.5, 0.75, 1.0}) ==
        std::vector<int>{0, 0, 1, 1});
  const auto c = claimlens::binary_counts(std::vector<int>{0, 1, 1, 0, 1},
                                          std::vector<double>{0.5, 0.5, 0.9, 0.6, 0.2});
  CHECK((c.tn == 1 && c.fp == 1 && c.fn == 2 && c.tp == 1));
  CHECK(c.accuracy() == 0.4);
  CHECK(c.precision() == 0.5);
  CHECK(c.recall() == 1.0 / 3.0);
  CHECK(c.f1() == 0.4);
  CHECK_THROWS_WITH(claimlens::binary_counts(std::vector<int>{0, 1}, std::vector<double>{0.5, 1.5}),
                    Catch::Contains("proba[1] is not a probability"));
  CHECK_THROWS_WITH(claimlens::binary_counts(std::vector<int>{0, 2}, std::vector<double>{0.5, 1}),
                    Catch::Contains("got 2 at index 1"));
}

TEST_CASE("P(y=1) = 0.5 exactly is class 0 in cross-validation, validation, test and predict",
          "[threshold]") {
  const std::vector<double> y = alternating_labels();
  const claimlens::RowMatrix X = claimlens::RowMatrix::Constant(kRows, 1, 1.5);

  // Cross-validation: every fold trains on 8 + 8 rows, so every test probability is 0.5.
  claimlens::GridSearchOptions options;
  options.cv = 5;
  options.n_jobs = 1;
  json base = kTieForest;
  base.erase("n_estimators");
  claimlens::GridSearchCV<claimlens::RandomForestClassifier> search(json{{"n_estimators", {2, 4}}},
                                                                    options, base);
  search.fit(X, y);
  const claimlens::CvResults& cv = search.cv_results();
  for (std::size_t c = 0; c < cv.size(); ++c) {
    for (std::size_t f = 0; f < 5; ++f) {
      CHECK(cv.metric("accuracy").split_scores[c][f] == 0.5);
      CHECK(cv.metric("recall").split_scores[c][f] == 0.0);
      CHECK(cv.metric("precision").split_scores[c][f] == 0.0);
      CHECK(cv.metric("roc_auc").split_scores[c][f] == 0.5);
    }
  }
  const std::vector<double> p = search.best_estimator().predict_proba(X);
  REQUIRE(p == std::vector<double>(kRows, 0.5));
  CHECK(search.best_estimator().predict(X) == std::vector<int>(kRows, 0));

  // Validation and test figures (ClaimClassifier's report and the tabular pipeline's).
  check_all_negative(claimlens::binary_evaluation(y, p), std::int64_t{kRows});

  TempDir dir;
  const std::string data = dir.file("ties.csv");
  claimlens::testing::write_file(data, tie_csv());
  claimlens::TabularPipelineOptions tabular;
  tabular.target = "label";
  tabular.params = kTieForest;
  tabular.n_jobs = 1;
  const auto pipeline = claimlens::TabularPipeline::fit(claimlens::read_csv(data), tabular);
  check_all_negative(pipeline.report()["validation"], 4);
  CHECK(pipeline.predict_proba(claimlens::read_csv(data)) == std::vector<double>(kRows, 0.5));
}

TEST_CASE("claimlens evaluate scores P(y=1) = 0.5 exactly as class 0", "[threshold]") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("ties.csv"), model = dir.file("ties.json");
  claimlens::testing::write_file(data, tie_csv());
  const auto train =
      run_cli(dir, "train --data " + data + " --target label --algo rf --params " +
                       claimlens::testing::quoted(kTieForest.dump()) + " --model " + model);
  INFO(train.err);
  REQUIRE(train.status == 0);
  const auto eval = run_cli(dir, "evaluate --model " + model + " --data " + data + " --json");
  INFO(eval.err);
  REQUIRE(eval.status == 0);
  check_all_negative(json::parse(eval.out), std::int64_t{kRows});
}
