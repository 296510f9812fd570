// claimlens gradient boosting written as an XGBoost model: XGBoost 1.7.4 loads the committed
// export and predicts what claimlens predicts (tests/fixtures/scripts/xgboost_roundtrip.py).
//
// To recompute the fixture: run this test with CLAIMLENS_XGBOOST_EXPORT=<path> (the hidden case
// below writes the export there), then the script on that file.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "support.hpp"

using namespace claimlens;
using namespace claimlens::testing;
using nlohmann::json;

namespace {

// The exported model: the seed's boosting parameters, fewer rounds (a modest fixture).
const GradientBoostingClassifier& exported_model() {
  static const GradientBoostingClassifier gb = [] {
    const auto train = load_claim_matrix("ensemble_claim_train.json");
    GradientBoostingParams p;
    p.n_estimators = 60;
    p.learning_rate = 0.1;
    p.max_depth = 4;
    p.min_child_weight = 5;
    p.n_jobs = -1;
    GradientBoostingClassifier m(p);
    m.fit(train.X, train.y);
    return m;
  }();
  return gb;
}

std::string export_text() {
  const auto names = load_claim_matrix("ensemble_claim_test.json").names;
  return export_xgboost_json(exported_model(), names).dump() + "\n";
}

}  // namespace

TEST_CASE("xgboost export: writes the fixture file for the round-trip script", "[.write-export]") {
  const char* path = std::getenv("CLAIMLENS_XGBOOST_EXPORT");
  REQUIRE(path != nullptr);
  write_xgboost_json(
      export_xgboost_json(exported_model(), load_claim_matrix("ensemble_claim_test.json").names),
      path);
}

TEST_CASE("xgboost export: deterministic, and the same bytes as the committed export",
          "[xgboost]") {
  const std::string text = export_text();
  CHECK(text == export_text());
  CHECK(text == read_text_file(fixture_path("xgboost/export_gbdt.json")));
}

TEST_CASE("xgboost export: XGBoost predicts what claimlens predicts", "[parity]") {
  const auto ref =
      json::parse(read_text_file(fixture_path("xgboost/export_gbdt_predictions.json")));
  const auto test = load_claim_matrix("ensemble_claim_test.json");
  std::vector<double> x;
  for (Eigen::Index r = 0; r < test.X.rows(); ++r) {
    for (Eigen::Index c = 0; c < test.X.cols(); ++c) x.push_back(test.X(r, c));
  }
  for (const auto& row : ref.at("edge_rows")) {
    for (const auto& v : row) x.push_back(v.is_null() ? std::nan("") : v.get<double>());
  }
  const std::size_t cols = static_cast<std::size_t>(test.X.cols()), rows = x.size() / cols;
  const auto xgb_margin = ref.at("margin").get<std::vector<double>>();
  const auto xgb_proba = ref.at("prediction").get<std::vector<double>>();
  REQUIRE(xgb_margin.size() == rows);

  // claimlens' own model against XGBoost: 1e-6 relative on margins, 1e-6 on probabilities, on
  // every row whose values float32 holds exactly (the export's promise: the edge rows between
  // two float32 values are the others).
  const auto& gb = exported_model();
  const auto margin = gb.decision_function(x.data(), rows, cols);
  const auto proba = gb.predict_proba(x.data(), rows, cols);
  double worst_margin = 0.0, worst_proba = 0.0;
  std::size_t compared = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    bool exact = true;
    for (std::size_t c = 0; c < cols; ++c) {
      const double v = x[r * cols + c];
      exact = exact && (std::isnan(v) || static_cast<double>(static_cast<float>(v)) == v);
    }
    if (!exact) continue;
    ++compared;
    worst_margin = std::max(
        worst_margin, std::abs(margin[r] - xgb_margin[r]) / std::max(1.0, std::abs(xgb_margin[r])));
    worst_proba = std::max(worst_proba, std::abs(proba[r] - xgb_proba[r]));
  }
  INFO("worst margin " << worst_margin << " worst probability " << worst_proba);
  CHECK(compared > rows - 40);
  CHECK(worst_margin <= 1e-6);
  CHECK(worst_proba <= 1e-6);

  // The export read back by the importer predicts XGBoost's bits.
  const XGBoostBooster back = XGBoostBooster::from_json(json::parse(export_text()));
  const auto back_margin = back.predict_margin(x.data(), rows, cols);
  const auto back_pred = back.predict(x.data(), rows, cols);
  std::size_t diff = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    diff += std::memcmp(&back_margin[r], &xgb_margin[r], sizeof(double)) != 0 ||
            std::memcmp(&back_pred[r], &xgb_proba[r], sizeof(double)) != 0;
  }
  CHECK(diff == 0);
  CHECK(back.feature_names() == test.names);
  CHECK(back.num_trees() == gb.trees().size());
}

TEST_CASE("xgboost export: refusals", "[xgboost]") {
  CHECK_THROWS_MATCHES(export_xgboost_json(GradientBoostingClassifier()), InvalidArgument,
                       MessageContains("not fitted"));
  CHECK_THROWS_MATCHES(export_xgboost_json(exported_model(), {"a", "b"}), InvalidArgument,
                       MessageContains("2 feature names for a model of 25 features"));
  CHECK_THROWS_MATCHES(export_xgboost_json(RandomForestClassifier()), InvalidArgument,
                       MessageContains("a random forest cannot be written as an XGBoost model "
                                       "exactly"));
}
