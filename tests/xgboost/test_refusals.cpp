// Every construct the importer refuses, each with the message it gives: the source named, the
// key path and the construct. Damaged documents are made from a real XGBoost file.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>

#include "support.hpp"

using namespace claimlens;
using namespace claimlens::testing;
using nlohmann::json;

namespace {

json small_model() {
  return json::parse(read_text_file(fixture_path("xgboost/claim_reglogistic_small.json")));
}

std::vector<std::uint8_t> text_bytes(const json& j) {
  const std::string s = j.dump();
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

// Loads the damaged document under the name "bad.json" and checks the message holds each part.
void check_refused(const std::function<void(json&)>& damage, const std::vector<std::string>& parts,
                   bool ubjson = false) {
  json j = small_model();
  damage(j);
  const auto bytes = ubjson ? json::to_ubjson(j) : text_bytes(j);
  try {
    (void)XGBoostBooster::load(bytes, {}, "bad.json");
    FAIL("loaded");
  } catch (const ModelFormatError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.rfind("bad.json: ", 0) == 0);
    for (const auto& p : parts) CHECK(what.find(p) != std::string::npos);
  }
}

json& tree0(json& j) {
  return j["learner"]["gradient_booster"]["model"]["trees"][0];
}

}  // namespace

TEST_CASE("xgboost refusals: categorical splits and features", "[xgboost]") {
  check_refused([](json& j) { tree0(j)["split_type"][1] = 1; },
                {"'learner.gradient_booster.model.trees[0].split_type[1]'", "categorical split"});
  check_refused([](json& j) { tree0(j)["categories_nodes"] = {1}; },
                {"categories_nodes", "categorical splits are not supported"});
  check_refused(
      [](json& j) {
        j["learner"]["feature_types"] = std::vector<std::string>(25, "float"),
        j["learner"]["feature_types"][3] = "c";
      },
      {"'learner.feature_types[3]'", "categorical features"});
}

TEST_CASE("xgboost refusals: multi-class and multi-output", "[xgboost]") {
  check_refused([](json& j) { j["learner"]["learner_model_param"]["num_class"] = "3"; },
                {"'learner.learner_model_param.num_class'", "multi-class"});
  check_refused([](json& j) { j["learner"]["objective"]["name"] = "multi:softprob"; },
                {"'learner.objective.name'", "multi-class"});
  check_refused([](json& j) { j["learner"]["learner_model_param"]["num_target"] = "2"; },
                {"num_target", "multi-output"});
  check_refused([](json& j) { j["learner"]["gradient_booster"]["model"]["tree_info"][2] = 1; },
                {"tree_info[2]", "output groups"});
  check_refused([](json& j) { tree0(j)["tree_param"]["size_leaf_vector"] = "2"; },
                {"size_leaf_vector", "vector leaves"});
}

TEST_CASE("xgboost refusals: dart, gblinear and other objectives", "[xgboost]") {
  check_refused([](json& j) { j["learner"]["gradient_booster"]["name"] = "dart"; },
                {"'learner.gradient_booster.name'", "dart booster is not supported"});
  check_refused([](json& j) { j["learner"]["gradient_booster"]["name"] = "gblinear"; },
                {"gblinear", "linear boosters are not supported"});
  check_refused([](json& j) { j["learner"]["objective"]["name"] = "reg:squarederror"; },
                {"'learner.objective.name'", "reg:squarederror", "is not supported"});
  check_refused([](json& j) { j["version"] = {2, 0, 3}; }, {"'version'", "1.x"});
}

TEST_CASE("xgboost refusals: feature index, children, cycles", "[xgboost]") {
  check_refused([](json& j) { tree0(j)["split_indices"][0] = 25; },
                {"trees[0].split_indices[0]'", "from 0 to 24"});
  check_refused([](json& j) { tree0(j)["left_children"][0] = 99; },
                {"trees[0].left_children[0]'", "from -1 to 6"});
  check_refused([](json& j) { tree0(j)["right_children"][0] = 5; },
                {"trees[0].right_children[0]'", "left child + 1"});
  check_refused(
      [](json& j) {
        tree0(j)["left_children"][1] = 0;
        tree0(j)["right_children"][1] = 1;
      },
      {"trees[0].left_children[1]'", "reached twice (a cycle"});
  check_refused([](json& j) { tree0(j)["right_children"][3] = 4; },
                {"trees[0].right_children[3]'", "leaf"});
  check_refused([](json& j) { tree0(j)["left_children"].erase(0); },
                {"trees[0].left_children'", "expected tree_param.num_nodes = 7"});
  check_refused([](json& j) { tree0(j)["id"] = 3; }, {"trees[0].id'", "id order"});
  check_refused([](json& j) { tree0(j)["loss_changes"][2] = -1.0; },
                {"trees[0].loss_changes[2]'", "must be >= 0 for a split"});
}

TEST_CASE("xgboost refusals: non-finite leaves and splits, margins past float32", "[xgboost]") {
  check_refused([](json& j) { tree0(j)["split_conditions"][3] = 1e39; },
                {"trees[0].split_conditions[3]'", "finite float32"});
  check_refused([](json& j) { tree0(j)["split_conditions"][0] = std::nan(""); },
                {"trees[0].split_conditions[0]'", "finite float32"}, true);
  check_refused([](json& j) { tree0(j)["base_weights"][0] = INFINITY; },
                {"trees[0].base_weights[0]'", "finite float32"}, true);
  check_refused(
      [](json& j) {
        for (int t : {0, 1}) {
          j["learner"]["gradient_booster"]["model"]["trees"][t]["split_conditions"][3] = 3e38;
        }
      },
      {"trees[1]'", "past float32's range"});
}

