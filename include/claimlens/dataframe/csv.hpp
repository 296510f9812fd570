// CSV reading (RFC 4180) into a DataFrame with pandas-like type inference.
//
// Accepted: a required header row, quoted fields with commas, doubled quotes and newlines inside,
// LF and CRLF line ends, a UTF-8 byte-order mark, a last line without a line end, blank lines
// (skipped, as pandas). A quote inside an unquoted field is kept as a literal character (as pandas
// and Python's csv module do).
//
// Types, per column: all integers -> int64, all numbers -> float64, all True/False (any of pandas'
// spellings) -> bool, else string; the null tokens (pandas' defaults) never decide a type, and a
// column with only nulls is float64. A column that first looked numeric and then turned out to
// be text keeps its exact original text (re-read, e.g. "007" stays "007").
//
// Errors: claimlens::ParseError, one line `FILE:LINE:FIELD: reason` (1-based physical line where
// the row starts, 1-based field number), for a ragged row, an unterminated quote, text after a
// closing quote, a duplicate header name or an empty input; IoError naming the file when it
// cannot be read. Nothing is returned on error (never a partial frame). A field longer than
// CsvOptions::max_field_bytes or a row wider than max_columns is a ParseError as well.
//
// Threads: an input of two blocks or more (CsvOptions::parallel_block_bytes) is parsed a window
// of blocks at a time, the blocks side by side, cut at line ends guessed by quote parity and
// checked after parsing; the frame and any error are the one-thread reader's (a wrong guess,
// e.g. a quote inside an unquoted field, or a malformed row makes it read serially again).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace claimlens {

class DataFrame;

/// Default bound on one field's bytes (64 MiB; a video transcription is a few hundred bytes).
inline constexpr std::size_t kCsvMaxFieldBytes = std::size_t{64} << 20;
/// Default bound on the fields of a row (16384, a spreadsheet's column limit).
inline constexpr std::size_t kCsvMaxColumns = 16384;

struct CsvOptions {
  char delimiter = ',';
  /// Recognize pandas' default null tokens ("", "NA", "#N/A", "NULL", "nan", ...).
  bool default_na = true;
  /// Extra null tokens.
  std::vector<std::string> na_values;
  /// Infer int64/float64/bool; false keeps every column as strings.
  bool infer_types = true;
  /// Resource bounds (docs/limits.md): a longer field, or a row with more fields, is a ParseError
  /// naming the line and field, raised before the reader buffers more of it.
  std::size_t max_field_bytes = kCsvMaxFieldBytes;
  std::size_t max_columns = kCsvMaxColumns;
  /// Threads for an input of two blocks or more (n_jobs: 0 or -1 = all cores). The frame, and
  /// the error for a malformed input, never depend on it.
  int n_jobs = 0;
  /// Bytes of the blocks a thread parses at a time (2 MiB: the blocks' buffers, kept from window
  /// to window, are the memory the threads add).
  std::size_t parallel_block_bytes = std::size_t{2} << 20;
  /// Line number of the input's first line in error messages: a buffer cut from a file (its
  /// header, then rows from deep inside it; csv_parts.hpp) names the file's own lines.
  std::size_t first_line = 1;
};

/// pandas' default null tokens (read_csv's STR_NA_VALUES), sorted.
const std::vector<std::string>& default_na_values();

DataFrame read_csv(const std::string& path, const CsvOptions& options = {});
DataFrame read_csv_buffer(std::string_view data, const CsvOptions& options = {},
                          const std::string& source_name = "<buffer>");

}  // namespace claimlens
