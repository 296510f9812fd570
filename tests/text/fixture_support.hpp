// Loading tests/fixtures/sklearn_vectorizer*.json (made by scripts/sklearn_vectorizer.py).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "claimlens/text/count_vectorizer.hpp"
#include "support/paths.hpp"

namespace claimlens::testing {

inline nlohmann::json load_json_fixture(const std::string& name) {
  return nlohmann::json::parse(read_text_file(fixture_path(name)));
}

inline DocFrequency doc_frequency_from(const nlohmann::json& j) {
  return j.is_number_integer() ? DocFrequency::count(j.get<std::size_t>())
                               : DocFrequency::fraction(j.get<double>());
}

/// CountVectorizerOptions equal to the sklearn keyword arguments recorded in the fixture.
inline CountVectorizerOptions options_from(const nlohmann::json& params) {
  CountVectorizerOptions o;
  if (params.contains("ngram_range")) {
    o.ngram_range = {params["ngram_range"][0].get<std::size_t>(),
                     params["ngram_range"][1].get<std::size_t>()};
  }
  if (params.contains("lowercase")) o.lowercase = params["lowercase"].get<bool>();
  if (params.contains("binary")) o.binary = params["binary"].get<bool>();
  if (params.contains("max_features")) o.max_features = params["max_features"].get<std::size_t>();
  if (params.contains("min_df")) o.min_df = doc_frequency_from(params["min_df"]);
  if (params.contains("max_df")) o.max_df = doc_frequency_from(params["max_df"]);
  if (params.contains("stop_words")) {
    const auto& sw = params["stop_words"];
    o.stop_words = sw.is_string() ? StopWords::english()
                                  : StopWords::custom(sw.get<std::vector<std::string>>());
  }
  if (params.contains("vocabulary")) {
    o.vocabulary = params["vocabulary"].get<std::vector<std::string>>();
  }
  return o;
}

/// The fixture's CSR triplets as a CsrMatrix of the given shape.
inline CsrMatrix csr_from(const nlohmann::json& j, std::size_t cols) {
  CsrMatrix m;
  m.indptr = j["indptr"].get<std::vector<std::size_t>>();
  m.indices = j["indices"].get<std::vector<std::uint32_t>>();
  m.data = j["data"].get<std::vector<std::int64_t>>();
  m.rows = m.indptr.size() - 1;
  m.cols = cols;
  return m;
}

}  // namespace claimlens::testing
