// The C ABI's calibration and decision-threshold functions (claimlens.h, "Calibration and
// decision thresholds"): decisions by the model's threshold, calibrated models as ordinary
// handles, operating points chosen, read back and refused for another model, and the bad inputs
// with their messages and no output.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens.h"
#include "claimlens/random.hpp"

using Catch::Matchers::Contains;

namespace {

constexpr size_t kCols = 3;

// rows x 3 features, labels from a noisy logistic link of the first two.
void data(size_t rows, std::uint64_t seed, std::vector<double>& x, std::vector<double>& y) {
  claimlens::Random rng(seed);
  x.resize(rows * kCols);
  y.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    for (size_t j = 0; j < kCols; ++j) x[i * kCols + j] = rng.normal();
    const double z = 1.5 * x[i * kCols] - x[i * kCols + 1];
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
}

claimlens_model* trained(const std::vector<double>& x, const std::vector<double>& y) {
  claimlens_model* model = nullptr;
  const char* params =
      R"({"algorithm": "gradient_boosting", "n_estimators": 30, "max_depth": 3, "n_jobs": 1})";
  REQUIRE(claimlens_model_train(x.data(), y.size(), kCols, y.data(), params, &model) ==
          CLAIMLENS_OK);
  return model;
}

std::vector<double> proba(const claimlens_model* model, const std::vector<double>& x) {
  std::vector<double> p(x.size() / kCols);
  REQUIRE(claimlens_model_predict_proba(model, x.data(), p.size(), kCols, p.data()) ==
          CLAIMLENS_OK);
  return p;
}

void check_decisions(const claimlens_model* model, const std::vector<double>& x) {
  double threshold = -1;
  REQUIRE(claimlens_model_threshold(model, &threshold) == CLAIMLENS_OK);
  const std::vector<double> p = proba(model, x);
  std::vector<int> classes(p.size(), 7);
  REQUIRE(claimlens_model_predict(model, x.data(), p.size(), kCols, classes.data()) ==
          CLAIMLENS_OK);
  for (size_t i = 0; i < p.size(); ++i) CHECK(classes[i] == (p[i] > threshold ? 1 : 0));
}

std::string operating_point_json(const claimlens_model* model) {
  char* text = nullptr;
  REQUIRE(claimlens_model_operating_point_json(model, &text) == CLAIMLENS_OK);
  std::string out = text;
  claimlens_free(text);
  return out;
}

}  // namespace

TEST_CASE("C API: threshold, predict, calibrate and choose_threshold") {
  std::vector<double> x, y, xc, yc, xh, yh;
  data(500, 1, x, y);
  data(400, 2, xc, yc);
  data(400, 3, xh, yh);
  claimlens_model* base = trained(x, y);
  double threshold = 0;
  REQUIRE(claimlens_model_threshold(base, &threshold) == CLAIMLENS_OK);
  CHECK(threshold == 0.5);
  check_decisions(base, xh);

  claimlens_model* calibrated = nullptr;
  REQUIRE(claimlens_model_calibrate(base, xc.data(), yc.size(), kCols, yc.data(),
                                    R"({"method": "isotonic"})", &calibrated) == CLAIMLENS_OK);
  for (double p : proba(calibrated, xh)) CHECK((p >= 0 && p <= 1));
  check_decisions(calibrated, xh);
  // Out of fold on the training rows, the default method (sigmoid).
  claimlens_model* oof = nullptr;
  REQUIRE(claimlens_model_calibrate(base, x.data(), y.size(), kCols, y.data(), R"({"cv": 3})",
                                    &oof) == CLAIMLENS_OK);
  claimlens_model_free(oof);

  claimlens_model* chosen = nullptr;
  const std::vector<double> held = proba(calibrated, xh);
  REQUIRE(claimlens_model_choose_threshold(calibrated, xh.data(), yh.size(), kCols, yh.data(),
                                           R"({"precision": 0.8, "n_resamples": 100, "seed": 4})",
                                           &chosen) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_threshold(chosen, &threshold) == CLAIMLENS_OK);
  const auto point = nlohmann::json::parse(operating_point_json(chosen));
  CHECK(point["operating_point"]["threshold"] == threshold);
  CHECK(point["operating_point"]["precision"].get<double>() >= 0.8);
  CHECK(point["operating_point"]["bootstrap"]["n_resamples"] == 100);
  CHECK(point["model_fingerprint"].get<std::string>().size() == 16);
  CHECK(nlohmann::json::parse(operating_point_json(calibrated))["operating_point"].is_null());
  check_decisions(chosen, xh);

  // Saved and loaded, the model keeps its threshold.
  void* bytes = nullptr;
  size_t len = 0;
  REQUIRE(claimlens_model_save_buffer(chosen, &bytes, &len) == CLAIMLENS_OK);
  claimlens_model* loaded = nullptr;
  REQUIRE(claimlens_model_load_buffer(bytes, len, &loaded) == CLAIMLENS_OK);
  claimlens_free(bytes);
  double loaded_threshold = 0;
  REQUIRE(claimlens_model_threshold(loaded, &loaded_threshold) == CLAIMLENS_OK);
  CHECK(loaded_threshold == threshold);

  // The operating point moves to a copy of the same model, not to another model.
  claimlens_model* copy = nullptr;
  REQUIRE(claimlens_model_set_operating_point(calibrated, operating_point_json(chosen).c_str(),
                                              &copy) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_threshold(copy, &loaded_threshold) == CLAIMLENS_OK);
  CHECK(loaded_threshold == threshold);
  claimlens_model* refused = nullptr;
  CHECK(claimlens_model_set_operating_point(base, operating_point_json(chosen).c_str(), &refused) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(),
             Contains("claimlens_model_set_operating_point: the operating point was chosen for "
                      "another model"));
  CHECK(refused == nullptr);
  CHECK(claimlens_model_set_operating_point(calibrated, operating_point_json(base).c_str(),
                                            &refused) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("there is no operating point to set"));

  // Frame decisions: 1/0 by the threshold.
  std::string csv = "f0,f1,f2\n";
  for (size_t i = 0; i < 20; ++i) {
    csv += std::to_string(xh[i * kCols]) + "," + std::to_string(xh[i * kCols + 1]) + "," +
           std::to_string(xh[i * kCols + 2]) + "\n";
  }
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &frame) == CLAIMLENS_OK);
  std::vector<double> fp(20);
  std::vector<int> fc(20, 7);
  REQUIRE(claimlens_model_predict_frame(chosen, frame, fp.size(), fp.data()) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_predict_frame_classes(chosen, frame, fc.size(), fc.data()) ==
          CLAIMLENS_OK);
  for (size_t i = 0; i < fp.size(); ++i) CHECK(fc[i] == (fp[i] > threshold ? 1 : 0));
  claimlens_frame_free(frame);

  for (claimlens_model* m : {base, calibrated, chosen, loaded, copy}) claimlens_model_free(m);
}

