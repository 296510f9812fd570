// One document's counts straight into a dense row, without heap allocation: the tokenizer
// writes into a stack buffer, tokens are looked up in the small hot table (vocabulary tokens and
// stop words only) and each n-gram is hashed from a sliding window of token ids as it completes.
// The counts equal count()'s: only the order of visiting n-grams differs, which a sum ignores.
#include <algorithm>
#include <cstring>

#include "claimlens/error.hpp"
#include "count_vectorizer_internal.hpp"
#include "unicode_internal.hpp"

namespace claimlens::text_detail {

void VectorizerState::build_hot_tables() {
  hot = TokenTable();
  hot_token.clear();
  hot_max_bytes = 0;
  hot_max_n = 0;
  bool inserted = false;
  // Stop words first: a vocabulary token that is also a stop word (possible with a given
  // vocabulary) is dropped from the stream, as tokens_lookup does.
  for (std::uint32_t s = 0; s < stop.size(); ++s) {
    const std::string_view word = stop.at(s);
    hot.intern(word, inserted);
    if (inserted) hot_token.push_back(kStopToken);
    hot_max_bytes = std::max(hot_max_bytes, word.size());
  }
  for (std::uint32_t g = 0; g < ngrams.size(); ++g) {
    const Span<const std::uint32_t> gram = ngrams.at(g);
    hot_max_n = std::max(hot_max_n, gram.size());
    for (const std::uint32_t id : gram) {
      const std::string_view token = tokens.at(id);
      hot.intern(token, inserted);
      if (inserted) hot_token.push_back(is_stop[id] ? kStopToken : id);
      hot_max_bytes = std::max(hot_max_bytes, token.size());
    }
  }
}

bool VectorizerState::row_fits(const CountVectorizerOptions& o) const {
  // N-grams longer than every vocabulary term can never match, so the window needs no more.
  const std::size_t window = std::min(o.ngram_range.second, hot_max_n);
  return hot_max_bytes <= kRowTokenBytes && window <= kRowWindow;
}

namespace {

// The last `capacity` token ids of the stream (oldest first) and how many of the newest ones
// are known (an n-gram through an unknown token cannot be in the vocabulary).
struct IdWindow {
  std::uint32_t ids[kRowWindow];
  std::size_t size = 0;
  std::size_t known = 0;
  std::size_t capacity = 1;

  void push(std::uint32_t id) {
    if (size == capacity) {
      std::memmove(ids, ids + 1, (capacity - 1) * sizeof(std::uint32_t));
      ids[capacity - 1] = id;
    } else {
      ids[size++] = id;
    }
    known = id == kUnknownToken ? 0 : std::min(known + 1, capacity);
  }
  const std::uint32_t* last(std::size_t n) const { return ids + size - n; }
};

}  // namespace

void VectorizerState::count_row(std::string_view doc, const CountVectorizerOptions& o,
                                double* out) const {
  const std::size_t cols = names.size();
  std::fill(out, out + cols, 0.0);
  if (!row_fits(o)) {  // a vocabulary beyond the fixed scratch: the general path (allocates)
    const CsrMatrix m = count(Span<const std::string_view>(&doc, 1), o);
    for (std::size_t k = m.indptr[0]; k < m.indptr[1]; ++k) {
      out[m.indices[k]] = static_cast<double>(m.data[k]);
    }
    return;
  }
  const std::size_t min_n = o.ngram_range.first;
  const std::size_t max_n = std::min(o.ngram_range.second, hot_max_n);
  IdWindow window;
  window.capacity = std::max<std::size_t>(max_n, 1);
  FixedTokenBuffer<kRowTokenBytes> buffer;
  const std::size_t bad = for_each_token(doc, o.lowercase, buffer, [&](std::string_view tok) {
    std::uint32_t id = kUnknownToken;
    // A token longer than every hot token (or than the buffer) is neither a stop word nor a
    // vocabulary token.
    if (!buffer.overflowed() && tok.size() <= hot_max_bytes) {
      const std::uint32_t entry = hot.find(tok);
      if (entry != TokenTable::kNone) {
        id = hot_token[entry];
        if (id == kStopToken) return;
      }
    }
    window.push(id);
    for (std::size_t n = min_n; n <= std::min(max_n, window.known); ++n) {
      const std::uint32_t gram = ngrams.find(window.last(n), n);
      if (gram == NgramTable::kNone) continue;
      double& cell = out[column[gram]];
      cell = o.binary ? 1.0 : cell + 1.0;
    }
  });
  if (bad != std::string_view::npos) {
    std::fill(out, out + cols, 0.0);  // no partial row
    check_utf8(bad, 0);
  }
}

}  // namespace claimlens::text_detail

namespace claimlens {

void CountVectorizer::transform_row(std::string_view document, double* out) const {
  if (!state_->fitted) {
    throw StateError("CountVectorizer: transform_row called before fit (and no vocabulary given)");
  }
  if (out == nullptr) throw InvalidArgument("CountVectorizer.transform_row: out is NULL");
  state_->count_row(document, options_, out);
}

bool CountVectorizer::transform_row_is_allocation_free() const {
  return state_->fitted && state_->row_fits(options_);
}

}  // namespace claimlens
