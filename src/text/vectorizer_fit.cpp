// Vocabulary learning (sklearn's _count_vocab, _sort_features, _limit_features) and counting.
#include <algorithm>
#include <exception>
#include <numeric>
#include <string>

#include <omp.h>

#include "claimlens/error.hpp"
#include "claimlens/text/unicode.hpp"
#include "count_vectorizer_internal.hpp"
#include "numpy_argsort.hpp"
#include "unicode_tables.hpp"

namespace claimlens::text_detail {
namespace {

constexpr std::uint32_t kDropped = 0xFFFFFFFFu;

/// Column per alphabetical rank after min_df/max_df/max_features (kDropped when pruned).
std::vector<std::uint32_t> keep_columns(const std::vector<std::int64_t>& df,
                                        const std::vector<std::int64_t>& tf, std::size_t n_doc,
                                        const CountVectorizerOptions& o) {
  const double max_docs = o.max_df.documents(n_doc);
  const double min_docs = o.min_df.documents(n_doc);
  if (max_docs < min_docs) {
    throw InvalidArgument("CountVectorizer.fit: max_df corresponds to fewer documents (" +
                          std::to_string(max_docs) + ") than min_df (" + std::to_string(min_docs) +
                          ")");
  }
  const std::size_t n = df.size();
  std::vector<std::uint8_t> mask(n);
  std::vector<std::size_t> masked;
  for (std::size_t r = 0; r < n; ++r) {
    const auto d = static_cast<double>(df[r]);
    mask[r] = d <= max_docs && d >= min_docs;
    if (mask[r]) masked.push_back(r);
  }
  if (o.max_features && masked.size() > *o.max_features) {
    // (-tfs[mask]).argsort()[:limit] with numpy's own tie order.
    std::vector<std::int64_t> keys(masked.size());
    for (std::size_t k = 0; k < masked.size(); ++k) keys[k] = -tf[masked[k]];
    const std::vector<std::size_t> order = numpy_argsort(keys);
    std::fill(mask.begin(), mask.end(), 0);
    for (std::size_t k = 0; k < *o.max_features; ++k) mask[masked[order[k]]] = 1;
  }
  std::vector<std::uint32_t> column(n, kDropped);
  std::uint32_t next = 0;
  for (std::size_t r = 0; r < n; ++r) {
    if (mask[r]) column[r] = next++;
  }
  if (next == 0) {
    throw InvalidArgument(
        "CountVectorizer.fit: after pruning, no terms remain; try a lower min_df or a higher "
        "max_df");
  }
  return column;
}

CsrMatrix empty_csr(std::size_t rows, std::size_t cols) {
  CsrMatrix m;
  m.rows = rows;
  m.cols = cols;
  m.indptr.reserve(rows + 1);
  m.indptr.push_back(0);
  return m;
}

}  // namespace

void VectorizerState::set_stop_words(const StopWords& stop_words) {
  stop = TokenTable();
  bool inserted = false;
  if (stop_words.kind == StopWords::Kind::English) {
    for (const char* w : kEnglishStopWords) stop.intern(w, inserted);
  } else if (stop_words.kind == StopWords::Kind::Custom) {
    for (const auto& w : stop_words.words) stop.intern(w, inserted);
  }
}

void VectorizerState::set_fixed_vocabulary(const std::vector<std::string>& vocabulary) {
  std::vector<std::uint32_t> ids;
  for (std::size_t i = 0; i < vocabulary.size(); ++i) {
    const std::string& term = vocabulary[i];
    if (!name_to_column.emplace(term, i).second) {
      throw InvalidArgument("CountVectorizer: duplicate term in vocabulary: '" + term + "'");
    }
    names.push_back(term);
    // A term is matched as the n-gram of its space-separated tokens; a term with an empty
    // piece (leading, trailing or double space) can never be produced by the analyzer.
    ids.clear();
    bool producible = !term.empty();
    for (std::size_t begin = 0; producible && begin <= term.size();) {
      std::size_t end = term.find(' ', begin);
      if (end == std::string::npos) end = term.size();
      const std::string_view piece = std::string_view(term).substr(begin, end - begin);
      if (piece.empty()) producible = false;
      bool inserted = false;
      const std::uint32_t id = tokens.intern(piece, inserted);
      if (inserted) is_stop.push_back(stop.find(piece) != TokenTable::kNone);
      ids.push_back(id);
      begin = end + 1;
    }
    if (!producible) continue;
    const std::uint32_t id = ngrams.intern(ids.data(), ids.size());
    column.resize(std::max<std::size_t>(column.size(), id + 1), kDropped);
    column[id] = static_cast<std::uint32_t>(i);
  }
  fitted = true;
  build_hot_tables();
}

/// N-gram ids in the code-point order of their joined strings, without building the strings:
/// tokens hold only word characters (all above ' '), so comparing token by token, a prefix
/// first, orders "a" < "a b" < "ab" exactly as comparing the space-joined strings does.
std::vector<std::uint32_t> VectorizerState::alphabetical_order(const NgramTable& all) const {
  std::vector<std::uint32_t> token_order(tokens.size());
  std::iota(token_order.begin(), token_order.end(), 0u);
  std::sort(token_order.begin(), token_order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return tokens.at(a) < tokens.at(b); });
  std::vector<std::uint32_t> token_rank(tokens.size());
  for (std::uint32_t r = 0; r < token_order.size(); ++r) token_rank[token_order[r]] = r;
  std::vector<std::uint32_t> order(all.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const auto x = all.at(a), y = all.at(b);
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return token_rank[x[i]] < token_rank[y[i]];
    }
    return x.size() < y.size();
  });
  return order;
}