TEST_CASE("C API calibration bad input: status, message, no output") {
  std::vector<double> x, y;
  data(300, 5, x, y);
  claimlens_model* base = trained(x, y);
  const size_t rows = y.size();
  claimlens_model* out = nullptr;
  struct Case {
    std::vector<double> labels;
    const char* options;
    const char* message;
  };
  std::vector<double> ones(rows, 1.0), four(rows, 0.0), twos = y;
  for (size_t i = 0; i < 4; ++i) four[i] = 1.0;
  twos[7] = 2.0;
  const Case calibrate_cases[] = {
      {ones, nullptr, "y holds only class 1"},
      {four, R"({"cv": 5})", "n_splits = 5 folds need at least 5 rows of each class"},
      {y, R"({"cv": 1})", "must be 0 (a calibration split) or at least 2"},
      {y, R"({"method": "platt"})", "options.method"},
      {y, R"({"folds": 3})", "folds"},
      {twos, nullptr, "claimlens_model_calibrate: y[7]: not 0 or 1 (2.0)"},
  };
  for (const auto& c : calibrate_cases) {
    INFO(c.message);
    CHECK(claimlens_model_calibrate(base, x.data(), rows, kCols, c.labels.data(), c.options,
                                    &out) == CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(claimlens_last_error(), Contains(c.message));
    CHECK(out == nullptr);
  }
  std::vector<double> constant(rows * kCols, 1.0);
  CHECK(claimlens_model_calibrate(base, constant.data(), rows, kCols, y.data(), nullptr, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("calibration scores are all equal"));

  const Case threshold_cases[] = {
      {y, R"({"precision": 1.5})", "the target precision must be in (0, 1], not 1.5"},
      {y, R"({"recall": 0})", "the target recall must be in (0, 1], not 0"},
      {y, R"({"precision": 0.9, "recall": 0.9})", "must hold one of \"precision\" and \"recall\""},
      {y, R"({})", "must hold one of \"precision\" and \"recall\""},
      {y, R"({"precision": 0.9, "n_resamples": -3})", "n_resamples must be from"},
  };
  for (const auto& c : threshold_cases) {
    INFO(c.message);
    CHECK(claimlens_model_choose_threshold(base, x.data(), rows, kCols, c.labels.data(), c.options,
                                           &out) == CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(claimlens_last_error(), Contains(c.message));
    CHECK(out == nullptr);
  }
  CHECK(claimlens_model_choose_threshold(base, x.data(), rows, kCols, y.data(), nullptr, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("options_json is NULL"));
  double threshold = 0;
  CHECK(claimlens_model_threshold(nullptr, &threshold) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(claimlens_model_threshold(base, nullptr) == CLAIMLENS_E_INVALID_ARGUMENT);
  int classes[2];
  CHECK(claimlens_model_predict(base, x.data(), 2, kCols + 1, classes) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("cols is 4 but the gradient_boosting model has 3"));
  claimlens_model_free(base);
}
