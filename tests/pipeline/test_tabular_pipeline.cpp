// TabularPipeline: the feature plan, encodings at predict time, targets, JSON round trips and
// rejected model documents.
#include <catch2/catch.hpp>
#include <cmath>
#include <type_traits>

#include "claimlens/error.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "pipeline/tabular_toy.hpp"

using claimlens::DataFrame;
using claimlens::PlanColumn;
using claimlens::TabularAlgorithm;
using claimlens::TabularPipeline;
using claimlens::TabularPipelineOptions;

using claimlens::testing::toy_frame;
using claimlens::testing::toy_options;

TEST_CASE("tabular pipeline: the plan sorts columns into numeric, one-hot, text and unused",
          "[tabular]") {
  const DataFrame frame = toy_frame();
  const TabularPipeline p =
      TabularPipeline::fit(frame, toy_options(TabularAlgorithm::RandomForest));
  REQUIRE(p.plan().size() == 4);  // x, size, colour, memo (code left out)
  CHECK(p.plan()[0].kind == PlanColumn::Kind::Numeric);
  CHECK(p.plan()[1].name == "size");
  CHECK(p.plan()[1].fill == 6.0);  // median of the present values of i % 13
  CHECK(p.plan()[2].kind == PlanColumn::Kind::Categorical);
  CHECK(p.plan()[2].categories == std::vector<std::string>{"blue", "green", "red"});
  CHECK(p.plan()[3].kind == PlanColumn::Kind::Text);
  REQUIRE(p.notes().size() == 1);
  CHECK_THAT(p.notes()[0], Catch::Contains("'code'"));
  const auto& names = p.feature_names();
  REQUIRE(names.size() >= 5);
  CHECK(names[0] == "x");
  CHECK(names[2] == "colour_blue");
  CHECK(names[5].rfind("memo: ", 0) == 0);
  CHECK(p.positive() == "yes");
  CHECK(p.negative() == "no");
  CHECK(p.report()["validation"]["accuracy"].get<double>() > 0.95);
  CHECK(p.report()["rows_used"] == 200);
}

TEST_CASE("tabular pipeline: unseen or missing categories encode as zeros, text nulls are empty",
          "[tabular]") {
  const TabularPipeline p =
      TabularPipeline::fit(toy_frame(), toy_options(TabularAlgorithm::GradientBoosting));
  const DataFrame fresh = claimlens::read_csv_buffer(
      "memo,colour,x,size\n,purple,3,\nurgent refund request,,4,2\n", {}, "<fresh>");
  const claimlens::RowMatrix X = p.transform(fresh);  // columns found by name, any order
  REQUIRE(X.rows() == 2);
  CHECK(X(0, 2) == 0.0);
  CHECK(X(0, 3) == 0.0);
  CHECK(X(0, 4) == 0.0);
  CHECK(std::isnan(X(0, 1)));  // gbdt keeps missing values missing
  CHECK(X.row(0).tail(X.cols() - 5).sum() == 0.0);
  CHECK(X.row(1).tail(X.cols() - 5).sum() > 0.0);
  const auto proba = p.predict_proba(fresh);
  REQUIRE(proba.size() == 2);
  CHECK(proba[1] > 0.5);

  const DataFrame missing = claimlens::read_csv_buffer("x,colour\n1,red\n", {}, "<m>");
  CHECK_THROWS_WITH(p.transform(missing),
                    Catch::Contains("column 'size', which the model was trained on"));
  const DataFrame texty = claimlens::read_csv_buffer("x,size,colour,memo\nhigh,1,red,a\n", {}, "t");
  CHECK_THROWS_AS(p.transform(texty), claimlens::SchemaError);
}

