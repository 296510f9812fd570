// The claimlens CLI: each command lives in its own file and registers itself here.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace claimlens::cli {

/// Exit codes: 0 success, 1 runtime failure, 2 bad usage or bad input.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

/// Thrown for a bad command line; main() prints it with the command's usage hint and exits 2.
struct UsageError {
  std::string message;
};

/// `--name value` options and `--flag` switches of one command, checked against what it accepts.
class Args {
 public:
  struct Spec {
    std::set<std::string> options;  // take a value
    std::set<std::string> flags;    // take none
  };
  Args(const std::vector<std::string>& argv, const Spec& spec);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string get(const std::string& name) const;  // throws UsageError when missing
  std::string get(const std::string& name, const std::string& fallback) const;
  long long get_int(const std::string& name, long long fallback) const;  // checked, locale-free
  long long get_int(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

struct Command {
  std::string name;
  std::string summary;  // one line for `claimlens --help`
  std::string usage;    // full text for `claimlens NAME --help`
  std::function<int(const std::vector<std::string>&)> run;
};

/// Called from a static initializer in each command's file.
bool register_command(Command command);
const std::map<std::string, Command>& commands();

}  // namespace claimlens::cli
