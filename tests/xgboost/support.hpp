// Shared helpers of the XGBoost importer tests: fixture models, their matrices and predictions
// (tests/fixtures/scripts/xgboost_models.py).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/xgboost/booster.hpp"
#include "ensemble/support.hpp"

namespace claimlens::testing {

inline std::vector<std::uint8_t> fixture_bytes(const std::string& name) {
  const std::string s = read_text_file(fixture_path("xgboost/" + name));
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

inline XGBoostBooster load_fixture_booster(const std::string& name) {
  return XGBoostBooster::load(fixture_path("xgboost/" + name));
}

/// A fixture's reference: predictions on the test rows (with the script's NaN rule for models
/// trained with NaNs) followed by its edge rows.
struct Reference {
  nlohmann::json j;
  std::vector<double> x;  // row-major
  std::size_t rows = 0, cols = 0;
  std::vector<double> margin, prediction;
};

/// `nan_modulus` > 0: NaN where (row * 31 + col * 17) % nan_modulus == 0 (the script's rule).
inline Reference load_reference(const std::string& model, int nan_modulus) {
  Reference ref;
  ref.j =
      nlohmann::json::parse(read_text_file(fixture_path("xgboost/" + model + "_predictions.json")));
  const auto test = load_claim_matrix("ensemble_claim_test.json");
  const auto test_rows = ref.j.at("test_rows").get<std::size_t>();
  const auto& edges = ref.j.at("edge_rows");
  ref.cols = static_cast<std::size_t>(test.X.cols());
  ref.rows = test_rows + edges.size();
  for (std::size_t r = 0; r < test_rows; ++r) {
    for (std::size_t c = 0; c < ref.cols; ++c) {
      const bool nan =
          nan_modulus > 0 && (r * 31 + c * 17) % static_cast<std::size_t>(nan_modulus) == 0;
      ref.x.push_back(nan ? std::nan("")
                          : test.X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)));
    }
  }
  for (const auto& row : edges) {
    for (const auto& v : row) ref.x.push_back(v.is_null() ? std::nan("") : v.get<double>());
  }
  ref.margin = ref.j.at("margin").get<std::vector<double>>();
  ref.prediction = ref.j.at("prediction").get<std::vector<double>>();
  return ref;
}

}  // namespace claimlens::testing
