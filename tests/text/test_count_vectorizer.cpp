// CountVectorizer behaviour and bad input (parity with sklearn is in test_count_vectorizer_parity).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/text/count_vectorizer.hpp"

using namespace claimlens;

namespace {

CountVectorizerOptions seed_options() {
  CountVectorizerOptions o;
  o.ngram_range = {2, 3};
  o.max_features = 15;
  o.stop_words = StopWords::english();
  return o;
}

const std::vector<std::string> kDocs = {
    "someone shared with me that drone deliveries are already happening",
    "my colleagues view is that drone deliveries are already happening",
    "I think that the earth is flat",
};

}  // namespace

TEST_CASE("transform before fit is a StateError, a given vocabulary needs no fit") {
  const CountVectorizer v(seed_options());
  REQUIRE_FALSE(v.is_fitted());
  REQUIRE_THROWS_AS(v.transform(kDocs), StateError);
  REQUIRE_THROWS_WITH(v.transform(kDocs), Catch::Contains("before fit"));
  REQUIRE_THROWS_AS(v.get_feature_names_out(), StateError);
  CountVectorizerOptions o;
  o.vocabulary = std::vector<std::string>{"drone", "earth", "flat"};
  const CountVectorizer fixed(o);
  const CsrMatrix m = fixed.transform(kDocs);
  REQUIRE(m.rows == 3);
  REQUIRE(m.cols == 3);
  REQUIRE(m.at(0, 0) == 1);
  REQUIRE(m.at(2, 2) == 1);
  REQUIRE(m.at(1, 1) == 0);
  REQUIRE(fixed.get_feature_names_out() == *o.vocabulary);
}

TEST_CASE("invalid UTF-8 names the document and byte offset and leaves the model unchanged") {
  CountVectorizer v;
  v.fit(kDocs);
  const auto before = v.get_feature_names_out();
  const std::vector<std::string> bad = {"fine text", "also fine", "broken \xC3\x28 here"};
  REQUIRE_THROWS_WITH(v.fit(bad),
                      Catch::Contains("document 2") && Catch::Contains("byte offset 7"));
  REQUIRE_THROWS_AS(v.fit(bad), InvalidArgument);
  REQUIRE(v.get_feature_names_out() == before);
  REQUIRE_THROWS_WITH(v.transform(bad), Catch::Contains("document 2"));
}

TEST_CASE("invalid options are rejected at construction, naming the option") {
  CountVectorizerOptions o;
  o.ngram_range = {0, 1};
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("ngram_range (0, 1)"));
  o.ngram_range = {3, 2};
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("ngram_range (3, 2)"));
  o = {};
  o.max_features = 0;
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("max_features"));
  o = {};
  o.min_df = DocFrequency::fraction(1.5);
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("min_df"));
  o = {};
  o.max_df = DocFrequency::count(0);
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("max_df"));
  o = {};
  o.vocabulary = std::vector<std::string>{};
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("empty vocabulary"));
  o.vocabulary = std::vector<std::string>{"a b", "c", "a b"};
  REQUIRE_THROWS_WITH(CountVectorizer(o), Catch::Contains("duplicate term in vocabulary: 'a b'"));
}

TEST_CASE("fit errors: empty vocabulary, max_df below min_df, nothing left after pruning") {
  CountVectorizer english(seed_options());
  REQUIRE_THROWS_WITH(english.fit(std::vector<std::string>{"the and of", "a b c"}),
                      Catch::Contains("empty vocabulary"));
  REQUIRE_THROWS_WITH(english.fit(std::vector<std::string>{}), Catch::Contains("empty vocabulary"));
  CountVectorizerOptions o;
  o.min_df = DocFrequency::count(3);
  o.max_df = DocFrequency::count(2);
  REQUIRE_THROWS_WITH(CountVectorizer(o).fit(kDocs), Catch::Contains("max_df corresponds"));
  // "aa" is in 3 documents, the rest in 1: nothing has a document frequency of exactly 2
  o.max_df = DocFrequency::count(2);
  o.min_df = DocFrequency::count(2);
  REQUIRE_THROWS_WITH(CountVectorizer(o).fit(std::vector<std::string>{"aa bb", "aa cc", "aa dd"}),
                      Catch::Contains("no terms remain"));
}

TEST_CASE("fit_transform, fit+transform, dense and sparse views agree, transform is const") {
  CountVectorizer v(seed_options());
  const CsrMatrix a = v.fit_transform(kDocs);
  const CsrMatrix b = v.transform(kDocs);
  REQUIRE(a.indptr == b.indptr);
  REQUIRE(a.indices == b.indices);
  REQUIRE(a.data == b.data);
  const RowMatrix dense = v.transform_dense(kDocs);
  for (std::size_t r = 0; r < a.rows; ++r) {
    for (std::size_t c = 0; c < a.cols; ++c) {
      REQUIRE(dense(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) ==
              static_cast<double>(a.at(r, c)));
    }
  }
  const auto col = v.column_of("drone deliveries");
  REQUIRE(col.has_value());
  REQUIRE(a.at(0, *col) == 1);
  REQUIRE_FALSE(v.column_of("not a term").has_value());
  REQUIRE_THROWS_AS(a.at(5, 0), InvalidArgument);
  const CountVectorizer copy = v;  // copies keep the vocabulary
  REQUIRE(copy.get_feature_names_out() == v.get_feature_names_out());
}

TEST_CASE("transform of many documents is identical whatever the block split") {
  std::vector<std::string> many;
  for (int i = 0; i < 9000; ++i)
    many.push_back(kDocs[static_cast<std::size_t>(i) % 3] + " " + std::to_string(i % 17));
  CountVectorizer v;
  v.fit(many);
  const CsrMatrix whole = v.transform(many);
  REQUIRE(whole.rows == many.size());
  for (std::size_t i = 0; i < many.size(); i += 997) {
    const CsrMatrix one = v.transform(std::vector<std::string>{many[i]});
    for (std::size_t c = 0; c < whole.cols; ++c) REQUIRE(one.at(0, c) == whole.at(i, c));
  }
}
