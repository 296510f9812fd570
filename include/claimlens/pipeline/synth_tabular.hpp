// Synthetic binary-classification CSVs of other shapes than tiktok_dataset.csv, for checking that
// the generic `claimlens train` is good on data the project has never seen (docs/tuning.md):
//
//   wide   100 numeric columns f000..f099: 10 informative N(0, 1) features, 10 redundant ones
//          (noisy linear mixtures of the informative), 80 pure noise; the log-odds mix linear
//          terms, an interaction, a step and a bump; 2% of labels flipped.
//   noisy  20 numeric columns with 8% missing values and a 6-level `segment` column; a weak
//          signal (log-odds of standard deviation about 0.8) in 4 features and the segment;
//          10% of labels flipped.
//
// Both have the target `label` (0/1) first. A row depends only on (shape, seed, row index): the
// concept (weights, segment effects) is drawn from the seed, and each row from its own stream, so
// `first_row` makes a disjoint test file of the same distribution and the output does not depend
// on how the file is cut.
#pragma once

#include <cstdint>
#include <string>

namespace claimlens {

enum class SynthShape { Wide, Noisy };

/// "wide", "noisy".
const char* synth_shape_name(SynthShape shape);
/// Parses the names above; InvalidArgument listing them otherwise.
SynthShape parse_synth_shape(const std::string& name);

struct TabularSynthOptions {
  SynthShape shape = SynthShape::Wide;
  std::int64_t rows = 10000;   ///< data rows, 1..100,000,000
  std::uint64_t seed = 0;      ///< draws the concept and the rows
  std::int64_t first_row = 0;  ///< index of the first row written (>= 0)
};

/// The whole CSV (header, LF line ends; missing values as empty fields). InvalidArgument for bad
/// options.
std::string synth_tabular_csv(const TabularSynthOptions& options);

/// Writes it to `path` atomically (io::atomic_write_file): IoError naming the path on failure.
void synth_tabular_to_file(const TabularSynthOptions& options, const std::string& path);

}  // namespace claimlens