TEST_CASE("tabular pipeline: targets", "[tabular]") {
  const DataFrame frame = toy_frame();
  TabularPipelineOptions o = toy_options(TabularAlgorithm::LogisticRegression);
  o.positive.reset();
  CHECK_THROWS_WITH(TabularPipeline::fit(frame, o), Catch::Contains("'no' and 'yes'"));
  o.positive = "maybe";
  CHECK_THROWS_AS(TabularPipeline::fit(frame, o), claimlens::InvalidArgument);
  o.positive = "no";
  const TabularPipeline flipped = TabularPipeline::fit(frame, o);
  CHECK(flipped.positive() == "no");

  // Numeric 0/1 and bool targets default to 1 / True; rows without a target are dropped.
  const DataFrame numeric = claimlens::read_csv_buffer(
      "a,t,b\n1,1,True\n2,0,False\n3,,True\n4,1,True\n5,0,False\n"
      "6,1,True\n7,0,False\n8,1,True\n9,0,False\n10,1,True\n",
      {}, "<n>");
  TabularPipelineOptions n;
  n.target = "t";
  n.validation_fraction = 0;
  n.algorithm = TabularAlgorithm::LogisticRegression;
  n.drop = {"b"};
  const TabularPipeline pn = TabularPipeline::fit(numeric, n);
  CHECK(pn.positive() == "1");
  CHECK(pn.report()["rows_without_target"] == 1);
  CHECK(pn.numeric_only());
  n.target = "b";
  n.drop = {"t"};
  CHECK(TabularPipeline::fit(numeric, n).positive() == "True");
  n.positive = "false";
  CHECK(TabularPipeline::fit(numeric, n).positive() == "False");

  const DataFrame three = claimlens::read_csv_buffer("a,t\n1,x\n2,y\n3,z\n", {}, "<3>");
  n = {};
  n.target = "t";
  CHECK_THROWS_WITH(TabularPipeline::fit(three, n), Catch::Contains("more than 2 classes"));
  n.target = "a";
  n.drop = {"a"};
  CHECK_THROWS_WITH(TabularPipeline::fit(three, n), Catch::Contains("also dropped"));
}

TEST_CASE("tabular pipeline: JSON round trip for every algorithm, bad documents rejected",
          "[tabular]") {
  const DataFrame frame = toy_frame();
  for (auto algorithm : {TabularAlgorithm::RandomForest, TabularAlgorithm::GradientBoosting,
                         TabularAlgorithm::LogisticRegression}) {
    INFO(claimlens::tabular_algorithm_name(algorithm));
    const TabularPipeline p = TabularPipeline::fit(frame, toy_options(algorithm));
    const nlohmann::json j = p.to_json();
    const TabularPipeline q = TabularPipeline::from_json(j);
    CHECK(q.predict_proba(frame) == p.predict_proba(frame));
    CHECK(q.feature_names() == p.feature_names());
    CHECK(q.to_json() == j);

    auto broken = j;
    broken["feature_names"][0] = "renamed";
    CHECK_THROWS_WITH(TabularPipeline::from_json(broken), Catch::Contains("feature_names"));
    broken = j;
    broken["plan"][0]["kind"] = "mystery";
    CHECK_THROWS_AS(TabularPipeline::from_json(broken), claimlens::ModelFormatError);
    broken = j;
    broken["plan"].erase(0);
    broken["feature_names"].erase(0);
    CHECK_THROWS_WITH(TabularPipeline::from_json(broken), Catch::Contains("features but the plan"));
    broken = j;
    broken["plan"][2]["categories"] = {"red", "blue"};
    CHECK_THROWS_WITH(TabularPipeline::from_json(broken), Catch::Contains("sorted"));
    broken = j;
    broken["text"] = nullptr;
    CHECK_THROWS_AS(TabularPipeline::from_json(broken), claimlens::ModelFormatError);
    broken = j;
    broken["algorithm"] = "svm";
    CHECK_THROWS_WITH(TabularPipeline::from_json(broken), Catch::Contains("svm"));
    broken = j;
    broken.erase("positive");
    CHECK_THROWS_AS(TabularPipeline::from_json(broken), claimlens::ModelFormatError);
  }
}

TEST_CASE("tabular pipeline: parameters are checked before any work", "[tabular]") {
  TabularPipelineOptions o = toy_options(TabularAlgorithm::RandomForest);
  o.params = {{"n_trees", 3}};
  CHECK_THROWS_WITH(TabularPipeline::fit(DataFrame(), o),
                    Catch::Contains("unknown key 'params.n_trees'"));
  o.algorithm = TabularAlgorithm::LogisticRegression;
  o.params = {{"C", "big"}};
  CHECK_THROWS_WITH(TabularPipeline::fit(DataFrame(), o),
                    Catch::Contains("'params.C' must be a number, not \"big\""));
  CHECK_THROWS_AS(claimlens::parse_tabular_algorithm("svm"), claimlens::InvalidArgument);
  CHECK(claimlens::parse_tabular_algorithm("gbdt") == TabularAlgorithm::GradientBoosting);
}

