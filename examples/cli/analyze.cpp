// `claimlens analyze --data FILE`: the whole seed analysis (inspect, EDA, Welch test, logistic
// regression, claim classifier) printed step by step, with optional JSON, model and HTML outputs.
#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/pipeline/analysis.hpp"
#include "claimlens/report/analysis_report.hpp"
#include "command.hpp"
#include "progress.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens analyze --data FILE [--json OUT.json] [--report OUT.html] [--model OUT]\n"
    "                         [--seed N] [--threads N] [--grid seed|none] [--quiet]\n"
    "\n"
    "Runs the seed analysis of a CSV of reported videos (the tiktok_dataset.csv schema) and\n"
    "prints a summary of each step:\n"
    "  1. inspect: shape, info, describe, null counts, duplicates, class balance;\n"
    "  2. EDA (rows without nulls): counts, means and medians of the engagement counts by claim,\n"
    "     verified and ban status, engagement per view, outliers, text length by class, the\n"
    "     ban x claim table;\n"
    "  3. Welch's t-test of views, not verified vs verified (alpha 0.05);\n"
    "  4. logistic regression of verified_status with its inference table;\n"
    "  5. the claim classifier: forest and boosting grid searches, champion, test evaluation,\n"
    "     feature importances.\n"
    "\n"
    "options:\n"
    "  --data FILE       the CSV file to analyse\n"
    "  --json OUT        write every figure as one JSON document (docs/analyze-json.md)\n"
    "  --report OUT      write the HTML report: one self-contained page with the tables and\n"
    "                    charts of every step (no script, no network)\n"
    "  --model OUT       save the claim classifier's champion (JSON text when OUT ends in .json,\n"
    "                    CBOR otherwise), loadable by claimlens_classifier_load and every command\n"
    "  --seed N          random_state of the splits, resampling and forests (default 0)\n"
    "  --threads N       threads for the classifier (default: all cores)\n"
    "  --grid seed|none  'seed' searches the seed's grids (default); 'none' fits their best\n"
    "                    parameters without searching (much faster)\n"
    "  --quiet           no progress on stderr\n"
    "  --help            this text\n"
    "\n"
    "Output files are written only once the whole analysis has succeeded. Bad input (missing\n"
    "file, missing columns, ...) is reported on one line with exit code 2.\n";

// The parent folder must exist and the path must not be a folder: checked before the (long)
// analysis so a typo fails at once.
void check_output_path(const std::string& option, const std::string& path) {
  if (path.empty()) throw UsageError{"--" + option + " needs a file name"};
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw UsageError{"--" + option + " " + path + " is a folder, not a file"};
  }
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    throw UsageError{"--" + option + " " + path + ": no such folder " + dir};
  }
}

// Writes every requested file, or none: everything is rendered in memory first, and a failed
// write removes what this run already wrote.
void write_outputs(const Analysis& analysis, const DataFrame& videos, const Args& args) {
  std::string html;
  if (args.has("report")) {
    report::AnalysisReportOptions report;
    const std::string data = args.get("data");
    report.data_name = data.substr(data.find_last_of('/') + 1);
    html = report::render_analysis_report(analysis, videos, report);
  }
  std::vector<std::string> written;
  try {
    if (args.has("json")) {
      io::atomic_write_file(args.get("json"), analysis.to_json().dump(1) + "\n");
      written.push_back(args.get("json"));
    }
    if (args.has("model")) {
      save_model(Model(*analysis.classifier), args.get("model"));
      written.push_back(args.get("model"));
    }
    if (args.has("report")) {
      io::atomic_write_file(args.get("report"), html);
      written.push_back(args.get("report"));
    }
  } catch (...) {
    for (const auto& path : written) std::remove(path.c_str());
    throw;
  }
}

int run(const std::vector<std::string>& argv) {
  Args args(argv,
            Args::Spec{{"data", "json", "report", "model", "seed", "threads", "grid"}, {"quiet"}});
  const std::string path = args.get("data");
  AnalysisOptions options;
  const long long seed = args.get_int("seed", 0);
  if (seed < 0) throw UsageError{"--seed must be 0 or more, got " + std::to_string(seed)};
  options.seed = static_cast<std::uint64_t>(seed);
  const long long threads = args.get_int("threads", -1);
  if (threads < -1 || threads > 1024) {
    throw UsageError{"--threads must be -1 (all cores) or 1..1024, got " + std::to_string(threads)};
  }
  options.threads = static_cast<int>(threads);
  const std::string grid = args.get("grid", "seed");
  if (grid != "seed" && grid != "none") {
    throw UsageError{"--grid must be 'seed' or 'none', got '" + grid + "'"};
  }
  options.seed_grid = grid == "seed";
  for (const char* output : {"json", "model", "report"}) {
    if (args.has(output)) check_output_path(output, args.get(output));
  }
  Progress progress("analyze", args.has("quiet"));
  options.progress = [&progress](const std::string& step, double f) { progress(step, f); };

  const DataFrame videos = read_csv(path);
  const Analysis analysis = run_analysis(videos, options);
  std::cout << analysis.to_string();
  write_outputs(analysis, videos, args);
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"analyze", "the whole seed analysis of a reported-videos CSV (text, JSON, HTML report, model)",
     kUsage, run});

}  // namespace
}  // namespace claimlens::cli
