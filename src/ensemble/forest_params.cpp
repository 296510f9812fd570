// RandomForestParams: validation and JSON (scikit-learn's names and value domains).
#include <cmath>
#include <string>

#include "claimlens/ensemble/random_forest.hpp"
#include "json_util.hpp"

namespace claimlens {

using namespace ensemble_detail;  // NOLINT: private helpers of this module
using nlohmann::json;

namespace {
constexpr const char* kWhat = "RandomForestParams";
}

void RandomForestParams::validate() const {
  check_shared_params(kWhat, n_estimators, n_jobs, max_bin, kMaxEstimators);
  if (max_depth && (*max_depth < 1 || *max_depth > kMaxTreeDepth)) {
    bad_param(kWhat, "max_depth", "must be >= 1 or null, and <= " + std::to_string(kMaxTreeDepth));
  }
  if (min_samples_split < 2) bad_param(kWhat, "min_samples_split", "must be >= 2");
  if (min_samples_leaf < 1) bad_param(kWhat, "min_samples_leaf", "must be >= 1");
  using MF = MaxFeatures::Kind;
  if (max_features.kind == MF::Fraction &&
      !(max_features.value > 0.0 && max_features.value <= 1.0)) {
    bad_param(kWhat, "max_features", "as a fraction must be in (0, 1]");
  }
  if (max_features.kind == MF::Count && !(max_features.value >= 1.0)) {
    bad_param(kWhat, "max_features", "as a count must be >= 1");
  }
  using MS = MaxSamples::Kind;
  if (max_samples.kind == MS::Fraction && !(max_samples.value > 0.0 && max_samples.value <= 1.0)) {
    bad_param(kWhat, "max_samples", "as a fraction must be in (0, 1]");
  }
  if (max_samples.kind == MS::Count && !(max_samples.value >= 1.0)) {
    bad_param(kWhat, "max_samples", "as a count must be >= 1");
  }
  if (!bootstrap && max_samples.kind != MS::All) {
    bad_param(kWhat, "max_samples", "cannot be set when bootstrap is false");
  }
  if (oob_score && !bootstrap) bad_param(kWhat, "oob_score", "needs bootstrap = true");
}

RandomForestParams RandomForestParams::from_json(const json& j) {
  reject_unknown_keys(j, kWhat,
                      {"n_estimators", "criterion", "max_depth", "min_samples_split",
                       "min_samples_leaf", "max_features", "bootstrap", "max_samples",
                       "class_weight", "random_state", "n_jobs", "oob_score", "max_bin"});
  RandomForestParams p;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const json& v = it.value();
    const char* k = key.c_str();
    if (key == "n_estimators") {
      p.n_estimators = param_int(v, kWhat, k);
    } else if (key == "criterion") {
      const std::string s = param_string(v, kWhat, k);
      if (s == "gini") {
        p.criterion = Criterion::Gini;
      } else if (s == "entropy") {
        p.criterion = Criterion::Entropy;
      } else {
        bad_param(kWhat, k, "must be \"gini\" or \"entropy\", got \"" + s + "\"");
      }
    } else if (key == "max_depth") {
      param_nullable(p.max_depth, v, [&] { return param_int(v, kWhat, k); });
    } else if (key == "min_samples_split") {
      p.min_samples_split = param_int(v, kWhat, k);
    } else if (key == "min_samples_leaf") {
      p.min_samples_leaf = param_int(v, kWhat, k);
    } else if (key == "max_features") {
      using MF = MaxFeatures::Kind;
      if (v.is_null()) {
        p.max_features = {MF::All, 0.0};
      } else if (v.is_string()) {
        const std::string s = v.get<std::string>();
        if (s == "sqrt") {
          p.max_features = {MF::Sqrt, 0.0};
        } else if (s == "log2") {
          p.max_features = {MF::Log2, 0.0};
        } else {
          bad_param(kWhat, k,
                    "must be \"sqrt\", \"log2\", null, a fraction or a count, got \"" + s + "\"");
        }
      } else if (v.is_number_integer()) {
        p.max_features = {MF::Count, static_cast<double>(param_int(v, kWhat, k))};
      } else if (v.is_number_float()) {
        p.max_features = {MF::Fraction, v.get<double>()};
      } else {
        bad_param(kWhat, k,
                  "must be \"sqrt\", \"log2\", null, a fraction or a count, got " + v.dump());
      }
    } else if (key == "bootstrap") {
      p.bootstrap = param_bool(v, kWhat, k);
    } else if (key == "max_samples") {
      using MS = MaxSamples::Kind;
      if (v.is_null()) {
        p.max_samples = {MS::All, 0.0};
      } else if (v.is_number_integer()) {
        p.max_samples = {MS::Count, static_cast<double>(param_int(v, kWhat, k))};
      } else if (v.is_number_float()) {
        p.max_samples = {MS::Fraction, v.get<double>()};
      } else {
        bad_param(kWhat, k, "must be null, a fraction or a count, got " + v.dump());
      }
    } else if (key == "class_weight") {
      if (v.is_null()) {
        p.class_weight = ClassWeight::None;
      } else if (v.is_string() && v.get<std::string>() == "balanced") {
        p.class_weight = ClassWeight::Balanced;
      } else {
        bad_param(kWhat, k, "must be null or \"balanced\", got " + v.dump());
      }
    } else if (key == "random_state") {
      p.random_state = param_seed(v, kWhat, k);
    } else if (key == "n_jobs") {
      p.n_jobs = param_int(v, kWhat, k);
    } else if (key == "oob_score") {
      p.oob_score = param_bool(v, kWhat, k);
    } else if (key == "max_bin") {
      p.max_bin = param_int(v, kWhat, k);
    }
  }
  p.validate();
  return p;
}

json RandomForestParams::to_json() const {
  // An object from the start: nlohmann 3.11's operator[] on a null json sets the type before
  // allocating the map, so a bad_alloc there left a half-made value whose destructor crashed
  // (found by tests/faults).
  JsonDocument doc(json::object());  // disposed if a key fails (claimlens/json_document.hpp)
  json& j = *doc;
  j["n_estimators"] = n_estimators;
  j["criterion"] = criterion == Criterion::Gini ? "gini" : "entropy";
  j["max_depth"] = max_depth ? json(*max_depth) : json(nullptr);
  j["min_samples_split"] = min_samples_split;
  j["min_samples_leaf"] = min_samples_leaf;
  using MF = MaxFeatures::Kind;
  switch (max_features.kind) {
    case MF::Sqrt:
      j["max_features"] = "sqrt";
      break;
    case MF::Log2:
      j["max_features"] = "log2";
      break;
    case MF::All:
      j["max_features"] = nullptr;
      break;
    case MF::Fraction:
      j["max_features"] = max_features.value;
      break;
    case MF::Count:
      j["max_features"] = static_cast<int>(max_features.value);
      break;
  }
  j["bootstrap"] = bootstrap;
  using MS = MaxSamples::Kind;
  switch (max_samples.kind) {
    case MS::All:
      j["max_samples"] = nullptr;
      break;
    case MS::Fraction:
      j["max_samples"] = max_samples.value;
      break;
    case MS::Count:
      j["max_samples"] = static_cast<long long>(max_samples.value);
      break;
  }
  j["class_weight"] = class_weight == ClassWeight::Balanced ? json("balanced") : json(nullptr);
  j["random_state"] = random_state;
  j["n_jobs"] = n_jobs;
  j["oob_score"] = oob_score;
  j["max_bin"] = max_bin;
  return std::move(j);
}

}  // namespace claimlens
