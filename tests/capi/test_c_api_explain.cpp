// The C ABI's explanations (claimlens_model_explain, claimlens_classifier_explain, the names and
// groups of the features): additivity on every row of the seed's test split for the forest, the
// booster and the logistic regression trained through the C ABI; every bad argument a status
// and a message naming it, with nothing written.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "claimlens.h"
#include "ensemble/support.hpp"
#include "pipeline/video_records.hpp"
#include "support/paths.hpp"

using Catch::Matchers::Contains;
using namespace claimlens::testing;

namespace {

using ModelPtr = std::unique_ptr<claimlens_model, void (*)(claimlens_model*)>;

const LabeledMatrix& train_split() {
  static const LabeledMatrix m = load_claim_matrix("ensemble_claim_train.json");
  return m;
}

const LabeledMatrix& test_split() {
  static const LabeledMatrix m = load_claim_matrix("ensemble_claim_test.json");
  return m;
}

std::string seed_params(const char* algorithm, const char* key) {
  auto reference =
      nlohmann::json::parse(read_text_file(fixture_path("ensemble_claim_reference.json")));
  nlohmann::json params = key ? reference.at(key) : nlohmann::json::object();
  params["algorithm"] = algorithm;
  if (key) params["n_jobs"] = 2;
  return params.dump();
}

ModelPtr train(const std::string& params) {
  const LabeledMatrix& m = train_split();
  claimlens_model* model = nullptr;
  const claimlens_status s =
      claimlens_model_train(m.X.data(), static_cast<size_t>(m.X.rows()),
                            static_cast<size_t>(m.X.cols()), m.y.data(), params.c_str(), &model);
  INFO(claimlens_last_error());
  REQUIRE(s == CLAIMLENS_OK);
  return ModelPtr(model, claimlens_model_free);
}

double sigmoid(double m) {
  return 1.0 / (1.0 + std::exp(-m));
}

// Explains every test row; the residuals are within `tolerance` (relative to the output when
// `relative`), and each row's sum is the predicted probability (or its margin).
void check_additive(const claimlens_model* model, const char* scale, double tolerance,
                    bool relative) {
  const auto& X = test_split().X;
  const auto rows = static_cast<size_t>(X.rows()), cols = static_cast<size_t>(X.cols());
  REQUIRE(rows == 3817);
  std::vector<double> out(rows * (cols + 1)), residual(rows), p(rows);
  REQUIRE(claimlens_model_explain(model, X.data(), rows, cols, out.data(), out.size(),
                                  residual.data(), rows) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_predict_proba(model, X.data(), rows, cols, p.data()) == CLAIMLENS_OK);
  const char* name = nullptr;
  REQUIRE(claimlens_model_explain_scale(model, &name) == CLAIMLENS_OK);
  CHECK(std::string(name) == scale);
  double bias = 0.0;
  REQUIRE(claimlens_model_expected_value(model, &bias) == CLAIMLENS_OK);
  const bool probability = std::string(scale) == "probability";
  double worst = 0.0;
  for (size_t r = 0; r < rows; ++r) {
    double sum = 0.0;
    for (size_t j = 0; j <= cols; ++j) sum += out[r * (cols + 1) + j];
    CHECK(out[r * (cols + 1) + cols] == bias);
    worst = std::max(worst, residual[r] / (relative ? std::max(1.0, std::fabs(sum)) : 1.0));
    CHECK((probability ? sum : sigmoid(sum)) == Approx(p[r]).margin(1e-9));
  }
  INFO(scale << ": largest residual " << worst);
  CHECK(worst < tolerance);
}

// claim_like() (pipeline/video_records.hpp) as a C record.
claimlens_video claim_record() {
  static const claimlens::VideoRecord v = claim_like();
  static const std::string text(v.transcription), verified(v.verified_status),
      ban(v.author_ban_status);
  return claimlens_video{sizeof(claimlens_video), text.c_str(),   verified.c_str(), ban.c_str(),
                         v.duration_sec,          v.view_count,   v.like_count,     v.share_count,
                         v.download_count,        v.comment_count};
}

std::string name_of(const claimlens_model* model, size_t i, bool group) {
  size_t len = 0;
  REQUIRE((group ? claimlens_model_group_name(model, i, nullptr, 0, &len)
                 : claimlens_model_feature_name(model, i, nullptr, 0, &len)) == CLAIMLENS_OK);
  std::string buf(len + 1, '\0');
  REQUIRE((group ? claimlens_model_group_name(model, i, &buf[0], buf.size(), nullptr)
                 : claimlens_model_feature_name(model, i, &buf[0], buf.size(), nullptr)) ==
          CLAIMLENS_OK);
  buf.pop_back();
  return buf;
}

}  // namespace

