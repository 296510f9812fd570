// The model envelope: encodings, round trips, validation messages and resource limits.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>

#include "claimlens/io/model_file.hpp"
#include "claimlens/random.hpp"
#include "claimlens/version.hpp"
#include "io/temp_dir.hpp"
#include "io/toy_model.hpp"
#include "support/paths.hpp"

using Catch::Matchers::Contains;
using claimlens::InvalidArgument;
using claimlens::ModelFormatError;
using claimlens::io::decode_model;
using claimlens::io::encode_model;
using claimlens::io::ModelEncoding;
using claimlens::io::ModelLimits;
using claimlens::testing::TempDir;
using claimlens::testing::ToyModel;
using json = nlohmann::json;
using Bytes = std::vector<std::uint8_t>;

namespace {

ToyModel sample_model() {
  ToyModel m;
  m.weights = {0.1, -2.5e-300, 1.0 / 3.0, 6.02214076e23, -0.0, 4.9e-324, 1.7976931348623157e308};
  m.bias = std::nextafter(1.0, 2.0);
  m.label = "claim ’ö";
  return m;
}

std::string text(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

/// An envelope as JSON text with one key replaced (or removed when value is discarded).
std::string envelope_with(const std::string& key, const json& value) {
  json doc =
      json::parse(text(encode_model("toy_linear", sample_model().to_json(), ModelEncoding::Json)));
  if (value.is_discarded()) {
    doc.erase(key);
  } else {
    doc[key] = value;
  }
  return doc.dump();
}

}  // namespace

TEST_CASE("files ending in .json are JSON text, every other name CBOR", "[io][model]") {
  using claimlens::io::encoding_for_path;
  CHECK(encoding_for_path("m.json") == ModelEncoding::Json);
  CHECK(encoding_for_path("dir.v2/M.JSON") == ModelEncoding::Json);
  CHECK(encoding_for_path("m.cbor") == ModelEncoding::Cbor);
  CHECK(encoding_for_path("m.bin") == ModelEncoding::Cbor);
  CHECK(encoding_for_path("model.txt") == ModelEncoding::Cbor);
  CHECK(encoding_for_path("champion.model") == ModelEncoding::Cbor);
  CHECK(encoding_for_path("m") == ModelEncoding::Cbor);
  CHECK(encoding_for_path("dir.json/model") == ModelEncoding::Cbor);
}

TEST_CASE("models round-trip bit for bit through JSON and CBOR", "[io][model]") {
  const ToyModel m = sample_model();
  for (auto encoding : {ModelEncoding::Json, ModelEncoding::Cbor}) {
    const Bytes bytes = claimlens::io::save_model_buffer(m, encoding);
    const ToyModel back = claimlens::io::load_model_buffer<ToyModel>(bytes);
    REQUIRE(back.weights.size() == m.weights.size());
    for (std::size_t i = 0; i < m.weights.size(); ++i) {
      CHECK(std::memcmp(&back.weights[i], &m.weights[i], sizeof(double)) == 0);
    }
    CHECK(back.bias == m.bias);
    CHECK(back.label == m.label);
    const std::vector<double> x = {1, 2, 3, 4, 5, 6, 7};
    CHECK(back.predict(x) == m.predict(x));
  }
  const Bytes json_bytes = claimlens::io::save_model_buffer(m, ModelEncoding::Json);
  CHECK(json_bytes.front() == '{');
  CHECK(json_bytes.back() == '\n');
  const Bytes cbor_bytes = claimlens::io::save_model_buffer(m, ModelEncoding::Cbor);
  CHECK(cbor_bytes[0] == 0xD9);
  CHECK(cbor_bytes[1] == 0xD9);
  CHECK(cbor_bytes[2] == 0xF7);
  const auto envelope = decode_model(json_bytes);
  CHECK(envelope.model_type == "toy_linear");
  CHECK(envelope.format_version == 1);
  CHECK(envelope.library_version == claimlens::version_string());
}

TEST_CASE("doubles printed as JSON read back to the same bits", "[io][model]") {
  claimlens::Random rng(7);
  ToyModel m;
  while (m.weights.size() < 1000) {
    const std::uint64_t bits = rng.next_u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (std::isfinite(v)) m.weights.push_back(v);
  }
  m.weights[0] = std::numeric_limits<double>::denorm_min();
  m.weights[1] = -std::numeric_limits<double>::max();
  m.weights[2] = 0.1 + 0.2;
  const ToyModel back = claimlens::io::load_model_buffer<ToyModel>(
      claimlens::io::save_model_buffer(m, ModelEncoding::Json));
  for (std::size_t i = 0; i < m.weights.size(); ++i) {
    INFO(i);
    CHECK(std::memcmp(&back.weights[i], &m.weights[i], sizeof(double)) == 0);
  }
}

TEST_CASE("files are saved atomically and loaded by content", "[io][model]") {
  TempDir dir;
  const ToyModel m = sample_model();
  claimlens::io::save_model(m, dir.file("m.json"));
  claimlens::io::save_model(m, dir.file("m.cbor"));
  claimlens::io::save_model(m, dir.file("m.bin"));
  CHECK(claimlens::io::load_model<ToyModel>(dir.file("m.json")).weights == m.weights);
  CHECK(claimlens::io::load_model<ToyModel>(dir.file("m.bin")).weights == m.weights);
  // A misnamed file still loads: the encoding comes from the content.
  claimlens::io::atomic_write_file(dir.file("copy.json"),
                                   claimlens::testing::read_text_file(dir.file("m.cbor")));
  CHECK(claimlens::io::load_model<ToyModel>(dir.file("copy.json")).bias == m.bias);

  claimlens::io::save_model(m, dir.file("m.txt"));  // any name but *.json: CBOR
  CHECK(claimlens::testing::read_text_file(dir.file("m.txt")).compare(0, 3, "\xD9\xD9\xF7") == 0);
  CHECK(claimlens::io::load_model<ToyModel>(dir.file("m.txt")).weights == m.weights);
  CHECK_THROWS_WITH(claimlens::io::load_model<ToyModel>(dir.file("absent.json")),
                    Contains("absent.json") && Contains("No such file"));
  CHECK_THROWS_AS(claimlens::io::load_model<ToyModel>(dir.file("absent.json")), claimlens::IoError);
  ModelLimits small;
  small.max_bytes = 100;
  CHECK_THROWS_WITH(claimlens::io::load_model<ToyModel>(dir.file("m.json"), small),
                    Contains("m.json") && Contains("exceeds ModelLimits::max_bytes = 100"));
}

TEST_CASE("saving refuses non-finite numbers and keeps the old file", "[io][model]") {
  TempDir dir;
  ToyModel m = sample_model();
  claimlens::io::save_model(m, dir.file("m.json"));
  const std::string before = claimlens::testing::read_text_file(dir.file("m.json"));
  m.weights[3] = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH(claimlens::io::save_model(m, dir.file("m.json")),
                    Contains("non-finite") && Contains("/weights/3"));
  m.weights[3] = 1.0;
  m.bias = -INFINITY;
  CHECK_THROWS_WITH(claimlens::io::save_model_buffer(m, ModelEncoding::Cbor), Contains("/bias"));
  CHECK(claimlens::testing::read_text_file(dir.file("m.json")) == before);
  CHECK(dir.entries() == std::vector<std::string>{"m.json"});
  CHECK_THROWS_AS(encode_model("", json::object(), ModelEncoding::Json), InvalidArgument);
  CHECK_THROWS_WITH(encode_model("x", json::array(), ModelEncoding::Json), Contains("object"));
}

TEST_CASE("the envelope is validated with clear messages", "[io][model]") {
  const json discard = json::value_t::discarded;
  struct Case {
    std::string doc, message;
  };
  const std::vector<Case> cases = {
      {envelope_with("format", "other-model"), "\"format\" is \"other-model\""},
      {envelope_with("format", 3), "\"format\" must be a string"},
      {envelope_with("format", discard), "lacks the \"format\" key"},
      {envelope_with("format_version", 2), "format version 2 is newer"},
      {envelope_with("format_version", 0), "format version 0 is invalid"},
      {envelope_with("format_version", -4), "format version -4 is invalid"},
      {envelope_with("format_version", 1.0), "\"format_version\" must be an integer"},
      {envelope_with("format_version", "1"), "\"format_version\" must be an integer"},
      {envelope_with("library_version", ""), "\"library_version\" must hold 1 to 64"},
      {envelope_with("model_type", std::string(65, 'x')), "\"model_type\" must hold 1 to 64"},
      {envelope_with("model_type", "random_forest"), "holds a 'random_forest' model"},
      {envelope_with("model", json::array()), "\"model\" must be an object"},
      {envelope_with("model", discard), "lacks the \"model\" key"},
      {envelope_with("extra", 1), "unknown key \"extra\""},
      {"[1, 2]", "starts with byte 0x5B"},
      {"", "model data is empty"},
      {"hello", "starts with byte 0x68"},
      {"   {\"format\": ", "byte offset"},
      {"{\"a\": 1} trailing", "byte offset 11"},
  };
  for (const auto& c : cases) {
    INFO(c.doc);
    CHECK_THROWS_MATCHES(claimlens::io::load_model_buffer<ToyModel>(c.doc), ModelFormatError,
                         Catch::Matchers::Predicate<ModelFormatError>(
                             [&](const auto& e) {
                               return std::string(e.what()).find(c.message) != std::string::npos;
                             },
                             "message contains \"" + c.message + "\""));
  }
}

TEST_CASE("model validation errors become ModelFormatError", "[io][model]") {
  json model = sample_model().to_json();
  model["label"] = 5;  // ToyModel::from_json lets nlohmann throw a type_error here
  const Bytes bytes = encode_model("toy_linear", model, ModelEncoding::Cbor);
  CHECK_THROWS_WITH(claimlens::io::load_model_buffer<ToyModel>(bytes),
                    Contains("invalid toy_linear model") && Contains("type must be string"));
  model = sample_model().to_json();
  model.erase("bias");
  CHECK_THROWS_WITH(claimlens::io::load_model_buffer<ToyModel>(
                        encode_model("toy_linear", model, ModelEncoding::Json)),
                    Contains("exactly weights, bias and label"));
}

TEST_CASE("a BOM or whitespace before JSON and CBOR without its tag are accepted", "[io][model]") {
  const Bytes j = claimlens::io::save_model_buffer(sample_model(), ModelEncoding::Json);
  CHECK(claimlens::io::load_model_buffer<ToyModel>("\xEF\xBB\xBF \r\n" + text(j)).bias ==
        sample_model().bias);
  const Bytes c = claimlens::io::save_model_buffer(sample_model(), ModelEncoding::Cbor);
  const Bytes untagged(c.begin() + 3, c.end());
  CHECK(claimlens::io::load_model_buffer<ToyModel>(untagged).bias == sample_model().bias);
}

TEST_CASE("hostile documents hit the resource limits, not the stack or the heap", "[io][model]") {
  // 100,000 nested arrays would overflow the stack of a recursive parser.
  const std::string deep_json = "{\"model\":" + std::string(100000, '[') + "}";
  CHECK_THROWS_WITH(decode_model(deep_json), Contains("nesting deeper than 64"));
  Bytes deep_cbor = {0xA1, 0x61, 'm'};
  deep_cbor.insert(deep_cbor.end(), 100000, 0x81);  // array of one element, repeated
  deep_cbor.push_back(0x00);
  CHECK_THROWS_WITH(decode_model(deep_cbor), Contains("nesting deeper than 64"));
  // An array declaring 2^62 elements in nine bytes.
  const Bytes huge = {0xA1, 0x61, 'm', 0x9B, 0x40, 0, 0, 0, 0, 0, 0, 0};
  CHECK_THROWS_WITH(decode_model(huge), Contains("declares 4611686018427387904 elements"));
  const Bytes huge_string = {0xA1, 0x61, 'm', 0x7B, 0x40, 0, 0, 0, 0, 0, 0, 0};
  CHECK_THROWS_WITH(decode_model(huge_string), Contains("byte offset"));

  ModelLimits limits;
  limits.max_values = 100;
  ToyModel big;
  big.weights.assign(500, 1.5);
  const Bytes many = claimlens::io::save_model_buffer(big, ModelEncoding::Json);
  CHECK_THROWS_WITH(decode_model(many, limits), Contains("more than 100 values"));
  limits = ModelLimits{};
  limits.max_string_bytes = 4;
  CHECK_THROWS_WITH(decode_model(many, limits), Contains("longer than 4 bytes"));
  limits = ModelLimits{};
  limits.max_bytes = 10;
  CHECK_THROWS_WITH(decode_model(many, limits), Contains("exceeds ModelLimits::max_bytes = 10"));
  // Other CBOR tags are refused.
  const Bytes tagged = {0xA1, 0x61, 'm', 0xC1, 0x00};
  CHECK_THROWS_AS(decode_model(tagged), ModelFormatError);
}
