// claimlens/json_document.hpp: nlohmann::json's destructor allocates for a non-empty array or
// object (the cause of std::terminate under allocation failure); dispose_json and JsonDocument
// free the same DOMs without a single allocation.
#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "claimlens/json_document.hpp"
#include "faults/alloc_hook.hpp"

using claimlens::JsonDocument;
using claimlens::testing::AllocationFailure;
using claimlens::testing::allocations_since_arm;
using nlohmann::json;

namespace {

// A model-shaped DOM: objects of arrays of numbers and strings, three levels deep.
json sample() {
  json doc = json::object();
  doc["format"] = "claimlens.random_forest";
  doc["trees"] = json::array();
  for (int t = 0; t < 3; ++t) {
    json tree = json::object();
    tree["feature"] = std::vector<int>{0, 1, -1, -1};
    tree["threshold"] = std::vector<double>{0.5, 1.5, 0.0, 0.0};
    tree["names"] = std::vector<std::string>{"a long enough string to live on the heap", "b"};
    doc["trees"].push_back(std::move(tree));
  }
  return doc;
}

// Counts the allocations `f` makes (the hook counts while armed; n is never reached).
template <class F>
std::size_t allocations_of(F&& f) {
  AllocationFailure counting(std::size_t(1) << 40);
  f();
  return allocations_since_arm();
}

}  // namespace

TEST_CASE("nlohmann's destructor allocates for a non-empty array, dispose_json does not",
          "[faults][json]") {
  auto* raw = new json(sample());
  CHECK(allocations_of([&] { delete raw; }) > 0);  // why JsonDocument exists

  auto* value = new json(sample());
  AllocationFailure fault(1);  // the first allocation would throw; no Catch2 macro while armed
  claimlens::dispose_json(*value);
  delete value;  // now null: nothing to flatten
  const std::size_t made = allocations_since_arm();
  const bool injected = fault.disarm();
  CHECK(made == 0);
  CHECK_FALSE(injected);
}

TEST_CASE("JsonDocument frees, replaces and hands over DOMs without allocating", "[faults][json]") {
  SECTION("destruction") {
    auto* doc = new JsonDocument(sample());
    CHECK(allocations_of([&] { delete doc; }) == 0);
  }
  SECTION("assignment disposes the old value") {
    JsonDocument doc(sample());
    JsonDocument other(sample());
    CHECK(allocations_of([&] { doc = std::move(other); }) == 0);
    CHECK((*doc)["trees"].size() == 3);
    CHECK(other->is_null());
  }
  SECTION("a vector of DOMs") {
    std::vector<json> values{sample(), sample()};
    CHECK(allocations_of([&] { claimlens::dispose_json(values); }) == 0);
    CHECK(values.empty());
  }
  SECTION("a copy is a deep copy") {
    const JsonDocument doc(sample());
    const JsonDocument copy = doc;  // NOLINT(performance-unnecessary-copy-initialization)
    CHECK(*copy == *doc);
  }
}

TEST_CASE("parse_json_document parses like json::parse / json::from_cbor, or throws",
          "[faults][json]") {
  const std::string text = sample().dump();
  const JsonDocument doc =
      claimlens::parse_json_document(text.begin(), text.end(), json::input_format_t::json);
  CHECK(*doc == sample());

  const std::vector<std::uint8_t> cbor = json::to_cbor(sample());
  const JsonDocument from_cbor =
      claimlens::parse_json_document(cbor.begin(), cbor.end(), json::input_format_t::cbor);
  CHECK(*from_cbor == sample());

  const std::string bad = R"({"a": [1, 2, {"b": })";
  CHECK_THROWS_AS(
      claimlens::parse_json_document(bad.begin(), bad.end(), json::input_format_t::json),
      json::parse_error);
  const std::string trailing = "{} x";
  CHECK_THROWS_AS(
      claimlens::parse_json_document(trailing.begin(), trailing.end(), json::input_format_t::json),
      json::parse_error);
  const std::vector<std::uint8_t> truncated(cbor.begin(), cbor.begin() + 20);
  CHECK_THROWS_AS(claimlens::parse_json_document(truncated.begin(), truncated.end(),
                                                 json::input_format_t::cbor),
                  json::parse_error);
}

TEST_CASE("dispose_json leaves levels past kJsonDisposeDepth to nlohmann, still correctly",
          "[faults][json]") {
  json deep = json::array();
  json* at = &deep;
  for (std::size_t i = 0; i < claimlens::kJsonDisposeDepth + 50; ++i) {
    at->push_back(json::array({1, 2}));
    at = &at->back();
  }
  claimlens::dispose_json(deep);  // no crash, no leak (LSan in the asan build)
  CHECK(deep.is_null());
}

TEST_CASE("json_integer_in reads integers in range and nothing else", "[json]") {
  using claimlens::json_integer_in;
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  CHECK(json_integer_in(json(5), 1, 8) == 5);
  CHECK(json_integer_in(json(-1), -1, 1024) == -1);
  CHECK(json_integer_in(json(kMin), kMin, kMax) == kMin);
  CHECK(json_integer_in(json(static_cast<std::uint64_t>(kMax)), kMin, kMax) == kMax);
  CHECK(json_integer_in(json::parse("8"), 1, 8) == 8);
  CHECK_FALSE(json_integer_in(json(9), 1, 8));
  CHECK_FALSE(json_integer_in(json(0), 1, 8));
  // get<std::int64_t>() would wrap this to -1, inside [-1, 1024].
  CHECK_FALSE(json_integer_in(json::parse("18446744073709551615"), -1, 1024));
  CHECK_FALSE(json_integer_in(json(static_cast<std::uint64_t>(kMax) + 1), kMin, kMax));
  // Past every integer type nlohmann stores a double; converting it is undefined behaviour.
  CHECK_FALSE(json_integer_in(json::parse("355555555555555555555555"), kMin, kMax));
  CHECK_FALSE(json_integer_in(json(2.0), 1, 8));
  CHECK_FALSE(json_integer_in(json("2"), 1, 8));
  CHECK_FALSE(json_integer_in(json(true), 0, 1));
  CHECK_FALSE(json_integer_in(json(nullptr), kMin, kMax));
}

TEST_CASE("json_unsigned reads any non-negative integer, signed or unsigned", "[json]") {
  using claimlens::json_unsigned;
  CHECK(json_unsigned(json(7)) == 7u);           // built in C++: signed
  CHECK(json_unsigned(json::parse("7")) == 7u);  // parsed: unsigned
  CHECK(json_unsigned(json::parse("18446744073709551615")) ==
        std::numeric_limits<std::uint64_t>::max());
  CHECK_FALSE(json_unsigned(json(-1)));
  CHECK_FALSE(json_unsigned(json(7.0)));
  CHECK_FALSE(json_unsigned(json("7")));
  CHECK_FALSE(json_unsigned(json::parse("355555555555555555555555")));
}
