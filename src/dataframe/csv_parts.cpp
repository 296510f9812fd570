// csv_rank_parts (claimlens/dataframe/csv_parts.hpp): the files' data bytes cut among the ranks
// at row starts, each rank reading only its own range and the header records of its share of
// the files.
//
// A row starts at a file's first data byte and after each '\n' outside quotes. Whether a '\n' is
// outside quotes depends on the parity of the quotes before it in the file, which a rank cannot
// know for its own range until the ranks before it have counted theirs. So each rank counts what
// it would need under either parity (the first '\n' at an even and at an odd local count, lone
// '\r' line ends by local parity), the counts are allgathered, and a walk over every rank's
// counts in order fixes each range's true parity and line, and so every cut, the same on every
// rank, with one pass over the data and two collectives.
#include "claimlens/dataframe/csv_parts.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "claimlens/error.hpp"
#include "csv_file.hpp"

namespace claimlens {

namespace {

constexpr const char* kWho = "csv_rank_parts";

/// A file's data bytes and their place in the global sequence.
struct FileData {
  std::uint64_t begin = 0;   // data begin (after the header record)
  std::uint64_t size = 0;    // the file's size: its data end
  std::uint64_t line = 1;    // the line at `begin`
  std::uint64_t global = 0;  // where `begin` falls in the global sequence
};

/// The part of one rank's range that falls in one file.
struct Segment {
  std::size_t file = 0;
  std::uint64_t begin = 0;  // file offsets
  std::uint64_t end = 0;
  int rank = 0;
};

/// What a rank counts in one segment, by the parity of the quotes seen since its start (index
/// 0: even). Plain integers only: it travels through allgather as bytes.
struct SegmentScan {
  std::uint64_t quotes = 0;
  std::uint64_t newlines = 0;
  std::uint64_t lone_cr[2] = {};         // '\r' not followed by '\n': a line end when unquoted
  std::uint64_t first_row[2] = {};       // offset after the first '\n' at that parity (0: none)
  std::uint64_t lines_to_first[2] = {};  // lines from the segment's start to that row start
  std::uint64_t ends_with_newline = 0;
};
static_assert(std::is_trivially_copyable<SegmentScan>::value, "sent as bytes");

/// A cut of the global sequence: a row start in `file` (offset == size: the next file's start).
struct Cut {
  std::size_t file = 0;
  std::uint64_t offset = 0;
  std::uint64_t line = 0;
};

/// Rank k's share of `total` bytes begins at k * total / n (without overflow).
std::uint64_t range_begin(std::uint64_t total, int k, int n) {
  const auto uk = static_cast<std::uint64_t>(k);
  const auto un = static_cast<std::uint64_t>(n);
  return total / un * uk + total % un * uk / un;
}

std::vector<Segment> segments_of(const std::vector<FileData>& files, std::uint64_t total, int n) {
  std::vector<Segment> segments;
  for (int k = 0; k < n; ++k) {
    const std::uint64_t lo = range_begin(total, k, n);
    const std::uint64_t hi = range_begin(total, k + 1, n);
    for (std::size_t f = 0; f < files.size(); ++f) {
      const FileData& d = files[f];
      const std::uint64_t a = std::max(lo, d.global);
      const std::uint64_t b = std::min(hi, d.global + (d.size - d.begin));
      if (a < b) segments.push_back({f, d.begin + (a - d.global), d.begin + (b - d.global), k});
    }
  }
  return segments;
}

void count_bytes(const char* p, std::size_t n, std::size_t lookahead, std::uint64_t offset,
                 SegmentScan& s) {
  for (std::size_t i = 0; i < n; ++i) {
    const char c = p[i];
    if (static_cast<unsigned char>(c) > '"') continue;  // the common case: nothing to count
    const std::size_t parity = s.quotes & 1;
    if (c == '"') {
      ++s.quotes;
    } else if (c == '\n') {
      if (s.first_row[parity] == 0) {
        s.first_row[parity] = offset + i + 1;
        s.lines_to_first[parity] = s.newlines + s.lone_cr[parity] + 1;
      }
      ++s.newlines;
    } else if (c == '\r' && (i + 1 >= n + lookahead || p[i + 1] != '\n')) {
      ++s.lone_cr[parity];
    }
  }
}

/// One pass over [begin, end) in 1 MiB blocks, each with the byte after it (a '\r' before it is
/// a line end of its own unless that byte is '\n').
SegmentScan scan_segment(detail::CsvFileBytes& file, std::uint64_t begin, std::uint64_t end) {
  constexpr std::size_t kBlock = std::size_t{1} << 20;
  SegmentScan s;
  std::vector<char> buf;
  for (std::uint64_t at = begin; at < end;) {
    const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kBlock, end - at));
    const std::size_t lookahead = at + n < file.size() ? 1 : 0;
    buf.resize(n + lookahead);
    file.read(at, buf.data(), buf.size());
    count_bytes(buf.data(), n, lookahead, at, s);
    s.ends_with_newline = buf[n - 1] == '\n' ? 1 : 0;
    at += n;
  }
  return s;
}