TEST_CASE("xgboost refusals: wrong types", "[xgboost]") {
  check_refused([](json& j) { j["learner"]["learner_model_param"]["num_feature"] = 25; },
                {"'learner.learner_model_param.num_feature'", "string holding an integer"});
  check_refused([](json& j) { j["learner"]["learner_model_param"]["base_score"] = "half"; },
                {"base_score'", "finite float32"});
  check_refused([](json& j) { j["learner"]["learner_model_param"]["base_score"] = "1.5"; },
                {"base_score'", "probability in (0, 1)"});
  check_refused([](json& j) { tree0(j)["split_conditions"][2] = "3822"; },
                {"trees[0].split_conditions[2]'", "finite float32"});
  check_refused([](json& j) { tree0(j)["default_left"][0] = 2; },
                {"trees[0].default_left[0]'", "from 0 to 1"});
  check_refused(
      [](json& j) { j["learner"]["gradient_booster"]["model"]["trees"] = json::object(); },
      {"model.trees'", "array"});
  check_refused([](json& j) { j["learner"].erase("objective"); },
                {"missing key 'learner.objective'"});
  check_refused([](json& j) { j["learner"]["attributes"]["best_iteration"] = "4"; },
                {"best_iteration'", "below the number of boosted rounds, 4"});
}

TEST_CASE("xgboost refusals: truncated, malformed and oversized data", "[xgboost]") {
  const auto ubj = fixture_bytes("claim_reglogistic_small.ubj");
  for (std::size_t cut : {std::size_t(3), ubj.size() / 2, ubj.size() - 1}) {
    INFO(cut);
    const std::vector<std::uint8_t> part(ubj.begin(), ubj.begin() + static_cast<long>(cut));
    CHECK_THROWS_MATCHES(XGBoostBooster::load(part, {}, "cut.ubj"), ModelFormatError,
                         MessageContains("cut.ubj: cannot read XGBoost UBJSON: malformed data "
                                         "at byte offset"));
  }
  const auto text = fixture_bytes("claim_reglogistic_small.json");
  const std::vector<std::uint8_t> half(text.begin(),
                                       text.begin() + static_cast<long>(text.size() / 2));
  CHECK_THROWS_MATCHES(XGBoostBooster::load(half, {}, "cut.json"), ModelFormatError,
                       MessageContains("cut.json: cannot read XGBoost JSON: malformed data"));
  const std::string junk = "hello";
  CHECK_THROWS_MATCHES(XGBoostBooster::load(std::vector<std::uint8_t>(junk.begin(), junk.end())),
                       ModelFormatError,
                       MessageContains("XGBoost model: not an XGBoost model: the data starts "
                                       "with byte 0x68"));
  io::ModelLimits few;
  few.max_values = 100;
  CHECK_THROWS_MATCHES(XGBoostBooster::load(ubj, few, "m.ubj"), ModelFormatError,
                       MessageContains("ModelLimits::max_values"));
  few = io::ModelLimits{};
  few.max_bytes = 100;
  CHECK_THROWS_MATCHES(XGBoostBooster::load(text, few, "m.json"), ModelFormatError,
                       MessageContains("ModelLimits::max_bytes"));
  few = io::ModelLimits{};
  few.max_depth = 3;
  CHECK_THROWS_MATCHES(XGBoostBooster::load(text, few, "m.json"), ModelFormatError,
                       MessageContains("ModelLimits::max_depth"));
  // UBJSON arrays of nulls (no byte per element) announcing 2^40 and 1,000 elements in 18 bytes.
  const std::vector<std::uint8_t> nulls{'{', 'i', 1, 'a', '[', '$', 'Z', '#', 'L',
                                        0,   0,   1, 0,   0,   0,   0,   0,   '}'};
  CHECK_THROWS_MATCHES(
      XGBoostBooster::load(nulls, {}, "nulls.ubj"), ModelFormatError,
      MessageContains("nulls.ubj: cannot read XGBoost UBJSON: an array declares "
                      "1099511627776 elements, more than ModelLimits::max_values"));
  std::vector<std::uint8_t> few_nulls = nulls;
  few_nulls[15] = 0x03;
  few_nulls[16] = 0xE8;
  few_nulls[11] = 0;
  CHECK_THROWS_MATCHES(XGBoostBooster::load(few_nulls, {}, "nulls.ubj"), ModelFormatError,
                       MessageContains("an array declares 1000 elements, more than the 18 bytes "
                                       "of the data"));
}

TEST_CASE("xgboost refusals: errors of a file name the file", "[xgboost]") {
  const std::string path = "xgboost_refusal_test_bad.json";
  {
    json j = small_model();
    j["learner"]["gradient_booster"]["name"] = "dart";
    std::ofstream(path) << j.dump();
  }
  CHECK_THROWS_MATCHES(XGBoostBooster::load(path), ModelFormatError,
                       MessageContains("XGBoost model file 'xgboost_refusal_test_bad.json': "
                                       "'learner.gradient_booster.name' is \"dart\""));
  std::remove(path.c_str());
  CHECK_THROWS_AS(XGBoostBooster::load(std::string("no_such_xgboost_model.json")), IoError);
}
