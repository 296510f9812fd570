// Gradient-boosted trees for binary classification with XGBoost's binary:logistic semantics
// (hist tree method, depthwise growth, learned default direction for missing values).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

template <class S>
class ParamTable;

/// XGBoost's parameters (XGBClassifier names and defaults); the JSON keys are the member names.
struct GradientBoostingParams {
  int n_estimators = 100;
  double learning_rate = 0.3;
  int max_depth = 6;  // 0 = unlimited
  double min_child_weight = 1.0;
  double reg_lambda = 1.0;
  double reg_alpha = 0.0;
  double gamma = 0.0;  // min_split_loss
  double subsample = 1.0;
  double colsample_bytree = 1.0;
  int max_bin = 256;
  std::optional<double> base_score;  // null = mean label of the training rows (XGBoost >= 2.0)
  std::uint64_t random_state = 0;
  int n_jobs = 1;  // threads; 0 or -1 = all cores (claimlens/threads.hpp)

  void validate() const;
  static GradientBoostingParams from_json(const nlohmann::json& j);
  /// The same at `r`'s path, raising `r`'s error (ModelFormatError inside a model document).
  static GradientBoostingParams from_json(const JsonReader& r);
  nlohmann::json to_json() const;
  /// The keys, types, domains, defaults and docs (claimlens/param_table.hpp).
  static const ParamTable<GradientBoostingParams>& table();
};

class GradientBoostingClassifier {
 public:
  GradientBoostingClassifier() = default;
  explicit GradientBoostingClassifier(GradientBoostingParams params);

  const GradientBoostingParams& params() const { return params_; }

  /// Fits on the rows `rows` of a prebinned matrix; y has one 0/1 label per row of X.
  GradientBoostingClassifier& fit(const BinnedMatrix& X, Span<const double> y,
                                  Span<const std::size_t> rows);
  /// Bins X with params().max_bin (NaN = missing) and fits on every row.
  GradientBoostingClassifier& fit(const RowMatrix& X, Span<const double> y);

  bool is_fitted() const { return fitted_; }
  std::size_t n_features_in() const { return n_features_; }
  const std::vector<Tree>& trees() const { return trees_; }
  /// The base score used (probability) and its margin logit(base_score).
  double base_score() const { return base_score_; }
  double base_margin() const { return base_margin_; }

  /// Raw margins (log-odds) and P(y = 1) = sigmoid(margin). Thread-safe.
  std::vector<double> decision_function(const double* x, std::size_t rows, std::size_t cols) const;
  std::vector<double> predict_proba(const double* x, std::size_t rows, std::size_t cols) const;
  std::vector<double> predict_proba(const RowMatrix& X) const;
  double predict_proba_row(const double* row) const;
  /// P(y = 1) of `rows` rows of `cols` (= n_features_in()) values into out[rows]: one thread,
  /// no allocation, each value bit-identical to predict_proba_row (for latency-bound batches).
  void predict_proba_rows(const double* x, std::size_t rows, std::size_t cols, double* out) const;
  std::vector<int> predict(const RowMatrix& X) const;

  /// XGBoost's importance types, normalized to sum to 1 (Gain is XGBClassifier's default).
  std::vector<double> feature_importances(ImportanceType type = ImportanceType::Gain) const;

  nlohmann::json to_json() const;
  static GradientBoostingClassifier from_json(const nlohmann::json& j);
  /// The same for a model document at `j`'s path (e.g. "model" inside a claim classifier):
  /// ModelFormatError naming the path of the value at fault.
  static GradientBoostingClassifier from_json(const JsonReader& j);

 private:
  void check_fitted(const char* what) const;

  GradientBoostingParams params_;
  bool fitted_ = false;
  std::size_t n_features_ = 0;
  double base_score_ = 0.5;
  double base_margin_ = 0.0;
  std::vector<Tree> trees_;
  FlatForest flat_;  // inference copy of trees_
};

}  // namespace claimlens