/// Every file's data range, each rank probing the headers of files k, k + n, ...; the first
/// file (in order) that fails is reported by every rank (comm.agree).
std::vector<FileData> probe_files(const std::vector<std::string>& paths, Communicator& comm,
                                  const CsvOptions& options) {
  const int n = comm.size();
  std::vector<std::uint64_t> mine;  // per probed file: size, data begin, data line, failed
  std::vector<std::string> errors;
  std::vector<std::string> first_names;
  bool have_first = false;
  try {  // to compare the headers of this rank's files with
    if (static_cast<std::size_t>(comm.rank()) < paths.size()) {
      first_names = detail::read_csv_head(paths[0], options, kWho).names;
      have_first = true;
    }
  } catch (const Error&) {
    // file 0's own prober reports it
  }
  for (std::size_t f = static_cast<std::size_t>(comm.rank()); f < paths.size();
       f += static_cast<std::size_t>(n)) {
    try {
      const detail::CsvHead head = detail::read_csv_head(paths[f], options, kWho);
      if (have_first && head.names != first_names) {
        throw SchemaError(std::string(kWho) + ": " + paths[f] + " does not have the header of " +
                          paths[0] + " (the same column names in the same order)");
      }
      mine.insert(mine.end(), {head.file_size, head.data_begin(), head.data_line, 0});
      errors.emplace_back();
    } catch (const Error& e) {
      mine.insert(mine.end(), {0, 0, 0, 1});
      errors.emplace_back(e.what());
    }
  }
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all =
      comm.allgather(mine.data(), mine.size() * sizeof(std::uint64_t), offsets);
  std::vector<FileData> files(paths.size());
  std::size_t first_failed = paths.size();
  std::uint64_t global = 0;
  for (std::size_t f = 0; f < paths.size(); ++f) {
    const std::size_t k = f % static_cast<std::size_t>(n);
    std::uint64_t v[4];
    std::memcpy(v, all.data() + offsets[k] + f / static_cast<std::size_t>(n) * sizeof v, sizeof v);
    if (v[3] != 0 && first_failed == paths.size()) first_failed = f;
    files[f] = {v[1], v[0], v[2], global};
    global += v[0] - v[1];
  }
  const bool mine_failed =
      first_failed < paths.size() &&
      first_failed % static_cast<std::size_t>(n) == static_cast<std::size_t>(comm.rank());
  comm.agree(mine_failed ? errors[first_failed / static_cast<std::size_t>(n)] : std::string());
  return files;
}

/// Every segment's counts, each rank scanning its own.
std::vector<SegmentScan> scan_all(const std::vector<std::string>& paths,
                                  const std::vector<Segment>& segments, Communicator& comm) {
  std::vector<SegmentScan> mine;
  std::string error;
  try {
    for (const Segment& s : segments) {
      if (s.rank != comm.rank()) continue;
      detail::CsvFileBytes file(paths[s.file], kWho);
      mine.push_back(scan_segment(file, s.begin, s.end));
    }
  } catch (const Error& e) {
    error = e.what();
  }
  comm.agree(error);
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all =
      comm.allgather(mine.data(), mine.size() * sizeof(SegmentScan), offsets);
  std::vector<SegmentScan> scans(segments.size());
  std::vector<std::size_t> next(static_cast<std::size_t>(comm.size()), 0);
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto k = static_cast<std::size_t>(segments[i].rank);
    std::memcpy(&scans[i], all.data() + offsets[k] + next[k]++ * sizeof(SegmentScan),
                sizeof(SegmentScan));
  }
  return scans;
}

