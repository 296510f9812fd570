// Private state and helpers of CountVectorizer, shared by count_vectorizer.cpp (API, analysis)
// and vectorizer_fit.cpp (vocabulary learning, counting).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "claimlens/span.hpp"
#include "claimlens/text/count_vectorizer.hpp"
#include "hash_tables.hpp"

namespace claimlens::text_detail {

/// Id of a token the fitted vocabulary has never seen (never part of an n-gram in the table).
inline constexpr std::uint32_t kUnknownToken = 0xFFFFFFFFu;
/// Hot-table value of a stop word (dropped from the token stream, not an n-gram breaker).
inline constexpr std::uint32_t kStopToken = 0xFFFFFFFEu;
/// Fixed scratch of the allocation-free row transform: the longest token it can hold (bytes)
/// and the longest n-gram window (tokens). Vocabularies past either fall back to count().
inline constexpr std::size_t kRowTokenBytes = 256;
inline constexpr std::size_t kRowWindow = 16;

/// Per-thread buffers for analysing documents.
struct Scratch {
  std::string bytes;               // current token
  std::vector<std::uint32_t> ids;  // token ids of the document, stop words removed
};

/// Counts features of one document in first-seen order (like sklearn's feature_counter dict).
struct RowCounter {
  struct Entry {
    std::uint32_t feature;
    std::int64_t count;
  };
  std::vector<Entry> row;
  std::vector<std::uint32_t> stamp;  // generation at which a feature was last seen
  std::vector<std::uint32_t> slot;   // its position in row
  std::uint32_t generation = 1;

  void add(std::uint32_t feature);
  void next_row();
};

/// Sorts the row by feature and appends it to m (binary: every count becomes 1).
void append_sorted_row(CsrMatrix& m, std::vector<RowCounter::Entry>& row, bool binary);

/// Visits n-grams of ids in sklearn's order: all n = min_n first, then min_n + 1, ...
template <class Visit>
void for_each_ngram(const std::vector<std::uint32_t>& ids, std::size_t min_n, std::size_t max_n,
                    Visit&& visit) {
  const std::size_t len = ids.size();
  for (std::size_t n = min_n; n <= max_n && n <= len; ++n) {
    for (std::size_t i = 0; i + n <= len; ++i) visit(ids.data() + i, n);
  }
}

struct VectorizerState {
  TokenTable stop;                    // stop words (lookup only)
  TokenTable tokens;                  // every token met in fit (or in a given vocabulary)
  std::vector<std::uint8_t> is_stop;  // per token id
  NgramTable ngrams;                  // vocabulary n-grams; id == entry of `column`
  std::vector<std::uint32_t> column;  // n-gram id -> output column
  std::vector<std::string> names;     // output column -> term
  std::unordered_map<std::string, std::size_t> name_to_column;
  bool fitted = false;

  // For the allocation-free row transform: the only tokens whose identity matters to the
  // counts are the vocabulary n-grams' tokens and the stop words; every other token is
  // equivalent to an unknown one (it breaks every n-gram it is part of).
  TokenTable hot;                        // those tokens
  std::vector<std::uint32_t> hot_token;  // hot entry -> token id (in `tokens`) or kStopToken
  std::size_t hot_max_bytes = 0;         // longest hot token
  std::size_t hot_max_n = 0;             // most tokens in a vocabulary n-gram
  /// Builds the hot tables; called whenever the vocabulary is set (fitted becomes true).
  void build_hot_tables();
  /// Whether count_row fits the fixed scratch for these options.
  bool row_fits(const CountVectorizerOptions& options) const;
  /// Counts of one document into out[names.size()], as count() would; allocation-free when
  /// row_fits(options), else through count().
  void count_row(std::string_view doc, const CountVectorizerOptions& options, double* out) const;

  void set_stop_words(const StopWords& stop_words);
  void set_fixed_vocabulary(const std::vector<std::string>& vocabulary);

  void tokens_growing(std::string_view doc, std::size_t doc_index, bool lowercase, Scratch& s);
  void tokens_lookup(std::string_view doc, std::size_t doc_index, bool lowercase, Scratch& s) const;
  std::string join(Span<const std::uint32_t> ids) const;
  static void check_utf8(std::size_t bad, std::size_t doc_index);

  /// fit_transform on this fresh state.
  CsrMatrix learn(Span<const std::string_view> docs, const CountVectorizerOptions& options);
  /// transform with the learnt vocabulary (parallel over document blocks).
  CsrMatrix count(Span<const std::string_view> docs, const CountVectorizerOptions& options) const;

 private:
  std::vector<std::uint32_t> alphabetical_order(const NgramTable& all) const;
  void count_block(Span<const std::string_view> docs, std::size_t first_index,
                   const CountVectorizerOptions& options, CsrMatrix& out) const;
};

}  // namespace claimlens::text_detail

namespace claimlens {
struct CountVectorizer::State : text_detail::VectorizerState {};
}  // namespace claimlens
