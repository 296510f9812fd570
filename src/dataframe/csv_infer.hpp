// Internal: read_csv's type inference (one column at a time, as pandas infers) and the sinks
// that feed it rows, shared by the serial reader (csv.cpp) and the parallel one
// (csv_parallel.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claimlens/dataframe/column.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/utf8.hpp"
#include "column_storage.hpp"
#include "csv_scanner.hpp"

namespace claimlens::detail {

/// The null tokens, bucketed by length for a quick reject of ordinary values.
class NullTokens {
 public:
  explicit NullTokens(const CsvOptions& options) {
    if (options.default_na) add_all(default_na_values());
    add_all(options.na_values);
  }
  bool contains(std::string_view text) const {
    if (text.size() >= by_length_.size()) return false;
    if (!text.empty() && !first_char_[static_cast<unsigned char>(text[0])]) return false;
    for (const auto& t : by_length_[text.size()]) {
      if (t == text) return true;
    }
    return false;
  }

 private:
  void add_all(const std::vector<std::string>& tokens) {
    for (const auto& t : tokens) {
      if (t.size() >= by_length_.size()) by_length_.resize(t.size() + 1);
      by_length_[t.size()].push_back(t);
      if (!t.empty()) first_char_[static_cast<unsigned char>(t[0])] = true;
    }
  }
  std::vector<std::vector<std::string>> by_length_;
  bool first_char_[256] = {};
};

enum class Kind { Int, Float, Bool, Text };

struct Value {
  Kind kind = Kind::Text;
  int64_t i = 0;
  double d = 0;
  bool b = false;
};

/// What pandas' parser would make of one non-null field. Locale-free (std::from_chars).
Value classify(std::string_view raw);

/// One column being inferred. States: no value yet (only nulls), bool, int64, float64, string,
/// and "rescan": it held numbers or bools and then text, so its text is re-read in a second pass
/// (the typed values already parsed lost the original spelling, e.g. "007").
class InferringColumn {
 public:
  enum class State { Empty, Typed, Rescan };

  void add(const CsvField& field, const NullTokens& nulls, bool infer, std::string& scratch) {
    if (state_ == State::Rescan) return;
    std::string_view text = field.view();
    if (field.escaped) {
      detail::unescape_into(field, scratch);
      text = scratch;
    }
    if (nulls.contains(text)) {
      if (state_ == State::Empty) {
        ++leading_nulls_;
      } else {
        builder_->append_null();
      }
      return;
    }
    if (state_ == State::Typed && storage_->dtype == DType::String) {
      append_valid(*storage_, text);
      return;
    }
    Value v = infer ? classify(text) : Value{};
    if (state_ == State::Empty) start(v.kind);
    add_typed(v, text);
  }

  State state() const { return state_; }
  ColumnBuilder* builder() { return state_ == State::Typed ? &*builder_ : nullptr; }

  void reserve(size_t rows, size_t chars) {
    if (state_ == State::Typed) builder_->reserve(rows, chars);
  }

  /// Back to no rows, keeping the builder's buffers for the next block of rows.
  void reset() {
    state_ = State::Empty;
    leading_nulls_ = 0;
  }

  Column finish(size_t rows) {
    if (state_ == State::Empty) {  // only nulls: float64, as pandas
      ColumnBuilder b(DType::Float64);
      for (size_t i = 0; i < rows; ++i) b.append_null();
      return b.finish();
    }
    return builder_->finish();
  }

  /// Takes the rows of `block` (this column's values in the rows that follow) as if they had
  /// been added here one by one; `block` is left empty (reset()). A typed block the column cannot
  /// take without the original text (numbers after text, text or numbers after booleans) turns the
  /// column to a re-read, as add() would have.
  void absorb(InferringColumn& block);

