// CsvFileBytes and read_csv_head (csv_file.hpp).
#include "csv_file.hpp"

#include <cerrno>
#include <cstring>

#include "claimlens/error.hpp"
#include "csv_infer.hpp"
#include "csv_input.hpp"
#include "csv_scanner.hpp"

namespace claimlens::detail {

CsvFileBytes::CsvFileBytes(const std::string& path, const char* who)
    : path_(path), who_(who), in_(path, std::ios::binary) {
  if (!in_) {
    throw IoError(std::string(who_) + ": cannot open " + path_ + ": " + std::strerror(errno));
  }
  in_.seekg(0, std::ios::end);
  const std::streamoff end = in_.tellg();
  if (!in_ || end < 0) throw IoError(std::string(who_) + ": cannot read " + path_);
  size_ = static_cast<std::uint64_t>(end);
}

void CsvFileBytes::read(std::uint64_t offset, char* out, std::size_t n) {
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(offset));
  in_.read(out, static_cast<std::streamsize>(n));
  if (static_cast<std::size_t>(in_.gcount()) != n) {
    throw IoError(std::string(who_) + ": " + path_ + " ended before byte " +
                  std::to_string(offset + n) + " (of the " + std::to_string(size_) +
                  " it had when opened): it changed while being read");
  }
}

CsvHead read_csv_head(const std::string& path, const CsvOptions& options, const char* who) {
  CsvFileBytes file(path, who);
  CsvHead head;
  head.file_size = file.size();
  CsvInput input(&path, std::string_view());
  CsvScanner scanner(options.delimiter, path);
  scanner.set_limits(options.max_field_bytes, options.max_columns);
  bool have = false;
  auto sink = [&](const CsvField* fields, std::size_t count, std::size_t) {
    head.names = header_names(fields, count, path);
    have = true;
  };
  // Windows doubling from 64 KiB, as read_csv widens its block for a long row.
  for (std::size_t want = std::size_t{1} << 16;; want *= 2) {
    bool eof = false;
    const std::string_view window = input.window(want, eof);
    const std::size_t used = scanner.scan(window.data(), window.size(), eof, sink, 1);
    input.consume(used);
    if (have) break;
    if (eof) throw ParseError(csv_location(path, 1, 1) + "empty input: no header row");
  }
  head.data_line = scanner.line();
  head.bytes.resize(input.consumed());
  file.read(0, head.bytes.data(), head.bytes.size());
  return head;
}

}  // namespace claimlens::detail
