// A small linear model with strict from_json, to test the model file layer on its own
// (independently of the ensemble and regression models, which have their own tests here too).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"

namespace claimlens::testing {

struct ToyModel {
  static constexpr const char* kModelType = "toy_linear";

  std::vector<double> weights;
  double bias = 0.0;
  std::string label;

  double predict(const std::vector<double>& x) const {
    double s = bias;
    for (std::size_t i = 0; i < weights.size(); ++i) s += weights[i] * x[i];
    return s;
  }

  nlohmann::json to_json() const {
    return {{"weights", weights}, {"bias", bias}, {"label", label}};
  }

  static ToyModel from_json(const nlohmann::json& j) {
    if (!j.is_object() || j.size() != 3 || !j.contains("weights") || !j.contains("bias") ||
        !j.contains("label")) {
      throw ModelFormatError("toy model needs exactly weights, bias and label");
    }
    const auto& w = j.at("weights");
    if (!w.is_array() || w.empty() || w.size() > 1000) {
      throw ModelFormatError("toy model weights must be an array of 1..1000 numbers");
    }
    ToyModel m;
    for (const auto& v : w) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) {
        throw ModelFormatError("toy model weight is not a finite number");
      }
      m.weights.push_back(v.get<double>());
    }
    if (!j.at("bias").is_number()) throw ModelFormatError("toy model bias is not a number");
    m.bias = j.at("bias").get<double>();
    m.label = j.at("label").get<std::string>();  // a wrong type throws nlohmann's type_error
    return m;
  }
};

}  // namespace claimlens::testing
