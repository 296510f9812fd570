// Exact parity with scikit-learn's CountVectorizer on real transcriptions and edge cases.
#include <catch2/catch.hpp>

#include "claimlens/text/count_vectorizer.hpp"
#include "fixture_support.hpp"

using namespace claimlens;
using claimlens::testing::csr_from;
using claimlens::testing::load_json_fixture;
using claimlens::testing::options_from;

namespace {

void require_same(const CsrMatrix& got, const CsrMatrix& want) {
  REQUIRE(got.rows == want.rows);
  REQUIRE(got.cols == want.cols);
  REQUIRE(got.indptr == want.indptr);
  REQUIRE(got.indices == want.indices);
  REQUIRE(got.data == want.data);
}

}  // namespace

TEST_CASE("CountVectorizer equals scikit-learn for every recorded setting") {
  const auto main = load_json_fixture("sklearn_vectorizer.json");
  const auto train = main["train_texts"].get<std::vector<std::string>>();
  const auto held = main["transform_texts"].get<std::vector<std::string>>();
  const auto ties = main["ties_texts"].get<std::vector<std::string>>();
  for (const auto& name : main["cases"]) {
    const auto c = load_json_fixture("sklearn_vectorizer_" + name.get<std::string>() + ".json");
    SECTION(name.get<std::string>()) {
      const bool synthetic = name.get<std::string>().rfind("synthetic_ties", 0) == 0;
      const auto& fit_texts = synthetic ? ties : train;
      std::vector<std::string> transform_texts = held;
      if (synthetic) {
        const std::size_t rows = c["transform"]["indptr"].size() - 1;
        transform_texts.assign(ties.begin(), ties.begin() + static_cast<std::ptrdiff_t>(rows));
      }
      CountVectorizer vectorizer(options_from(c["params"]));
      const CsrMatrix fitted = vectorizer.fit_transform(fit_texts);
      const auto features = c["features"].get<std::vector<std::string>>();
      REQUIRE(vectorizer.get_feature_names_out() == features);
      require_same(fitted, csr_from(c["fit"], features.size()));
      require_same(vectorizer.transform(transform_texts),
                   csr_from(c["transform"], features.size()));
      // fit then transform gives the same matrix as fit_transform
      CountVectorizer again(options_from(c["params"]));
      again.fit(fit_texts);
      require_same(again.transform(fit_texts), fitted);
    }
  }
}

TEST_CASE("analyze equals sklearn's build_analyzer() output on Unicode probes") {
  const auto main = load_json_fixture("sklearn_vectorizer.json");
  CountVectorizerOptions o;
  o.ngram_range = {1, 3};
  o.stop_words = StopWords::english();
  const CountVectorizer vectorizer(o);
  for (const auto& probe : main["probes"]) {
    INFO("text: " << probe["text"].get<std::string>());
    REQUIRE(vectorizer.analyze(probe["text"].get<std::string>()) ==
            probe["analyze_1_3_english"].get<std::vector<std::string>>());
  }
}
