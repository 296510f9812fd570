// Python str.lower(), len() and re's (?u)\b\w\w+\b on UTF-8, against values Python computed.
#include <catch2/catch.hpp>

#include <algorithm>

#include "claimlens/error.hpp"
#include "claimlens/text/unicode.hpp"
#include "fixture_support.hpp"

using namespace claimlens;

TEST_CASE("to_lower, text_length and word_tokens equal Python on Unicode probes") {
  const auto main = claimlens::testing::load_json_fixture("sklearn_vectorizer.json");
  REQUIRE(main["probes"].size() > 300);
  for (const auto& probe : main["probes"]) {
    const auto text = probe["text"].get<std::string>();
    INFO("text: " << text);
    REQUIRE(to_lower(text) == probe["lower"].get<std::string>());
    REQUIRE(text_length(text) == probe["length"].get<std::size_t>());
    REQUIRE(word_tokens(text) == probe["tokens"].get<std::vector<std::string>>());
  }
}

TEST_CASE("text_length counts code points, not bytes") {
  REQUIRE(text_length("") == 0);
  REQUIRE(text_length("abc") == 3);
  REQUIRE(text_length("Zo\xC3\xAB\xE2\x80\x99s") == 5);  // Zoë’s
  REQUIRE(text_length("\xF0\x9F\x98\x80") == 1);         // one emoji, four bytes
}

TEST_CASE("invalid UTF-8 is rejected with the byte offset") {
  struct Bad {
    std::string text;
    std::size_t offset;
  };
  const std::vector<Bad> cases = {
      {"ab\xFF", 2},            // never valid
      {"abc\xC3", 3},           // truncated 2-byte sequence
      {"x\xC0\xAF", 1},         // overlong '/'
      {"\xE0\x80\xAF", 0},      // overlong 3-byte
      {"ok \xED\xA0\x80", 3},   // UTF-16 surrogate
      {"\xF4\x90\x80\x80", 0},  // past U+10FFFF
      {"\xE2\x82", 0},          // truncated 3-byte sequence
      {"a\x80", 1},             // stray continuation byte
  };
  for (const auto& c : cases) {
    const std::string where = "at byte offset " + std::to_string(c.offset);
    REQUIRE_THROWS_WITH(text_length(c.text), Catch::Contains(where));
    REQUIRE_THROWS_AS(text_length(c.text), InvalidArgument);
    REQUIRE_THROWS_WITH(to_lower(c.text), Catch::Contains(where));
    REQUIRE_THROWS_WITH(word_tokens(c.text), Catch::Contains(where));
  }
}

TEST_CASE("english_stop_words is scikit-learn's list") {
  const auto& words = english_stop_words();
  REQUIRE(words.size() == 318);
  REQUIRE(std::is_sorted(words.begin(), words.end()));
  REQUIRE(std::binary_search(words.begin(), words.end(), "the"));
  REQUIRE_FALSE(std::binary_search(words.begin(), words.end(), "claim"));
}
