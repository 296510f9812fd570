// One loader for every model type: each of the five types saved as JSON and as CBOR, under a
// name with no extension and under ".model", loads through load_model, claimlens_model_load and
// the CLI's predict / evaluate with the same probabilities to the last bit.
#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstring>
#include <memory>

#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/random.hpp"
#include "cli/cli_support.hpp"
#include "support/same_bits.hpp"
#include "support/video_records.hpp"

using Catch::Matchers::Contains;
using claimlens::DataFrame;
using claimlens::Model;
using claimlens::RowMatrix;
using claimlens::io::ModelEncoding;
using claimlens::testing::same_bits;
using claimlens::testing::TempDir;

namespace {

struct Case {
  Model model;
  std::string data;    // a CSV the model scores
  std::string target;  // its label column
};

std::string number(double v) {
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

std::string label_text(const claimlens::Column& column, std::size_t i) {
  return column.dtype() == claimlens::DType::String ? std::string(column.string_at(i))
                                                    : number(column.as_double(i));
}

// 300 rows of f0..f3 and a 0/1 label y that depends on f0 and f1.
std::string matrix_csv() {
  claimlens::Random rng(17);
  std::string csv = "f0,f1,f2,f3,y\n";
  for (int i = 0; i < 300; ++i) {
    const double a = rng.normal(), b = std::floor(rng.uniform() * 20), c = rng.normal() * 1e5;
    const double d = rng.uniform();
    const bool label = a + 0.1 * b + 0.5 * rng.normal() > 1.0;
    csv += number(a) + "," + number(b) + "," + number(c) + "," + number(d) + "," +
           (label ? "1\n" : "0\n");
  }
  return csv;
}

RowMatrix features(const DataFrame& frame) {
  RowMatrix X(static_cast<Eigen::Index>(frame.num_rows()), 4);
  for (int j = 0; j < 4; ++j) {
    const auto values = frame.column("f" + std::to_string(j)).to_doubles();
    for (std::size_t i = 0; i < values.size(); ++i) X(static_cast<Eigen::Index>(i), j) = values[i];
  }
  return X;
}

// Trained once: the seed's best boosting parameters on the real data.
const Model& claim_model() {
  static const Model model = [] {
    claimlens::ClaimClassifierOptions claim;
    claim.algorithm = claimlens::ClaimClassifierOptions::Algorithm::GradientBoosting;
    claim.seed_grid = false;
    return Model(claimlens::ClaimClassifier::train(
        claimlens::read_csv(claimlens::testing::real_dataset_path()), claim));
  }();
  return model;
}

std::vector<Case> five_model_types(const TempDir& dir) {
  std::vector<Case> cases;
  const std::string matrix = dir.file("matrix.csv"), loans = dir.file("loans.csv");
  claimlens::testing::write_file(matrix, matrix_csv());
  claimlens::testing::write_file(loans, claimlens::testing::loan_csv(400, 3));
  const DataFrame m = claimlens::read_csv(matrix);
  const std::vector<double> y = m.column("y").to_doubles();
  for (const char* algorithm : {"random_forest", "gradient_boosting", "logistic_regression"}) {
    nlohmann::json params = {{"algorithm", algorithm}};
    if (std::string(algorithm) != "logistic_regression") params["n_estimators"] = 12;
    cases.push_back({Model::fit(params, features(m), y), matrix, "y"});
  }
  claimlens::TabularPipelineOptions options;
  options.target = "default";
  options.positive = "yes";
  options.algorithm = claimlens::TabularAlgorithm::GradientBoosting;
  options.text = "note";
  options.params = {{"n_estimators", 20}};
  cases.push_back(
      {Model(claimlens::TabularPipeline::fit(claimlens::read_csv(loans), options)), loans, ""});
  cases.push_back({claim_model(), claimlens::testing::real_dataset_path(), ""});
  return cases;
}

// Equal to the last bit, or both NaN (a row the model cannot score).
std::vector<double> through_c_abi(const std::string& path, const std::string& data) {
  claimlens_model* model = nullptr;
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_model_load(path.c_str(), &model) == CLAIMLENS_OK);
  std::unique_ptr<claimlens_model, void (*)(claimlens_model*)> own_model(model,
                                                                         claimlens_model_free);
  REQUIRE(claimlens_frame_read_csv(data.c_str(), &frame) == CLAIMLENS_OK);
  std::unique_ptr<claimlens_frame, void (*)(claimlens_frame*)> own_frame(frame,
                                                                         claimlens_frame_free);
  std::vector<double> p(claimlens_frame_num_rows(frame));
  REQUIRE(claimlens_model_predict_frame(model, frame, p.size(), p.data()) == CLAIMLENS_OK);
  return p;
}

std::vector<double> through_cli_predict(const TempDir& dir, const std::string& path,
                                        const std::string& data, const std::string& positive) {
  const std::string out = dir.file("scored.csv");
  const auto r = claimlens::testing::run_cli(
      dir, "predict --model " + path + " --data " + data + " --out " + out);
  INFO(r.err);
  REQUIRE(r.status == 0);
  return claimlens::read_csv(out).column("p_" + positive).to_doubles();
}

// evaluate's metrics against binary_evaluation of the expected probabilities of labelled rows.
void check_cli_evaluate(const TempDir& dir, const std::string& path, const Case& c,
                        const std::vector<double>& expected) {
  const std::string target = c.target.empty() ? "" : " --target " + c.target;
  const auto r = claimlens::testing::run_cli(
      dir, "evaluate --model " + path + " --data " + c.data + target + " --json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto got = nlohmann::json::parse(r.out);
  const DataFrame frame = claimlens::read_csv(c.data);
  const auto schema = c.model.schema();
  const auto& labels = frame.column(c.target.empty() ? schema.target : c.target);
  std::vector<double> y, p;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (labels.is_null(i) || std::isnan(expected[i])) continue;
    y.push_back(label_text(labels, i) == got["positive"].get<std::string>());
    p.push_back(expected[i]);
  }
  const auto want = claimlens::binary_evaluation(y, p);
  for (const char* key : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
    CHECK(got[key].get<double>() == want[key].get<double>());
  }
  CHECK(got["confusion_matrix"] == want["confusion_matrix"]);
}

}  // namespace

