// Internal: an RFC 4180 scanner over one block of bytes, producing whole rows of fields.
//
// Why not fast-cpp-csv-parser's io::LineReader: it cuts the input at every '\n', so a quoted field
// holding a newline would have to be glued back together across lines (with a copy), and each
// line costs a separate scan for '\n' before the field scan. This scanner walks each byte once,
// finds field ends 16 bytes at a time (SSE2), handles quotes and newlines inside them natively and
// hands out fields as pointers into the block (no copy). The caller streams the file through it
// in blocks, carrying an incomplete last row over to the next block.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "claimlens/error.hpp"

namespace claimlens::detail {

/// One field: the text between the delimiters (without the enclosing quotes). `escaped` means it
/// still holds doubled quotes ("") to be turned into single ones.
struct CsvField {
  const char* data;
  size_t size;
  bool quoted;
  bool escaped;
  std::string_view view() const { return std::string_view(data, size); }
};

/// Appends the field's text with doubled quotes undone.
inline void unescape_into(const CsvField& field, std::string& out) {
  out.clear();
  if (!field.escaped) {
    out.assign(field.data, field.size);
    return;
  }
  for (size_t i = 0; i < field.size; ++i) {
    out.push_back(field.data[i]);
    if (field.data[i] == '"') ++i;  // skip the second quote of the pair
  }
}

inline std::string csv_location(const std::string& source, size_t line, size_t field) {
  return source + ":" + std::to_string(line) + ":" + std::to_string(field) + ": ";
}

class CsvScanner {
 public:
  CsvScanner(char delimiter, std::string source) : delim_(delimiter), source_(std::move(source)) {}

  char delimiter() const { return delim_; }
  /// Physical line (1-based) where the next row starts.
  size_t line() const { return line_; }
  /// Numbers the next row's line `line` (CsvOptions::first_line).
  void set_line(size_t line) { line_ = line; }
  /// Number of fields every row must have (0 before the header is read).
  void set_expected_fields(size_t n) { expected_ = n; }
  /// Resource bounds (CsvOptions::max_field_bytes, max_columns): checked as the bytes arrive, so
  /// an oversized field or row is rejected before the caller widens its block to hold it.
  void set_limits(size_t max_field_bytes, size_t max_columns) {
    max_field_ = max_field_bytes;
    max_columns_ = max_columns;
  }

