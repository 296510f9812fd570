// CsvChunks (claimlens/dataframe/csv_parts.hpp): a rank's parts read a chunk at a time.
//
// A chunk ends where read_csv's own scanner, run over the bytes read so far without the end of
// the input, stops: after the last complete row. That is exact whatever the quotes hold (no parity
// guess), and the same scanner tells the rows' lines. The chunk is then parsed by read_csv under
// the file's header bytes, numbered from its own first line (CsvOptions::first_line), so rows,
// types and error messages are read_csv's.
#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include "claimlens/dataframe/csv_parts.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "csv_file.hpp"
#include "csv_scanner.hpp"

namespace claimlens {

namespace {

constexpr const char* kWho = "CsvChunks";

void check_size(const CsvPart& part, std::uint64_t size) {
  if (size == part.file_size) return;
  throw IoError(std::string(kWho) + ": " + part.path + " has " + std::to_string(size) +
                " bytes, not the " + std::to_string(part.file_size) +
                " it had when its parts were computed: it changed");
}

void check_part(const CsvPart& part, const detail::CsvHead& head) {
  if (part.begin < head.data_begin() || part.begin > part.end || part.end > head.file_size ||
      part.first_line < head.data_line) {
    throw InvalidArgument(std::string(kWho) + ": the part [" + std::to_string(part.begin) + ", " +
                          std::to_string(part.end) + ") at line " +
                          std::to_string(part.first_line) + " is not rows of " + part.path +
                          " (its rows are bytes [" + std::to_string(head.data_begin()) + ", " +
                          std::to_string(head.file_size) + "), from line " +
                          std::to_string(head.data_line) + ")");
  }
}

/// The bytes of [data, data + size) that are complete rows, read_csv's scanner says (not at the
/// end of the input: a row may continue past it); `line` becomes the line after them.
std::size_t complete_rows(const char* data, std::size_t size, const CsvOptions& options,
                          const std::string& source, std::uint64_t& line) {
  detail::CsvScanner scanner(options.delimiter, source);
  scanner.set_limits(options.max_field_bytes, options.max_columns);
  scanner.set_line(static_cast<std::size_t>(line));
  const std::size_t used =
      scanner.scan(data, size, false, [](const detail::CsvField*, std::size_t, std::size_t) {});
  line = scanner.line();
  return used;
}

[[noreturn]] void throw_past_end(const CsvPart& part, std::uint64_t line) {
  throw ParseError(detail::csv_location(part.path, static_cast<std::size_t>(line), 1) +
                   "this row runs past byte " + std::to_string(part.end) +
                   ", where its part ends: the part was not cut at a row boundary (csv_rank_parts "
                   "cuts by quote parity, which a quote inside an unquoted field upsets; read "
                   "this file on one rank)");
}

}  // namespace

CsvChunks::CsvChunks(std::vector<CsvPart> parts, CsvOptions options, std::size_t chunk_bytes)
    : parts_(std::move(parts)), options_(std::move(options)), chunk_bytes_(chunk_bytes) {
  if (chunk_bytes_ == 0) throw InvalidArgument("CsvChunks: chunk_bytes must be >= 1");
  std::map<std::string, std::shared_ptr<const detail::CsvHead>> by_path;
  for (CsvPart& part : parts_) {
    auto& head = by_path[part.path];
    if (!head)
      head =
          std::make_shared<const detail::CsvHead>(detail::read_csv_head(part.path, options_, kWho));
    if (part.file_size == 0) part.file_size = head->file_size;
    check_size(part, head->file_size);
    check_part(part, *head);
    if (!heads_.empty() && head->names != heads_[0]->names) {
      throw SchemaError(std::string(kWho) + ": " + part.path + " does not have the header of " +
                        parts_[0].path + " (the same column names in the same order)");
    }
    heads_.push_back(head);
  }
}

std::vector<CsvPart> CsvChunks::whole_file(const std::string& path, const CsvOptions& options) {
  const detail::CsvHead head = detail::read_csv_head(path, options, "CsvChunks::whole_file");
  if (head.data_begin() == head.file_size) return {};
  return {CsvPart{path, head.data_begin(), head.file_size, head.data_line, head.file_size}};
}

void CsvChunks::for_each(const std::function<void(const DataFrame&)>& visit) const {
  for (std::size_t i = 0; i < parts_.size(); ++i) read_part(parts_[i], *heads_[i], visit);
}

// The buffer holds the header bytes, then the part's bytes from `pos` on: the rows not parsed
// yet, at least chunk_bytes of them, or all to the part's end, or a row longer than that whole.
void CsvChunks::read_part(const CsvPart& part, const detail::CsvHead& head,
                          const std::function<void(const DataFrame&)>& visit) const {
  if (part.begin == part.end) return;
  detail::CsvFileBytes file(part.path, kWho);
  check_size(part, file.size());
  std::string buf = head.bytes;
  const std::size_t header = buf.size();
  std::uint64_t pos = part.begin;
  std::uint64_t line = part.first_line;
  std::size_t want = chunk_bytes_;
  CsvOptions options = options_;
  while (pos < part.end) {
    const std::size_t have = buf.size() - header;
    if (have >= want) want = 2 * have;  // the carried row is longer: read past it
    const auto target = static_cast<std::size_t>(std::min<std::uint64_t>(want, part.end - pos));
    buf.resize(header + target);
    file.read(pos + have, &buf[header + have], target - have);
    options.first_line = static_cast<std::size_t>(line - (head.data_line - 1));
    const auto parse = [&](std::size_t bytes) {
      return read_csv_buffer(std::string_view(buf.data(), header + bytes), options, part.path);
    };
    const bool at_end = pos + target == part.end;
    std::uint64_t next_line = line;
    std::size_t take = target;  // the file's last rows: all of them
    if (!at_end || part.end != part.file_size) {
      try {
        take = complete_rows(buf.data() + header, target, options, part.path, next_line);
      } catch (const ParseError&) {
        parse(target);  // throws the first error in row order (an earlier row's bad UTF-8...)
        throw;
      }
      if (at_end && take < target) throw_past_end(part, next_line);
      if (take == 0) {
        want = 2 * target;
        continue;
      }
    }
    const DataFrame chunk = parse(take);
    if (chunk.num_rows() > 0) visit(chunk);
    buf.erase(header, take);
    pos += take;
    line = next_line;
    want = chunk_bytes_;
  }
}

}  // namespace claimlens
