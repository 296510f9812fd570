// A model loaded from CBOR may hold strings that are not UTF-8 (CBOR text strings are not
// checked); JSON text cannot store them. Saving such a classifier as .json is bad input with a
// message naming the string, leaves no file, and .cbor keeps the bytes exactly.
#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include <unistd.h>

#include "claimlens.h"
#include "claimlens/io/model_file.hpp"
#include "support/paths.hpp"

namespace {

// The fuzz seed classifier (two trees) with a vocabulary entry that is not UTF-8, as CBOR.
std::vector<std::uint8_t> classifier_with_invalid_utf8() {
  const std::string text = claimlens::testing::read_text_file(
      std::string(CLAIMLENS_SOURCE_DIR) + "/tests/fuzz/corpus/classifier_load/random_forest.json");
  const claimlens::io::ModelEnvelope envelope = claimlens::io::decode_model(text);
  nlohmann::json model = envelope.model;
  model["featurizer"]["vocabulary"][0] = "colleague \xFF\xFE learned";
  return claimlens::io::encode_model(envelope.model_type, model,
                                     claimlens::io::ModelEncoding::Cbor);
}

std::string temp_path(const char* name) {
  return "/tmp/claimlens_test_utf8_" + std::to_string(::getpid()) + "_" + name;
}

}  // namespace

TEST_CASE("C API: a classifier holding invalid UTF-8 saves as CBOR, not as JSON text",
          "[capi][badinput]") {
  const std::vector<std::uint8_t> bytes = classifier_with_invalid_utf8();
  claimlens_classifier* clf = nullptr;
  REQUIRE(claimlens_classifier_load_buffer(bytes.data(), bytes.size(), &clf) == CLAIMLENS_OK);

  const std::string json_path = temp_path("clf.json");
  std::remove(json_path.c_str());
  CHECK(claimlens_classifier_save(clf, json_path.c_str()) == CLAIMLENS_E_INVALID_ARGUMENT);
  const std::string message = claimlens_last_error();
  CHECK_THAT(message, Catch::Contains("not valid UTF-8"));
  CHECK_THAT(message, Catch::Contains("/model/featurizer/vocabulary/0"));
  CHECK_THAT(message, Catch::Contains("CBOR"));
  CHECK(::access(json_path.c_str(), F_OK) != 0);  // nothing written

  // CBOR keeps the bytes: the saved buffer loads again and saves to the same bytes.
  void* saved = nullptr;
  std::size_t len = 0;
  REQUIRE(claimlens_classifier_save_buffer(clf, &saved, &len) == CLAIMLENS_OK);
  claimlens_classifier* again = nullptr;
  REQUIRE(claimlens_classifier_load_buffer(saved, len, &again) == CLAIMLENS_OK);
  void* resaved = nullptr;
  std::size_t relen = 0;
  REQUIRE(claimlens_classifier_save_buffer(again, &resaved, &relen) == CLAIMLENS_OK);
  CHECK(std::string(static_cast<char*>(saved), len) ==
        std::string(static_cast<char*>(resaved), relen));
  const claimlens::io::ModelEnvelope loaded =
      claimlens::io::decode_model(std::string(static_cast<char*>(saved), len));
  CHECK(loaded.model["featurizer"]["vocabulary"][0].get<std::string>() ==
        "colleague \xFF\xFE learned");

  claimlens_free(resaved);
  claimlens_free(saved);
  claimlens_classifier_free(again);
  claimlens_classifier_free(clf);
}

TEST_CASE("encode_model names the first string that JSON text cannot hold", "[io][badinput]") {
  nlohmann::json model = nlohmann::json::object();
  model["names"] = nlohmann::json::array({"fine", "also fine", "bad \xC3"});
  CHECK_THROWS_WITH(
      claimlens::io::encode_model("test_model", model, claimlens::io::ModelEncoding::Json),
      Catch::Contains("not valid UTF-8 at '/model/names/2'"));
  nlohmann::json keyed = nlohmann::json::object();
  keyed["ok"] = 1;
  keyed["key \xE2\x82"] = 2;
  CHECK_THROWS_WITH(
      claimlens::io::encode_model("test_model", keyed, claimlens::io::ModelEncoding::Json),
      Catch::Contains("not valid UTF-8 at '/model (an object key there)'"));
  CHECK_NOTHROW(
      claimlens::io::encode_model("test_model", model, claimlens::io::ModelEncoding::Cbor));
}
