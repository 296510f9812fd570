// Shared helpers of the stats tests: the scipy/pandas fixture, tolerant comparison, and the real
// data set's columns after dropna().
#pragma once

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace claimlens::testing {

/// tests/fixtures/scipy_stats.json (tests/fixtures/scripts/scipy_stats.py).
inline const nlohmann::json& stats_fixture() {
  static const nlohmann::json fixture =
      nlohmann::json::parse(read_text_file(fixture_path("scipy_stats.json")));
  return fixture;
}

/// A fixture number; the script writes NaN and infinities as strings.
inline double num(const nlohmann::json& value) {
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
  }
  return value.get<double>();
}

inline std::vector<double> nums(const nlohmann::json& values) {
  std::vector<double> out;
  for (const auto& v : values) out.push_back(num(v));
  return out;
}

/// |a - b| <= rel * max(|a|, |b|) + abs_floor, or both NaN.
inline bool close(double a, double b, double rel = 1e-12, double abs_floor = 0.0) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (a == b) return true;
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b)) + abs_floor;
}

}  // namespace claimlens::testing
