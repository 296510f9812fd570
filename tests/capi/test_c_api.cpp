// The C ABI, called as a C program would: every function, its ownership rules and its errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "claimlens.h"
#include "support/paths.hpp"

namespace {

std::string last_error() {
  return claimlens_last_error();
}

const char kSmallCsv[] =
    "a,b,name\r\n"
    "1,2.5,x\r\n"
    "2,,\"y, z\"\r\n"
    "3,4.5,#N/A\r\n";

// A deterministic separable-ish problem: y = 1 when x0 + 0.5 x1 > 1.
void toy_data(std::vector<double>& x, std::vector<double>& y, size_t rows) {
  x.resize(rows * 2);
  y.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    x[2 * i] = std::fmod(i * 0.37, 2.0);
    x[2 * i + 1] = std::fmod(i * 0.71, 1.5);
    y[i] = (x[2 * i] + 0.5 * x[2 * i + 1] > 1.0 + 0.1 * std::sin(i)) ? 1.0 : 0.0;
  }
}

}  // namespace

TEST_CASE("C API: version, status names, free(NULL)") {
  int major = -1, minor = -1, patch = -1;
  claimlens_version(&major, &minor, &patch);
  REQUIRE(major == CLAIMLENS_VERSION_MAJOR);
  REQUIRE(minor == CLAIMLENS_VERSION_MINOR);
  REQUIRE(patch == CLAIMLENS_VERSION_PATCH);
  claimlens_version(nullptr, nullptr, nullptr);
  const std::pair<claimlens_status, const char*> names[] = {
      {CLAIMLENS_OK, "CLAIMLENS_OK"},
      {CLAIMLENS_E_INVALID_ARGUMENT, "CLAIMLENS_E_INVALID_ARGUMENT"},
      {CLAIMLENS_E_IO, "CLAIMLENS_E_IO"},
      {CLAIMLENS_E_PARSE, "CLAIMLENS_E_PARSE"},
      {CLAIMLENS_E_SCHEMA, "CLAIMLENS_E_SCHEMA"},
      {CLAIMLENS_E_MODEL_FORMAT, "CLAIMLENS_E_MODEL_FORMAT"},
      {CLAIMLENS_E_STATE, "CLAIMLENS_E_STATE"},
      {CLAIMLENS_E_NO_MEMORY, "CLAIMLENS_E_NO_MEMORY"},
      {CLAIMLENS_E_INTERNAL, "CLAIMLENS_E_INTERNAL"}};
  for (const auto& [status, name] : names)
    CHECK(std::string(claimlens_status_name(status)) == name);
  REQUIRE(std::string(claimlens_status_name(static_cast<claimlens_status>(99))) ==
          "CLAIMLENS_UNKNOWN_STATUS");
  claimlens_free(nullptr);
  claimlens_frame_free(nullptr);
  claimlens_model_free(nullptr);
  claimlens_classifier_free(nullptr);
}

