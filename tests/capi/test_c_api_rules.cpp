// The rules claimlens.h states once for every function, checked function by function: NULL
// arrays with a count of 0, the input rules of video records and frames with their messages
// (index and field, or row and column), records that can grow (struct_size), and model files that
// keep n_jobs as asked.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "claimlens.h"
#include "claimlens/pipeline/synth.hpp"
#include "support/paths.hpp"

using Catch::Contains;
using Catch::Equals;

namespace {

std::string last_error() {
  return claimlens_last_error();
}

// Synthetic reports with the dataset's columns (no nulls): enough to train in a moment.
const std::string& synthetic_csv() {
  static const std::string csv = [] {
    claimlens::SynthOptions options;
    options.rows = 600;
    options.seed = 3;
    options.null_fraction = 0;
    return claimlens::synth_csv_string(options);
  }();
  return csv;
}

claimlens_frame* read_buffer(const std::string& csv) {
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &frame) == CLAIMLENS_OK);
  return frame;
}

claimlens_classifier* train_classifier(const char* options) {
  claimlens_frame* frame = read_buffer(synthetic_csv());
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_train(frame, options, &clf) == CLAIMLENS_OK);
  claimlens_frame_free(frame);
  return clf;
}

const claimlens_classifier* classifier() {
  static claimlens_classifier* clf =
      train_classifier(R"({"grid": "none", "algorithm": "gradient_boosting", "n_jobs": 1})");
  return clf;
}

claimlens_video report(const char* text, double views) {
  claimlens_video v = CLAIMLENS_VIDEO_INIT;
  v.transcription = text;
  v.verified_status = "not verified";
  v.author_ban_status = "active";
  v.duration_sec = 30;
  v.view_count = views;
  v.like_count = views / 4;
  v.share_count = views / 20;
  v.download_count = views / 100;
  v.comment_count = views / 500;
  return v;
}

std::vector<claimlens_video> reports() {
  return {report("someone shared with me that octopuses have three hearts", 4e5),
          report("i think that octopuses have three hearts", 3e3),
          report("a friend read online that honey never spoils", 9e4),
          report("i believe that honey never spoils", 8e3)};
}

// The dataset's header and one row per entry of `rows` (its fields from video_duration_sec on).
std::string videos_csv(const std::vector<std::string>& rows) {
  std::string csv = std::string(claimlens::synth_header()) + "\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    csv += std::to_string(i + 1) + ",claim," + std::to_string(1000 + i) + "," + rows[i] + "\n";
  }
  return csv;
}

const char kGoodRow[] = "30,someone shared with me that x,not verified,active,5000,100,10,1,1";

claimlens_model* train_matrix_model(const char* params) {
  std::vector<double> x(200), y(100);
  for (std::size_t i = 0; i < 100; ++i) {
    x[2 * i] = std::fmod(i * 0.37, 2.0);
    x[2 * i + 1] = std::fmod(i * 0.71, 1.5);
    y[i] = x[2 * i] + 0.5 * x[2 * i + 1] > 1.0 ? 1.0 : 0.0;
  }
  claimlens_model* model = nullptr;
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(), params, &model) == CLAIMLENS_OK);
  return model;
}

struct Call {
  const char* what;
  std::function<claimlens_status()> call;
  claimlens_status status;
  const char* message;  // what the message must contain; nullptr for CLAIMLENS_OK
};

void check_calls(const std::vector<Call>& calls) {
  for (const Call& c : calls) {
    INFO(c.what);
    const claimlens_status got = c.call();
    CHECK(claimlens_status_name(got) == std::string(claimlens_status_name(c.status)));
    if (c.message != nullptr && got != CLAIMLENS_OK) CHECK_THAT(last_error(), Contains(c.message));
  }
}

}  // namespace

