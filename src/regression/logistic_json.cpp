// LogisticRegression parameters (their table) and fitted models as JSON (scikit-learn's parameter
// names), so a logistic regression can be saved in model files like the tree models.
#include <cmath>
#include <limits>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/param_table.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens {

using Json = nlohmann::json;

namespace {

using P = LogisticRegressionParams;

ParamTable<P> make_table() {
  return ParamTable<P>(
      "params",
      {
          number_param<P>("C", &P::C, kPositive, "inverse L2 strength (scikit-learn's C)"),
          choice_param<P, Penalty>(
              "penalty", &P::penalty,
              {{"l2", Penalty::L2}, {"none", Penalty::None}, {nullptr, Penalty::None}},
              "\"l2\" = ridge penalty; \"none\" or null = none"),
          bool_param<P>("fit_intercept", &P::fit_intercept, "fit an unpenalized intercept"),
          choice_param<P, ClassWeight>(
              "class_weight", &P::class_weight,
              {{nullptr, ClassWeight::None}, {"balanced", ClassWeight::Balanced}},
              "null = equal weights; \"balanced\" = n / (2 n_class)"),
          int_param<P>("max_iter", &P::max_iter, 1, 100000, "most solver iterations"),
          number_param<P>("tol", &P::tol, kPositive,
                          "stop when the scaled gradient's largest entry is at most tol"),
          choice_param<P, LogisticSolver>("solver", &P::solver,
                                          {{"auto", LogisticSolver::Auto},
                                           {"newton", LogisticSolver::Newton},
                                           {"lbfgs", LogisticSolver::Lbfgs}},
                                          "\"auto\" = Newton up to 200 features, L-BFGS beyond"),
      });
}

}  // namespace

CLAIMLENS_DEFINE_PARAMS(LogisticRegressionParams, make_table)

Json LogisticRegression::to_json() const {
  require_fitted("to_json");
  // Key by key, not from an initializer list: its {key, value} pairs die as non-empty arrays,
  // whose destructor allocates (claimlens/json_document.hpp).
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["params"] = options_.to_json();
  j["coef"] = std::vector<double>(coef_.data(), coef_.data() + coef_.size());
  j["intercept"] = intercept_;
  j["converged"] = report_.converged;
  j["iterations"] = report_.iterations;
  if (feature_means_.size() > 0) {
    j["feature_means"] =
        std::vector<double>(feature_means_.data(), feature_means_.data() + feature_means_.size());
  }
  return std::move(j);
}

LogisticRegression LogisticRegression::from_json(const Json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

namespace {

// "params", where an "algorithm": "logistic_regression" entry (as the C ABI writes it) is
// accepted and dropped.
LogisticRegressionParams model_params(const JsonReader& j) {
  const JsonReader given = j.at("params");
  const auto algorithm = given.object().find("algorithm");
  if (!algorithm) return LogisticRegressionParams::from_json(given);
  if (!json_string_equals(algorithm->value(), "logistic_regression")) {
    algorithm->fail_value("must be \"logistic_regression\"");
  }
  JsonDocument params(given.value());  // a copy, disposed (claimlens/json_document.hpp)
  params->erase("algorithm");
  return LogisticRegressionParams::from_json(JsonReader(*params, given.path(), given.source()));
}

}  // namespace

LogisticRegression LogisticRegression::from_json(const JsonReader& j) {
  j.object();
  LogisticRegression m;
  m.options_ = model_params(j);
  const JsonReader coef = j.at("coef");
  const std::size_t n = coef.array_size();
  if (n == 0) coef.fail("must hold at least one coefficient");
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = coef.at(i).finite();
  m.intercept_ = j.at("intercept").finite();
  m.report_.converged = j.at("converged").boolean();
  m.report_.iterations =
      static_cast<int>(j.at("iterations").integer(0, std::numeric_limits<int>::max()));
  m.coef_ = Eigen::Map<const Vector>(values.data(), static_cast<Eigen::Index>(n));
  // Optional: documents saved before the means were kept load without them (not explainable).
  if (const auto means = j.object().find("feature_means")) {
    if (means->array_size() != n) {
      means->fail("has " + std::to_string(means->array_size()) + " entries, expected " +
                  std::to_string(n) + " (one per coefficient)");
    }
    m.feature_means_.resize(static_cast<Eigen::Index>(n));
    for (std::size_t i = 0; i < n; ++i) {
      m.feature_means_[static_cast<Eigen::Index>(i)] = means->at(i).finite();
    }
  }
  m.report_.solver = m.options_.solver;
  m.fitted_ = true;
  return m;
}

}  // namespace claimlens