TEST_CASE("C API: frames from a buffer, typed access, nulls, describe") {
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(kSmallCsv, sizeof kSmallCsv - 1, &frame) == CLAIMLENS_OK);
  REQUIRE(claimlens_frame_num_rows(frame) == 3);
  REQUIRE(claimlens_frame_num_columns(frame) == 3);
  REQUIRE(claimlens_frame_num_rows(nullptr) == 0);
  const char* name = nullptr;
  REQUIRE(claimlens_frame_column_name(frame, 2, &name) == CLAIMLENS_OK);
  REQUIRE(std::string(name) == "name");
  REQUIRE(claimlens_frame_column_name(frame, 3, &name) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("out of range"));

  claimlens_dtype dtype;
  REQUIRE(claimlens_frame_column_dtype(frame, "a", &dtype) == CLAIMLENS_OK);
  REQUIRE(dtype == CLAIMLENS_INT64);
  REQUIRE(claimlens_frame_column_dtype(frame, "b", &dtype) == CLAIMLENS_OK);
  REQUIRE(dtype == CLAIMLENS_FLOAT64);
  REQUIRE(claimlens_frame_column_dtype(frame, "name", &dtype) == CLAIMLENS_OK);
  REQUIRE(dtype == CLAIMLENS_STRING);
  REQUIRE(claimlens_frame_column_dtype(frame, "nope", &dtype) == CLAIMLENS_E_SCHEMA);
  REQUIRE_THAT(last_error(), Catch::Contains("nope"));
  claimlens_frame* flags = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer("f\nTrue\nFalse\n", 13, &flags) == CLAIMLENS_OK);
  REQUIRE(claimlens_frame_column_dtype(flags, "f", &dtype) == CLAIMLENS_OK);
  REQUIRE(dtype == CLAIMLENS_BOOL);
  claimlens_frame_free(flags);

  size_t nulls = 0;
  REQUIRE(claimlens_frame_null_count(frame, "b", &nulls) == CLAIMLENS_OK);
  REQUIRE(nulls == 1);

  double values[3];
  REQUIRE(claimlens_frame_get_doubles(frame, "b", 3, values) == CLAIMLENS_OK);
  REQUIRE(values[0] == 2.5);
  REQUIRE(std::isnan(values[1]));
  REQUIRE(claimlens_frame_get_doubles(frame, "b", 2, values) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_frame_get_doubles(frame, "name", 3, values) == CLAIMLENS_E_SCHEMA);

  const char* cell = nullptr;
  REQUIRE(claimlens_frame_get_string(frame, "name", 1, &cell) == CLAIMLENS_OK);
  REQUIRE(std::string(cell) == "y, z");
  REQUIRE(claimlens_frame_get_string(frame, "name", 2, &cell) == CLAIMLENS_OK);
  REQUIRE(cell == nullptr);
  REQUIRE(claimlens_frame_get_string(frame, "name", 3, &cell) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_frame_get_string(frame, "a", 0, &cell) == CLAIMLENS_E_SCHEMA);

  claimlens_frame* clean = nullptr;
  REQUIRE(claimlens_frame_drop_nulls(frame, &clean) == CLAIMLENS_OK);
  REQUIRE(claimlens_frame_num_rows(clean) == 1);

  char* json = nullptr;
  REQUIRE(claimlens_frame_describe_json(frame, &json) == CLAIMLENS_OK);
  REQUIRE_THAT(std::string(json), Catch::Contains("\"mean\":2.0"));
  claimlens_free(json);
  claimlens_frame_free(clean);
  claimlens_frame_free(frame);
}

TEST_CASE("C API: bad frame arguments give statuses and messages, never crashes") {
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv(nullptr, &frame) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("path is NULL"));
  REQUIRE(claimlens_frame_read_csv("/nonexistent/x.csv", &frame) == CLAIMLENS_E_IO);
  REQUIRE_THAT(last_error(), Catch::Contains("/nonexistent/x.csv"));
  const char ragged[] = "a,b\n1,2\n3\n";
  REQUIRE(claimlens_frame_read_csv_buffer(ragged, sizeof ragged - 1, &frame) == CLAIMLENS_E_PARSE);
  REQUIRE_THAT(last_error(), Catch::Contains("3"));
  REQUIRE(frame == nullptr);
  REQUIRE(claimlens_frame_read_csv_buffer(nullptr, 5, &frame) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_frame_read_csv_buffer(ragged, 3, nullptr) == CLAIMLENS_E_INVALID_ARGUMENT);
  size_t n;
  REQUIRE(claimlens_frame_null_count(nullptr, "a", &n) == CLAIMLENS_E_INVALID_ARGUMENT);
  const char* s;
  REQUIRE(claimlens_frame_column_name(nullptr, 0, &s) == CLAIMLENS_E_INVALID_ARGUMENT);
  char* json;
  REQUIRE(claimlens_frame_describe_json(nullptr, &json) == CLAIMLENS_E_INVALID_ARGUMENT);
  claimlens_frame* out;
  REQUIRE(claimlens_frame_drop_nulls(nullptr, &out) == CLAIMLENS_E_INVALID_ARGUMENT);
}

TEST_CASE("C API: t-test and quantile") {
  const double a[] = {1, 2, 3, 4, 5}, b[] = {2, 4, 6, 8, 10, 12};
  claimlens_ttest t = CLAIMLENS_TTEST_INIT;
  REQUIRE(claimlens_ttest_ind(a, 5, b, 6, 0, &t) == CLAIMLENS_OK);
  REQUIRE(t.statistic < 0);
  REQUIRE(t.p_value > 0);
  REQUIRE(t.p_value < 1);
  const double constant[] = {1, 1, 1};
  REQUIRE(claimlens_ttest_ind(constant, 3, constant, 3, 1, &t) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_ttest_ind(nullptr, 3, b, 3, 1, &t) == CLAIMLENS_E_INVALID_ARGUMENT);
  double q = 0;
  REQUIRE(claimlens_quantile(a, 5, 0.25, &q) == CLAIMLENS_OK);
  REQUIRE(q == 2.0);
  REQUIRE(claimlens_quantile(a, 5, 1.5, &q) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_quantile(a, 0, 0.5, &q) == CLAIMLENS_E_INVALID_ARGUMENT);
}