TEST_CASE("C API rules: an array may be NULL when its count is 0, for every function") {
  const claimlens_classifier* clf = classifier();
  const claimlens_model* as_model = nullptr;
  REQUIRE(claimlens_classifier_as_model(clf, &as_model) == CLAIMLENS_OK);
  claimlens_model* forest =
      train_matrix_model(R"({"algorithm": "random_forest", "n_estimators": 5})");
  // Numeric columns without rows: a header-only CSV has string columns (as pandas reads it).
  claimlens_frame* one_row = read_buffer("f0,f1\n1.0,\n");
  claimlens_frame* no_rows = nullptr;
  REQUIRE(claimlens_frame_drop_nulls(one_row, &no_rows) == CLAIMLENS_OK);
  claimlens_frame_free(one_row);
  claimlens_frame* no_videos = read_buffer(videos_csv({}));
  claimlens_model* out = nullptr;
  claimlens_frame* frame_out = nullptr;
  claimlens_classifier* clf_out = nullptr;
  char* json = nullptr;
  claimlens_ttest t = CLAIMLENS_TTEST_INIT;
  const double b[] = {1, 2, 3};
  double q = 0;
  size_t len = 0;
  // A count of 0 with NULL arrays: what the function does with no data, never "is NULL".
  check_calls({
      {"read_csv_buffer", [&] { return claimlens_frame_read_csv_buffer(nullptr, 0, &frame_out); },
       CLAIMLENS_E_PARSE, "empty input"},
      {"get_doubles", [&] { return claimlens_frame_get_doubles(no_rows, "f0", 0, nullptr); },
       CLAIMLENS_OK, nullptr},
      {"ttest_ind", [&] { return claimlens_ttest_ind(nullptr, 0, b, 3, 0, &t); },
       CLAIMLENS_E_INVALID_ARGUMENT, "a has 0 non-NaN value(s); at least 2 are needed"},
      {"quantile", [&] { return claimlens_quantile(nullptr, 0, 0.5, &q); },
       CLAIMLENS_E_INVALID_ARGUMENT, "x has 0 non-NaN value(s)"},
      {"logit_json", [&] { return claimlens_logit_json(nullptr, 0, 2, nullptr, nullptr, &json); },
       CLAIMLENS_E_INVALID_ARGUMENT, "x has no rows or columns"},
      {"model_train", [&] { return claimlens_model_train(nullptr, 0, 2, nullptr, "{}", &out); },
       CLAIMLENS_E_INVALID_ARGUMENT, "x has no rows or columns"},
      {"model_predict_proba",
       [&] { return claimlens_model_predict_proba(forest, nullptr, 0, 2, nullptr); }, CLAIMLENS_OK,
       nullptr},
      {"model_predict", [&] { return claimlens_model_predict(forest, nullptr, 0, 2, nullptr); },
       CLAIMLENS_OK, nullptr},
      {"model_feature_importances",
       [&] { return claimlens_model_feature_importances(forest, nullptr, 0); },
       CLAIMLENS_E_INVALID_ARGUMENT, "n is 0 but the model has 2 features"},
      {"model_coefficients", [&] { return claimlens_model_coefficients(forest, nullptr, 0); },
       CLAIMLENS_E_STATE, ""},
      {"model_load_buffer", [&] { return claimlens_model_load_buffer(nullptr, 0, &out); },
       CLAIMLENS_E_MODEL_FORMAT, ""},
      {"classifier_load_buffer",
       [&] { return claimlens_classifier_load_buffer(nullptr, 0, &clf_out); },
       CLAIMLENS_E_MODEL_FORMAT, ""},
      {"model_predict_frame",
       [&] { return claimlens_model_predict_frame(forest, no_rows, 0, nullptr); }, CLAIMLENS_OK,
       nullptr},
      {"model_predict_frame_classes",
       [&] { return claimlens_model_predict_frame_classes(forest, no_rows, 0, nullptr); },
       CLAIMLENS_OK, nullptr},
      {"model_calibrate",
       [&] { return claimlens_model_calibrate(forest, nullptr, 0, 2, nullptr, nullptr, &out); },
       CLAIMLENS_E_INVALID_ARGUMENT, "x has no rows or columns"},
      {"model_choose_threshold",
       [&] {
         return claimlens_model_choose_threshold(forest, nullptr, 0, 2, nullptr,
                                                 R"({"precision": 0.9})", &out);
       },
       CLAIMLENS_E_INVALID_ARGUMENT, "x has no rows or columns"},
      {"model_calibrate_frame",
       [&] { return claimlens_model_calibrate_frame(forest, no_rows, 0, nullptr, nullptr, &out); },
       CLAIMLENS_E_INVALID_ARGUMENT, ""},
      {"model_choose_threshold_frame",
       [&] {
         return claimlens_model_choose_threshold_frame(forest, no_rows, 0, nullptr,
                                                       R"({"precision": 0.9})", &out);
       },
       CLAIMLENS_E_INVALID_ARGUMENT, ""},
      {"model_explain",
       [&] { return claimlens_model_explain(forest, nullptr, 0, 2, nullptr, 0, nullptr, 0); },
       CLAIMLENS_OK, nullptr},
      {"model_feature_name",
       [&] { return claimlens_model_feature_name(forest, 0, nullptr, 0, &len); }, CLAIMLENS_OK,
       nullptr},
      {"model_group_name", [&] { return claimlens_model_group_name(forest, 0, nullptr, 0, &len); },
       CLAIMLENS_OK, nullptr},
      {"classifier_predict", [&] { return claimlens_classifier_predict(clf, nullptr, 0, nullptr); },
       CLAIMLENS_OK, nullptr},
      {"classifier_predict_frame",
       [&] { return claimlens_classifier_predict_frame(clf, no_videos, 0, nullptr); }, CLAIMLENS_OK,
       nullptr},
      {"classifier_triage",
       [&] { return claimlens_classifier_triage(clf, nullptr, 0, nullptr, nullptr, nullptr); },
       CLAIMLENS_OK, nullptr},
      {"classifier_explain",
       [&] { return claimlens_classifier_explain(clf, nullptr, 0, nullptr, 0, nullptr, 0); },
       CLAIMLENS_OK, nullptr},
  });
  CHECK(out == nullptr);
  CHECK(frame_out == nullptr);
  CHECK(clf_out == nullptr);

  // A count above 0 with a NULL array: CLAIMLENS_E_INVALID_ARGUMENT naming it.
  std::vector<claimlens_video> v = reports();
  std::vector<double> x = {0.5, 0.5, 1.5, 1.0}, y = {0, 1}, p(4), wide(4 * 26), r(4);
  std::vector<size_t> order(4);
  const size_t nf = 25;  // the classifier's features
  claimlens_frame* two = read_buffer("f0,f1\n0.5,0.5\n1.5,1.0\n");
  claimlens_frame* videos = read_buffer(videos_csv({kGoodRow, kGoodRow}));
  const auto invalid = CLAIMLENS_E_INVALID_ARGUMENT;
  check_calls({
      {"read_csv_buffer", [&] { return claimlens_frame_read_csv_buffer(nullptr, 3, &frame_out); },
       invalid, "claimlens_frame_read_csv_buffer: data is NULL"},
      {"get_doubles", [&] { return claimlens_frame_get_doubles(two, "f0", 2, nullptr); }, invalid,
       "claimlens_frame_get_doubles: out is NULL"},
      {"ttest_ind a", [&] { return claimlens_ttest_ind(nullptr, 3, b, 3, 0, &t); }, invalid,
       "claimlens_ttest_ind: a is NULL"},
      {"ttest_ind b", [&] { return claimlens_ttest_ind(b, 3, nullptr, 3, 0, &t); }, invalid,
       "claimlens_ttest_ind: b is NULL"},
      {"quantile", [&] { return claimlens_quantile(nullptr, 3, 0.5, &q); }, invalid,
       "claimlens_quantile: x is NULL"},
      {"logit_json x",
       [&] { return claimlens_logit_json(nullptr, 2, 2, y.data(), nullptr, &json); }, invalid,
       "claimlens_logit_json: x is NULL"},
      {"logit_json y",
       [&] { return claimlens_logit_json(x.data(), 2, 2, nullptr, nullptr, &json); }, invalid,
       "claimlens_logit_json: y is NULL"},
      {"model_train x", [&] { return claimlens_model_train(nullptr, 2, 2, y.data(), "{}", &out); },
       invalid, "claimlens_model_train: x is NULL"},
      {"model_train y", [&] { return claimlens_model_train(x.data(), 2, 2, nullptr, "{}", &out); },
       invalid, "claimlens_model_train: y is NULL"},
      {"model_predict_proba x",
       [&] { return claimlens_model_predict_proba(forest, nullptr, 2, 2, p.data()); }, invalid,
       "claimlens_model_predict_proba: x is NULL"},
      {"model_predict_proba out",
       [&] { return claimlens_model_predict_proba(forest, x.data(), 2, 2, nullptr); }, invalid,
       "claimlens_model_predict_proba: out is NULL"},
      {"model_predict out",
       [&] { return claimlens_model_predict(forest, x.data(), 2, 2, nullptr); }, invalid,
       "claimlens_model_predict: out is NULL"},
      {"model_feature_importances",
       [&] { return claimlens_model_feature_importances(forest, nullptr, 2); }, invalid,
       "claimlens_model_feature_importances: out is NULL"},
      {"model_load_buffer", [&] { return claimlens_model_load_buffer(nullptr, 9, &out); }, invalid,
       "claimlens_model_load_buffer: data is NULL"},
      {"classifier_load_buffer",
       [&] { return claimlens_classifier_load_buffer(nullptr, 9, &clf_out); }, invalid,
       "claimlens_classifier_load_buffer: data is NULL"},
      {"model_predict_frame",
       [&] { return claimlens_model_predict_frame(forest, two, 2, nullptr); }, invalid,
       "claimlens_model_predict_frame: out is NULL"},
      {"model_predict_frame_classes",
       [&] { return claimlens_model_predict_frame_classes(forest, two, 2, nullptr); }, invalid,
       "claimlens_model_predict_frame_classes: out is NULL"},
      {"model_calibrate y",
       [&] { return claimlens_model_calibrate(forest, x.data(), 2, 2, nullptr, nullptr, &out); },
       invalid, "claimlens_model_calibrate: y is NULL"},
      {"model_choose_threshold x",
       [&] {
         return claimlens_model_choose_threshold(forest, nullptr, 2, 2, y.data(),
                                                 R"({"precision": 0.9})", &out);
       },
       invalid, "claimlens_model_choose_threshold: x is NULL"},
      {"model_calibrate_frame y",
       [&] { return claimlens_model_calibrate_frame(forest, two, 2, nullptr, nullptr, &out); },
       invalid, "claimlens_model_calibrate_frame: y is NULL"},
      {"model_choose_threshold_frame y",
       [&] {
         return claimlens_model_choose_threshold_frame(forest, two, 2, nullptr,
                                                       R"({"precision": 0.9})", &out);
       },
       invalid, "claimlens_model_choose_threshold_frame: y is NULL"},
      {"model_explain x",
       [&] { return claimlens_model_explain(forest, nullptr, 2, 2, wide.data(), 6, r.data(), 2); },
       invalid, "claimlens_model_explain: x is NULL"},
      {"model_explain out",
       [&] { return claimlens_model_explain(forest, x.data(), 2, 2, nullptr, 6, r.data(), 2); },
       invalid, "claimlens_model_explain: out is NULL"},
      {"model_feature_name buf",
       [&] { return claimlens_model_feature_name(forest, 0, nullptr, 8, &len); }, invalid,
       "claimlens_model_feature_name: buf is NULL"},
      {"classifier_predict videos",
       [&] { return claimlens_classifier_predict(clf, nullptr, 4, p.data()); }, invalid,
       "claimlens_classifier_predict: videos is NULL"},
      {"classifier_predict p_claim",
       [&] { return claimlens_classifier_predict(clf, v.data(), 4, nullptr); }, invalid,
       "claimlens_classifier_predict: p_claim is NULL"},
      {"classifier_predict_frame",
       [&] { return claimlens_classifier_predict_frame(clf, videos, 2, nullptr); }, invalid,
       "claimlens_classifier_predict_frame: p_claim is NULL"},
      {"classifier_triage videos",
       [&] {
         return claimlens_classifier_triage(clf, nullptr, 4, order.data(), p.data(), r.data());
       },
       invalid, "claimlens_classifier_triage: videos is NULL"},
      {"classifier_triage order",
       [&] { return claimlens_classifier_triage(clf, v.data(), 4, nullptr, p.data(), r.data()); },
       invalid, "claimlens_classifier_triage: order is NULL"},
      {"classifier_triage p_claim",
       [&] {
         return claimlens_classifier_triage(clf, v.data(), 4, order.data(), nullptr, r.data());
       },
       invalid, "claimlens_classifier_triage: p_claim is NULL"},
      {"classifier_explain videos",
       [&] {
         return claimlens_classifier_explain(clf, nullptr, 4, wide.data(), 4 * (nf + 1), r.data(),
                                             4);
       },
       invalid, "claimlens_classifier_explain: videos is NULL"},
      {"classifier_explain residual",
       [&] {
         return claimlens_classifier_explain(clf, v.data(), 4, wide.data(), 4 * (nf + 1), nullptr,
                                             4);
       },
       invalid, "claimlens_classifier_explain: residual is NULL"},
  });
  CHECK(out == nullptr);
  claimlens_frame_free(videos);
  claimlens_frame_free(two);
  claimlens_frame_free(no_videos);
  claimlens_frame_free(no_rows);
  claimlens_model_free(forest);
}

