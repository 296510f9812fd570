// `claimlens train --tune` end to end on `synth --shape noisy` data: the tuning summary, the
// progress on stderr (lines in a log, a live bar on a terminal, nothing with --quiet), and each
// bad option refused by message with no model written.
#include <catch2/catch.hpp>
#include <cstdlib>

#include "cli_support.hpp"

using claimlens::testing::check_rejected;
using claimlens::testing::file_exists;
using claimlens::testing::run_cli;
using claimlens::testing::TempDir;

namespace {

const std::string kGrid = " --tune-grid '{\"max_depth\": [2, 4], \"learning_rate\": [0.1, 0.3]}'";

std::string noisy_file(const TempDir& dir) {
  const std::string path = dir.file("noisy.csv");
  const auto r = run_cli(dir, "synth --shape noisy --rows 1500 --seed 4 --out " + path);
  REQUIRE(r.status == 0);
  return path;
}

}  // namespace

TEST_CASE("train --tune prints the search and its progress", "[tune]") {
  TempDir dir;
  const std::string data = noisy_file(dir), model = dir.file("m.cbor");
  const std::string train = "train --data " + data + " --target label --algo gbdt --tune" + kGrid +
                            " --tune-cv 3 --params '{\"n_estimators\": 100}' --model " + model;
  auto r = run_cli(dir, train);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("tuning: 4 combinations x 3 stratified folds on 1200 rows, "
                                    "roc_auc\n  best CV roc_auc 0."));
  CHECK_THAT(r.out, Catch::Contains("boosting rounds: "));
  CHECK(file_exists(model));
  // Not a terminal: one line per 10% with the elapsed time, ending at 100%.
  CHECK_THAT(r.err,
             Catch::StartsWith("[train] tuning: ") && Catch::Contains("[train] tuning: 100.0% ("));
  r = run_cli(dir, train + " --quiet");
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  // A terminal (script(1) gives one): a bar redrawn in place, then the finished bar with the
  // elapsed time.
  const std::string screen = dir.file("screen.txt");
  const std::string command = "script -qec \"" + claimlens::testing::cli_path() + " train --data " +
                              data + " --target label --algo gbdt --tune --tune-cv 3 --model " +
                              model + "\" /dev/null >" + screen + " 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string shown = claimlens::testing::read_text_file(screen);
  INFO(shown);
  CHECK_THAT(shown, Catch::Contains("\r[train] tuning [########################] 100% "));
  CHECK_THAT(shown, Catch::Contains(" elapsed"));
}

TEST_CASE("train --tune: bad options are refused, no model written", "[tune]") {
  TempDir dir;
  const std::string data = noisy_file(dir), model = dir.file("m.cbor");
  const std::string train = "train --data " + data + " --target label --algo gbdt --model " + model;
  check_rejected(dir, train + " --scoring f1", "option --scoring is an option of --tune", model);
  check_rejected(dir, train + " --tune-cv 3", "option --tune-cv is an option of --tune", model);
  check_rejected(dir, train + " --tune --tune-cv 1", "--tune-cv must be 2..100, got 1", model);
  check_rejected(dir, train + " --tune --scoring auc", "options.tune_scoring", model);
  check_rejected(dir, train + " --tune --tune-grid '{\"max_deep\": [1]}'",
                 "options.tune_grid: combination 0 {\"max_deep\":1}: unknown key 'params.max_deep'", model);
  check_rejected(dir, train + " --tune --tune-grid '{\"max_depth\": [2'",
                 "--tune-grid is not valid JSON", model);
}

TEST_CASE("synth --shape: bad shapes and options", "[tune]") {
  TempDir dir;
  const std::string out = dir.file("x.csv");
  check_rejected(dir, "synth --shape tall --rows 10 --out " + out,
                 "--shape: shape must be \"wide\" or \"noisy\", not \"tall\" (or \"tiktok\")", out);
  check_rejected(dir, "synth --rows 10 --first-row 5 --out " + out,
                 "--first-row is for --shape wide or noisy", out);
  check_rejected(dir, "synth --shape wide --rows 10 --first-row -1 --out " + out,
                 "--first-row must be >= 0", out);
}