TEST_CASE("C API: models train, predict, save and load for every algorithm") {
  std::vector<double> x, y;
  toy_data(x, y, 400);
  const char* params[] = {
      R"({"algorithm": "random_forest", "n_estimators": 20, "random_state": 1})",
      R"({"algorithm": "gradient_boosting", "n_estimators": 30, "max_depth": 3})",
      R"({"algorithm": "logistic_regression", "C": 1.0})"};
  for (const char* p : params) {
    INFO(p);
    claimlens_model* model = nullptr;
    REQUIRE(claimlens_model_train(x.data(), 400, 2, y.data(), p, &model) == CLAIMLENS_OK);
    size_t nf = 0;
    REQUIRE(claimlens_model_num_features(model, &nf) == CLAIMLENS_OK);
    REQUIRE(nf == 2);
    std::vector<double> proba(400);
    REQUIRE(claimlens_model_predict_proba(model, x.data(), 400, 2, proba.data()) == CLAIMLENS_OK);
    int correct = 0;
    for (size_t i = 0; i < 400; ++i) correct += (proba[i] >= 0.5) == (y[i] == 1.0);
    REQUIRE(correct > 340);
    REQUIRE(claimlens_model_predict_proba(model, x.data(), 400, 3, proba.data()) ==
            CLAIMLENS_E_INVALID_ARGUMENT);
    double importances[2];
    REQUIRE(claimlens_model_feature_importances(model, importances, 2) == CLAIMLENS_OK);
    REQUIRE(importances[0] + importances[1] == Approx(1.0));
    REQUIRE(claimlens_model_feature_importances(model, importances, 1) ==
            CLAIMLENS_E_INVALID_ARGUMENT);
    double coef[3];
    const bool linear = std::strstr(p, "logistic") != nullptr;
    REQUIRE(claimlens_model_coefficients(model, coef, 3) ==
            (linear ? CLAIMLENS_OK : CLAIMLENS_E_STATE));

    void* buffer = nullptr;
    size_t len = 0;
    REQUIRE(claimlens_model_save_buffer(model, &buffer, &len) == CLAIMLENS_OK);
    claimlens_model* back = nullptr;
    REQUIRE(claimlens_model_load_buffer(buffer, len, &back) == CLAIMLENS_OK);
    std::vector<double> again(400);
    REQUIRE(claimlens_model_predict_proba(back, x.data(), 400, 2, again.data()) == CLAIMLENS_OK);
    REQUIRE(again == proba);
    REQUIRE(claimlens_model_load_buffer(buffer, len / 2, &back) == CLAIMLENS_E_MODEL_FORMAT);
    claimlens_free(buffer);
    claimlens_model_free(back);

    const std::string path = "capi_model_test.json";
    REQUIRE(claimlens_model_save(model, path.c_str()) == CLAIMLENS_OK);
    claimlens_model* loaded = nullptr;
    REQUIRE(claimlens_model_load(path.c_str(), &loaded) == CLAIMLENS_OK);
    REQUIRE(claimlens_model_predict_proba(loaded, x.data(), 400, 2, again.data()) == CLAIMLENS_OK);
    REQUIRE(again == proba);
    std::remove(path.c_str());
    claimlens_model_free(loaded);
    claimlens_model_free(model);
  }
}