TEST_CASE("C API rules: every function has one argument order, inputs and counts first") {
  // The siblings the order rule made alike (claimlens.h): a frame and its row count as a matrix
  // and its shape, then the labels, options and outputs.
  claimlens_model* forest =
      train_matrix_model(R"({"algorithm": "random_forest", "n_estimators": 5})");
  claimlens_frame* frame = read_buffer("f0,f1\n0.5,0.5\n1.5,1.0\n0.1,1.2\n");
  const double x[] = {0.5, 0.5, 1.5, 1.0, 0.1, 1.2};
  double by_matrix[3], by_frame[3], column[3];
  int classes_matrix[3], classes_frame[3];
  REQUIRE(claimlens_model_predict_proba(forest, x, 3, 2, by_matrix) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_predict_frame(forest, frame, 3, by_frame) == CLAIMLENS_OK);
  CHECK(std::memcmp(by_matrix, by_frame, sizeof by_frame) == 0);
  REQUIRE(claimlens_model_predict(forest, x, 3, 2, classes_matrix) == CLAIMLENS_OK);
  REQUIRE(claimlens_model_predict_frame_classes(forest, frame, 3, classes_frame) == CLAIMLENS_OK);
  CHECK(std::memcmp(classes_matrix, classes_frame, sizeof classes_frame) == 0);
  REQUIRE(claimlens_frame_get_doubles(frame, "f1", 3, column) == CLAIMLENS_OK);
  CHECK(column[2] == 1.2);

  const claimlens_classifier* clf = classifier();
  std::vector<claimlens_video> v = reports();
  claimlens_frame* videos = read_buffer(videos_csv({kGoodRow, kGoodRow}));
  double p_records[1], p_frame[2];
  claimlens_video same = report("someone shared with me that x", 5000);
  same.like_count = 100, same.share_count = 10, same.download_count = 1, same.comment_count = 1;
  REQUIRE(claimlens_classifier_predict(clf, &same, 1, p_records) == CLAIMLENS_OK);
  REQUIRE(claimlens_classifier_predict_frame(clf, videos, 2, p_frame) == CLAIMLENS_OK);
  CHECK(p_frame[0] == p_records[0]);
  claimlens_frame_free(videos);
  claimlens_frame_free(frame);
  claimlens_model_free(forest);
}