TEST_CASE("every model type loads through every interface, whatever its file's name",
          "[model][loader]") {
  TempDir dir;
  for (const Case& c : five_model_types(dir)) {
    const std::string type = c.model.model_type();
    CAPTURE(type);
    const std::vector<double> expected =
        c.model.predict_proba(claimlens::read_csv(c.data), {c.target});
    for (auto encoding : {ModelEncoding::Json, ModelEncoding::Cbor}) {
      const auto bytes = claimlens::save_model_buffer(c.model, encoding);
      for (const std::string suffix : {"", ".model"}) {
        const std::string path =
            dir.file(type + (encoding == ModelEncoding::Json ? "_json" : "_cbor") + suffix);
        CAPTURE(path);
        claimlens::testing::write_file(path, std::string(bytes.begin(), bytes.end()));
        const Model back = claimlens::load_model(path);
        CHECK(std::string(back.model_type()) == type);
        CHECK(same_bits(back.predict_proba(claimlens::read_csv(c.data), {c.target}), expected));
        CHECK(same_bits(through_c_abi(path, c.data), expected));
        CHECK(
            same_bits(through_cli_predict(dir, path, c.data, c.model.schema().positive), expected));
        check_cli_evaluate(dir, path, c, expected);
      }
    }
  }
}

TEST_CASE("a name without .json saves CBOR, a .json name JSON text", "[model][loader]") {
  TempDir dir;
  const DataFrame m = claimlens::read_csv_buffer(matrix_csv());
  const Model model =
      Model::fit({{"algorithm", "logistic_regression"}}, features(m), m.column("y").to_doubles());
  for (const std::string name : {"champion.model", "m", "m.cbor", "m.bin", "M.JSON"}) {
    claimlens::save_model(model, dir.file(name));
    const std::string bytes = claimlens::testing::read_text_file(dir.file(name));
    const bool json = name == "M.JSON";
    CAPTURE(name);
    CHECK((json ? bytes.front() == '{' : bytes.compare(0, 3, "\xD9\xD9\xF7") == 0));
  }
}

TEST_CASE("a claim classifier's record and frame paths agree through the model layer",
          "[model][loader]") {
  const Model& model = claim_model();
  const auto* clf = model.get_if<claimlens::ClaimClassifier>();
  REQUIRE(clf != nullptr);
  CHECK_FALSE(model.accepts_matrix());
  const std::vector<double> row(model.num_features(), 0.0);
  double out = 0.0;
  CHECK_THROWS_AS(model.predict_proba(row.data(), 1, row.size(), &out), claimlens::StateError);
  const DataFrame videos = claimlens::read_csv(claimlens::testing::real_dataset_path()).dropna();
  const std::vector<std::size_t> first_rows = {0, 1, 2, 3, 4, 5, 6, 7};
  const DataFrame head = videos.take(first_rows);
  const std::vector<double> from_frame = model.predict_proba(head);
  std::vector<claimlens::VideoRecord> records = claimlens::testing::video_records(head);
  std::vector<double> from_records(8);
  clf->predict_proba(records, from_records.data());
  CHECK(same_bits(from_records, from_frame));
  records[3].verified_status = "sort of";
  std::vector<double> untouched(8, -1.0);
  CHECK_THROWS_WITH(clf->predict_proba(records, untouched.data()), Contains("sort of"));
  CHECK(untouched == std::vector<double>(8, -1.0));
}
