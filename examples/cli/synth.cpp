// `claimlens synth`: writes a synthetic tiktok_dataset.csv of any size.
#include <iostream>

#include "claimlens/pipeline/synth.hpp"
#include "command.hpp"

namespace claimlens::cli {

namespace {

int run_synth(const std::vector<std::string>& argv) {
  const Args args(argv, Args::Spec{{"rows", "seed", "out"}, {}});
  SynthOptions options;
  options.rows = args.get_int("rows");
  if (options.rows < 1) {
    throw UsageError{"--rows must be at least 1, got " + std::to_string(options.rows)};
  }
  const long long seed = args.get_int("seed", 0);
  if (seed < 0) throw UsageError{"--seed must be >= 0, got " + std::to_string(seed)};
  options.seed = static_cast<std::uint64_t>(seed);
  const std::string out = args.get("out");
  synth_to_file(options, out);
  std::cerr << "wrote " << options.rows << " rows (" << synth_null_rows(options) << " null) to "
            << out << "\n";
  return kExitOk;
}

const bool registered = register_command(Command{
    "synth", "write a synthetic tiktok_dataset.csv fitted to the real data",
    "usage: claimlens synth --rows N [--seed S] --out FILE\n\n"
    "Writes N rows with the header, quoting, CRLF line endings and trailing null rows of\n"
    "tiktok_dataset.csv; distributions are fitted to the real file. Same seed => same bytes.\n\n"
    "  --rows N    data rows, 1..1000000000\n"
    "  --seed S    random seed, >= 0 (default 0)\n"
    "  --out FILE  output path (written to a temporary file, then renamed)\n",
    run_synth});

}  // namespace

}  // namespace claimlens::cli