TEST_CASE("C API rules: records break the input rules with messages naming index and field") {
  const claimlens_classifier* clf = classifier();
  const std::vector<claimlens_video> good = reports();
  struct Case {
    std::size_t index;
    std::function<void(claimlens_video&)> spoil;
    const char* message;
  };
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  const std::vector<Case> cases = {
      {3, [](claimlens_video& v) { v.transcription = "a perfectly normal \xff sentence"; },
       "videos[3].transcription: not valid UTF-8 (invalid byte at offset 19)"},
      {0, [&](claimlens_video& v) { v.duration_sec = nan; },
       "videos[0].duration_sec: not finite (NaN)"},
      {2, [&](claimlens_video& v) { v.comment_count = -inf; },
       "videos[2].comment_count: not finite (-inf)"},
      {1, [](claimlens_video& v) { v.view_count = -5; }, "videos[1].view_count: negative (-5.0)"},
      {1, [](claimlens_video& v) { v.download_count = -0.5; },
       "videos[1].download_count: negative (-0.5)"},
      {2, [](claimlens_video& v) { v.verified_status = nullptr; },
       "videos[2].verified_status: NULL"},
      {0, [](claimlens_video& v) { v.author_ban_status = nullptr; },
       "videos[0].author_ban_status: NULL"},
      {1, [](claimlens_video& v) { v.verified_status = "sort of"; },
       R"(videos[1].verified_status: unknown value "sort of" (expected "verified" or "not verified"))"},
      {3, [](claimlens_video& v) { v.author_ban_status = "suspended"; },
       R"(videos[3].author_ban_status: unknown value "suspended" (expected "active", "under review" or "banned"))"},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    std::vector<claimlens_video> v = good;
    c.spoil(v[c.index]);
    std::vector<double> p(4, -1), priority(4, -1), out(4 * 26, -1), residual(4, -1);
    std::vector<size_t> order(4, 9);
    REQUIRE(claimlens_classifier_predict(clf, v.data(), 4, p.data()) ==
            CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(last_error(), Equals(std::string("claimlens_classifier_predict: ") + c.message));
    REQUIRE(claimlens_classifier_triage(clf, v.data(), 4, order.data(), p.data(),
                                        priority.data()) == CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(last_error(), Equals(std::string("claimlens_classifier_triage: ") + c.message));
    REQUIRE(claimlens_classifier_explain(clf, v.data(), 4, out.data(), out.size(), residual.data(),
                                         4) == CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(last_error(), Equals(std::string("claimlens_classifier_explain: ") + c.message));
    // No partial result.
    for (double x : p) CHECK(x == -1);
    for (double x : priority) CHECK(x == -1);
    for (double x : out) CHECK(x == -1);
    for (size_t i : order) CHECK(i == 9);
  }
  // Zero counts and an empty (or NULL) transcription are valid.
  std::vector<claimlens_video> v = good;
  v[0].view_count = v[0].like_count = 0;
  v[1].transcription = nullptr;
  v[2].transcription = "";
  std::vector<double> p(4);
  CHECK(claimlens_classifier_predict(clf, v.data(), 4, p.data()) == CLAIMLENS_OK);
}

TEST_CASE("C API rules: frames break the input rules with messages naming row and column") {
  const claimlens_classifier* clf = classifier();
  const claimlens_model* model = nullptr;
  REQUIRE(claimlens_classifier_as_model(clf, &model) == CLAIMLENS_OK);
  struct Case {
    std::string bad_row;
    const char* message;  // for the bad row at frame row 2
  };
  const std::vector<Case> cases = {
      {"30,someone shared with me that x,not verified,active,-5,100,10,1,1",
       "row 2, column 'video_view_count': negative (-5.0)"},
      {"-1.5,someone shared with me that x,not verified,active,5,100,10,1,1",
       "row 2, column 'video_duration_sec': negative (-1.5)"},
      {"30,someone shared with me that x,maybe,active,5,100,10,1,1",
       R"(row 2, column 'verified_status': unknown value "maybe" (expected "verified" or "not verified"))"},
      {"30,someone shared with me that x,verified,gone,5,100,10,1,1",
       R"(row 2, column 'author_ban_status': unknown value "gone" (expected "active", "under review" or "banned"))"},
      {"30,someone shared with me that x,verified,active,5,inf,10,1,1",
       "row 2, column 'video_like_count': not finite (inf)"},
  };
  const std::string with_null = "30,x,not verified,active,,100,10,1,1";  // row 1: a null count
  for (const Case& c : cases) {
    INFO(c.message);
    claimlens_frame* frame = read_buffer(videos_csv({kGoodRow, kGoodRow, c.bad_row}));
    std::vector<double> p(3, -1);
    REQUIRE(claimlens_classifier_predict_frame(clf, frame, 3, p.data()) ==
            CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(last_error(),
               Equals(std::string("claimlens_classifier_predict_frame: ") + c.message));
    CHECK(p[0] == -1);
    claimlens_frame_free(frame);
    // A claim classifier as a model skips rows with a null (NaN): the bad row keeps its number.
    frame = read_buffer(videos_csv({kGoodRow, with_null, c.bad_row}));
    REQUIRE(claimlens_model_predict_frame(model, frame, 3, p.data()) ==
            CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(last_error(), Equals(std::string("claimlens_model_predict_frame: ") + c.message));
    claimlens_frame_free(frame);
  }
  // Nulls: refused by the classifier's own frame function, NaN through the model layer.
  claimlens_frame* frame = read_buffer(videos_csv({kGoodRow, with_null}));
  std::vector<double> p(2, -1);
  REQUIRE(claimlens_classifier_predict_frame(clf, frame, 2, p.data()) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(last_error(),
             Equals("claimlens_classifier_predict_frame: row 1, column 'video_view_count': null"));
  REQUIRE(claimlens_model_predict_frame(model, frame, 2, p.data()) == CLAIMLENS_OK);
  CHECK(std::isnan(p[1]));
  claimlens_frame_free(frame);
}

TEST_CASE("C API rules: training checks every row it keeps, naming the row of the frame") {
  std::string csv = synthetic_csv();
  // Spoil one count of the 41st data row (frame row 40): a negative count is corrupt data.
  std::size_t line_start = 0;
  for (int line = 0; line < 41; ++line) line_start = csv.find('\n', line_start) + 1;
  const std::size_t line_end = csv.find('\n', line_start);
  std::string line = csv.substr(line_start, line_end - line_start);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  // The last field is video_comment_count.
  const std::size_t last_comma = line.rfind(',');
  const std::string spoiled_line = line.substr(0, last_comma + 1) + "-3";
  const std::string spoiled =
      csv.substr(0, line_start) + spoiled_line + "\r" + csv.substr(line_end);
  claimlens_frame* frame = read_buffer(spoiled);
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_train(frame, R"({"grid": "none"})", &clf) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(last_error(),
             Equals("claimlens_classifier_train: row 40, column 'video_comment_count': negative "
                    "(-3.0)"));
  CHECK(clf == nullptr);
  claimlens_frame_free(frame);

  const std::string labels = videos_csv({kGoodRow});
  std::string bad_label = labels;
  bad_label.replace(bad_label.find(",claim,"), 7, ",maybe,");
  frame = read_buffer(bad_label);
  REQUIRE(claimlens_classifier_train(frame, nullptr, &clf) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(
      last_error(),
      Equals(
          R"(claimlens_classifier_train: row 0, column 'claim_status': unknown value "maybe" (expected "claim" or "opinion"))"));
  claimlens_frame_free(frame);
}

TEST_CASE("C API rules: a CSV text that is not UTF-8 is refused where it is read") {
  // The bytes a classifier would refuse later, named at their line and field now (pandas refuses
  // such a file too).
  const std::string csv =
      videos_csv({kGoodRow, "30,a claim with a \xc3 in it,verified,active,5,1,1,1,1"});
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &frame) == CLAIMLENS_E_PARSE);
  CHECK_THAT(last_error(), Equals("claimlens_frame_read_csv_buffer: <buffer>:3:5: not valid UTF-8 "
                                  "(invalid byte at offset 15 of the field)"));
  CHECK(frame == nullptr);
  const std::string header = "a,b\xff\n1,2\n";
  REQUIRE(claimlens_frame_read_csv_buffer(header.data(), header.size(), &frame) ==
          CLAIMLENS_E_PARSE);
  CHECK_THAT(last_error(), Contains("<buffer>:1:2: not valid UTF-8 (invalid byte at offset 1"));
  // Valid multi-byte text passes, byte for byte.
  const std::string fine = "t\n\"caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80\"\n";
  REQUIRE(claimlens_frame_read_csv_buffer(fine.data(), fine.size(), &frame) == CLAIMLENS_OK);
  const char* cell = nullptr;
  REQUIRE(claimlens_frame_get_string(frame, "t", 0, &cell) == CLAIMLENS_OK);
  CHECK(std::string(cell) == "caf\xc3\xa9 \xe2\x80\x99 \xf0\x9f\x98\x80");
  claimlens_frame_free(frame);
}

TEST_CASE("C API rules: records carry struct_size, and the library reads only what it covers") {
  static_assert(offsetof(claimlens_video, struct_size) == 0, "struct_size comes first");
  static_assert(offsetof(claimlens_ttest, struct_size) == 0, "struct_size comes first");
  if (sizeof(void*) == 8) {  // the 1.0 sizes on LP64, frozen
    CHECK(sizeof(claimlens_video) == 80);
    CHECK(sizeof(claimlens_ttest) == 32);
  }
  const claimlens_classifier* clf = classifier();
  const std::vector<claimlens_video> good = reports();
  std::vector<double> expected(4), p(4, -1);
  REQUIRE(claimlens_classifier_predict(clf, good.data(), 4, expected.data()) == CLAIMLENS_OK);
  claimlens_video initialised;
  claimlens_video_init(&initialised);
  CHECK(initialised.struct_size == sizeof(claimlens_video));
  CHECK(initialised.transcription == nullptr);

  struct Case {
    std::size_t index, size;
    std::string message;
  };
  const std::string size = std::to_string(sizeof(claimlens_video));
  const std::vector<Case> cases = {
      {0, 0, "videos[0].struct_size: 0 (set it with CLAIMLENS_VIDEO_INIT or claimlens_video_init)"},
      {0, 40, "videos[0].struct_size: 40, below the " + size + " bytes of claimlens_video 1.0"},
      {0, sizeof(claimlens_video) + 1,
       "videos[0].struct_size: " + std::to_string(sizeof(claimlens_video) + 1) +
           ", not a multiple of the alignment of claimlens_video"},
      {2, 96, "videos[2].struct_size: 96, but videos[0].struct_size is " + size},
  };
  for (const Case& c : cases) {
    INFO(c.message);
    std::vector<claimlens_video> v = good;
    v[c.index].struct_size = c.size;
    REQUIRE(claimlens_classifier_predict(clf, v.data(), 4, p.data()) ==
            CLAIMLENS_E_INVALID_ARGUMENT);
    CHECK_THAT(last_error(), Contains(c.message));
    CHECK(p[0] == -1);
  }

  // A caller compiled against a newer header: records with one more field, which must be unset
  // (zero) for this library to accept them; read at the caller's stride.
  struct Newer {
    claimlens_video v;
    double newer_field;
  };
  std::vector<Newer> newer(4);
  for (std::size_t i = 0; i < 4; ++i) {
    newer[i].v = good[i];
    newer[i].v.struct_size = sizeof(Newer);
    newer[i].newer_field = 0;
  }
  const auto* as_videos = reinterpret_cast<const claimlens_video*>(newer.data());
  REQUIRE(claimlens_classifier_predict(clf, as_videos, 4, p.data()) == CLAIMLENS_OK);
  CHECK(p == expected);
  newer[1].newer_field = 2.0;
  p.assign(4, -1);
  REQUIRE(claimlens_classifier_predict(clf, as_videos, 4, p.data()) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(
      last_error(),
      Contains("videos[1]: byte " + std::to_string(sizeof(claimlens_video) + 7) + " of its " +
               std::to_string(sizeof(Newer)) + " (struct_size) is not zero, but this library") &&
          Contains("knows only the first " + size +
                   " bytes of claimlens_video: the record sets a field of a newer "
                   "claimlens.h"));
  CHECK(p[0] == -1);

  // An output record: written up to the caller's struct_size, newer fields left as they were.
  const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 6, 8, 10, 12};
  claimlens_ttest t = CLAIMLENS_TTEST_INIT;
  REQUIRE(claimlens_ttest_ind(a, 5, b, 6, 0, &t) == CLAIMLENS_OK);
  struct NewerTtest {
    claimlens_ttest t;
    double newer_value;
  } larger{};
  larger.t.struct_size = sizeof larger;
  larger.newer_value = 42.0;
  REQUIRE(claimlens_ttest_ind(a, 5, b, 6, 0, &larger.t) == CLAIMLENS_OK);
  CHECK(larger.t.statistic == t.statistic);
  CHECK(larger.t.p_value == t.p_value);
  CHECK(larger.newer_value == 42.0);
  claimlens_ttest unset{};
  REQUIRE(claimlens_ttest_ind(a, 5, b, 6, 0, &unset) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(last_error(),
             Equals("claimlens_ttest_ind: out.struct_size: 0 (set it with CLAIMLENS_TTEST_INIT "
                    "or claimlens_ttest_init)"));
  CHECK(unset.statistic == 0);
}

TEST_CASE("C API rules: n_jobs 0 is saved as 0, so the bytes do not depend on the machine") {
  const auto saved = [](const claimlens_model* model) {
    const std::string path = "capi_rules_n_jobs.json";
    REQUIRE(claimlens_model_save(model, path.c_str()) == CLAIMLENS_OK);
    claimlens_model* back = nullptr;
    REQUIRE(claimlens_model_load(path.c_str(), &back) == CLAIMLENS_OK);
    claimlens_model_free(back);
    const std::string text = claimlens::testing::read_text_file(path);
    std::remove(path.c_str());
    return text;
  };
  const double x[] = {0.5, 0.5, 1.5, 1.0, 0.1, 1.2};
  for (const char* algorithm : {"random_forest", "gradient_boosting"}) {
    INFO(algorithm);
    const std::string params = std::string(R"({"algorithm": ")") + algorithm + R"(", "n_jobs": )";
    claimlens_model* all_cores = train_matrix_model((params + "0}").c_str());
    claimlens_model* one = train_matrix_model((params + "1}").c_str());
    const std::string text = saved(all_cores);
    CHECK_THAT(text, Contains(R"("n_jobs":0)"));
    std::string one_text = saved(one);
    one_text.replace(one_text.find(R"("n_jobs":1)"), 10, R"("n_jobs":0)");
    CHECK(one_text == text);  // the same model, whatever the threads
    // A file written before 1.0 holds the resolved count: it still loads and predicts alike.
    std::string old = text;
    old.replace(old.find(R"("n_jobs":0)"), 10, R"("n_jobs":7)");
    claimlens_model* loaded = nullptr;
    REQUIRE(claimlens_model_load_buffer(old.data(), old.size(), &loaded) == CLAIMLENS_OK);
    double p_old[3], p_new[3];
    REQUIRE(claimlens_model_predict_proba(loaded, x, 3, 2, p_old) == CLAIMLENS_OK);
    REQUIRE(claimlens_model_predict_proba(all_cores, x, 3, 2, p_new) == CLAIMLENS_OK);
    CHECK(std::memcmp(p_old, p_new, sizeof p_new) == 0);
    claimlens_model_free(loaded);
    claimlens_model_free(one);
    claimlens_model_free(all_cores);
  }
}

TEST_CASE("C API rules: a classifier trained with n_jobs 0 saves 0 and predicts as with 1") {
  const auto json_of = [](const claimlens_classifier* clf) {
    const std::string path = "capi_rules_classifier.json";
    REQUIRE(claimlens_classifier_save(clf, path.c_str()) == CLAIMLENS_OK);
    const std::string text = claimlens::testing::read_text_file(path);
    std::remove(path.c_str());
    return text;
  };
  for (const char* options :
       {R"({"grid": "none", "algorithm": "random_forest", "n_jobs": 0})",
        R"({"grid": "seed", "algorithm": "gradient_boosting", "cv_folds": 2, "n_jobs": 0})"}) {
    INFO(options);
    claimlens_classifier* clf = train_classifier(options);
    const std::string text = json_of(clf);
    CHECK_THAT(text, Contains(R"("n_jobs":0)"));
    std::size_t at = 0, count = 0;
    while ((at = text.find(R"("n_jobs":)", at)) != std::string::npos) {
      CHECK(text.compare(at, 10, R"("n_jobs":0)") == 0);  // every n_jobs as asked
      ++at, ++count;
    }
    CHECK(count > 0);
    std::string serial_options = options;
    serial_options.replace(serial_options.find(R"("n_jobs": 0)"), 11, R"("n_jobs": 1)");
    claimlens_classifier* serial = train_classifier(serial_options.c_str());
    const std::vector<claimlens_video> v = reports();
    double p[4], q[4];
    REQUIRE(claimlens_classifier_predict(clf, v.data(), 4, p) == CLAIMLENS_OK);
    REQUIRE(claimlens_classifier_predict(serial, v.data(), 4, q) == CLAIMLENS_OK);
    CHECK(std::memcmp(p, q, sizeof p) == 0);
    claimlens_classifier_free(serial);
    claimlens_classifier_free(clf);
  }
}
