// Running the claimlens CLI from tests, and a synthetic CSV of another schema (loan applications)
// with numeric, categorical, free-text and missing values and a learnable signal.
#pragma once

#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens/random.hpp"
#include "io/temp_dir.hpp"
#include "support/paths.hpp"

namespace claimlens::testing {

struct CliResult {
  int status = -1;  // exit code
  std::string out, err;
};

/// Runs `claimlens <arguments>` (a shell fragment) with stdout/stderr captured in `dir`.
inline CliResult run_cli(const TempDir& dir, const std::string& arguments) {
  const std::string out = dir.file("stdout.txt"), err = dir.file("stderr.txt");
  const std::string command = cli_path() + " " + arguments + " >" + out + " 2>" + err;
  const int raw = std::system(command.c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text_file(out);
  r.err = read_text_file(err);
  return r;
}

inline bool file_exists(const std::string& path) {
  return std::ifstream(path).good();
}

inline std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

/// `rows` loan applications; `default` is "yes" mostly for low income, unemployment and notes
/// about late payments. Columns: id, age (some empty), income (some empty), region (4 values),
/// employment (3 values, some empty), customer (unique names: high cardinality), note (text with
/// commas and quotes), views (int), default ("yes" / "no").
inline std::string loan_csv(std::size_t rows, std::uint64_t seed) {
  Random rng(seed);
  const char* regions[] = {"north", "south", "east", "west"};
  const char* jobs[] = {"salaried", "self-employed", "unemployed"};
  const char* good[] = {"stable job record", "savings account growing", "owns home outright",
                        "long credit history"};
  const char* bad[] = {"late payment history", "late payment twice", "late payment agency",
                       "late payment reported"};
  std::string csv = "id,age,income,region,employment,customer,note,views,default\n";
  for (std::size_t i = 0; i < rows; ++i) {
    const double age = 20 + static_cast<double>(rng.uniform_int(51));
    const double income = 15000 + 90000 * rng.uniform();
    const int job = static_cast<int>(rng.uniform_int(3));
    const bool late = rng.uniform() < 0.35;
    const double z = -0.5 + 2.2 * (late ? 1 : -1) + 1.5 * (job == 2) - (income - 60000) / 20000.0 +
                     0.6 * rng.normal();
    const bool defaulted = z > 0;
    csv += std::to_string(1000 + i) + ",";
    csv += (rng.uniform() < 0.05 ? "" : std::to_string(static_cast<int>(age))) + ",";
    csv +=
        (rng.uniform() < 0.05 ? "" : std::to_string(static_cast<long long>(income)) + ".5") + ",";
    csv += std::string(regions[rng.uniform_int(4)]) + ",";
    csv += (rng.uniform() < 0.05 ? "" : jobs[job]) + std::string(",");
    csv += "customer " + std::to_string(i * 7919 % 100003) + ",";
    const char* phrase = late ? bad[rng.uniform_int(4)] : good[rng.uniform_int(4)];
    csv += "\"Officer said \"\"" + std::string(phrase) + "\"\", see file, ok\",";
    csv += std::to_string(10 + rng.uniform_int(100000)) + ",";
    csv += defaulted ? "yes\n" : "no\n";
  }
  return csv;
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Exit code 2, one line on stderr holding `message`, nothing on stdout, no `output` file.
inline void check_rejected(const TempDir& dir, const std::string& args, const std::string& message,
                           const std::string& output) {
  INFO(args);
  const auto r = run_cli(dir, args);
  CHECK(r.status == 2);
  CHECK_THAT(r.err, Catch::Contains(message));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
  CHECK_FALSE(file_exists(output));
}

}  // namespace claimlens::testing
