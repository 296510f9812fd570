#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;
using nlohmann::json;

namespace {

void data(RowMatrix& X, std::vector<double>& y) {
  Random rng(5);
  X.resize(300, 3);
  y.resize(300);
  for (Eigen::Index r = 0; r < 300; ++r) {
    for (Eigen::Index c = 0; c < 3; ++c) X(r, c) = rng.normal();
    if (r % 10 == 0) X(r, 1) = std::nan("");
    y[static_cast<std::size_t>(r)] = X(r, 0) + 0.5 * rng.normal() > 0 ? 1.0 : 0.0;
  }
}

json fitted_forest_json() {
  RowMatrix X;
  std::vector<double> y;
  data(X, y);
  RandomForestParams p;
  p.n_estimators = 3;
  p.max_depth = 3;
  return RandomForestClassifier(p).fit(X, y).to_json();
}

json fitted_boost_json() {
  RowMatrix X;
  std::vector<double> y;
  data(X, y);
  GradientBoostingParams p;
  p.n_estimators = 3;
  p.max_depth = 3;
  return GradientBoostingClassifier(p).fit(X, y).to_json();
}

void rejects_forest(const json& j, const std::string& text) {
  CHECK_THROWS_MATCHES(RandomForestClassifier::from_json(j), ModelFormatError,
                       MessageContains(text));
}
void rejects_boost(const json& j, const std::string& text) {
  CHECK_THROWS_MATCHES(GradientBoostingClassifier::from_json(j), ModelFormatError,
                       MessageContains(text));
}

}  // namespace

TEST_CASE("model format: round trips give bit-identical predictions", "[format]") {
  RowMatrix X;
  std::vector<double> y;
  data(X, y);
  RandomForestParams rp;
  rp.n_estimators = 10;
  rp.oob_score = true;
  RandomForestClassifier rf(rp);
  rf.fit(X, y);
  // Through text, as the file layer will store it.
  const auto rf2 = RandomForestClassifier::from_json(json::parse(rf.to_json().dump()));
  CHECK(rf2.predict_proba(X) == rf.predict_proba(X));
  CHECK(rf2.feature_importances() == rf.feature_importances());
  CHECK(rf2.oob_score() == rf.oob_score());
  CHECK(rf2.to_json() == rf.to_json());

  GradientBoostingParams gp;
  gp.n_estimators = 10;
  GradientBoostingClassifier gb(gp);
  gb.fit(X, y);
  const auto gb2 = GradientBoostingClassifier::from_json(json::parse(gb.to_json().dump()));
  CHECK(gb2.predict_proba(X) == gb.predict_proba(X));
  CHECK(gb2.feature_importances() == gb.feature_importances());
  CHECK(gb2.to_json() == gb.to_json());
}

TEST_CASE("model format: header and parameter errors", "[format]") {
  json j = fitted_forest_json();
  json bad = j;
  bad["version"] = 2;
  rejects_forest(bad, "'version' is 2, newer than the supported version 1");
  bad = j;
  bad["format"] = "claimlens.gradient_boosting";
  rejects_forest(bad, "'format' must be");
  bad = j;
  bad.erase("trees");
  rejects_forest(bad, "missing key 'trees'");
  bad = j;
  bad["params"]["n_estimators"] = 0;
  rejects_forest(bad, "'params.n_estimators' must be from 1 to 100000, not 0");
  bad = j;
  bad["trees"].erase(bad["trees"].size() - 1);
  rejects_forest(bad, "'trees' has 2 trees but params.n_estimators is 3");
  bad = j;
  bad["n_features"] = "3";
  rejects_forest(bad, "'n_features' must be an integer, not \"3\"");
  rejects_forest(json::array(), "the document must be an object, not []");
  json g = fitted_boost_json();
  bad = g;
  bad["base_score"] = 1.5;
  rejects_boost(bad, "'base_score' must be a probability in (0, 1), not 1.5");
  bad = g;
  bad["version"] = 99;
  rejects_boost(bad, "'version' is 99, newer");
}

TEST_CASE("model format: corrupted trees are rejected", "[format]") {
  const json j = fitted_boost_json();
  const json tree = j["trees"][0];
  REQUIRE(tree["feature"].size() >= 3);
  auto with_tree = [&](const json& t) {
    json m = j;
    m["trees"][0] = t;
    return m;
  };
  json t = tree;
  t["value"].erase(t["value"].size() - 1);  // truncated array
  rejects_boost(with_tree(t), "'trees[0].value' has");
  t = tree;
  t["left"][0] = 1000;  // child out of range
  rejects_boost(with_tree(t), "'trees[0].left[0]' must be a node index in [0, ");
  t = tree;
  t["right"][0] = 0;  // cycle back to the root
  rejects_boost(with_tree(t), "'trees[0].right[0]' must come after its parent 0");
  t = tree;
  t["feature"][0] = 3;  // feature past the end (3 features)
  rejects_boost(with_tree(t), "'trees[0].feature[0]' must be -1 or a feature index below 3, not 3");
  t = tree;
  t["threshold"][0] = std::numeric_limits<double>::quiet_NaN();
  rejects_boost(with_tree(t), "'trees[0].threshold[0]' must be a finite number, not NaN");
  t = tree;
  t["threshold"][0] = nullptr;  // what a NaN becomes in JSON text
  rejects_boost(with_tree(t), "'trees[0].threshold[0]' must be a number, not null");
  t = tree;
  t["value"][t["value"].size() - 1] = std::numeric_limits<double>::infinity();
  rejects_boost(with_tree(t), "must be a finite number, not inf");
  t = tree;
  t["left"][0] = t["right"][0];  // both children the same node
  rejects_boost(with_tree(t), "'trees[0].right[0]'");
  t = tree;
  t["feature"][0] = -1;  // a leaf with children
  rejects_boost(with_tree(t), "'trees[0].left[0]' must be -1 (the node is a leaf");
  t = tree;
  t["default_left"][0] = 2;
  rejects_boost(with_tree(t), "'trees[0].default_left[0]' must be an integer from 0 to 1, not 2");
  t = tree;
  t["feature"] = "0";
  rejects_boost(with_tree(t), "'trees[0].feature' must be an array, not \"0\"");
  rejects_boost(with_tree(json{{"feature", json::array()},
                               {"threshold", json::array()},
                               {"left", json::array()},
                               {"right", json::array()},
                               {"default_left", json::array()},
                               {"value", json::array()},
                               {"gain", json::array()},
                               {"cover", json::array()}}),
                "'trees[0]' needs at least one node");
  // A node reached twice (a DAG, not a tree): point node 1's child at node 0's right child.
  t = tree;
  std::size_t internal = 1;
  while (internal < t["feature"].size() && t["feature"][internal] == -1) ++internal;
  if (internal < t["feature"].size() && t["left"][internal].get<int>() > t["right"][0].get<int>()) {
    t["left"][internal] = t["right"][0];
    rejects_boost(with_tree(t), "more than one parent");
  }
  json f = fitted_forest_json();
  auto& leaf_values = f["trees"][0]["value"];
  for (std::size_t i = 0; i < leaf_values.size(); ++i) {
    if (f["trees"][0]["feature"][i] == -1) {
      leaf_values[i] = 1.5;
      break;
    }
  }
  rejects_forest(f, "'trees[0].value[");
  rejects_forest(f, "must be a probability in [0, 1] (a forest leaf), not 1.5");
}
