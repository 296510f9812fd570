// Internal: the bytes of a CSV, a window at a time, for the serial and the parallel reader.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "column_storage.hpp"

namespace claimlens::detail {

/// A buffer in memory, or a file read in big blocks (unbuffered: the reader's blocks are the
/// buffer). A UTF-8 byte-order mark at the start is skipped. IoError naming the file when it
/// cannot be opened or read.
class CsvInput {
 public:
  /// Reads `*path`, or `buffer` when path is null (the buffer must outlive this).
  CsvInput(const std::string* path, std::string_view buffer);

  /// Size of the whole input in bytes when known (a regular file, a buffer), else 0.
  size_t total() const { return total_; }
  /// Bytes consumed so far, from the start of the input (the byte-order mark included).
  size_t consumed() const { return consumed_; }
  /// Up to `want` of the bytes not consumed yet, fewer only at the end of the input; `eof` tells
  /// whether they reach it. The bytes stay valid until the next call.
  std::string_view window(size_t want, bool& eof);
  /// Marks the first n bytes of the last window consumed.
  void consume(size_t n);

 private:
  void fill(size_t want);

  const std::string* path_;
  std::string_view buffer_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_{nullptr, &std::fclose};
  PodBuffer<char> buf_;  // file bytes [start_, have_) not consumed yet
  size_t start_ = 0;
  size_t have_ = 0;
  bool file_eof_ = false;
  bool bom_checked_ = false;
  size_t total_ = 0;
  size_t consumed_ = 0;
};

}  // namespace claimlens::detail
