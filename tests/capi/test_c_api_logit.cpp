// claimlens_logit_json: statsmodels' Logit through the C ABI, against the statsmodels fixture
// (tests/fixtures/regression_inference.json, from tests/fixtures/scripts/regression_inference.py),
// and its errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens.h"
#include "support/paths.hpp"

namespace {

nlohmann::json logit_fixture() {
  std::ifstream in(claimlens::testing::fixture_path("regression_inference.json"));
  REQUIRE(in);
  return nlohmann::json::parse(in)["logit"];
}

double max_rel_diff(const nlohmann::json& got, const nlohmann::json& want) {
  REQUIRE(got.size() == want.size());
  double worst = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    const double a = got[i].get<double>(), b = want[i].get<double>();
    worst = std::max(worst, std::abs(a - b) / std::max(std::abs(b), 1e-300));
  }
  return worst;
}

// Calls claimlens_logit_json; on success returns the parsed document, else the status.
claimlens_status fit(const std::vector<double>& x, size_t rows, size_t cols,
                     const std::vector<double>& y, const char* options, nlohmann::json* out) {
  char* text = nullptr;
  const claimlens_status status =
      claimlens_logit_json(x.data(), rows, cols, y.data(), options, &text);
  if (status == CLAIMLENS_OK) {
    *out = nlohmann::json::parse(text);
    claimlens_free(text);
  } else {
    REQUIRE(text == nullptr);
  }
  return status;
}

}  // namespace

TEST_CASE("C API: claimlens_logit_json matches statsmodels' Logit") {
  const nlohmann::json ref = logit_fixture();
  const size_t rows = ref["X"].size(), cols = ref["X"][0].size();
  std::vector<double> x, y = ref["y"].get<std::vector<double>>();
  for (const auto& row : ref["X"]) {
    for (const auto& v : row) x.push_back(v.get<double>());
  }
  const std::string options =
      nlohmann::json{{"names", ref["names"]}, {"dep_name", "verified_status"}}.dump();
  nlohmann::json r;
  REQUIRE(fit(x, rows, cols, y, options.c_str(), &r) == CLAIMLENS_OK);
  CHECK(r["names"][0] == "const");
  CHECK(r["names"].size() == cols + 1);
  CHECK(r["dep_name"] == "verified_status");
  CHECK(r["converged"] == true);
  CHECK(r["nobs"] == rows);
  for (const char* key : {"params", "bse", "zvalues", "pvalues", "ci_low", "ci_high"}) {
    INFO(key);
    CHECK(max_rel_diff(r[key], ref[key]) < 1e-6);
  }
  for (const char* key : {"llf", "llnull", "aic", "bic"}) {
    INFO(key);
    CHECK(std::abs(r[key].get<double>() / ref[key].get<double>() - 1) < 1e-9);
  }
  CHECK(r["summary"].get<std::string>().find("Logit Regression Results") != std::string::npos);

  // Without a constant: one parameter per column, default names x1, x2, ...
  REQUIRE(fit(x, rows, cols, y, R"({"add_constant": false})", &r) == CLAIMLENS_OK);
  CHECK(r["names"].size() == cols);
  CHECK(r["names"][0] == "x1");
}

TEST_CASE("C API: claimlens_logit_json refuses bad arguments with a message") {
  std::vector<double> x = {0, 1, 2, 3, 4, 5, 6, 7}, y = {0, 1, 0, 1, 1, 0, 1, 0};
  nlohmann::json r;
  char* text = nullptr;
  CHECK(claimlens_logit_json(nullptr, 8, 1, y.data(), nullptr, &text) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(std::string(claimlens_last_error()) == "claimlens_logit_json: x is NULL");
  CHECK(claimlens_logit_json(x.data(), 8, 1, y.data(), nullptr, nullptr) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(fit(x, 8, 1, y, R"({"names": ["a", "b"]})", &r) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(std::string(claimlens_last_error()).find("'options.names'") != std::string::npos);
  CHECK(fit(x, 8, 1, y, R"({"alpha": 1})", &r) == CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(std::string(claimlens_last_error()).find("alpha") != std::string::npos);
  CHECK(fit(x, 8, 1, y, "{", &r) == CLAIMLENS_E_PARSE);
  std::vector<double> bad_y = y;
  bad_y[3] = 2;
  CHECK(fit(x, 8, 1, bad_y, nullptr, &r) == CLAIMLENS_E_INVALID_ARGUMENT);
  std::vector<double> separated = {0, 0, 0, 0, 1, 1, 1, 1};
  CHECK(fit(x, 8, 1, separated, nullptr, &r) == CLAIMLENS_E_STATE);
  CHECK(std::string(claimlens_last_error()).find("separation") != std::string::npos);
  std::vector<double> infinite = x;
  infinite[2] = INFINITY;
  CHECK(fit(infinite, 8, 1, y, nullptr, &r) == CLAIMLENS_E_INVALID_ARGUMENT);
}
