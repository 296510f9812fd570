// GradientBoostingParams: validation and JSON (XGBoost's names and value domains).
#include <cmath>
#include <string>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "json_util.hpp"

namespace claimlens {

using namespace ensemble_detail;  // NOLINT: private helpers of this module
using nlohmann::json;

namespace {
constexpr const char* kWhat = "GradientBoostingParams";

void finite_at_least(double v, double lo, const char* key) {
  if (!std::isfinite(v) || v < lo) {
    bad_param(kWhat, key, "must be a finite number >= " + json(lo).dump());
  }
}
void in_unit(double v, const char* key) {
  if (!(v > 0.0 && v <= 1.0)) bad_param(kWhat, key, "must be in (0, 1]");
}
}  // namespace

void GradientBoostingParams::validate() const {
  check_shared_params(kWhat, n_estimators, n_jobs, max_bin, kMaxEstimators);
  if (!std::isfinite(learning_rate) || learning_rate <= 0.0) {
    bad_param(kWhat, "learning_rate", "must be a finite number > 0");
  }
  if (max_depth < 0 || max_depth > kMaxTreeDepth) {
    bad_param(kWhat, "max_depth",
              "must be >= 0 (0 = unlimited) and <= " + std::to_string(kMaxTreeDepth));
  }
  finite_at_least(min_child_weight, 0.0, "min_child_weight");
  finite_at_least(reg_lambda, 0.0, "reg_lambda");
  finite_at_least(reg_alpha, 0.0, "reg_alpha");
  finite_at_least(gamma, 0.0, "gamma");
  in_unit(subsample, "subsample");
  in_unit(colsample_bytree, "colsample_bytree");
  if (base_score && !(*base_score > 0.0 && *base_score < 1.0)) {
    bad_param(kWhat, "base_score", "must be a probability in (0, 1) or null");
  }
}

GradientBoostingParams GradientBoostingParams::from_json(const json& j) {
  reject_unknown_keys(j, kWhat,
                      {"n_estimators", "learning_rate", "max_depth", "min_child_weight",
                       "reg_lambda", "reg_alpha", "gamma", "subsample", "colsample_bytree",
                       "max_bin", "base_score", "random_state", "n_jobs"});
  GradientBoostingParams p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    const char* k = key.c_str();
    if (key == "n_estimators") {
      p.n_estimators = param_int(v, kWhat, k);
    } else if (key == "learning_rate") {
      p.learning_rate = param_double(v, kWhat, k);
    } else if (key == "max_depth") {
      p.max_depth = param_int(v, kWhat, k);
    } else if (key == "min_child_weight") {
      p.min_child_weight = param_double(v, kWhat, k);
    } else if (key == "reg_lambda") {
      p.reg_lambda = param_double(v, kWhat, k);
    } else if (key == "reg_alpha") {
      p.reg_alpha = param_double(v, kWhat, k);
    } else if (key == "gamma") {
      p.gamma = param_double(v, kWhat, k);
    } else if (key == "subsample") {
      p.subsample = param_double(v, kWhat, k);
    } else if (key == "colsample_bytree") {
      p.colsample_bytree = param_double(v, kWhat, k);
    } else if (key == "max_bin") {
      p.max_bin = param_int(v, kWhat, k);
    } else if (key == "base_score") {
      param_nullable(p.base_score, v, [&] { return param_double(v, kWhat, k); });
    } else if (key == "random_state") {
      p.random_state = param_seed(v, kWhat, k);
    } else if (key == "n_jobs") {
      p.n_jobs = param_int(v, kWhat, k);
    }
  }
  p.validate();
  return p;
}

json GradientBoostingParams::to_json() const {
  // Key by key: an initializer list's {key, value} pairs allocate when they die.
  JsonDocument doc(json::object());
  json& j = *doc;
  j["n_estimators"] = n_estimators;
  j["learning_rate"] = learning_rate;
  j["max_depth"] = max_depth;
  j["min_child_weight"] = min_child_weight;
  j["reg_lambda"] = reg_lambda;
  j["reg_alpha"] = reg_alpha;
  j["gamma"] = gamma;
  j["subsample"] = subsample;
  j["colsample_bytree"] = colsample_bytree;
  j["max_bin"] = max_bin;
  j["base_score"] = base_score ? json(*base_score) : json(nullptr);
  j["random_state"] = random_state;
  j["n_jobs"] = n_jobs;
  return std::move(j);
}

}  // namespace claimlens
