// LogisticRegression parameters and fitted models as JSON (scikit-learn's parameter names), so a
// logistic regression can be saved in model files like the tree models.
#include <cmath>
#include <limits>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

[[noreturn]] void bad_param(const std::string& key, const std::string& why, const Json& v) {
  throw InvalidArgument("LogisticRegression: parameter '" + key + "' " + why + ", got " + v.dump());
}

double positive_number(const std::string& key, const Json& v) {
  if (!v.is_number() || !(v.get<double>() > 0) || !std::isfinite(v.get<double>())) {
    bad_param(key, "must be a positive finite number", v);
  }
  return v.get<double>();
}

void read_param(LogisticRegressionOptions& o, const std::string& key, const Json& v) {
  if (key == "C") {
    o.C = positive_number(key, v);
  } else if (key == "tol") {
    o.tol = positive_number(key, v);
  } else if (key == "penalty") {
    if (v.is_null() || json_string_equals(v, "none")) {
      o.penalty = Penalty::None;
    } else if (json_string_equals(v, "l2")) {
      o.penalty = Penalty::L2;
    } else {
      bad_param(key, "must be \"l2\", \"none\" or null", v);
    }
  } else if (key == "fit_intercept") {
    if (!v.is_boolean()) bad_param(key, "must be true or false", v);
    o.fit_intercept = v.get<bool>();
  } else if (key == "class_weight") {
    if (v.is_null()) {
      o.class_weight = ClassWeight::None;
    } else if (json_string_equals(v, "balanced")) {
      o.class_weight = ClassWeight::Balanced;
    } else {
      bad_param(key, "must be null or \"balanced\"", v);
    }
  } else if (key == "max_iter") {
    const auto max_iter = json_integer_in(v, 1, 100000);
    if (!max_iter) bad_param(key, "must be an integer from 1 to 100000", v);
    o.max_iter = static_cast<int>(*max_iter);
  } else if (key == "solver") {
    if (json_string_equals(v, "auto")) {
      o.solver = LogisticSolver::Auto;
    } else if (json_string_equals(v, "newton")) {
      o.solver = LogisticSolver::Newton;
    } else if (json_string_equals(v, "lbfgs")) {
      o.solver = LogisticSolver::Lbfgs;
    } else {
      bad_param(key, "must be \"auto\", \"newton\" or \"lbfgs\"", v);
    }
  } else {
    throw InvalidArgument("LogisticRegression: unknown parameter '" + key +
                          "' (known: C, penalty, fit_intercept, class_weight, max_iter, tol, "
                          "solver)");
  }
}

}  // namespace

LogisticRegressionOptions LogisticRegressionOptions::from_json(const Json& j) {
  if (!j.is_object()) {
    throw InvalidArgument("LogisticRegression: parameters must be a JSON object, got " + j.dump());
  }
  LogisticRegressionOptions o;
  for (const auto& item : j.items()) read_param(o, item.key(), item.value());
  return o;
}

// Key by key, not from an initializer list: its {key, value} pairs die as non-empty arrays,
// whose destructor allocates (claimlens/json_document.hpp).
Json LogisticRegressionOptions::to_json() const {
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["C"] = C;
  j["penalty"] = penalty_name(penalty);
  j["fit_intercept"] = fit_intercept;
  j["class_weight"] = class_weight == ClassWeight::Balanced ? Json("balanced") : Json();
  j["max_iter"] = max_iter;
  j["tol"] = tol;
  j["solver"] = solver_name(solver);
  return std::move(j);
}

Json LogisticRegression::to_json() const {
  require_fitted("to_json");
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["params"] = options_.to_json();
  j["coef"] = std::vector<double>(coef_.data(), coef_.data() + coef_.size());
  j["intercept"] = intercept_;
  j["converged"] = report_.converged;
  j["iterations"] = report_.iterations;
  return std::move(j);
}

LogisticRegression LogisticRegression::from_json(const Json& j) {
  if (!j.is_object()) throw ModelFormatError("logistic_regression: expected a JSON object");
  LogisticRegression m;
  try {
    JsonDocument params(j.at("params"));  // a copy, disposed (claimlens/json_document.hpp)
    if (params->is_object() && params->contains("algorithm")) {
      if (!json_string_equals((*params)["algorithm"], "logistic_regression")) {
        throw ModelFormatError("logistic_regression: params.algorithm is " +
                               (*params)["algorithm"].dump());
      }
      params->erase("algorithm");
    }
    m.options_ = LogisticRegressionOptions::from_json(*params);
    const auto coef = j.at("coef").get<std::vector<double>>();
    m.intercept_ = j.at("intercept").get<double>();
    m.report_.converged = j.at("converged").get<bool>();
    const auto iterations = json_integer_in(j.at("iterations"), 0, std::numeric_limits<int>::max());
    if (!iterations) {
      throw ModelFormatError("logistic_regression: iterations must be an integer from 0 to " +
                             std::to_string(std::numeric_limits<int>::max()));
    }
    m.report_.iterations = static_cast<int>(*iterations);
    if (coef.empty()) throw ModelFormatError("logistic_regression: no coefficients");
    for (double c : coef) {
      if (!std::isfinite(c)) throw ModelFormatError("logistic_regression: non-finite coefficient");
    }
    if (!std::isfinite(m.intercept_)) {
      throw ModelFormatError("logistic_regression: non-finite intercept");
    }
    if (m.report_.iterations < 0) throw ModelFormatError("logistic_regression: iterations < 0");
    m.coef_ = Eigen::Map<const Vector>(coef.data(), static_cast<Eigen::Index>(coef.size()));
  } catch (const Json::exception& e) {
    throw ModelFormatError(std::string("logistic_regression: ") + e.what());
  } catch (const InvalidArgument& e) {
    throw ModelFormatError(std::string("logistic_regression: ") + e.what());
  }
  m.report_.solver = m.options_.solver;
  m.fitted_ = true;
  return m;
}

}  // namespace claimlens
