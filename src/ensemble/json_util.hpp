// Private helpers of the ensemble module: checked JSON reads for parameters (InvalidArgument
// naming the key) and for model documents (ModelFormatError naming the path).
#pragma once

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"

namespace claimlens::ensemble_detail {

using nlohmann::json;

// ---- parameters -------------------------------------------------------------------------------

inline void reject_unknown_keys(const json& j, const char* what,
                                std::initializer_list<const char*> known) {
  if (!j.is_object()) throw InvalidArgument(std::string(what) + ": parameters must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) throw InvalidArgument(std::string(what) + ": unknown parameter '" + it.key() + "'");
  }
}

inline int param_int(const json& v, const char* what, const char* key) {
  if (!v.is_number_integer()) {
    throw InvalidArgument(std::string(what) + ": parameter '" + key + "' must be an integer, got " +
                          v.dump());
  }
  const auto x =
      json_integer_in(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
  if (!x) {
    throw InvalidArgument(std::string(what) + ": parameter '" + key +
                          "' is out of range: " + v.dump());
  }
  return static_cast<int>(*x);
}

inline double param_double(const json& v, const char* what, const char* key) {
  if (!v.is_number()) {
    throw InvalidArgument(std::string(what) + ": parameter '" + key + "' must be a number, got " +
                          v.dump());
  }
  return v.get<double>();
}

inline bool param_bool(const json& v, const char* what, const char* key) {
  if (!v.is_boolean()) {
    throw InvalidArgument(std::string(what) + ": parameter '" + key + "' must be a boolean, got " +
                          v.dump());
  }
  return v.get<bool>();
}

inline std::uint64_t param_seed(const json& v, const char* what, const char* key) {
  const auto seed = json_unsigned(v);
  if (!seed) {
    throw InvalidArgument(std::string(what) + ": parameter '" + key +
                          "' must be a non-negative integer, got " + v.dump());
  }
  return *seed;
}

inline std::string param_string(const json& v, const char* what, const char* key) {
  if (!v.is_string()) {
    throw InvalidArgument(std::string(what) + ": parameter '" + key + "' must be a string, got " +
                          v.dump());
  }
  return v.get<std::string>();
}

[[noreturn]] inline void bad_param(const char* what, const char* key, const std::string& why) {
  throw InvalidArgument(std::string(what) + ": parameter '" + key + "' " + why);
}

// A key both ensembles accept as a value or null (scikit-learn's None, XGBoost's unset).
template <class T, class Read>
void param_nullable(std::optional<T>& out, const json& v, Read read) {
  if (v.is_null()) {
    out.reset();
  } else {
    out = read();
  }
}

// The parameter domains both ensembles share, with the same messages.
inline void check_shared_params(const char* what, int n_estimators, int n_jobs, int max_bin,
                                int max_estimators) {
  if (n_estimators < 1 || n_estimators > max_estimators) {
    bad_param(what, "n_estimators", "must be >= 1 and <= " + std::to_string(max_estimators));
  }
  if (n_jobs == 0 || n_jobs < -1) bad_param(what, "n_jobs", "must be >= 1 or -1");
  if (max_bin < 2 || max_bin > 256) bad_param(what, "max_bin", "must be in [2, 256]");
}

// ---- model documents --------------------------------------------------------------------------

[[noreturn]] inline void bad_model(const std::string& where, const std::string& why) {
  throw ModelFormatError(where + ": " + why);
}

inline const json& model_field(const json& j, const std::string& where, const char* key) {
  if (!j.is_object()) bad_model(where, "must be a JSON object");
  auto it = j.find(key);
  if (it == j.end()) bad_model(where, std::string("missing key '") + key + "'");
  return *it;
}

inline std::int64_t model_int(const json& v, const std::string& where) {
  const auto x = json_integer_in(v, std::numeric_limits<std::int64_t>::min(),
                                 std::numeric_limits<std::int64_t>::max());
  if (!x) bad_model(where, "must be an integer from -2^63 to 2^63-1, got " + v.dump());
  return *x;
}

inline double model_finite(const json& v, const std::string& where) {
  if (!v.is_number()) bad_model(where, "must be a number, got " + v.dump());
  const double x = v.get<double>();
  if (!std::isfinite(x)) bad_model(where, "must be finite");
  return x;
}

// Checks the format name and version of a model document.
inline void check_header(const json& j, const char* format, int version) {
  const std::string where = format;
  const json& f = model_field(j, where, "format");
  if (!f.is_string() || f.get<std::string>() != format) {
    bad_model(where, "'format' must be \"" + std::string(format) + "\", got " + f.dump());
  }
  const auto v = model_int(model_field(j, where, "version"), where + ".version");
  if (v > version) {
    bad_model(where, "version " + std::to_string(v) + " is newer than the supported version " +
                         std::to_string(version));
  }
  if (v < 1) bad_model(where, "version " + std::to_string(v) + " is invalid");
}

// Number of worker threads for n_jobs (-1 = all); 1 inside an enclosing parallel region.
int resolve_threads(int n_jobs);

}  // namespace claimlens::ensemble_detail
