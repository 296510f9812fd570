// read_csv: streams the input through CsvScanner in blocks and infers column types on the fly;
// big inputs on several threads (csv_parallel.hpp).
#include "claimlens/dataframe/csv.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/threads.hpp"
#include "column_storage.hpp"
#include "csv_infer.hpp"
#include "csv_input.hpp"
#include "csv_parallel.hpp"
#include "csv_scanner.hpp"

namespace claimlens {

const std::vector<std::string>& default_na_values() {
  // pandas.io.parsers STR_NA_VALUES (pandas 1.5).
  static const std::vector<std::string> values = {
      "",     "#N/A",   "#N/A N/A", "#NA",  "-1.#IND", "-1.#QNAN", "-NaN",
      "-nan", "1.#IND", "1.#QNAN",  "<NA>", "N/A",     "NA",       "NULL",
      "NaN",  "None",   "n/a",      "nan",  "null"};
  return values;
}

namespace {

using detail::CsvField;
using detail::InferringColumn;
using detail::InferSink;
using detail::NullTokens;
using detail::RescanSink;

constexpr size_t kBlockSize = size_t{1} << 22;  // 4 MiB: big enough to amortize, small to hold

constexpr size_t kProbeSize = size_t{1} << 18;

/// Scans a block; the first time, scans a 256 KiB prefix on its own first so that the sink can
/// size its buffers for the whole input (sink.progress) before the bulk of the rows arrives.
template <class Sink>
size_t scan_block(detail::CsvScanner& scanner, const char* data, size_t size, bool eof, Sink& sink,
                  bool first, size_t done, size_t total) {
  size_t probed = 0;
  if (first && size > kProbeSize) {
    probed = scanner.scan(data, kProbeSize, false, sink);
    sink.progress(done + probed, total);
  }
  return probed + scanner.scan(data + probed, size - probed, eof, sink);
}

/// Streams the input through the scanner in blocks, calling sink(fields, count, line) per row
/// and sink.progress(consumed, total) after each block.
template <class Sink>
void stream(detail::CsvInput& input, detail::CsvScanner& scanner, Sink& sink) {
  size_t want = kBlockSize;
  for (bool first = true;; first = false) {
    bool eof = false;
    const std::string_view block = input.window(want, eof);
    const size_t total = std::max(input.total(), input.consumed() + block.size());
    const size_t used =
        scan_block(scanner, block.data(), block.size(), eof, sink, first, input.consumed(), total);
    input.consume(used);
    sink.progress(input.consumed(), std::max(total, input.consumed()));
    if (eof) return;
    if (used == 0) want *= 2;  // a row longer than the block: widen it
  }
}

/// The first pass's result: the header and the inferred columns.
struct FirstPass {
  bool have_header = false;
  size_t rows = 0;
  std::vector<std::string> names;
  std::vector<InferringColumn> columns;
};

/// The first pass, on `threads` threads when the input is big enough to share; false when the
/// parallel read could not be trusted (csv_parallel.hpp) and must be done again serially.
bool first_pass(const std::string* path, std::string_view buffer, const CsvOptions& options,
                const NullTokens& nulls, const std::string& source, int threads, FirstPass& out) {
  detail::CsvInput input(path, buffer);
  detail::CsvScanner scanner(options.delimiter, source);
  scanner.set_limits(options.max_field_bytes, options.max_columns);
  scanner.set_line(options.first_line);
  InferSink sink{scanner, nulls, options, source, {}, {}, false, 0, 1, false, {}};
  if (threads > 1) {
    if (!detail::read_csv_parallel(input, scanner, sink, threads, options.parallel_block_bytes)) {
      return false;
    }
  } else {
    stream(input, scanner, sink);
  }
  out = FirstPass{sink.have_header, sink.rows, std::move(sink.names), std::move(sink.columns)};
  return true;
}

/// Threads for the first pass: one unless the input holds two blocks or more.
int first_pass_threads(const std::string* path, std::string_view buffer,
                       const CsvOptions& options) {
  const int threads = resolve_n_jobs(options.n_jobs);
  if (threads <= 1) return 1;
  const size_t size = path == nullptr ? buffer.size() : detail::CsvInput(path, buffer).total();
  return size >= 2 * options.parallel_block_bytes ? threads : 1;
}

DataFrame read_any(const std::string* path, std::string_view buffer, const CsvOptions& options,
                   const std::string& source) {
  NullTokens nulls(options);
  if (options.max_field_bytes == 0 || options.max_columns == 0) {
    throw InvalidArgument("read_csv: CsvOptions::max_field_bytes and max_columns must be >= 1");
  }
  if (!valid_n_jobs(options.n_jobs)) {
    throw InvalidArgument("read_csv: CsvOptions::n_jobs must be >= -1 (" + std::string(kNJobsDoc) +
                          "), got " + std::to_string(options.n_jobs));
  }
  if (options.parallel_block_bytes == 0) {
    throw InvalidArgument("read_csv: CsvOptions::parallel_block_bytes must be >= 1");
  }
  if (options.first_line == 0)
    throw InvalidArgument("read_csv: CsvOptions::first_line must be >= 1");
  FirstPass sink;
  const int threads = first_pass_threads(path, buffer, options);
  if (!first_pass(path, buffer, options, nulls, source, threads, sink)) {
    first_pass(path, buffer, options, nulls, source, 1, sink);
  }
  if (!sink.have_header) {
    throw ParseError(detail::csv_location(source, options.first_line, 1) +
                     "empty input: no header row");
  }
  RescanSink rescan{nulls, {}, {}, false, {}};
  for (size_t i = 0; i < sink.columns.size(); ++i) {
    if (sink.columns[i].state() == InferringColumn::State::Rescan) {
      rescan.targets.push_back(i);
      rescan.builders.emplace_back(DType::String);
      rescan.builders.back().reserve(sink.rows);
    }
  }
  if (!rescan.targets.empty()) {
    detail::CsvInput input(path, buffer);
    detail::CsvScanner again(options.delimiter, source);
    again.set_limits(options.max_field_bytes, options.max_columns);
    again.set_line(options.first_line);
    stream(input, again, rescan);
    for (auto& b : rescan.builders) {
      if (b.size() != sink.rows) {
        throw IoError("read_csv: " + source + " changed while it was being read");
      }
    }
  }
  DataFrame frame;
  size_t next_rescan = 0;
  for (size_t i = 0; i < sink.columns.size(); ++i) {
    Column column;
    if (next_rescan < rescan.targets.size() && rescan.targets[next_rescan] == i) {
      column = rescan.builders[next_rescan++].finish();
    } else if (sink.columns[i].state() == InferringColumn::State::Empty &&
               (!options.infer_types || sink.rows == 0)) {
      // No values to infer from: strings when inference is off or there are no rows (pandas
      // gives object columns for a header-only file).
      ColumnBuilder b(DType::String);
      for (size_t r = 0; r < sink.rows; ++r) b.append_null();
      column = b.finish();
    } else {
      column = sink.columns[i].finish(sink.rows);
    }
    frame.add_column(sink.names[i], std::move(column));
  }
  return frame;
}

}  // namespace

DataFrame read_csv(const std::string& path, const CsvOptions& options) {
  return read_any(&path, std::string_view(), options, path);
}

DataFrame read_csv_buffer(std::string_view data, const CsvOptions& options,
                          const std::string& source_name) {
  return read_any(nullptr, data, options, source_name);
}

}  // namespace claimlens
