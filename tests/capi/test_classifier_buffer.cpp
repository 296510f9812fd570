// claimlens_classifier_save_buffer / claimlens_classifier_load_buffer: a round trip keeps every
// score bit-identical, and bad buffers are refused with a status and a message.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "claimlens.h"
#include "support/paths.hpp"

namespace {

// Every `step`-th record of the real data set (no record spans lines), with the header.
std::string csv_slice(std::size_t step) {
  const std::string csv =
      claimlens::testing::read_text_file(claimlens::testing::real_dataset_path());
  std::string out;
  std::size_t start = 0, index = 0;
  while (start < csv.size()) {
    std::size_t end = csv.find("\r\n", start);
    end = end == std::string::npos ? csv.size() : end + 2;
    if (index % step == 0) out.append(csv, start, end - start);
    start = end;
    ++index;
  }
  return out;
}

std::vector<double> scores(const claimlens_classifier* clf, const claimlens_frame* frame) {
  std::vector<double> p(claimlens_frame_num_rows(frame));
  REQUIRE(claimlens_classifier_predict_frame(clf, frame, p.size(), p.data()) == CLAIMLENS_OK);
  return p;
}

// Trained once per process: the sections below would otherwise retrain for each one.
struct Trained {
  claimlens_frame* raw = nullptr;
  claimlens_frame* videos = nullptr;
  claimlens_classifier* clf = nullptr;
  Trained() {
    const std::string csv = csv_slice(10);
    if (claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &raw) != CLAIMLENS_OK ||
        claimlens_frame_drop_nulls(raw, &videos) != CLAIMLENS_OK ||
        claimlens_classifier_train(videos, R"({"grid": "none", "algorithm": "random_forest"})",
                                   &clf) != CLAIMLENS_OK) {
      throw std::runtime_error(claimlens_last_error());
    }
  }
  ~Trained() {
    claimlens_classifier_free(clf);
    claimlens_frame_free(videos);
    claimlens_frame_free(raw);
  }
};

const Trained& trained() {
  static const Trained t;
  return t;
}

}  // namespace

TEST_CASE("C API: a classifier survives a save_buffer / load_buffer round trip bit for bit") {
  const claimlens_classifier* clf = trained().clf;
  const claimlens_frame* videos = trained().videos;

  void* bytes = nullptr;
  std::size_t len = 0;
  REQUIRE(claimlens_classifier_save_buffer(clf, &bytes, &len) == CLAIMLENS_OK);
  REQUIRE(len > 3);
  // CBOR with the self-described tag, as claimlens_model_save_buffer writes.
  const auto* head = static_cast<const unsigned char*>(bytes);
  REQUIRE((head[0] == 0xD9 && head[1] == 0xD9 && head[2] == 0xF7));

  claimlens_classifier* again = nullptr;
  REQUIRE(claimlens_classifier_load_buffer(bytes, len, &again) == CLAIMLENS_OK);
  const std::vector<double> before = scores(clf, videos), after = scores(again, videos);
  REQUIRE(std::memcmp(before.data(), after.data(), before.size() * sizeof(double)) == 0);

  // The same bytes again from the reloaded classifier.
  void* bytes2 = nullptr;
  std::size_t len2 = 0;
  REQUIRE(claimlens_classifier_save_buffer(again, &bytes2, &len2) == CLAIMLENS_OK);
  REQUIRE(len2 == len);
  REQUIRE(std::memcmp(bytes, bytes2, len) == 0);

  SECTION("the JSON form from claimlens_classifier_save loads from a buffer too") {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("claimlens_classifier_buffer_" + std::to_string(getpid()) + ".json"))
                                 .string();
    REQUIRE(claimlens_classifier_save(clf, path.c_str()) == CLAIMLENS_OK);
    const std::string json = claimlens::testing::read_text_file(path);
    std::remove(path.c_str());
    claimlens_classifier* from_json = nullptr;
    REQUIRE(claimlens_classifier_load_buffer(json.data(), json.size(), &from_json) == CLAIMLENS_OK);
    const std::vector<double> p = scores(from_json, videos);
    REQUIRE(std::memcmp(before.data(), p.data(), p.size() * sizeof(double)) == 0);
    claimlens_classifier_free(from_json);
  }

  SECTION("a truncated buffer is MODEL_FORMAT and hands out nothing") {
    claimlens_classifier* none = nullptr;
    REQUIRE(claimlens_classifier_load_buffer(bytes, len / 2, &none) == CLAIMLENS_E_MODEL_FORMAT);
    REQUIRE(none == nullptr);
    REQUIRE(std::string(claimlens_last_error()).find("claimlens_classifier_load_buffer") == 0);
  }

  SECTION("a plain model's buffer is refused, naming both model types") {
    const double x[] = {0, 1, 2, 3, 4, 5, 6, 7}, y[] = {0, 1, 0, 1};
    claimlens_model* model = nullptr;
    REQUIRE(claimlens_model_train(x, 4, 2, y, R"({"algorithm": "logistic_regression"})", &model) ==
            CLAIMLENS_OK);
    void* model_bytes = nullptr;
    std::size_t model_len = 0;
    REQUIRE(claimlens_model_save_buffer(model, &model_bytes, &model_len) == CLAIMLENS_OK);
    claimlens_classifier* none = nullptr;
    REQUIRE(claimlens_classifier_load_buffer(model_bytes, model_len, &none) ==
            CLAIMLENS_E_MODEL_FORMAT);
    const std::string message = claimlens_last_error();
    REQUIRE(message.find("logistic_regression") != std::string::npos);
    REQUIRE(message.find("claim_classifier") != std::string::npos);
    claimlens_free(model_bytes);
    claimlens_model_free(model);
  }

  SECTION("NULL arguments are INVALID_ARGUMENT naming them") {
    claimlens_classifier* none = nullptr;
    REQUIRE(claimlens_classifier_load_buffer(nullptr, 4, &none) == CLAIMLENS_E_INVALID_ARGUMENT);
    REQUIRE(std::string(claimlens_last_error()).find("data is NULL") != std::string::npos);
    REQUIRE(claimlens_classifier_load_buffer(bytes, len, nullptr) == CLAIMLENS_E_INVALID_ARGUMENT);
    std::size_t n = 0;
    void* out = nullptr;
    REQUIRE(claimlens_classifier_save_buffer(nullptr, &out, &n) == CLAIMLENS_E_INVALID_ARGUMENT);
    REQUIRE(std::string(claimlens_last_error()).find("clf is NULL") != std::string::npos);
    REQUIRE(claimlens_classifier_save_buffer(clf, nullptr, &n) == CLAIMLENS_E_INVALID_ARGUMENT);
    REQUIRE(claimlens_classifier_save_buffer(clf, &out, nullptr) == CLAIMLENS_E_INVALID_ARGUMENT);
    REQUIRE(out == nullptr);
  }

  claimlens_free(bytes2);
  claimlens_free(bytes);
  claimlens_classifier_free(again);
}
