// Internal: a CSV file read at byte offsets, and its header record (csv_parts.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv.hpp"

namespace claimlens::detail {

/// A file read at byte offsets; every failure an IoError naming it, prefixed by `who`.
class CsvFileBytes {
 public:
  CsvFileBytes(const std::string& path, const char* who);
  std::uint64_t size() const { return size_; }
  /// Bytes [offset, offset + n); IoError when the file ends before (it changed).
  void read(std::uint64_t offset, char* out, std::size_t n);

 private:
  std::string path_;
  const char* who_;
  std::ifstream in_;
  std::uint64_t size_ = 0;
};

/// A file's header record as read_csv reads it (a byte-order mark and blank lines skipped).
struct CsvHead {
  std::string bytes;  // the file's bytes before its first row: what a chunk is parsed under
  std::uint64_t data_line = 1;  // the line of the byte after them
  std::uint64_t file_size = 0;
  std::vector<std::string> names;
  std::uint64_t data_begin() const { return bytes.size(); }
};

/// The header of `path`: IoError when it cannot be read, ParseError as read_csv's for a file
/// without a header record or a malformed one.
CsvHead read_csv_head(const std::string& path, const CsvOptions& options, const char* who);

}  // namespace claimlens::detail
