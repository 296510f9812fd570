// `claimlens synth`: writes a synthetic tiktok_dataset.csv of any size, or a binary
// classification CSV of another shape (wide, noisy) for checking training on unseen data.
#include <iostream>

#include "claimlens/error.hpp"
#include "claimlens/pipeline/synth.hpp"
#include "claimlens/pipeline/synth_tabular.hpp"
#include "command.hpp"

namespace claimlens::cli {

namespace {

const char* kUsage =
    "usage: claimlens synth --rows N [--seed S] [--shape tiktok|wide|noisy] [--first-row K]\n"
    "                       --out FILE\n\n"
    "tiktok (default): N rows with the header, quoting, CRLF line endings and trailing null rows\n"
    "of tiktok_dataset.csv; distributions are fitted to the real file.\n"
    "wide: a binary target `label` and 100 numeric columns (10 informative, 10 redundant, 80\n"
    "noise) with interactions and steps. noisy: `label`, 20 numeric columns with 8% missing\n"
    "values and a 6-level `segment` column, a weak signal and 10% of labels flipped\n"
    "(docs/tuning.md). Same options => same bytes.\n\n"
    "  --rows N       data rows, 1..1000000000 (tiktok) or 1..100000000 (wide, noisy)\n"
    "  --seed S       random seed, >= 0 (default 0)\n"
    "  --shape NAME   tiktok, wide or noisy (default tiktok)\n"
    "  --first-row K  wide, noisy: the index of the first row written (default 0); rows K..K+N-1\n"
    "                 of the seed's data, so another K gives a disjoint test file\n"
    "  --out FILE     output path (written to a temporary file, then renamed)\n";

std::uint64_t seed_of(const Args& args) {
  const long long seed = args.get_int("seed", 0);
  if (seed < 0) throw UsageError{"--seed must be >= 0, got " + std::to_string(seed)};
  return static_cast<std::uint64_t>(seed);
}

int run_tabular(const Args& args, long long rows, const std::string& out) {
  TabularSynthOptions options;
  try {
    options.shape = parse_synth_shape(args.get("shape"));
  } catch (const InvalidArgument& e) {
    throw UsageError{std::string("--shape: ") + e.what() + " (or \"tiktok\")"};
  }
  options.rows = rows;
  options.seed = seed_of(args);
  options.first_row = args.get_int("first-row", 0);
  if (options.first_row < 0) {
    throw UsageError{"--first-row must be >= 0, got " + std::to_string(options.first_row)};
  }
  synth_tabular_to_file(options, out);
  std::cerr << "wrote " << rows << " " << synth_shape_name(options.shape) << " rows to " << out
            << "\n";
  return kExitOk;
}

int run_synth(const std::vector<std::string>& argv) {
  const Args args(argv, Args::Spec{{"rows", "seed", "out", "shape", "first-row"}, {}});
  const long long rows = args.get_int("rows");
  if (rows < 1) throw UsageError{"--rows must be at least 1, got " + std::to_string(rows)};
  const std::string out = args.get("out");
  if (args.get("shape", "tiktok") != "tiktok") return run_tabular(args, rows, out);
  if (args.has("first-row")) throw UsageError{"--first-row is for --shape wide or noisy"};
  SynthOptions options;
  options.rows = rows;
  options.seed = seed_of(args);
  synth_to_file(options, out);
  std::cerr << "wrote " << options.rows << " rows (" << synth_null_rows(options) << " null) to "
            << out << "\n";
  return kExitOk;
}

const bool registered = register_command(
    Command{"synth", "write a synthetic tiktok_dataset.csv (or a wide / noisy classification CSV)",
            kUsage, run_synth});

}  // namespace

}  // namespace claimlens::cli
