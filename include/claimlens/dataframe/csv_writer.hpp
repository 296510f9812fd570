// Writing a DataFrame as CSV text, like pandas' DataFrame.to_csv(index=False): a header row, RFC
// 4180 quoting (a field holding the delimiter, a double quote, CR or LF is quoted, its quotes
// doubled), numbers locale-free and shortest round-trip (a whole float keeps ".0", so it reads back
// as float64), bools as True/False, nulls as empty fields. read_csv reads the text back to an
// equal frame. The text is built in memory: callers write it with io::atomic_write_file.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace claimlens {

class DataFrame;

struct CsvWriteOptions {
  char delimiter = ',';
  /// pandas' lineterminator; "\r\n" for files like tiktok_dataset.csv.
  std::string line_terminator = "\n";
};

/// Appends one field, quoted only when it must be (delimiter, '"', '\r' or '\n' inside).
void append_csv_field(std::string& out, std::string_view field, char delimiter = ',');

/// The whole frame as CSV text. InvalidArgument when the delimiter is '"', '\r' or '\n'.
std::string to_csv(const DataFrame& frame, const CsvWriteOptions& options = {});
/// Same, streamed to `out` (IoError when the stream fails).
void write_csv(const DataFrame& frame, std::ostream& out, const CsvWriteOptions& options = {});

}  // namespace claimlens
