// CountVectorizer: tokens are interned once (TokenTable), n-grams are token-id sequences hashed
// into an NgramTable, and only the final vocabulary is turned back into strings.
#include "claimlens/text/count_vectorizer.hpp"

#include <algorithm>
#include <exception>
#include <string>

#include "claimlens/error.hpp"
#include "count_vectorizer_internal.hpp"
#include "unicode_internal.hpp"

namespace claimlens {

using namespace text_detail;

namespace {

void validate_doc_frequency(const DocFrequency& df, const char* name) {
  const double v = df.value();
  if (df.is_fraction() ? !(v >= 0.0 && v <= 1.0) : !(v >= 1.0)) {
    throw InvalidArgument(std::string("CountVectorizer: ") + name +
                          " must be a fraction in [0, 1] or a document count >= 1, got " +
                          std::to_string(v));
  }
}

void validate_options(const CountVectorizerOptions& o) {
  if (o.ngram_range.first < 1 || o.ngram_range.first > o.ngram_range.second) {
    throw InvalidArgument("CountVectorizer: invalid ngram_range (" +
                          std::to_string(o.ngram_range.first) + ", " +
                          std::to_string(o.ngram_range.second) + "): need 1 <= min_n <= max_n");
  }
  if (o.max_features && *o.max_features < 1) {
    throw InvalidArgument("CountVectorizer: max_features must be >= 1 (or unset), got 0");
  }
  validate_doc_frequency(o.min_df, "min_df");
  validate_doc_frequency(o.max_df, "max_df");
  if (o.vocabulary && o.vocabulary->empty()) {
    throw InvalidArgument("CountVectorizer: empty vocabulary passed to fit");
  }
}

}  // namespace

// ---- analysis of one document -------------------------------------------------------------

namespace text_detail {

void VectorizerState::check_utf8(std::size_t bad, std::size_t doc_index) {
  if (bad == std::string_view::npos) return;
  throw InvalidArgument("CountVectorizer: document " + std::to_string(doc_index) +
                        " is not valid UTF-8: invalid byte sequence at byte offset " +
                        std::to_string(bad));
}

void VectorizerState::tokens_growing(std::string_view doc, std::size_t doc_index, bool lowercase,
                                     Scratch& s) {
  s.ids.clear();
  const std::size_t bad = for_each_token(doc, lowercase, s.bytes, [&](std::string_view tok) {
    bool inserted = false;
    const std::uint32_t id = tokens.intern(tok, inserted);
    if (inserted) is_stop.push_back(stop.find(tok) != TokenTable::kNone);
    if (!is_stop[id]) s.ids.push_back(id);
  });
  check_utf8(bad, doc_index);
}

void VectorizerState::tokens_lookup(std::string_view doc, std::size_t doc_index, bool lowercase,
                                    Scratch& s) const {
  s.ids.clear();
  const std::size_t bad = for_each_token(doc, lowercase, s.bytes, [&](std::string_view tok) {
    const std::uint64_t h = hash_bytes(tok);
    const std::uint32_t id = tokens.find(tok, h);
    if (id != TokenTable::kNone) {
      if (!is_stop[id]) s.ids.push_back(id);
    } else if (stop.find(tok, h) == TokenTable::kNone) {
      s.ids.push_back(kUnknownToken);  // breaks every n-gram it is part of
    }
  });
  check_utf8(bad, doc_index);
}

std::string VectorizerState::join(Span<const std::uint32_t> ids) const {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out.push_back(' ');
    const std::string_view t = tokens.at(ids[i]);
    out.append(t.data(), t.size());
  }
  return out;
}

// ---- counting --------------------------------------------------------------------------------

void RowCounter::add(std::uint32_t feature) {
  if (feature >= stamp.size()) {
    stamp.resize(std::max<std::size_t>(feature + 1, stamp.size() * 2), 0);
    slot.resize(stamp.size());
  }
  if (stamp[feature] != generation) {
    stamp[feature] = generation;
    slot[feature] = static_cast<std::uint32_t>(row.size());
    row.push_back({feature, 1});
  } else {
    ++row[slot[feature]].count;
  }
}

void RowCounter::next_row() {
  row.clear();
  if (++generation == 0) {  // wrapped: forget every stamp
    std::fill(stamp.begin(), stamp.end(), 0);
    generation = 1;
  }
}

void append_sorted_row(CsrMatrix& m, std::vector<RowCounter::Entry>& row, bool binary) {
  std::sort(row.begin(), row.end(), [](const RowCounter::Entry& a, const RowCounter::Entry& b) {
    return a.feature < b.feature;
  });
  for (const auto& e : row) {
    m.indices.push_back(e.feature);
    m.data.push_back(binary ? 1 : e.count);
  }
  m.indptr.push_back(m.indices.size());
}

}  // namespace text_detail

// ---- CountVectorizer ------------------------------------------------------------------------