/// The cuts: the global sequence's row starts at or after each segment's start, from the
/// segments' counts in order (their true quote parity and line).
class Cuts {
 public:
  Cuts(const std::vector<FileData>& files, const std::vector<Segment>& segments,
       const std::vector<SegmentScan>& scans)
      : files_(files), segments_(segments), scans_(scans), state_(segments.size()) {
    for (std::size_t i = 0; i < segments.size(); ++i) {
      const bool first = i == 0 || segments[i - 1].file != segments[i].file;
      if (first) {
        state_[i] = {0, files[segments[i].file].line, true};
        continue;
      }
      const State& prev = state_[i - 1];
      const SegmentScan& s = scans[i - 1];
      const std::uint64_t parity = (prev.quotes + s.quotes) & 1;
      const std::uint64_t lines = s.newlines + s.lone_cr[prev.quotes & 1];
      state_[i] = {prev.quotes + s.quotes, prev.line + lines,
                   s.ends_with_newline != 0 && parity == 0};
    }
  }

  /// The first row start at or after global offset g (a segment's start, or the end).
  Cut at(std::uint64_t g) const {
    std::size_t i = 0;
    while (i < segments_.size() && global_begin(i) != g) ++i;
    if (i == segments_.size()) return {files_.size(), 0, 0};
    const Segment& first = segments_[i];
    if (state_[i].row_start) return {first.file, first.begin, state_[i].line};
    for (; i < segments_.size() && segments_[i].file == first.file; ++i) {
      const std::uint64_t p = state_[i].quotes & 1;
      if (scans_[i].first_row[p] != 0) {
        return {first.file, scans_[i].first_row[p], state_[i].line + scans_[i].lines_to_first[p]};
      }
    }
    return {first.file, files_[first.file].size, 0};
  }

 private:
  struct State {
    std::uint64_t quotes = 0;  // in the file's data before the segment
    std::uint64_t line = 1;    // the line at the segment's start
    bool row_start = false;    // a row starts at the segment's start
  };
  std::uint64_t global_begin(std::size_t i) const {
    const FileData& d = files_[segments_[i].file];
    return d.global + (segments_[i].begin - d.begin);
  }

  const std::vector<FileData>& files_;
  const std::vector<Segment>& segments_;
  const std::vector<SegmentScan>& scans_;
  std::vector<State> state_;
};

/// The parts between two cuts, file by file.
std::vector<CsvPart> parts_between(const std::vector<std::string>& paths,
                                   const std::vector<FileData>& files, const Cut& from,
                                   const Cut& to) {
  std::vector<CsvPart> parts;
  for (std::size_t f = from.file; f < files.size() && f <= to.file; ++f) {
    const bool first = f == from.file;
    const std::uint64_t begin = first ? from.offset : files[f].begin;
    const std::uint64_t end = f == to.file ? to.offset : files[f].size;
    if (begin < end) {
      parts.push_back({paths[f], begin, end, first ? from.line : files[f].line, files[f].size});
    }
  }
  return parts;
}

}  // namespace

std::vector<CsvPart> csv_rank_parts(const std::vector<std::string>& files, Communicator& comm,
                                    const CsvOptions& options) {
  if (files.empty()) throw InvalidArgument("csv_rank_parts: no files");
  const std::vector<FileData> data = probe_files(files, comm, options);
  const std::uint64_t total = data.back().global + (data.back().size - data.back().begin);
  const int n = comm.size();
  const std::vector<Segment> segments = segments_of(data, total, n);
  const std::vector<SegmentScan> scans = scan_all(files, segments, comm);
  const Cuts cuts(data, segments, scans);
  const int k = comm.rank();
  const Cut from = k == 0 ? Cut{0, data[0].begin, data[0].line} : cuts.at(range_begin(total, k, n));
  const Cut to = k + 1 == n ? Cut{data.size(), 0, 0} : cuts.at(range_begin(total, k + 1, n));
  return parts_between(files, data, from, to);
}

}  // namespace claimlens
