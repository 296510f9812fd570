// read_csv's first pass on several threads (csv_parallel.hpp).
#include "csv_parallel.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <vector>

#include "claimlens/error.hpp"

namespace claimlens::detail {

namespace {

/// The rows of one block: parsed by their own scanner into their own columns.
struct Block {
  size_t begin = 0;
  size_t size = 0;
  size_t consumed = 0;
  size_t rows = 0;
  bool malformed = false;
  std::vector<InferringColumn> columns;
};

// The block's columns are kept from window to window (reset, not freed): no allocation, no
// page faults for fresh memory after the first window.
void parse_block(const char* data, Block& block, bool eof, const InferSink& global) {
  CsvScanner scanner(global.scanner.delimiter(), global.source);
  scanner.set_expected_fields(global.names.size());
  scanner.set_limits(global.options.max_field_bytes, global.options.max_columns);
  InferSink sink{scanner, global.nulls, global.options, global.source, {}, {}, true, 0, 1, true,
                 {}};
  sink.columns = std::move(block.columns);
  sink.columns.resize(global.names.size());
  block.consumed = scanner.scan(data + block.begin, block.size, eof, sink);
  block.rows = sink.rows;
  block.columns = std::move(sink.columns);
}

/// Parses the blocks of one window side by side; false when one holds a malformed row.
bool parse_blocks(const char* data, std::vector<Block>& blocks, bool eof, const InferSink& sink,
                  int threads) {
  std::exception_ptr error;
  const auto n = static_cast<std::ptrdiff_t>(blocks.size());
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (std::ptrdiff_t k = 0; k < n; ++k) {
    try {
      parse_block(data, blocks[static_cast<size_t>(k)], eof && k + 1 == n, sink);
    } catch (const ParseError&) {
      blocks[static_cast<size_t>(k)].malformed = true;  // perhaps a wrong guess: read again
    } catch (...) {
#pragma omp critical(claimlens_csv_parallel_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  for (size_t k = 0; k < blocks.size(); ++k) {
    if (blocks[k].malformed) return false;
    // Every block but the last must end exactly where the next begins.
    if (k + 1 < blocks.size() && blocks[k].consumed != blocks[k].size) return false;
  }
  return true;
}

/// Appends the blocks' columns in block order, one column per task.
void append_blocks(std::vector<Block>& blocks, InferSink& sink, int threads) {
  const auto columns = static_cast<std::ptrdiff_t>(sink.columns.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (std::ptrdiff_t i = 0; i < columns; ++i) {
    for (Block& block : blocks) {
      sink.columns[static_cast<size_t>(i)].absorb(block.columns[static_cast<size_t>(i)]);
    }
  }
  for (const Block& block : blocks) sink.rows += block.rows;
}

}  // namespace

std::vector<size_t> csv_block_starts(const char* data, size_t size, size_t parts) {
  std::vector<size_t> starts{0};
  size_t pos = 0;
  size_t quotes = 0;  // in [0, pos)
  for (size_t k = 1; k < parts && pos < size; ++k) {
    const size_t cut = size / parts * k;
    if (cut > pos) {
      quotes += static_cast<size_t>(std::count(data + pos, data + cut, '"'));
      pos = cut;
    }
    while (pos < size) {
      const void* nl = std::memchr(data + pos, '\n', size - pos);
      const size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : size;
      quotes += static_cast<size_t>(std::count(data + pos, data + end, '"'));
      pos = end + 1;
      if (nl != nullptr && quotes % 2 == 0) break;
    }
    if (pos < size) starts.push_back(pos);
  }
  return starts;
}

bool read_csv_parallel(CsvInput& input, CsvScanner& scanner, InferSink& sink, int threads,
                       size_t block_bytes) {
  bool eof = false;
  const std::string_view head = input.window(block_bytes, eof);
  const size_t header_bytes = scanner.scan(head.data(), head.size(), eof, sink, 1);
  if (!sink.have_header || header_bytes == 0) return false;
  input.consume(header_bytes);
  const size_t window_bytes = block_bytes * static_cast<size_t>(threads);
  std::vector<Block> blocks;
  for (;;) {
    const std::string_view window = input.window(window_bytes, eof);
    const std::vector<size_t> starts =
        csv_block_starts(window.data(), window.size(), static_cast<size_t>(threads));
    blocks.resize(starts.size());
    for (size_t k = 0; k < starts.size(); ++k) {
      blocks[k].begin = starts[k];
      blocks[k].size = (k + 1 < starts.size() ? starts[k + 1] : window.size()) - starts[k];
    }
    if (!parse_blocks(window.data(), blocks, eof, sink, threads)) return false;
    append_blocks(blocks, sink, threads);
    const size_t used = blocks.back().begin + blocks.back().consumed;
    input.consume(used);
    sink.progress(input.consumed(), std::max(input.total(), input.consumed()));
    if (eof) return used == window.size();
    if (used == 0) return false;  // a row longer than the window: the serial reader widens
  }
}

}  // namespace claimlens::detail
