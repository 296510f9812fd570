// XGBoost models through the model layer: XGBoost's own files (JSON and UBJSON, whatever their
// name) load through load_model, claimlens_model_load and the CLI's predict / evaluate and
// predict as XGBoost does, bit for bit (fixtures of tests/fixtures/scripts/xgboost_models.py);
// gradient boosting goes back out as an XGBoost model through Model, the C ABI and `convert`.
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "cli/cli_support.hpp"
#include "support/same_bits.hpp"
#include "xgboost/support.hpp"

using Catch::Matchers::Contains;
using claimlens::Model;
using claimlens::testing::same_bits;
using claimlens::testing::TempDir;

namespace {

std::string number(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

// The reference's test rows as a CSV: the booster's feature names, then a 0/1 label.
std::string reference_csv(const claimlens::testing::Reference& ref,
                          const std::vector<std::string>& names, const std::vector<double>& y) {
  std::string csv;
  for (const auto& name : names) csv += name + ",";
  csv += "label\n";
  for (std::size_t r = 0; r < y.size(); ++r) {
    for (std::size_t c = 0; c < ref.cols; ++c) csv += number(ref.x[r * ref.cols + c]) + ",";
    csv += (y[r] > 0.5 ? "1\n" : "0\n");
  }
  return csv;
}

std::vector<double> predict(const Model& model, const claimlens::testing::Reference& r) {
  std::vector<double> p(r.rows);
  model.predict_proba(r.x.data(), r.rows, r.cols, p.data());
  return p;
}

std::vector<double> c_abi_predict(const std::string& path, const claimlens::testing::Reference& r) {
  claimlens_model* model = nullptr;
  REQUIRE(claimlens_model_load(path.c_str(), &model) == CLAIMLENS_OK);
  std::unique_ptr<claimlens_model, void (*)(claimlens_model*)> own(model, claimlens_model_free);
  std::vector<double> p(r.rows);
  REQUIRE(claimlens_model_predict_proba(model, r.x.data(), r.rows, r.cols, p.data()) ==
          CLAIMLENS_OK);
  return p;
}

}  // namespace

TEST_CASE("an XGBoost model file loads through every interface by its content",
          "[model][xgboost]") {
  TempDir dir;
  const auto test = claimlens::testing::load_claim_matrix("ensemble_claim_test.json");
  const std::vector<double> y(test.y.begin(), test.y.end());
  for (const auto& [name, nan_modulus] :
       std::vector<std::pair<std::string, int>>{{"claim_d4_300", 0}, {"claim_d8_100_nan", 10}}) {
    const auto ref = claimlens::testing::load_reference(name, nan_modulus);
    const std::vector<double> test_predictions(ref.prediction.begin(),
                                               ref.prediction.begin() + y.size());
    for (const std::string ext : {".json", ".ubj"}) {
      const auto bytes = claimlens::testing::fixture_bytes(name + ext);
      for (const std::string suffix : {"", ".model"}) {
        const std::string path = dir.file(name + "_" + ext.substr(1) + suffix);
        CAPTURE(path);
        claimlens::testing::write_file(path, std::string(bytes.begin(), bytes.end()));
        const Model model = claimlens::load_model(path);
        CHECK(std::string(model.model_type()) == "xgboost");
        CHECK(same_bits(predict(model, ref), ref.prediction));
        CHECK(same_bits(c_abi_predict(path, ref), ref.prediction));
        // The CLI reads the CSV's columns by the file's feature names.
        const std::string data = dir.file("rows.csv"), out = dir.file("scored.csv");
        claimlens::testing::write_file(data, reference_csv(ref, model.feature_names(), y));
        auto r = claimlens::testing::run_cli(
            dir, "predict --model " + path + " --data " + data + " --out " + out);
        INFO(r.err);
        REQUIRE(r.status == 0);
        CHECK(same_bits(claimlens::read_csv(out).column("p_1").to_doubles(), test_predictions));
        r = claimlens::testing::run_cli(
            dir, "evaluate --model " + path + " --data " + data + " --target label --json");
        REQUIRE(r.status == 0);
        const auto got = nlohmann::json::parse(r.out);
        const auto want = claimlens::binary_evaluation(y, test_predictions);
        CHECK(got["roc_auc"].get<double>() == want["roc_auc"].get<double>());
        CHECK(got["confusion_matrix"] == want["confusion_matrix"]);
      }
    }
  }
}

TEST_CASE("an imported booster saved as a claimlens model reads back the same",
          "[model][xgboost]") {
  TempDir dir;
  const auto ref = claimlens::testing::load_reference("claim_d4_300", 0);
  const Model imported =
      claimlens::load_model(claimlens::testing::fixture_path("xgboost/claim_d4_300.ubj"));
  for (const std::string name : {"wrapped.model", "wrapped.json"}) {
    claimlens::save_model(imported, dir.file(name));
    const Model back = claimlens::load_model(dir.file(name));
    CHECK(std::string(back.model_type()) == "xgboost");
    CHECK(back.feature_names() == imported.feature_names());
    CHECK(same_bits(predict(back, ref), ref.prediction));
  }
  const auto r = claimlens::testing::run_cli(
      dir, "convert --model " + claimlens::testing::fixture_path("xgboost/claim_d4_300.json") +
               " --to claimlens --out " + dir.file("converted.model"));
  REQUIRE(r.status == 0);
  CHECK(
      same_bits(predict(claimlens::load_model(dir.file("converted.model")), ref), ref.prediction));
}

TEST_CASE("gradient boosting goes out as an XGBoost model, other types are refused",
          "[model][xgboost]") {
  TempDir dir;
  const auto train = claimlens::testing::load_claim_matrix("ensemble_claim_train.json");
  const std::vector<double> y(train.y.begin(), train.y.end());
  const Model gb =
      Model::fit({{"algorithm", "gradient_boosting"}, {"n_estimators", 30}}, train.X, y);
  const auto* booster = gb.get_if<claimlens::GradientBoostingClassifier>();
  REQUIRE(booster != nullptr);
  CHECK(gb.to_xgboost_json() == claimlens::export_xgboost_json(*booster));

  claimlens_model* handle = nullptr;
  REQUIRE(claimlens_model_load_buffer(
              claimlens::save_model_buffer(gb, claimlens::io::ModelEncoding::Cbor).data(),
              claimlens::save_model_buffer(gb, claimlens::io::ModelEncoding::Cbor).size(),
              &handle) == CLAIMLENS_OK);
  std::unique_ptr<claimlens_model, void (*)(claimlens_model*)> own(handle, claimlens_model_free);
  const std::string via_abi = dir.file("abi.json"), via_cli = dir.file("cli.json");
  REQUIRE(claimlens_model_save_xgboost(handle, via_abi.c_str()) == CLAIMLENS_OK);
  claimlens::save_model(gb, dir.file("gb.model"));
  const auto r = claimlens::testing::run_cli(
      dir, "convert --model " + dir.file("gb.model") + " --to xgboost-json --out " + via_cli);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(claimlens::testing::read_text_file(via_abi) == claimlens::testing::read_text_file(via_cli));
  // Read back as XGBoost would read it: the float32 model differs by float32 rounding only.
  const Model back = claimlens::load_model(via_abi);
  CHECK(std::string(back.model_type()) == "xgboost");
  const std::vector<double> ours = gb.predict_proba(train.X), theirs = back.predict_proba(train.X);
  double worst = 0;
  for (std::size_t i = 0; i < ours.size(); ++i)
    worst = std::max(worst, std::fabs(ours[i] - theirs[i]));
  CHECK(worst < 1e-6);

  const Model forest =
      Model::fit({{"algorithm", "random_forest"}, {"n_estimators", 3}}, train.X, y);
  CHECK_THROWS_AS(forest.to_xgboost_json(), claimlens::InvalidArgument);
  const Model logit =
      Model::fit({{"algorithm", "logistic_regression"}, {"max_iter", 1000}}, train.X, y);
  CHECK_THROWS_WITH(logit.to_xgboost_json(),
                    Contains("a logistic_regression model cannot be written as an XGBoost model"));
  claimlens::save_model(forest, dir.file("forest.model"));
  const auto refused =
      claimlens::testing::run_cli(dir, "convert --model " + dir.file("forest.model") +
                                           " --to xgboost-json --out " + dir.file("forest.json"));
  CHECK(refused.status == 2);
  CHECK_FALSE(refused.err.empty());
  CHECK_FALSE(claimlens::testing::file_exists(dir.file("forest.json")));
  const auto bad_format = claimlens::testing::run_cli(
      dir, "convert --model " + dir.file("gb.model") + " --to onnx --out " + dir.file("x"));
  CHECK(bad_format.status == 2);
  CHECK_THAT(bad_format.err, Contains("unknown format 'onnx'"));
}
