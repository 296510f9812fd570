// Binary logistic regression with scikit-learn's semantics for C, penalty, fit_intercept and
// class_weight, solved to the true optimum (Newton or L-BFGS on internally standardized features).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/matrix.hpp"
#include "claimlens/metrics/binary.hpp"

namespace claimlens {

enum class Penalty { L2, None };
enum class ClassWeight { None, Balanced };
/// Auto picks Newton for up to `newton_max_features` features and L-BFGS beyond.
enum class LogisticSolver { Auto, Newton, Lbfgs };

const char* penalty_name(Penalty penalty);       // "l2", "none"
const char* solver_name(LogisticSolver solver);  // "auto", "newton", "lbfgs"

template <class S>
class ParamTable;
class JsonReader;

/// LogisticRegression's parameters; the JSON keys are scikit-learn's (the table of
/// docs/parameters.md).
struct LogisticRegressionParams {
  Penalty penalty = Penalty::L2;
  /// Inverse L2 strength: objective = 0.5*||w||^2 + C * sum_i s_i*logloss_i (intercept
  /// unpenalized).
  double C = 1.0;
  bool fit_intercept = true;
  ClassWeight class_weight = ClassWeight::None;
  LogisticSolver solver = LogisticSolver::Auto;
  int max_iter = 100;
  /// Stop when max_j |dF/dv_j| <= tol, where F is the objective divided by C*sum(s) and v are the
  /// coefficients of the standardized features (a scale-free criterion, unlike sklearn's tol).
  double tol = 1e-8;
  /// Fit on (x - mean) / sd internally; coefficients are always reported in the original units.
  bool standardize = true;
  /// Throw StateError instead of returning with converged() == false.
  bool require_convergence = false;
  int newton_max_features = 200;

  /// scikit-learn's keys: C, penalty ("l2" | "none" | null), fit_intercept, class_weight (null |
  /// "balanced"), max_iter, tol, solver ("auto" | "newton" | "lbfgs"). Missing keys keep their
  /// defaults; unknown keys, wrong types and bad values are InvalidArgument naming the key's path
  /// ('params.C').
  static LogisticRegressionParams from_json(const nlohmann::json& j);
  /// The same at `r`'s path, raising `r`'s error (ModelFormatError inside a model document).
  static LogisticRegressionParams from_json(const JsonReader& r);
  /// The keys above (what from_json reads back).
  nlohmann::json to_json() const;
  /// InvalidArgument naming the key of a value out of its domain.
  void validate() const;
  /// The keys, types, domains, defaults and docs (claimlens/param_table.hpp).
  static const ParamTable<LogisticRegressionParams>& table();
};

/// The former name, kept so that code written against it still compiles. Deprecated: use
/// LogisticRegressionParams.
using LogisticRegressionOptions = LogisticRegressionParams;

/// What the last fit did: never silent about stopping short of the optimum.
struct LogisticFitReport {
  bool converged = false;
  int iterations = 0;
  double gradient_norm = 0.0;  // the scaled criterion compared with tol
  double objective =
      0.0;  // 0.5*||w||^2 + C*sum(s*logloss) in original units (no penalty: sum(s*logloss))
  LogisticSolver solver = LogisticSolver::Auto;  // the solver actually used
};

class LogisticRegression {
 public:
  /// The "model_type" of its model files (claimlens/io/model_file.hpp).
  static constexpr const char* kModelType = "logistic_regression";

  LogisticRegression() = default;
  explicit LogisticRegression(const LogisticRegressionParams& options);

  /// y holds 0/1 labels (both present); sample_weight empty = all ones. Throws InvalidArgument on
  /// bad input, StateError on separation (penalty none) or on non-convergence if required.
  LogisticRegression& fit(const RowMatrix& X, const Vector& y,
                          const Vector& sample_weight = Vector());

  Vector decision_function(const RowMatrix& X) const;
  /// n x 2: columns P(y=0), P(y=1), like scikit-learn.
  RowMatrix predict_proba(const RowMatrix& X) const;
  /// P(y=1) per row (column 1 of predict_proba), the shape the ensembles' predict_proba returns.
  std::vector<double> positive_proba(const RowMatrix& X) const;
  /// 1 where P(y=1) > threshold. The default is the library's one rule (predicts_positive,
  /// claimlens/metrics/binary.hpp): scikit-learn's predict (decision_function > 0).
  std::vector<int> predict(const RowMatrix& X, double threshold = kDecisionThreshold) const;

  /// Penalized objective of (coef, intercept) on (X, y) under this model's options.
  double objective(const RowMatrix& X, const Vector& y, const Vector& coef, double intercept,
                   const Vector& sample_weight = Vector()) const;

  bool is_fitted() const { return fitted_; }
  const Vector& coef() const;
  double intercept() const;
  /// Number of features seen by fit (scikit-learn's n_features_in_). StateError before fit.
  std::size_t n_features_in() const;
  /// |coef_j| / sum_k |coef_k| (plain coefficient shares: feature spreads are not stored, so
  /// this is comparable across features only when they share a scale). StateError before fit.
  std::vector<double> feature_importances() const;
  /// The training rows' feature means (weighted by sample_weight when one was given; class_weight
  /// does not enter), the baseline of linear SHAP explanations. Empty for a model read from a
  /// document saved before they were kept (its optional "feature_means" key absent).
  const Vector& feature_means() const { return feature_means_; }
  bool converged() const { return report_.converged; }
  int n_iter() const { return report_.iterations; }
  const LogisticFitReport& report() const { return report_; }
  const LogisticRegressionParams& params() const { return options_; }
  /// The former name of params().
  const LogisticRegressionParams& options() const { return options_; }

  /// {"params": options().to_json(), "coef": [...], "intercept", "converged", "iterations",
  /// "feature_means": [...]} (original units; feature_means only when known). StateError before
  /// fit.
  nlohmann::json to_json() const;
  /// Validates the document (finite coefficients, known parameters; a "params" entry
  /// "algorithm": "logistic_regression", as the C ABI writes it, is accepted); ModelFormatError
  /// naming what is wrong.
  static LogisticRegression from_json(const nlohmann::json& j);
  /// The same for a model document at `j`'s path (e.g. "model" inside a tabular pipeline).
  static LogisticRegression from_json(const JsonReader& j);

 private:
  void require_fitted(const char* what) const;

  LogisticRegressionParams options_;
  Vector coef_;
  double intercept_ = 0.0;
  Vector feature_means_;  // empty: unknown (an older model document)
  bool fitted_ = false;
  LogisticFitReport report_;
};

}  // namespace claimlens
