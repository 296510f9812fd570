// TabularPipelineOptions::tune (`claimlens train --tune`, docs/tuning.md): the grid search runs
// on the training part only, picks the combination with the best mean CV score, fits it, reports
// every combination, gives the same model at any thread count, and refuses bad grids and options
// before reading data. Also the wide / noisy generators of `claimlens synth --shape`.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/grid_search.hpp"
#include "claimlens/pipeline/synth_tabular.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace {

using claimlens::TabularAlgorithm;
using claimlens::TabularPipeline;
using claimlens::TabularPipelineOptions;
using Json = nlohmann::json;

claimlens::DataFrame noisy(std::int64_t rows) {
  claimlens::TabularSynthOptions o;
  o.shape = claimlens::SynthShape::Noisy;
  o.rows = rows;
  o.seed = 3;
  return claimlens::read_csv_buffer(claimlens::synth_tabular_csv(o), {}, "<noisy>");
}

TabularPipelineOptions tuned(TabularAlgorithm algorithm) {
  TabularPipelineOptions o;
  o.target = "label";
  o.algorithm = algorithm;
  o.tune = true;
  o.tune_cv = 3;
  o.n_jobs = 2;
  if (algorithm == TabularAlgorithm::GradientBoosting) {
    o.params = {{"n_estimators", 200}};
    o.tune_grid = Json::parse(R"({"max_depth": [2, 4], "learning_rate": [0.1, 0.3]})");
  }
  return o;
}

