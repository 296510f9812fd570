// Shared helpers of test_badinput: the corpus manifest, the C ABI entry per interface, and a
// runner for the claimlens CLI that captures its exit code, stdout and stderr.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens.h"
#include "io/temp_dir.hpp"
#include "support/paths.hpp"

extern char** environ;

namespace claimlens::testing {

inline std::string bad_dir() {
  return std::string(CLAIMLENS_SOURCE_DIR) + "/tests/data/bad";
}

/// One line of tests/data/bad/MANIFEST.json.
struct BadInput {
  std::string file;
  std::string interface;    // csv | params | model | classifier
  std::string status;       // claimlens_status_name() of the expected outcome
  std::string message;      // a substring of claimlens_last_error() naming the problem
  std::string cli_message;  // the CLI's substring when it differs (default: message)
  std::string cli_skip;     // why this entry is no CLI failure (reported with WARN)
  nlohmann::json expect;    // for CLAIMLENS_OK entries: optional "rows", "columns", "dtypes"
  std::string path() const { return bad_dir() + "/" + file; }
};

inline std::vector<BadInput> load_manifest() {
  const auto doc = nlohmann::json::parse(read_text_file(bad_dir() + "/MANIFEST.json"));
  std::vector<BadInput> out;
  for (const auto& e : doc.at("entries")) {
    BadInput b;
    b.file = e.at("file").get<std::string>();
    b.interface = e.at("interface").get<std::string>();
    b.status = e.at("status").get<std::string>();
    b.message = e.value("message", std::string());
    b.cli_message = e.value("cli_message", std::string());
    b.cli_skip = e.value("cli_skip", std::string());
    b.expect = e.value("expect", nlohmann::json::object());
    out.push_back(std::move(b));
  }
  return out;
}

/// A tiny training set for the parameter files: 12 rows, 2 features, both classes.
struct TinyData {
  std::vector<double> x, y;
  static constexpr size_t rows = 12, cols = 2;
  TinyData() {
    for (size_t i = 0; i < rows; ++i) {
      x.push_back(static_cast<double>(i % 5));
      x.push_back(static_cast<double>((i * 7) % 4));
      y.push_back(i % 3 == 0 ? 1.0 : 0.0);
    }
  }
};

struct CliResult {
  int exit_code = -1;
  std::string out, err;
};

/// Runs the CLI with `args`, stdout and stderr to files in `scratch` (not the output folder).
inline CliResult run_cli(const std::vector<std::string>& args, const TempDir& scratch) {
  const std::string out_path = scratch.file("cli.stdout"), err_path = scratch.file("cli.stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> all{cli_path()};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  CliResult r;
  if (rc != 0) return r;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_text_file(out_path);
  r.err = read_text_file(err_path);
  return r;
}

inline bool cli_has_command(const std::string& name, const TempDir& scratch) {
  return run_cli({name, "--help"}, scratch).exit_code == 0;
}

/// Checks a failed CLI run: exit code 2 and one line on stderr naming the problem.
inline void check_cli_failure(const CliResult& r, const std::string& message) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  REQUIRE(!r.err.empty());
  CHECK(r.err.back() == '\n');
  CHECK(r.err.find('\n') == r.err.size() - 1);  // exactly one line
  CHECK(r.err.find(message) != std::string::npos);
}

inline std::string status_name(claimlens_status s) {
  return claimlens_status_name(s);
}

}  // namespace claimlens::testing