TEST_CASE("C API explain: the seed's forest, booster and logistic regression are additive",
          "[capi][explain][real]") {
  const ModelPtr forest = train(seed_params("random_forest", "forest_params"));
  check_additive(forest.get(), "probability", 1e-9, false);
  const ModelPtr booster = train(seed_params("gradient_boosting", "boost_params"));
  check_additive(booster.get(), "margin", 1e-6, true);
  const ModelPtr logistic = train(seed_params("logistic_regression", nullptr));
  check_additive(logistic.get(), "margin", 1e-9, false);
}

TEST_CASE("C API explain: bad arguments get a status and a message, nothing written",
          "[capi][explain]") {
  const ModelPtr model = train(R"({"algorithm": "gradient_boosting", "n_estimators": 5})");
  const ModelPtr logistic = train(R"({"algorithm": "logistic_regression"})");
  const auto& X = test_split().X;
  const size_t cols = static_cast<size_t>(X.cols()), width = cols + 1;
  std::vector<double> x(X.data(), X.data() + 2 * cols);
  std::vector<double> out(2 * width, -7.0), residual(2, -7.0);
  const auto untouched = [&] {
    for (const double v : out) CHECK(v == -7.0);
    for (const double v : residual) CHECK(v == -7.0);
  };
  const auto refused = [&](claimlens_status status, claimlens_status expected,
                           const std::string& message) {
    CHECK(status == expected);
    CHECK_THAT(claimlens_last_error(), Contains("claimlens_model_explain") && Contains(message));
    untouched();
  };
  refused(claimlens_model_explain(model.get(), x.data(), 2, cols - 1, out.data(), out.size(),
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT, "cols is 24 but the gradient_boosting model has 25");
  refused(claimlens_model_explain(nullptr, x.data(), 2, cols, out.data(), out.size(),
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT, "model is NULL");
  refused(claimlens_model_explain(model.get(), nullptr, 2, cols, out.data(), out.size(),
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT, "x is NULL");
  refused(claimlens_model_explain(model.get(), x.data(), 2, cols, nullptr, out.size(),
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT, "out is NULL");
  refused(
      claimlens_model_explain(model.get(), x.data(), 2, cols, out.data(), out.size(), nullptr, 2),
      CLAIMLENS_E_INVALID_ARGUMENT, "residual is NULL");
  refused(claimlens_model_explain(model.get(), x.data(), 2, cols, out.data(), out.size() - 1,
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT,
          "out_len is 51 but 2 rows of 25 features and the bias "
          "need 52");
  refused(claimlens_model_explain(model.get(), x.data(), 2, cols, out.data(), out.size(),
                                  residual.data(), 1),
          CLAIMLENS_E_INVALID_ARGUMENT, "residual_len is 1 but 2 rows need one residual each");
  x[cols + 3] = std::numeric_limits<double>::infinity();
  refused(claimlens_model_explain(model.get(), x.data(), 2, cols, out.data(), out.size(),
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT, "x has an infinite value at row 1, column 3");
  x[cols + 3] = std::nan("");
  refused(claimlens_model_explain(logistic.get(), x.data(), 2, cols, out.data(), out.size(),
                                  residual.data(), 2),
          CLAIMLENS_E_INVALID_ARGUMENT, "x has a missing value at row 1, column 3");
  // NaN is a missing value for the trees: explained.
  REQUIRE(claimlens_model_explain(model.get(), x.data(), 2, cols, out.data(), out.size(),
                                  residual.data(), 2) == CLAIMLENS_OK);
  CHECK(residual[1] < 1e-12);

  // Names: a short buffer is refused, nothing written; out-of-range indices are named.
  char small[2] = {'?', '?'};
  CHECK(claimlens_model_feature_name(model.get(), 0, small, 2, nullptr) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("size is 2 but the feature name needs 3 bytes"));
  CHECK(small[0] == '?');
  CHECK(name_of(model.get(), 24, false) == "f24");
  size_t group = 99;
  CHECK(claimlens_model_feature_group(model.get(), 25, &group) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("index 25 is not below the model's 25 features"));
  CHECK(group == 99);
  CHECK(claimlens_model_feature_name(model.get(), 0, nullptr, 5, nullptr) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("buf is NULL but size is not 0"));
  const char* scale = nullptr;
  CHECK(claimlens_model_explain_scale(model.get(), nullptr) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("out is NULL"));
  CHECK(claimlens_model_explain_scale(nullptr, &scale) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(scale == nullptr);
}

TEST_CASE("C API explain: an XGBoost file without covers is CLAIMLENS_E_MODEL_FORMAT",
          "[capi][explain][xgboost]") {
  auto j = nlohmann::json::parse(read_text_file(fixture_path("xgboost/claim_logitraw_tiny.json")));
  for (auto& tree : j["learner"]["gradient_booster"]["model"]["trees"]) {
    for (auto& h : tree["sum_hessian"]) h = 0.0;
  }
  const std::string text = j.dump();
  claimlens_model* raw = nullptr;
  REQUIRE(claimlens_model_load_buffer(text.data(), text.size(), &raw) == CLAIMLENS_OK);
  const ModelPtr model(raw, claimlens_model_free);
  size_t n = 0;
  REQUIRE(claimlens_model_num_features(model.get(), &n) == CLAIMLENS_OK);
  std::vector<double> x(n, 1.0), out(n + 1, -7.0);
  double residual = -7.0;
  CHECK(claimlens_model_explain(model.get(), x.data(), 1, n, out.data(), out.size(), &residual,
                                1) == CLAIMLENS_E_MODEL_FORMAT);
  CHECK_THAT(claimlens_last_error(), Contains("tree 0 has no covers") && Contains("sum_hessian"));
  CHECK(residual == -7.0);
  double bias = -7.0;
  CHECK(claimlens_model_expected_value(model.get(), &bias) == CLAIMLENS_E_MODEL_FORMAT);
  CHECK(bias == -7.0);
}

TEST_CASE("C API explain: a claim classifier explains raw records with named, grouped features",
          "[capi][explain][real]") {
  claimlens_frame* videos = nullptr;
  REQUIRE(claimlens_frame_read_csv(real_dataset_path().c_str(), &videos) == CLAIMLENS_OK);
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_train(videos, R"({"grid": "none", "algorithm": "random_forest"})",
                                     &clf) == CLAIMLENS_OK);
  claimlens_frame_free(videos);
  std::unique_ptr<claimlens_classifier, void (*)(claimlens_classifier*)> own(
      clf, claimlens_classifier_free);
  const claimlens_model* model = nullptr;
  REQUIRE(claimlens_classifier_as_model(clf, &model) == CLAIMLENS_OK);
  size_t n = 0, groups = 0;
  REQUIRE(claimlens_model_num_features(model, &n) == CLAIMLENS_OK);
  REQUIRE(n == 25);
  REQUIRE(claimlens_model_num_groups(model, &groups) == CLAIMLENS_OK);
  CHECK(groups == 9);
  CHECK(name_of(model, 1, false) == "video_view_count");
  bool has_ngram = false;
  for (size_t j = 10; j < n; ++j) {  // the 15 n-grams
    const std::string name = name_of(model, j, false);
    has_ngram = has_ngram || name.find(' ') != std::string::npos;
    size_t g = 0;
    REQUIRE(claimlens_model_feature_group(model, j, &g) == CLAIMLENS_OK);
    CHECK(name_of(model, g, true) == "video_transcription_text");
  }
  CHECK(has_ngram);
  const char* scale = nullptr;
  REQUIRE(claimlens_model_explain_scale(model, &scale) == CLAIMLENS_OK);
  CHECK(std::string(scale) == "probability");

  claimlens_video records[2] = {claim_record(), claim_record()};
  records[1].view_count = 700;
  std::vector<double> out(2 * 26), residual(2), p(2);
  REQUIRE(claimlens_classifier_explain(clf, records, 2, out.data(), out.size(), residual.data(),
                                       2) == CLAIMLENS_OK);
  REQUIRE(claimlens_classifier_predict(clf, records, 2, p.data()) == CLAIMLENS_OK);
  for (size_t r = 0; r < 2; ++r) {
    double sum = 0.0;
    for (size_t j = 0; j < 26; ++j) sum += out[r * 26 + j];
    CHECK(sum == Approx(p[r]).margin(1e-9));
    CHECK(residual[r] < 1e-9);
  }
  // One record at a time gives the batch's bits.
  std::vector<double> one(26);
  double one_residual = 0.0;
  REQUIRE(claimlens_classifier_explain(clf, &records[1], 1, one.data(), 26, &one_residual, 1) ==
          CLAIMLENS_OK);
  CHECK(std::equal(one.begin(), one.end(), out.begin() + 26));
  // A claim classifier takes records, not a matrix.
  std::vector<double> x(25, 0.0);
  CHECK(claimlens_model_explain(model, x.data(), 1, 25, one.data(), 26, &one_residual, 1) ==
        CLAIMLENS_E_STATE);
  CHECK_THAT(claimlens_last_error(), Contains("claimlens_classifier_explain"));
  // A bad record: its status quoted, nothing written.
  records[1].verified_status = "maybe";
  std::vector<double> untouched(2 * 26, -7.0), res(2, -7.0);
  CHECK(claimlens_classifier_explain(clf, records, 2, untouched.data(), untouched.size(),
                                     res.data(), 2) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("videos[1].verified_status: unknown value \"maybe\" "
                                              "(expected \"verified\" or \"not verified\")"));
  records[1].verified_status = "verified";
  records[1].like_count = std::numeric_limits<double>::infinity();
  CHECK(claimlens_classifier_explain(clf, records, 2, untouched.data(), untouched.size(),
                                     res.data(), 2) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("videos[1].like_count: not finite (inf)"));
  for (const double v : untouched) CHECK(v == -7.0);
  CHECK(claimlens_classifier_explain(clf, records, 1, untouched.data(), 25, res.data(), 1) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("out_len is 25 but 1 rows of 25 features"));
  CHECK(claimlens_classifier_explain(clf, nullptr, 1, untouched.data(), 26, res.data(), 1) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("videos is NULL"));
  for (const double v : untouched) CHECK(v == -7.0);
}

TEST_CASE("C API explain: threads sharing a model build its explainer once and agree",
          "[capi][explain]") {
  const ModelPtr model = train(R"({"algorithm": "random_forest", "n_estimators": 20})");
  const auto& X = test_split().X;
  const size_t cols = static_cast<size_t>(X.cols()), width = cols + 1, rows = 64;
  // Every thread's first call may be the one that builds the explainer (std::call_once).
  std::vector<std::vector<double>> out(4, std::vector<double>(rows * width));
  std::vector<int> ok(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<double> residual(rows);
      bool good = true;
      for (size_t r = 0; r < rows; ++r) {  // one row at a time: the latency path
        good = good && claimlens_model_explain(model.get(), X.data() + r * cols, 1, cols,
                                               out[t].data() + r * width, width, &residual[r],
                                               1) == CLAIMLENS_OK;
      }
      ok[t] = good;
    });
  }
  for (auto& th : threads) th.join();
  std::vector<double> serial(rows * width), residual(rows);
  REQUIRE(claimlens_model_explain(model.get(), X.data(), rows, cols, serial.data(), serial.size(),
                                  residual.data(), rows) == CLAIMLENS_OK);
  for (int t = 0; t < 4; ++t) {
    CHECK(ok[t] == 1);
    CHECK(out[t] == serial);
  }
}
