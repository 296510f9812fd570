// Where tests find the real data set, fixtures and the CLI binary.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace claimlens::testing {

/// ../shared/data/tiktok_dataset.csv beside the project (CLAIMLENS_DATA overrides the folder).
inline std::string real_dataset_path() {
  const char* dir = std::getenv("CLAIMLENS_DATA");
  std::string path = std::string(dir ? dir : CLAIMLENS_DATA_DIR) + "/tiktok_dataset.csv";
  if (!std::ifstream(path)) {
    throw std::runtime_error("the real data set is missing: " + path +
                             " (tests read ../shared/data/tiktok_dataset.csv; set CLAIMLENS_DATA)");
  }
  return path;
}

/// A fixture file committed under tests/fixtures/ (made by tests/fixtures/scripts/).
inline std::string fixture_path(const std::string& name) {
  return std::string(CLAIMLENS_FIXTURE_DIR) + "/" + name;
}

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// The built `claimlens` CLI.
inline std::string cli_path() { return CLAIMLENS_CLI_PATH; }

}  // namespace claimlens::testing
