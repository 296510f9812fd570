// Bag-of-n-grams counts equal to scikit-learn's CountVectorizer (analyzer='word', default token
// pattern, strip_accents=None): same vocabulary, same order, same counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// Compressed sparse rows, like scipy.sparse.csr_matrix with sorted column indices per row.
struct CsrMatrix {
  std::size_t rows = 0;
  std::size_t cols = 0;
  std::vector<std::size_t> indptr;  // rows + 1 offsets into indices/data
  std::vector<std::uint32_t> indices;
  std::vector<std::int64_t> data;

  std::size_t nnz() const { return data.size(); }
  /// Value at (row, col), 0 when not stored.
  std::int64_t at(std::size_t row, std::size_t col) const;
  RowMatrix to_dense() const;
};

/// min_df / max_df: an absolute document count (int in sklearn) or a fraction of documents.
class DocFrequency {
 public:
  static DocFrequency count(std::size_t documents) {
    return DocFrequency(false, double(documents));
  }
  static DocFrequency fraction(double share) { return DocFrequency(true, share); }
  bool is_fraction() const { return fraction_; }
  double value() const { return value_; }
  /// The threshold in documents for a corpus of n documents (sklearn: max_df * n_doc).
  double documents(std::size_t n) const { return fraction_ ? value_ * double(n) : value_; }

 private:
  DocFrequency(bool fraction, double value) : fraction_(fraction), value_(value) {}
  bool fraction_;
  double value_;
};

/// stop_words=None, 'english' or a list.
struct StopWords {
  enum class Kind { None, English, Custom };
  Kind kind = Kind::None;
  std::vector<std::string> words;  // Kind::Custom only

  static StopWords none() { return {}; }
  static StopWords english() { return {Kind::English, {}}; }
  static StopWords custom(std::vector<std::string> list) { return {Kind::Custom, std::move(list)}; }
};

struct CountVectorizerOptions {
  std::pair<std::size_t, std::size_t> ngram_range{1, 1};
  bool lowercase = true;
  StopWords stop_words;
  std::optional<std::size_t> max_features;  // keep the most frequent terms over the corpus
  DocFrequency min_df = DocFrequency::count(1);
  DocFrequency max_df = DocFrequency::fraction(1.0);
  bool binary = false;  // counts clipped to 1
  /// A fixed vocabulary (term i -> column i); when set, fit learns nothing and
  /// min_df/max_df/max_features are ignored, as in sklearn.
  std::optional<std::vector<std::string>> vocabulary;
};

class CountVectorizer {
 public:
  /// Validates the options (InvalidArgument naming the bad one).
  explicit CountVectorizer(CountVectorizerOptions options = {});
  ~CountVectorizer();
  CountVectorizer(const CountVectorizer& other);
  CountVectorizer& operator=(const CountVectorizer& other);
  CountVectorizer(CountVectorizer&&) noexcept;
  CountVectorizer& operator=(CountVectorizer&&) noexcept;

  /// Learns the vocabulary. Documents must be valid UTF-8 (InvalidArgument naming the document
  /// index and byte offset otherwise). InvalidArgument also when no term survives.
  CountVectorizer& fit(const std::vector<std::string>& documents);
  CountVectorizer& fit(Span<const std::string_view> documents);
  CsrMatrix fit_transform(const std::vector<std::string>& documents);
  CsrMatrix fit_transform(Span<const std::string_view> documents);

  /// Counts of the vocabulary terms per document (StateError before fit unless a vocabulary
  /// was given). Thread-safe on a fitted vectorizer.
  CsrMatrix transform(const std::vector<std::string>& documents) const;
  CsrMatrix transform(Span<const std::string_view> documents) const;
  RowMatrix transform_dense(const std::vector<std::string>& documents) const;
  /// One document's counts into out[num_features()] (every entry written), equal to
  /// transform({document}) made dense. Thread-safe, and free of heap allocation whenever
  /// transform_row_is_allocation_free() (every vocabulary token and stop word at most 256 bytes,
  /// n-grams of at most 16 tokens); otherwise it takes the general path. StateError before fit;
  /// InvalidArgument for invalid UTF-8 (out then all zeros).
  void transform_row(std::string_view document, double* out) const;
  bool transform_row_is_allocation_free() const;

  /// Terms in column order (alphabetical by code point unless a vocabulary was given).
  std::vector<std::string> get_feature_names_out() const;
  /// Column of `term`, or nullopt.
  std::optional<std::size_t> column_of(std::string_view term) const;
  std::size_t num_features() const;
  bool is_fitted() const;
  const CountVectorizerOptions& options() const { return options_; }

  /// sklearn's build_analyzer()(document): the n-grams of one document, in sklearn's order.
  std::vector<std::string> analyze(std::string_view document) const;

 private:
  struct State;
  CountVectorizerOptions options_;
  std::unique_ptr<State> state_;
};

}  // namespace claimlens
