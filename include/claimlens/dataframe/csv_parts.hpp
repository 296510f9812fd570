// CSV files shared among the ranks of a distributed run by byte ranges cut at row boundaries, and
// a rank's share read a chunk at a time (docs/scale-out.md, "One file split among ranks").
//
// What holds: the ranks' parts, read in rank order, are the rows of read_csv of each file in the
// order given, whatever the rank count and the chunk size; parse errors name the file and the
// line read_csv of the whole file names.
//
// The cuts follow quote parity (a '\n' after an even number of '"' since the file's data start
// ends a row), which is exact for RFC 4180 files. A quote inside an unquoted field (kept literally,
// as pandas does) can upset it: the rank whose part then ends inside a quoted field raises a
// ParseError saying so (never wrong rows); read such a file on one rank.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "claimlens/communicator.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/frame_chunks.hpp"

namespace claimlens {

namespace detail {
struct CsvHead;
}  // namespace detail

/// A byte range of one CSV file holding whole rows: the rows that start in [begin, end).
struct CsvPart {
  std::string path;
  std::uint64_t begin = 0;       // byte offset of the part's first row (after the header)
  std::uint64_t end = 0;         // one past its last row's terminator (a row start or EOF)
  std::uint64_t first_line = 0;  // 1-based physical line number of the row at `begin`
  /// The file's size when the parts were computed (0: taken when CsvChunks is made): a file of
  /// another size when read is an IoError, not rows from a file that changed.
  std::uint64_t file_size = 0;
};

/// Collective (every rank of comm calls it with the same files): this rank's parts of `files`.
/// The data bytes of all files (each file after its header record) are taken as one sequence
/// in the order given and cut into comm.size() nearly equal ranges; each cut moves forward to the
/// next row start, found exactly (not speculatively) from the quote parity at the cut: each rank
/// scans only its own range counting quote characters and newlines per file, the counts are
/// allgathered, and prefix sums give every cut's parity and line number. A rank gets the parts
/// (file, range) of its range: none when it falls inside one row, several when it spans files.
/// Global row order is file order then byte order, which is rank order. Errors (a missing file,
/// an unreadable file, a file with no header, a header unlike the first file's) throw
/// CollectiveError on every rank (comm.agree), naming the first such file.
std::vector<CsvPart> csv_rank_parts(const std::vector<std::string>& files, Communicator& comm,
                                    const CsvOptions& options = {});

/// A rank's parts read a chunk at a time: each chunk is about `chunk_bytes` of whole rows parsed
/// with read_csv's parser and inference (per chunk) under the file's header. Parse errors name the
/// file and its own physical line number (as read_csv of the whole file would), not the chunk's.
/// Every file's header must equal the first file's (SchemaError naming both files otherwise).
/// Only a chunk (and the row that ends it) is in memory at a time; a row longer than chunk_bytes
/// makes its chunk longer, within CsvOptions::max_field_bytes and max_columns as for read_csv.
class CsvChunks final : public FrameChunks {
 public:
  explicit CsvChunks(std::vector<CsvPart> parts, CsvOptions options = {},
                     std::size_t chunk_bytes = std::size_t{64} << 20);
  void for_each(const std::function<void(const DataFrame&)>& visit) const override;
  /// A whole file as one part (no communicator), for a single process.
  static std::vector<CsvPart> whole_file(const std::string& path, const CsvOptions& options = {});

 private:
  void read_part(const CsvPart& part, const detail::CsvHead& head,
                 const std::function<void(const DataFrame&)>& visit) const;

  std::vector<CsvPart> parts_;
  std::vector<std::shared_ptr<const detail::CsvHead>> heads_;  // each part's file's header
  CsvOptions options_;
  std::size_t chunk_bytes_;
};

}  // namespace claimlens
