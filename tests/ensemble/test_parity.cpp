// Parity with scikit-learn's RandomForestClassifier and XGBoost on the seed's claim features
// (fixtures from tests/fixtures/scripts/ensemble_claim.py).
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "support.hpp"

using namespace claimlens;
using namespace claimlens::testing;
using nlohmann::json;

namespace {

const json& reference() {
  static const json j = json::parse(read_text_file(fixture_path("ensemble_claim_reference.json")));
  return j;
}

std::string top_feature(const std::vector<double>& imp, const std::vector<std::string>& names) {
  return names[static_cast<std::size_t>(std::max_element(imp.begin(), imp.end()) - imp.begin())];
}

}  // namespace

TEST_CASE("parity: random forest ROC AUC within 0.001 of scikit-learn", "[parity]") {
  const auto train = load_claim_matrix("ensemble_claim_train.json");
  const auto test = load_claim_matrix("ensemble_claim_test.json");
  REQUIRE(train.names == reference()["features"].get<std::vector<std::string>>());
  REQUIRE(train.X.cols() == 25);
  auto params = RandomForestParams::from_json(reference()["forest_params"]);
  params.n_jobs = -1;
  RandomForestClassifier rf(params);
  rf.fit(train.X, train.y);
  const double auc = roc_auc(test.y, rf.predict_proba(test.X));
  const double expected = reference()["forest_test_auc"];
  INFO("ours " << auc << " sklearn " << expected);
  CHECK(std::abs(auc - expected) <= 0.001);
  CHECK(top_feature(rf.feature_importances(), train.names) ==
        reference()["forest_top_feature"].get<std::string>());
}

TEST_CASE("parity: gradient boosting ROC AUC within 0.001 of XGBoost", "[parity]") {
  const auto train = load_claim_matrix("ensemble_claim_train.json");
  const auto test = load_claim_matrix("ensemble_claim_test.json");
  auto params = GradientBoostingParams::from_json(reference()["boost_params"]);
  params.n_jobs = -1;
  GradientBoostingClassifier gb(params);
  gb.fit(train.X, train.y);
  CHECK(gb.base_score() == Approx(reference()["base_score"].get<double>()));
  const double auc = roc_auc(test.y, gb.predict_proba(test.X));
  const double expected = reference()["boost_test_auc"];
  INFO("ours " << auc << " xgboost " << expected);
  CHECK(std::abs(auc - expected) <= 0.001);
  CHECK(top_feature(gb.feature_importances(ImportanceType::Gain), train.names) ==
        reference()["boost_top_feature"].get<std::string>());
}

TEST_CASE("parity: boosting on NaN-injected data, no imputation, matches XGBoost", "[parity]") {
  auto train = load_claim_matrix("ensemble_claim_train.json");
  auto test = load_claim_matrix("ensemble_claim_test.json");
  inject_nans(train.X, reference()["nan_rule"]);
  inject_nans(test.X, reference()["nan_rule"]);
  REQUIRE(train.X.hasNaN());
  GradientBoostingClassifier gb(GradientBoostingParams::from_json(reference()["boost_params"]));
  gb.fit(train.X, train.y);
  const auto proba = gb.predict_proba(test.X);
  const double auc = roc_auc(test.y, proba);
  const double expected = reference()["boost_nan_test_auc"];
  INFO("ours " << auc << " xgboost " << expected);
  CHECK(std::abs(auc - expected) <= 0.001);
  // The learned default directions are used: some splits send missing values left.
  std::size_t left = 0;
  for (const Tree& t : gb.trees()) {
    for (const auto& n : t.nodes()) left += !n.is_leaf() && n.default_left;
  }
  CHECK(left > 0);
  // Row by row, probabilities stay close to XGBoost's; they are not identical because XGBoost
  // cuts features with a weighted sketch (we use exact quantiles) and sums in float.
  const auto& head = reference()["boost_nan_test_proba_head"];
  double total = 0;
  for (std::size_t i = 0; i < head.size(); ++i) {
    total += std::abs(proba[i] - head[i].get<double>());
  }
  const double mean_diff = total / static_cast<double>(head.size());
  INFO("mean probability difference on the first " << head.size() << " rows: " << mean_diff);
  CHECK(mean_diff < 0.01);
}