TEST_CASE("LogisticRegression: options and fitted model as JSON", "[tabular]") {
  using claimlens::LogisticRegression;
  using claimlens::LogisticRegressionParams;
  // The former name still compiles (deprecated alias).
  static_assert(std::is_same_v<claimlens::LogisticRegressionOptions, LogisticRegressionParams>);
  const auto o = LogisticRegressionParams::from_json(
      {{"C", 0.5}, {"penalty", "l2"}, {"class_weight", "balanced"}, {"max_iter", 50}});
  CHECK(o.C == 0.5);
  CHECK(o.class_weight == claimlens::ClassWeight::Balanced);
  CHECK(LogisticRegressionParams::from_json(o.to_json()).to_json() == o.to_json());
  CHECK_THROWS_WITH(LogisticRegressionParams::from_json({{"alpha", 1}}),
                    Catch::Contains("unknown key 'params.alpha' (known: C, penalty"));
  CHECK_THROWS_WITH(LogisticRegressionParams::from_json({{"max_iter", 0}}),
                    Catch::Contains("'params.max_iter' must be from 1 to 100000, not 0"));
  CHECK_THROWS_WITH(LogisticRegressionParams::from_json({{"max_iter", "8"}}),
                    Catch::Contains("'params.max_iter' must be an integer, not \"8\""));
  CHECK_THROWS_WITH(LogisticRegressionParams::from_json({{"penalty", "l1"}}),
                    Catch::Contains("'params.penalty' must be one of \"l2\", \"none\", null"));
  CHECK_THROWS_WITH(LogisticRegressionParams::from_json({{"C", -1}}),
                    Catch::Contains("'params.C' must be > 0 (finite), not -1"));
  CHECK(LogisticRegressionParams::from_json({{"penalty", nullptr}}).penalty ==
        claimlens::Penalty::None);

  claimlens::RowMatrix X(6, 1);
  X << 0, 1, 2, 3, 4, 5;
  claimlens::Vector y(6);
  y << 0, 0, 1, 0, 1, 1;
  LogisticRegression m(o);
  m.fit(X, y);
  const LogisticRegression back = LogisticRegression::from_json(m.to_json());
  CHECK(back.coef() == m.coef());
  CHECK(back.intercept() == m.intercept());
  CHECK(back.predict_proba(X) == m.predict_proba(X));
  auto bad = m.to_json();
  bad["coef"] = nlohmann::json::array();
  CHECK_THROWS_AS(LogisticRegression::from_json(bad), claimlens::ModelFormatError);
  CHECK_THROWS_WITH(LogisticRegression::from_json(bad),
                    Catch::Contains("'coef' must hold at least one"));
  bad = m.to_json();
  bad["params"]["algorithm"] = "random_forest";
  CHECK_THROWS_AS(LogisticRegression::from_json(bad), claimlens::ModelFormatError);
  CHECK_THROWS_WITH(LogisticRegression::from_json(bad),
                    Catch::Contains("'params.algorithm' must be \"logistic_regression\""));
  bad = m.to_json();
  bad["params"]["max_iter"] = "8";
  CHECK_THROWS_AS(LogisticRegression::from_json(bad), claimlens::ModelFormatError);
  CHECK_THROWS_WITH(LogisticRegression::from_json(bad),
                    Catch::Contains("'params.max_iter' must be an integer, not \"8\""));
  bad = m.to_json();
  bad["intercept"] = "0";
  CHECK_THROWS_AS(LogisticRegression::from_json(bad), claimlens::ModelFormatError);
  CHECK_THROWS_WITH(LogisticRegression::from_json(bad),
                    Catch::Contains("'intercept' must be a number"));
  CHECK_THROWS_AS(LogisticRegression().to_json(), claimlens::StateError);
}