  /// Scans complete rows of [data, data+size), calling sink(fields, count, line) for each (the
  /// first is the header). Returns the bytes consumed; the rest is an incomplete row to be passed
  /// again, with more data after it, unless `eof`. Stops after `max_rows` rows (counting the
  /// header). Throws ParseError on malformed input.
  template <class Sink>
  size_t scan(const char* data, size_t size, bool eof, Sink&& sink,
              size_t max_rows = static_cast<size_t>(-1)) {
    size_t rows = 0;
    const char* const end = data + size;
    const char* p = data;
    while (p < end) {
      const char* row_start = p;
      const size_t row_line = line_;
      // Blank line: skipped, as pandas' skip_blank_lines.
      if (*p == '\n' || *p == '\r') {
        if (*p == '\r') {
          if (p + 1 == end && !eof) return static_cast<size_t>(row_start - data);
          if (p + 1 < end && p[1] == '\n') ++p;
        }
        ++p;
        ++line_;
        continue;
      }
      fields_.clear();
      bool row_done = false;
      while (!row_done) {
        CsvField field{p, 0, false, false};
        if (p < end && *p == '"') {
          // Quoted field: up to the next quote that is not doubled.
          const char* q = p + 1;
          field.data = q;
          field.quoted = true;
          for (;;) {
            q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
            if (q == nullptr || (q + 1 == end && !eof)) {
              check_field_size(static_cast<size_t>(end - field.data), row_start, p, row_line);
              if (!eof) return rewind(row_start, row_line, data);
              throw ParseError(
                  csv_location(source_, row_line_of(row_start, p, row_line), fields_.size() + 1) +
                  "unterminated quoted field (no closing quote before the end of the "
                  "input)");
            }
            if (q + 1 < end && q[1] == '"') {
              field.escaped = true;
              q += 2;
              continue;
            }
            break;
          }
          field.size = static_cast<size_t>(q - field.data);
          check_field_size(field.size, row_start, p, row_line);
          line_ += static_cast<size_t>(std::count(field.data, q, '\n'));
          p = q + 1;
          if (p < end && *p != delim_ && *p != '\n' && *p != '\r') {
            throw ParseError(csv_location(source_, line_, fields_.size() + 1) +
                             "unexpected character '" + printable(*p) +
                             "' after the closing quote of a quoted field");
          }
        } else {
          p = find_field_end(p, end);
          field.size = static_cast<size_t>(p - field.data);
          check_field_size(field.size, row_start, field.data, row_line);
        }
        if (fields_.size() == max_columns_) {
          throw ParseError(csv_location(source_, row_line, fields_.size() + 1) +
                           "more than the limit of " + std::to_string(max_columns_) +
                           " fields in a row (CsvOptions::max_columns)");
        }
        fields_.push_back(field);
        if (p == end) {
          if (!eof) return rewind(row_start, row_line, data);
          row_done = true;
        } else if (*p == delim_) {
          ++p;
          if (p == end && !eof) return rewind(row_start, row_line, data);
          // A delimiter at the very end of the input ends the row with one empty field more.
        } else {  // '\r' or '\n'
          if (*p == '\r') {
            if (p + 1 == end && !eof) return rewind(row_start, row_line, data);
            if (p + 1 < end && p[1] == '\n') ++p;
          }
          ++p;
          ++line_;
          row_done = true;
        }
        if (p == end && eof && !row_done) {
          fields_.push_back(CsvField{p, 0, false, false});
          row_done = true;
        }
      }
      check_count(row_line);
      sink(fields_.data(), fields_.size(), row_line);
      if (++rows == max_rows) return static_cast<size_t>(p - data);
    }
    return size;
  }

 private:
  size_t rewind(const char* row_start, size_t row_line, const char* data) {
    line_ = row_line;
    return static_cast<size_t>(row_start - data);
  }

  // Line of the quote opening a field: the row's line plus newlines inside earlier fields.
  static size_t row_line_of(const char* row_start, const char* at, size_t row_line) {
    return row_line + static_cast<size_t>(std::count(row_start, at, '\n'));
  }

  static std::string printable(char c) {
    if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) {
      return std::string(1, c);
    }
    static const char* hex = "0123456789abcdef";
    unsigned char u = static_cast<unsigned char>(c);
    return std::string("\\x") + hex[u >> 4] + hex[u & 15];
  }

  void check_field_size(size_t size, const char* row_start, const char* at, size_t row_line) const {
    if (size <= max_field_) return;
    throw ParseError(
        csv_location(source_, row_line_of(row_start, at, row_line), fields_.size() + 1) +
        "field is longer than the limit of " + std::to_string(max_field_) +
        " bytes (CsvOptions::max_field_bytes)");
  }

  void check_count(size_t row_line) const {
    if (expected_ == 0 || fields_.size() == expected_) return;
    size_t at = fields_.size() < expected_ ? fields_.size() + 1 : expected_ + 1;
    throw ParseError(csv_location(source_, row_line, at) + "expected " + std::to_string(expected_) +
                     " fields, found " + std::to_string(fields_.size()));
  }

  // First delimiter, '\r' or '\n' at or after p (end when none).
  const char* find_field_end(const char* p, const char* end) const {
#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8(delim_);
    const __m128i nl = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    while (end - p >= 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, nl)),
                                 _mm_cmpeq_epi8(v, cr));
      int mask = _mm_movemask_epi8(hit);
      if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
      p += 16;
    }
#endif
    while (p < end && *p != delim_ && *p != '\n' && *p != '\r') ++p;
    return p;
  }

  char delim_;
  std::string source_;
  size_t line_ = 1;
  size_t expected_ = 0;
  size_t max_field_ = static_cast<size_t>(-1);
  size_t max_columns_ = static_cast<size_t>(-1);
  std::vector<CsvField> fields_;
};

}  // namespace claimlens::detail