std::string error_of(const claimlens::DataFrame& frame, const TabularPipelineOptions& o) {
  try {
    TabularPipeline::fit(frame, o);
  } catch (const claimlens::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("tuning: the best combination of the grid, chosen on the training part", "[tuning]") {
  const claimlens::DataFrame frame = noisy(1500);
  const TabularPipeline model =
      TabularPipeline::fit(frame, tuned(TabularAlgorithm::GradientBoosting));
  const Json& t = model.report().at("tuning");
  CHECK(t.at("rows") == 1200);  // the 80% the hold-out leaves, not all 1,500 rows
  CHECK(t.at("cv") == 3);
  CHECK(t.at("scoring") == "roc_auc");
  const Json& candidates = t.at("candidates");
  REQUIRE(candidates.size() == 4);
  double best = -1;
  for (const Json& c : candidates) best = std::max(best, c.at("mean").get<double>());
  CHECK(t.at("best_score").get<double>() == best);
  for (const Json& c : candidates) {
    if (c.at("rank") == 1) CHECK(c.at("params") == t.at("best_params"));
    CHECK(c.at("std").get<double>() >= 0.0);
  }
  // The final estimator has the chosen values, the user's n_estimators, and early stopping on.
  const auto* booster = model.model().get_if<claimlens::GradientBoostingClassifier>();
  REQUIRE(booster != nullptr);
  const claimlens::GradientBoostingParams& p = booster->params();
  CHECK(p.max_depth == t.at("best_params").at("max_depth").get<int>());
  CHECK(p.learning_rate == t.at("best_params").at("learning_rate").get<double>());
  CHECK(p.n_estimators == 200);
  CHECK(p.early_stopping == claimlens::GradientBoostingParams::EarlyStopping::On);
  CHECK(!model.report().at("validation").is_null());
}

TEST_CASE("tuning: the same model whatever the thread count", "[tuning]") {
  const claimlens::DataFrame frame = noisy(800);
  TabularPipelineOptions one = tuned(TabularAlgorithm::GradientBoosting), two = one;
  one.n_jobs = 1;
  two.n_jobs = 2;
  Json a = TabularPipeline::fit(frame, one).to_json(),
       b = TabularPipeline::fit(frame, two).to_json();
  // Only n_jobs itself and the fit and score times may differ; the model and its scores may not.
  a["model"]["params"].erase("n_jobs");
  b["model"]["params"].erase("n_jobs");
  CHECK(a.at("model") == b.at("model"));
  CHECK(a.at("report").at("tuning").at("candidates") ==
        b.at("report").at("tuning").at("candidates"));
}

TEST_CASE("tuning: without a hold-out it tunes on every row", "[tuning]") {
  TabularPipelineOptions o = tuned(TabularAlgorithm::GradientBoosting);
  o.validation_fraction = 0;
  const TabularPipeline model = TabularPipeline::fit(noisy(600), o);
  CHECK(model.report().at("tuning").at("rows") == 600);
  CHECK(model.report().at("validation").is_null());
}

TEST_CASE("tuning: the default grids of the forest and the logistic regression", "[tuning]") {
  const claimlens::DataFrame frame = noisy(600);
  for (TabularAlgorithm a :
       {TabularAlgorithm::RandomForest, TabularAlgorithm::LogisticRegression}) {
    TabularPipelineOptions o = tuned(a);
    o.params = a == TabularAlgorithm::RandomForest ? Json{{"n_estimators", 20}} : Json::object();
    const TabularPipeline model = TabularPipeline::fit(frame, o);
    const Json& t = model.report().at("tuning");
    CHECK(t.at("grid") == claimlens::default_tuning_grid(a));
    CHECK(t.at("candidates").size() == claimlens::expand_param_grid(t.at("grid")).size());
  }
  CHECK(claimlens::expand_param_grid(
            claimlens::default_tuning_grid(TabularAlgorithm::GradientBoosting))
            .size() == 18);
}

TEST_CASE("tuning: options round-trip as JSON", "[tuning]") {
  TabularPipelineOptions o = tuned(TabularAlgorithm::GradientBoosting);
  o.tune_scoring = "f1";
  const TabularPipelineOptions back = TabularPipelineOptions::from_json(o.to_json());
  CHECK(back.tune);
  CHECK(back.tune_cv == 3);
  CHECK(back.tune_scoring == "f1");
  CHECK(back.tune_grid == o.tune_grid);
}

TEST_CASE("tuning: bad grids and options are refused before the data is read", "[tuning]") {
  const claimlens::DataFrame frame = noisy(300);
  TabularPipelineOptions o = tuned(TabularAlgorithm::GradientBoosting);
  o.tune_grid = "max_depth";
  CHECK_THAT(error_of(frame, o), Catch::Contains("tune_grid"));
  o.tune_grid = Json::parse(R"({"max_depth": 3})");
  CHECK_THAT(error_of(frame, o),
             Catch::Contains("options.tune_grid") && Catch::Contains("max_depth"));
  o.tune_grid = Json::parse(R"({"max_deep": [3]})");
  CHECK_THAT(error_of(frame, o),
             Catch::Contains("options.tune_grid: combination 0") && Catch::Contains("max_deep"));
  o.tune_grid = Json::parse(R"({"learning_rate": [0.1, -1]})");
  CHECK_THAT(error_of(frame, o),
             Catch::Contains("combination 1") && Catch::Contains("learning_rate"));
  o = tuned(TabularAlgorithm::GradientBoosting);
  o.tune_scoring = "auc";
  CHECK_THAT(error_of(frame, o), Catch::Contains("options.tune_scoring"));
  o = tuned(TabularAlgorithm::GradientBoosting);
  o.tune_cv = 1;
  CHECK_THAT(error_of(frame, o), Catch::Contains("options.tune_cv"));
  // More folds than the rarer class has rows: the stratified folds cannot hold both classes.
  o = tuned(TabularAlgorithm::GradientBoosting);
  o.tune_cv = 100;
  CHECK_THAT(error_of(noisy(120), o), Catch::Contains("tuning:"));
}

TEST_CASE("synth shapes: same options give the same bytes, first_row continues the same rows", "[synth]") {
  claimlens::TabularSynthOptions o;
  for (auto shape : {claimlens::SynthShape::Wide, claimlens::SynthShape::Noisy}) {
    o.shape = shape;
    o.rows = 200;
    o.first_row = 0;
    const std::string all = claimlens::synth_tabular_csv(o);
    CHECK(all == claimlens::synth_tabular_csv(o));
    o.rows = 120;
    const std::string head = claimlens::synth_tabular_csv(o);
    o.rows = 80;
    o.first_row = 120;
    const std::string tail = claimlens::synth_tabular_csv(o);
    const std::string tail_rows = tail.substr(tail.find('\n') + 1);
    CHECK(head + tail_rows == all);
    const claimlens::DataFrame frame = claimlens::read_csv_buffer(all, {}, "<synth>");
    CHECK(frame.num_rows() == 200);
    CHECK(frame.num_columns() == (shape == claimlens::SynthShape::Wide ? 101u : 22u));
  }
  o.rows = 0;
  CHECK_THROWS_WITH(claimlens::synth_tabular_csv(o), Catch::Contains("rows must be"));
  CHECK_THROWS_WITH(claimlens::parse_synth_shape("tall"),
                    Catch::Contains("shape must be \"wide\" or \"noisy\""));
}
