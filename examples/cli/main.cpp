// Entry point of the `claimlens` command-line tool.
#include <charconv>
#include <exception>
#include <iostream>

#include "claimlens/error.hpp"
#include "claimlens/version.hpp"
#include "command.hpp"

namespace claimlens::cli {

namespace {
std::map<std::string, Command>& registry() {
  static std::map<std::string, Command> commands;
  return commands;
}
}  // namespace

bool register_command(Command command) {
  registry().emplace(command.name, std::move(command));
  return true;
}

const std::map<std::string, Command>& commands() {
  return registry();
}

Args::Args(const std::vector<std::string>& argv, const Spec& spec) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0) throw UsageError{"unexpected argument '" + arg + "'"};
    std::string name = arg.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (spec.flags.count(name)) {
      if (inline_value) throw UsageError{"option --" + name + " takes no value"};
      values_[name] = "1";
    } else if (spec.options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError{"option --" + name + " needs a value"};
        value = argv[++i];
      }
      values_[name] = value;
    } else {
      throw UsageError{"unknown option --" + name};
    }
  }
}

std::string Args::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw UsageError{"missing required option --" + name};
  return it->second;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

long long Args::get_int(const std::string& name) const {
  const std::string text = get(name);
  long long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError{"option --" + name + " needs a whole number, got '" + text + "'"};
  }
  return value;
}

long long Args::get_int(const std::string& name, long long fallback) const {
  return has(name) ? get_int(name) : fallback;
}

namespace {
void print_overview(std::ostream& out) {
  out << "claimlens " << CLAIMLENS_VERSION_STRING << ": claim classification of reported videos\n\n"
      << "usage: claimlens COMMAND [OPTIONS]   (claimlens COMMAND --help for its options)\n\n"
      << "commands:\n";
  for (const auto& [name, command] : commands()) {
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ')
        << command.summary << "\n";
  }
}
}  // namespace

}  // namespace claimlens::cli

int main(int argc, char** argv) {
  using namespace claimlens::cli;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    print_overview(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(std::cout);
    return kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "claimlens " << CLAIMLENS_VERSION_STRING << "\n";
    return kExitOk;
  }
  auto it = commands().find(args[0]);
  if (it == commands().end()) {
    std::cerr << "claimlens: unknown command '" << args[0] << "' (see claimlens --help)\n";
    return kExitUsage;
  }
  const Command& command = it->second;
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      std::cout << command.usage;
      return kExitOk;
    }
  }
  try {
    return command.run(rest);
  } catch (const UsageError& e) {
    std::cerr << "claimlens " << command.name << ": " << e.message << " (see claimlens "
              << command.name << " --help)\n";
    return kExitUsage;
  } catch (const claimlens::Error& e) {
    std::cerr << "claimlens " << command.name << ": " << e.what() << "\n";
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    std::cerr << "claimlens " << command.name << ": out of memory\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "claimlens " << command.name << ": internal error: " << e.what() << "\n";
    return kExitFailure;
  }
}
