// Internal: read_csv's first pass on several threads.
//
// The input is read in windows of `threads` blocks. Each window is cut near equal parts at line
// ends found by quote parity (a '\n' after an even number of quotes since the window's start, a
// row start, ends a row: doubled quotes inside quoted fields come in pairs), and the blocks are
// parsed side by side, each into its own inferring columns, which are then appended in block
// order, so the frame is the serial reader's whatever the thread count. The guess is checked,
// not trusted: a block must end exactly where the next begins (its scanner, started at a true
// row start, ends a row there). A quote inside an unquoted field (kept literally, as pandas
// does) breaks the parity and fails that check; so does a malformed row in any block. Either
// way the caller reads the input again serially, which also gives the serial reader's error.
#pragma once

#include <cstddef>
#include <vector>

#include "csv_infer.hpp"
#include "csv_input.hpp"

namespace claimlens::detail {

/// The first pass over `input` (at its start): the header through `scanner`, then the rows on
/// `threads` threads in blocks of about `block_bytes`, into `sink`. False when the result cannot
/// be trusted (see above) or the header does not fit a block: the caller starts again serially.
bool read_csv_parallel(CsvInput& input, CsvScanner& scanner, InferSink& sink, int threads,
                       size_t block_bytes);

/// Offsets where blocks of [data, data+size) begin, near multiples of size / parts: 0, then the
/// byte after the first '\n' outside quotes (by parity from `data`) at or after each cut.
std::vector<size_t> csv_block_starts(const char* data, size_t size, size_t parts);

}  // namespace claimlens::detail