CsrMatrix VectorizerState::learn(Span<const std::string_view> docs,
                                 const CountVectorizerOptions& o) {
  NgramTable all;  // every n-gram of the corpus, ids in order of first appearance
  RowCounter counter;
  std::vector<std::size_t> row_ptr{0};
  std::vector<RowCounter::Entry> entries;
  Scratch s;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    tokens_growing(docs[i], i, o.lowercase, s);
    counter.next_row();
    for_each_ngram(
        s.ids, o.ngram_range.first, o.ngram_range.second,
        [&](const std::uint32_t* ids, std::size_t n) { counter.add(all.intern(ids, n)); });
    entries.insert(entries.end(), counter.row.begin(), counter.row.end());
    row_ptr.push_back(entries.size());
  }
  const std::size_t n_terms = all.size();
  if (n_terms == 0) {
    throw InvalidArgument(
        "CountVectorizer.fit: empty vocabulary; perhaps the documents only contain stop words "
        "(or there are no documents)");
  }
  const std::vector<std::uint32_t> by_name = alphabetical_order(all);  // rank -> n-gram id
  std::vector<std::uint32_t> rank(n_terms);
  for (std::uint32_t r = 0; r < n_terms; ++r) rank[by_name[r]] = r;
  std::vector<std::int64_t> df(n_terms, 0), tf(n_terms, 0);
  for (const auto& e : entries) {
    df[rank[e.feature]] += 1;
    tf[rank[e.feature]] += o.binary ? 1 : e.count;  // sklearn clips before pruning
  }
  const std::vector<std::uint32_t> col_of_rank = keep_columns(df, tf, docs.size(), o);
  for (std::uint32_t r = 0; r < n_terms; ++r) {
    if (col_of_rank[r] == kDropped) continue;
    const auto gram = all.at(by_name[r]);
    ngrams.intern(gram.data(), gram.size());
    column.push_back(col_of_rank[r]);
    std::string term = join(gram);
    name_to_column.emplace(term, names.size());
    names.push_back(std::move(term));
  }
  CsrMatrix out = empty_csr(docs.size(), names.size());
  std::vector<RowCounter::Entry> row;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    row.clear();
    for (std::size_t k = row_ptr[i]; k < row_ptr[i + 1]; ++k) {
      const std::uint32_t col = col_of_rank[rank[entries[k].feature]];
      if (col != kDropped) row.push_back({col, entries[k].count});
    }
    append_sorted_row(out, row, o.binary);
  }
  fitted = true;
  build_hot_tables();
  return out;
}

void VectorizerState::count_block(Span<const std::string_view> docs, std::size_t first_index,
                                  const CountVectorizerOptions& o, CsrMatrix& out) const {
  RowCounter counter;
  counter.stamp.assign(names.size(), 0);
  counter.slot.assign(names.size(), 0);
  Scratch s;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    tokens_lookup(docs[i], first_index + i, o.lowercase, s);
    counter.next_row();
    for_each_ngram(s.ids, o.ngram_range.first, o.ngram_range.second,
                   [&](const std::uint32_t* ids, std::size_t n) {
                     const std::uint32_t id = ngrams.find(ids, n);
                     if (id != NgramTable::kNone) counter.add(column[id]);
                   });
    append_sorted_row(out, counter.row, o.binary);
  }
}

CsrMatrix VectorizerState::count(Span<const std::string_view> docs,
                                 const CountVectorizerOptions& o) const {
  constexpr std::size_t kMinBlock = 2048;  // below this, threads cost more than they save
  const std::size_t n = docs.size();
  const std::size_t blocks = std::max<std::size_t>(
      1, std::min<std::size_t>(static_cast<std::size_t>(omp_get_max_threads()), n / kMinBlock));
  std::vector<CsrMatrix> parts(blocks);
  std::vector<std::exception_ptr> errors(blocks);
#pragma omp parallel for schedule(static, 1) if (blocks > 1)
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t begin = n * b / blocks, end = n * (b + 1) / blocks;
    try {
      parts[b] = empty_csr(end - begin, names.size());
      count_block(docs.subspan(begin, end - begin), begin, o, parts[b]);
    } catch (...) {
      errors[b] = std::current_exception();
    }
  }
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);  // the lowest failing block names the first bad document
  }
  if (blocks == 1) return std::move(parts[0]);
  CsrMatrix out = empty_csr(n, names.size());
  for (const auto& p : parts) {
    const std::size_t base = out.indices.size();
    out.indices.insert(out.indices.end(), p.indices.begin(), p.indices.end());
    out.data.insert(out.data.end(), p.data.begin(), p.data.end());
    for (std::size_t r = 1; r < p.indptr.size(); ++r) out.indptr.push_back(base + p.indptr[r]);
  }
  return out;
}

}  // namespace claimlens::text_detail
