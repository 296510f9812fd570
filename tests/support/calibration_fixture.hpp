// tests/fixtures/sklearn_calibration.json (tests/fixtures/scripts/sklearn_calibration.py), read
// once, and the element-wise comparison its parity tests share.
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace claimlens::testing {

inline const nlohmann::json& calibration_fixture() {
  static const nlohmann::json data =
      nlohmann::json::parse(read_text_file(fixture_path("sklearn_calibration.json")));
  return data;
}

/// Every |actual[i] - expected[i]| <= tol, the sizes equal.
inline void check_close(const std::vector<double>& actual, const nlohmann::json& expected,
                        double tol, const std::string& what) {
  INFO(what);
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("[" << i << "] actual " << actual[i] << " expected " << expected[i].get<double>());
    CHECK(std::abs(actual[i] - expected[i].get<double>()) <= tol);
  }
}

}  // namespace claimlens::testing