 private:
  void start(Kind kind) {
    start(kind == Kind::Int     ? DType::Int64
          : kind == Kind::Float ? DType::Float64
          : kind == Kind::Bool  ? DType::Bool
                                : DType::String);
  }
  void take(InferringColumn& block);
  void add_typed(const Value& v, std::string_view text) {
    const DType dt = storage_->dtype;
    switch (v.kind) {
      case Kind::Int:
        if (dt == DType::Int64) {
          append_valid(*storage_, v.i);
        } else if (dt == DType::Float64) {
          append_valid(*storage_, static_cast<double>(v.i));
        } else {
          to_rescan();
        }
        return;
      case Kind::Float:
        if (dt == DType::Int64) builder_->convert_int64_to_float64();
        if (storage_->dtype == DType::Float64) {
          append_valid(*storage_, v.d);
        } else {
          to_rescan();
        }
        return;
      case Kind::Bool:
        if (dt == DType::Bool) {
          builder_->append_bool(v.b);
        } else {
          to_rescan();
        }
        return;
      case Kind::Text:
        if (dt == DType::String) {
          append_valid(*storage_, text);
        } else {
          to_rescan();
        }
        return;
    }
  }
  void start(DType dt) {
    if (builder_ && builder_->dtype() == dt) {
      builder_->clear();  // a reset column: reuse the buffers
    } else {
      builder_.emplace(dt);
    }
    storage_ = &ColumnBuilderAccess::storage(*builder_);
    for (size_t i = 0; i < leading_nulls_; ++i) builder_->append_null();
    state_ = State::Typed;
  }
  void to_rescan() {
    builder_.reset();
    storage_ = nullptr;
    state_ = State::Rescan;
  }

  State state_ = State::Empty;
  size_t leading_nulls_ = 0;
  std::optional<ColumnBuilder> builder_;
  ColumnStorage* storage_ = nullptr;  // builder_'s, for the inline appends
};

std::vector<std::string> header_names(const CsvField* fields, size_t count,
                                      const std::string& source);

/// ParseError naming line, field and byte unless the field is valid UTF-8: pandas decodes the
/// whole input, and a text cell the reader kept would be refused later by every model that reads
/// it, far from the file. Quotes are ASCII, so the raw bytes decide.
void throw_invalid_utf8(const std::string& source, size_t line, size_t field, size_t offset);
inline void check_utf8(const CsvField& field, const std::string& source, size_t line,
                       size_t index) {
  const size_t bad = invalid_utf8_offset(field.view());
  if (bad != std::string_view::npos) throw_invalid_utf8(source, line, index + 1, bad);
}

/// First pass: header, then every row into inferring columns.
struct InferSink {
  detail::CsvScanner& scanner;
  const NullTokens& nulls;
  const CsvOptions& options;
  const std::string& source;
  std::vector<std::string> names;
  std::vector<InferringColumn> columns;
  bool have_header = false;
  size_t rows = 0;
  size_t header_line = 1;
  bool reserved = false;
  std::string scratch;

  void operator()(const CsvField* fields, size_t count, size_t line) {
    if (!have_header) {
      header_line = line;
      names = header_names(fields, count, source);
      columns.resize(count);
      scanner.set_expected_fields(count);
      have_header = true;
      return;
    }
    for (size_t i = 0; i < count; ++i) {
      check_utf8(fields[i], source, line, i);
      columns[i].add(fields[i], nulls, options.infer_types, scratch);
    }
    ++rows;
  }

  // After the first block, size every buffer for the whole file (by extrapolation). Reserved but
  // untouched pages cost no memory, and growth past it is a realloc (mremap), not a copy.
  void progress(size_t consumed, size_t total) {
    if (reserved || rows == 0 || consumed == 0) return;
    reserved = true;
    double scale = static_cast<double>(total) / static_cast<double>(consumed) * 1.1;
    size_t est_rows = static_cast<size_t>(static_cast<double>(rows) * scale) + 16;
    for (auto& c : columns) {
      ColumnBuilder* b = c.builder();
      if (b == nullptr) continue;
      size_t chars = static_cast<size_t>(static_cast<double>(b->chars()) * scale) + 64;
      c.reserve(est_rows, chars);
    }
  }
};

/// Second pass: the text of the columns that turned out to be strings after holding numbers.
struct RescanSink {
  const NullTokens& nulls;
  std::vector<size_t> targets;
  std::vector<ColumnBuilder> builders;
  bool skipped_header = false;
  std::string scratch;

  void operator()(const CsvField* fields, size_t count, size_t) {
    if (!skipped_header) {
      skipped_header = true;
      return;
    }
    for (size_t k = 0; k < targets.size(); ++k) {
      size_t i = targets[k];
      if (i >= count) continue;
      std::string_view text = fields[i].view();
      if (fields[i].escaped) {
        detail::unescape_into(fields[i], scratch);
        text = scratch;
      }
      if (nulls.contains(text)) {
        builders[k].append_null();
      } else {
        builders[k].append_string(text);
      }
    }
  }
  void progress(size_t, size_t) {}
};

}  // namespace claimlens::detail