TEST_CASE("C API: bad model arguments name the problem") {
  std::vector<double> x, y;
  toy_data(x, y, 100);
  claimlens_model* model = nullptr;
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(),
                                R"({"algorithm": "random_forest", "trees": 3})",
                                &model) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("trees"));
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(), R"({"algorithm": "svm"})", &model) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("svm"));
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(), R"({"algorithm": )", &model) ==
          CLAIMLENS_E_PARSE);
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(),
                                R"({"algorithm": "logistic_regression", "C": -1})",
                                &model) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("'params.C' must be > 0 (finite), not -1.0"));
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(),
                                R"({"algorithm": "gradient_boosting", "n_estimators": 0})",
                                &model) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_model_train(x.data(), 100, 2, y.data(), nullptr, &model) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_model_train(x.data(), 0, 2, y.data(), "{}", &model) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(model == nullptr);
  double p;
  REQUIRE(claimlens_model_predict_proba(nullptr, x.data(), 1, 2, &p) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  size_t n;
  REQUIRE(claimlens_model_num_features(nullptr, &n) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_model_load("/nonexistent/m.json", &model) == CLAIMLENS_E_IO);
  REQUIRE(claimlens_model_load_buffer("garbage", 7, &model) == CLAIMLENS_E_MODEL_FORMAT);
  void* buffer;
  size_t len;
  REQUIRE(claimlens_model_save_buffer(nullptr, &buffer, &len) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE(claimlens_model_save(nullptr, "x.json") == CLAIMLENS_E_INVALID_ARGUMENT);
}

TEST_CASE("C API: the claim classifier on the real data") {
  claimlens_frame* videos = nullptr;
  REQUIRE(claimlens_frame_read_csv(claimlens::testing::real_dataset_path().c_str(), &videos) ==
          CLAIMLENS_OK);
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_train(videos,
                                     R"({"grid": "none", "algorithm": "gradient_boosting"})",
                                     &clf) == CLAIMLENS_OK);
  claimlens_video records[2] = {CLAIMLENS_VIDEO_INIT, CLAIMLENS_VIDEO_INIT};
  records[0].transcription = "someone shared with me that a hummingbird can fly backwards";
  records[0].verified_status = "not verified";
  records[0].author_ban_status = "active";
  records[0].duration_sec = 30;
  records[0].view_count = 500000;
  records[0].like_count = 120000;
  records[0].share_count = 25000;
  records[0].download_count = 1500;
  records[0].comment_count = 400;
  records[1] = records[0];
  records[1].transcription = "i think that a hummingbird can fly backwards";
  records[1].view_count = 5000;
  records[1].like_count = 900;
  records[1].share_count = 100;
  records[1].download_count = 8;
  records[1].comment_count = 1;
  double p[2];
  REQUIRE(claimlens_classifier_predict(clf, records, 2, p) == CLAIMLENS_OK);
  REQUIRE(p[0] > 0.5);
  REQUIRE(p[1] < 0.5);
  // Triage returns the order with each record's probability and priority (by record index).
  size_t order[2];
  double p_claim[2], priority[2];
  REQUIRE(claimlens_classifier_triage(clf, records, 2, order, p_claim, priority) == CLAIMLENS_OK);
  REQUIRE(order[0] == 0);
  CHECK(p_claim[0] == p[0]);
  CHECK(p_claim[1] == p[1]);
  CHECK(priority[0] == p[0] * records[0].view_count);
  CHECK(priority[1] == p[1] * records[1].view_count);
  records[1].view_count = 5e9;  // a viral opinion outranks a claim with few views
  REQUIRE(claimlens_classifier_triage(clf, records, 2, order, p_claim, priority) == CLAIMLENS_OK);
  CHECK(order[0] == (priority[1] > priority[0] ? 1u : 0u));
  CHECK(priority[order[0]] >= priority[order[1]]);
  records[1].view_count = 5000;
  CHECK(claimlens_classifier_triage(clf, records, 2, order, p_claim, nullptr) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK_THAT(last_error(), Catch::Equals("claimlens_classifier_triage: priority is NULL"));

  // A shared const classifier predicts from many threads with identical results.
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      double mine[2];
      bool same = true;
      for (int i = 0; i < 200; ++i) {
        same = same && claimlens_classifier_predict(clf, records, 2, mine) == CLAIMLENS_OK &&
               mine[0] == p[0] && mine[1] == p[1];
      }
      ok[t] = same;
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(ok == std::vector<int>(4, 1));

  claimlens_video bad = records[0];
  bad.verified_status = "sort of";
  double before[2] = {-1, -1};
  claimlens_video batch[2] = {records[0], bad};
  REQUIRE(claimlens_classifier_predict(clf, batch, 2, before) == CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("\"sort of\""));
  REQUIRE(before[0] == -1);  // no partial result
  bad = records[0];
  bad.author_ban_status = nullptr;
  REQUIRE(claimlens_classifier_predict(clf, &bad, 1, p) == CLAIMLENS_E_INVALID_ARGUMENT);

  claimlens_frame* clean = nullptr;
  REQUIRE(claimlens_frame_drop_nulls(videos, &clean) == CLAIMLENS_OK);
  const size_t rows = claimlens_frame_num_rows(clean);
  std::vector<double> all(rows);
  REQUIRE(claimlens_classifier_predict_frame(clf, clean, rows, all.data()) == CLAIMLENS_OK);
  REQUIRE(claimlens_classifier_predict_frame(clf, clean, rows - 1, all.data()) ==
          CLAIMLENS_E_INVALID_ARGUMENT);

  // A null transcription in a frame scores as a NULL one in a record: empty text. A null count
  // is refused, naming the column and row, with no partial output.
  const std::string header =
      "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
      "author_ban_status,video_view_count,video_like_count,video_share_count,"
      "video_download_count,video_comment_count\n";
  const std::string no_text = "1,claim,1,30,,not verified,active,500000,120000,25000,1500,400\n";
  const std::string no_count = "2,claim,2,30,x,not verified,active,,120000,25000,1500,400\n";
  const std::string one = header + no_text, two = header + no_text + no_count;
  claimlens_frame* one_frame = nullptr;
  claimlens_frame* two_frame = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(one.data(), one.size(), &one_frame) == CLAIMLENS_OK);
  REQUIRE(claimlens_frame_read_csv_buffer(two.data(), two.size(), &two_frame) == CLAIMLENS_OK);
  claimlens_video empty_text = records[0];
  empty_text.transcription = nullptr;
  double from_record = -1, from_frame = -1;
  REQUIRE(claimlens_classifier_predict(clf, &empty_text, 1, &from_record) == CLAIMLENS_OK);
  REQUIRE(claimlens_classifier_predict_frame(clf, one_frame, 1, &from_frame) == CLAIMLENS_OK);
  REQUIRE(from_frame == from_record);
  double both[2] = {-1, -1};
  REQUIRE(claimlens_classifier_predict_frame(clf, two_frame, 2, both) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(),
               Catch::Contains(
                   "claimlens_classifier_predict_frame: row 1, column 'video_view_count': null"));
  REQUIRE(both[0] == -1);
  claimlens_frame_free(one_frame);
  claimlens_frame_free(two_frame);

  char* report = nullptr;
  REQUIRE(claimlens_classifier_report_json(clf, &report) == CLAIMLENS_OK);
  REQUIRE_THAT(std::string(report), Catch::Contains("\"champion\":\"gradient_boosting\""));
  claimlens_free(report);

  const char* path = "capi_classifier_test.cbor";
  REQUIRE(claimlens_classifier_save(clf, path) == CLAIMLENS_OK);
  claimlens_classifier* back = nullptr;
  REQUIRE(claimlens_classifier_load(path, &back) == CLAIMLENS_OK);
  double q[2];
  REQUIRE(claimlens_classifier_predict(back, records, 2, q) == CLAIMLENS_OK);
  REQUIRE(q[0] == p[0]);
  REQUIRE(q[1] == p[1]);
  std::remove(path);
  REQUIRE(claimlens_classifier_load("/nonexistent/c.cbor", &back) == CLAIMLENS_E_IO);
  REQUIRE(claimlens_classifier_save(clf, "/nonexistent/dir/c.json") == CLAIMLENS_E_IO);

  claimlens_frame* no_views = nullptr;
  const char csv[] = "video_transcription_text,claim_status\nhello there,claim\n";
  REQUIRE(claimlens_frame_read_csv_buffer(csv, sizeof csv - 1, &no_views) == CLAIMLENS_OK);
  claimlens_classifier* none = nullptr;
  REQUIRE(claimlens_classifier_train(no_views, nullptr, &none) == CLAIMLENS_E_SCHEMA);
  REQUIRE(claimlens_classifier_train(videos, R"({"speed": 3})", &none) ==
          CLAIMLENS_E_INVALID_ARGUMENT);
  REQUIRE_THAT(last_error(), Catch::Contains("speed"));
  REQUIRE(none == nullptr);

  claimlens_classifier_free(back);
  claimlens_classifier_free(clf);
  claimlens_frame_free(no_views);
  claimlens_frame_free(clean);
  claimlens_frame_free(videos);
}
