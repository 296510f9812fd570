// Synthetic tiktok_dataset.csv files of any size, for benchmarks and scale tests.
//
// The output has the exact header, quoting, CRLF line endings and null-row layout of the real
// file; its distributions (class balance, per-class view counts, engagement ratios, verified and
// ban rates, durations, transcription templates) were fitted to the real data with
// tests/fixtures/scripts/synth_profile.py. Output depends only on (rows, seed, null_fraction),
// never on the thread count.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace claimlens {

/// Share of rows with missing claim_status, text and counts in the real file (298 / 19,382).
constexpr double kRealNullFraction = 298.0 / 19382.0;

/// Largest supported row count (video ids are a permutation of the 9e9 ten-digit numbers).
constexpr std::int64_t kSynthMaxRows = 1'000'000'000;

struct SynthOptions {
  std::int64_t rows = 19382;                 ///< data rows, 1..kSynthMaxRows
  std::uint64_t seed = 0;                    ///< same seed => byte-identical output
  double null_fraction = kRealNullFraction;  ///< trailing null rows, as in the real file; [0, 1)
};

/// The header line of tiktok_dataset.csv (without the CRLF).
const char* synth_header();

/// Number of trailing null rows for these options: round(rows * null_fraction).
std::int64_t synth_null_rows(const SynthOptions& options);

/// Writes the whole CSV (header + rows, CRLF after every line) to `out`.
/// InvalidArgument for bad options; IoError if the stream fails.
void write_synth_csv(const SynthOptions& options, std::ostream& out);

/// The whole CSV as a string (small row counts: tests, examples).
std::string synth_csv_string(const SynthOptions& options);

/// Writes the CSV to `path` atomically: a temporary file in the same folder, renamed on success,
/// removed on failure (never a half-written `path`). IoError naming the path if it cannot be
/// written.
void synth_to_file(const SynthOptions& options, const std::string& path);

}  // namespace claimlens