CountVectorizer::CountVectorizer(CountVectorizerOptions options)
    : options_(std::move(options)), state_(std::make_unique<State>()) {
  validate_options(options_);
  state_->set_stop_words(options_.stop_words);
  if (options_.vocabulary) state_->set_fixed_vocabulary(*options_.vocabulary);
}

CountVectorizer::~CountVectorizer() = default;
CountVectorizer::CountVectorizer(const CountVectorizer& other)
    : options_(other.options_), state_(std::make_unique<State>(*other.state_)) {}
CountVectorizer& CountVectorizer::operator=(const CountVectorizer& other) {
  if (this != &other) {
    options_ = other.options_;
    state_ = std::make_unique<State>(*other.state_);
  }
  return *this;
}
CountVectorizer::CountVectorizer(CountVectorizer&&) noexcept = default;
CountVectorizer& CountVectorizer::operator=(CountVectorizer&&) noexcept = default;

namespace {
std::vector<std::string_view> views_of(const std::vector<std::string>& documents) {
  return std::vector<std::string_view>(documents.begin(), documents.end());
}
}  // namespace

CountVectorizer& CountVectorizer::fit(const std::vector<std::string>& documents) {
  fit_transform(documents);
  return *this;
}
CountVectorizer& CountVectorizer::fit(Span<const std::string_view> documents) {
  fit_transform(documents);
  return *this;
}
CsrMatrix CountVectorizer::fit_transform(const std::vector<std::string>& documents) {
  const auto views = views_of(documents);
  return fit_transform(Span<const std::string_view>(views));
}

CsrMatrix CountVectorizer::fit_transform(Span<const std::string_view> documents) {
  if (options_.vocabulary) return transform(documents);
  // Learn into a fresh state so that a failure leaves this vectorizer as it was.
  auto fresh = std::make_unique<State>();
  fresh->set_stop_words(options_.stop_words);
  CsrMatrix out = fresh->learn(documents, options_);
  state_ = std::move(fresh);
  return out;
}

CsrMatrix CountVectorizer::transform(const std::vector<std::string>& documents) const {
  const auto views = views_of(documents);
  return transform(Span<const std::string_view>(views));
}

CsrMatrix CountVectorizer::transform(Span<const std::string_view> documents) const {
  if (!state_->fitted) {
    throw StateError("CountVectorizer: transform called before fit (and no vocabulary given)");
  }
  return state_->count(documents, options_);
}

RowMatrix CountVectorizer::transform_dense(const std::vector<std::string>& documents) const {
  return transform(documents).to_dense();
}

std::vector<std::string> CountVectorizer::get_feature_names_out() const {
  if (!state_->fitted) throw StateError("CountVectorizer: get_feature_names_out called before fit");
  return state_->names;
}

std::optional<std::size_t> CountVectorizer::column_of(std::string_view term) const {
  if (!state_->fitted) throw StateError("CountVectorizer: column_of called before fit");
  const auto it = state_->name_to_column.find(std::string(term));
  if (it == state_->name_to_column.end()) return std::nullopt;
  return it->second;
}

std::size_t CountVectorizer::num_features() const {
  return state_->fitted ? state_->names.size() : 0;
}
bool CountVectorizer::is_fitted() const {
  return state_->fitted;
}

std::vector<std::string> CountVectorizer::analyze(std::string_view document) const {
  // Intern into a throw-away copy of the token table so unseen tokens get ids too.
  VectorizerState local;
  local.set_stop_words(options_.stop_words);
  Scratch s;
  local.tokens_growing(document, 0, options_.lowercase, s);
  std::vector<std::string> out;
  for_each_ngram(s.ids, options_.ngram_range.first, options_.ngram_range.second,
                 [&](const std::uint32_t* ids, std::size_t n) {
                   out.push_back(local.join(Span<const std::uint32_t>(ids, n)));
                 });
  return out;
}

// ---- CsrMatrix ------------------------------------------------------------------------------

std::int64_t CsrMatrix::at(std::size_t row, std::size_t col) const {
  if (row >= rows || col >= cols) {
    throw InvalidArgument("CsrMatrix::at: (" + std::to_string(row) + ", " + std::to_string(col) +
                          ") is outside a " + std::to_string(rows) + "x" + std::to_string(cols) +
                          " matrix");
  }
  const auto begin = indices.begin() + static_cast<std::ptrdiff_t>(indptr[row]);
  const auto end = indices.begin() + static_cast<std::ptrdiff_t>(indptr[row + 1]);
  const auto it = std::lower_bound(begin, end, static_cast<std::uint32_t>(col));
  return (it != end && *it == col) ? data[static_cast<std::size_t>(it - indices.begin())] : 0;
}

RowMatrix CsrMatrix::to_dense() const {
  RowMatrix m = RowMatrix::Zero(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = indptr[r]; k < indptr[r + 1]; ++k) {
      m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(indices[k])) =
          static_cast<double>(data[k]);
    }
  }
  return m;
}

}  // namespace claimlens
