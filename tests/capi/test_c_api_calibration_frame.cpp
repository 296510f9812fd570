// claimlens_model_calibrate_frame and claimlens_model_choose_threshold_frame: the frame forms of
// calibration and operating points, equal to the matrix forms on a matrix model, and what lets a
// claim classifier be calibrated; their bad inputs with messages and no output.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "claimlens.h"
#include "support/paths.hpp"

using Catch::Matchers::Contains;

namespace {

constexpr size_t kRows = 600, kCols = 3;

void data(std::vector<double>& x, std::vector<double>& y) {
  x.resize(kRows * kCols);
  y.resize(kRows);
  for (size_t i = 0; i < kRows; ++i) {
    for (size_t j = 0; j < kCols; ++j) x[i * kCols + j] = std::fmod((i + 1) * (0.37 + j), 3.0);
    y[i] = (x[i * kCols] - 0.5 * x[i * kCols + 1] + 0.3 * std::sin(i * 1.7) > 0.8) ? 1.0 : 0.0;
  }
}

// The same rows as CSV text with the columns f0, f1, f2 (shortest round-trip digits).
claimlens_frame* as_frame(const std::vector<double>& x) {
  std::string csv = "f0,f1,f2\n";
  char cell[32];
  for (size_t i = 0; i < kRows; ++i) {
    for (size_t j = 0; j < kCols; ++j) {
      std::snprintf(cell, sizeof cell, "%.17g", x[i * kCols + j]);
      csv += cell;
      csv += j + 1 < kCols ? "," : "\n";
    }
  }
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &frame) == CLAIMLENS_OK);
  return frame;
}

std::vector<double> frame_proba(const claimlens_model* model, const claimlens_frame* frame) {
  std::vector<double> p(claimlens_frame_num_rows(frame));
  REQUIRE(claimlens_model_predict_frame(model, frame, p.size(), p.data()) == CLAIMLENS_OK);
  return p;
}

double threshold_of(const claimlens_model* model) {
  double t = -1;
  REQUIRE(claimlens_model_threshold(model, &t) == CLAIMLENS_OK);
  return t;
}

}  // namespace

TEST_CASE("C API: calibrate_frame and choose_threshold_frame equal the matrix forms") {
  std::vector<double> x, y;
  data(x, y);
  claimlens_model* base = nullptr;
  REQUIRE(claimlens_model_train(x.data(), kRows, kCols, y.data(),
                                R"({"algorithm": "gradient_boosting", "n_estimators": 20})",
                                &base) == CLAIMLENS_OK);
  claimlens_frame* frame = as_frame(x);
  for (const char* options : {R"({"method": "isotonic"})", R"({"cv": 3})"}) {
    INFO(options);
    claimlens_model *by_matrix = nullptr, *by_frame = nullptr;
    REQUIRE(claimlens_model_calibrate(base, x.data(), kRows, kCols, y.data(), options,
                                      &by_matrix) == CLAIMLENS_OK);
    REQUIRE(claimlens_model_calibrate_frame(base, frame, kRows, y.data(), options, &by_frame) ==
            CLAIMLENS_OK);
    CHECK(frame_proba(by_matrix, frame) == frame_proba(by_frame, frame));
    claimlens_model_free(by_matrix);
    claimlens_model_free(by_frame);
  }
  const char* target = R"({"recall": 0.9, "n_resamples": 50})";
  claimlens_model *by_matrix = nullptr, *by_frame = nullptr;
  REQUIRE(claimlens_model_choose_threshold(base, x.data(), kRows, kCols, y.data(), target,
                                           &by_matrix) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_choose_threshold_frame(base, frame, kRows, y.data(), target, &by_frame) ==
          CLAIMLENS_OK);
  CHECK(threshold_of(by_frame) == threshold_of(by_matrix));
  CHECK(threshold_of(by_frame) != 0.5);
  claimlens_model_free(by_matrix);
  claimlens_model_free(by_frame);

  // Bad input: a status, the message, no output.
  claimlens_model* out = nullptr;
  CHECK(claimlens_model_calibrate_frame(base, frame, kRows - 1, y.data(), nullptr, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("n is 599 but the frame has 600 rows"));
  CHECK(claimlens_model_calibrate_frame(base, nullptr, kRows, y.data(), nullptr, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("frame is NULL"));
  CHECK(claimlens_model_choose_threshold_frame(base, frame, kRows, nullptr, target, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("y is NULL"));
  std::vector<double> bad = y;
  bad[7] = 2;
  CHECK(claimlens_model_calibrate_frame(base, frame, kRows, bad.data(), nullptr, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(),
             Contains("claimlens_model_calibrate_frame: y[7]: not 0 or 1 (2.0)"));
  CHECK(claimlens_model_choose_threshold_frame(base, frame, kRows, y.data(), "{}", &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("precision"));
  CHECK(out == nullptr);
  claimlens_frame_free(frame);
  claimlens_model_free(base);
}

TEST_CASE("C API: a claim classifier calibrated and given an operating point on a frame") {
  claimlens_frame *raw = nullptr, *videos = nullptr;
  REQUIRE(claimlens_frame_read_csv(claimlens::testing::real_dataset_path().c_str(), &raw) ==
          CLAIMLENS_OK);
  REQUIRE(claimlens_frame_drop_nulls(raw, &videos) == CLAIMLENS_OK);
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_train(
              videos, R"({"algorithm": "gradient_boosting", "grid": "none", "n_jobs": 1})", &clf) ==
          CLAIMLENS_OK);
  const claimlens_model* model = nullptr;
  REQUIRE(claimlens_classifier_as_model(clf, &model) == CLAIMLENS_OK);
  const size_t n = claimlens_frame_num_rows(videos);
  std::vector<double> y(n);
  for (size_t i = 0; i < n; ++i) {
    const char* status = nullptr;
    REQUIRE(claimlens_frame_get_string(videos, "claim_status", i, &status) == CLAIMLENS_OK);
    y[i] = std::string(status) == "claim" ? 1.0 : 0.0;
  }
  claimlens_model *calibrated = nullptr, *chosen = nullptr;
  REQUIRE(claimlens_model_calibrate_frame(model, videos, n, y.data(), R"({"method": "isotonic"})",
                                          &calibrated) == CLAIMLENS_OK);
  for (double p : frame_proba(calibrated, videos)) CHECK((p >= 0 && p <= 1));
  REQUIRE(claimlens_model_choose_threshold_frame(calibrated, videos, n, y.data(),
                                                 R"({"precision": 0.99, "n_resamples": 0})",
                                                 &chosen) == CLAIMLENS_OK);
  CHECK(threshold_of(chosen) > 0);

  // The file's rows with nulls cannot be scored: refused naming the row, nothing written.
  const size_t all = claimlens_frame_num_rows(raw);
  std::vector<double> labels(all, 0.0);
  labels[0] = 1.0;
  claimlens_model* out = nullptr;
  CHECK(claimlens_model_calibrate_frame(model, raw, all, labels.data(), nullptr, &out) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("row"));
  CHECK(claimlens_model_choose_threshold_frame(model, raw, all, labels.data(), R"({"recall": 0.5})",
                                               &out) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(claimlens_last_error(), Contains("cannot be scored"));
  CHECK(out == nullptr);
  claimlens_model_free(chosen);
  claimlens_model_free(calibrated);
  claimlens_classifier_free(clf);
  claimlens_frame_free(videos);
  claimlens_frame_free(raw);
}
