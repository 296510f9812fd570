// Gradient-boosted trees for binary classification with XGBoost's binary:logistic semantics
// (hist tree method, depthwise growth, learned default direction for missing values).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/ensemble/tree_prefix.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

template <class S>
class ParamTable;

/// XGBoost's parameters (XGBClassifier names and defaults; quantized training: LightGBM's); the
/// JSON keys are the member names.
/// Rows above which early_stopping "auto" is on (scikit-learn's HistGradientBoosting: 10,000).
inline constexpr std::size_t kEarlyStoppingAutoRows = 10000;
/// Most gradient levels of quantized training (int32 histogram sums; 127: LightGBM's int8 range).
inline constexpr int kMaxGradQuantBins = 127;

struct GradientBoostingParams {
  /// Early stopping on a held-out validation split (off: every round is kept, as XGBoost
  /// without early_stopping_rounds; auto: on above kEarlyStoppingAutoRows rows, scikit-learn's
  /// HistGradientBoosting rule).
  enum class EarlyStopping { Off, On, Auto };

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
  EarlyStopping early_stopping = EarlyStopping::Off;
  int n_iter_no_change = 10;         // rounds without a validation gain of more than tol
  double validation_fraction = 0.1;  // of each class, held out (stratified)
  double tol = 1e-7;                 // least decrease of the validation log loss that counts
  /// Quantized training (LightGBM's names; Shi et al. 2022): each round's gradients and
  /// hessians rounded stochastically to num_grad_quant_bins integer levels, integer histograms,
  /// leaf values renewed from the true gradients unless quant_train_renew_leaf is false.
  bool use_quantized_grad = false;
  int num_grad_quant_bins = 4;
  bool quant_train_renew_leaf = true;

  /// Whether a fit on `rows` rows stops early (early_stopping, with auto resolved).
  bool stops_early(std::size_t rows) const;

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
  /// The "model_type" of its model files (claimlens/io/model_file.hpp).
  static constexpr const char* kModelType = "gradient_boosting";

  GradientBoostingClassifier() = default;
  explicit GradientBoostingClassifier(GradientBoostingParams params);

  const GradientBoostingParams& params() const { return params_; }

  /// Fits on the rows `rows` of a prebinned matrix; y has one 0/1 label per row of X.
  GradientBoostingClassifier& fit(const BinnedMatrix& X, Span<const double> y,
                                  Span<const std::size_t> rows);
  /// Bins X with params().max_bin (NaN = missing) and fits on every row.
  GradientBoostingClassifier& fit(const RowMatrix& X, Span<const double> y);
  /// Distributed training, a collective: every rank of `comm` passes its shard (X binned by
  /// BinnedMatrix::from_dense_distributed, and its labels), and every rank gets the same model:
  /// the model a single process fits on all rows in rank order with the same binning, bit for
  /// bit, whatever the rank count. Needs use_quantized_grad (integer histograms, exact in any
  /// order); subsample < 1 and early stopping are refused (they draw rows sequentially). An
  /// invalid shard on any rank throws on every rank.
  GradientBoostingClassifier& fit_distributed(const BinnedMatrix& X, Span<const double> y,
                                              Communicator& comm);

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
  /// Class labels by the library's one rule (predicts_positive, claimlens/metrics/binary.hpp):
  /// 1 iff P(y = 1) > 0.5, as XGBClassifier.predict.
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
  void set_fitted(std::vector<Tree> trees, double base, double base_margin, std::size_t n_features);

  GradientBoostingParams params_;
  bool fitted_ = false;
  std::size_t n_features_ = 0;
  double base_score_ = 0.5;
  double base_margin_ = 0.0;
  std::vector<Tree> trees_;
  FlatForest flat_;  // inference copy of trees_
};

namespace detail {

/// A boosting round depends only on the rounds before it (its random stream on its index), so the
/// first k trees are the model fitted with n_estimators = k: members that differ only in
/// n_estimators share one fit (see TreePrefix).
template <>
struct TreePrefix<GradientBoostingClassifier> {
  static constexpr bool kEnabled = true;
  // With early stopping a member's rounds depend on its n_estimators' validation curve only up
  // to where it stops, but its kept trees are cut at its best round: no prefix is shared.
  static void share_key(const GradientBoostingParams& p, nlohmann::json& key) {
    if (p.early_stopping != GradientBoostingParams::EarlyStopping::Off) {
      key["n_estimators"] = p.n_estimators;
    }
  }
  static TreeCut cut(const GradientBoostingParams& p) { return {p.n_estimators, 0}; }
  static void widen(GradientBoostingParams& fit, const GradientBoostingParams& member) {
    fit.n_estimators = std::max(fit.n_estimators, member.n_estimators);
  }
  static void predict(const GradientBoostingClassifier& model, const double* row,
                      const std::vector<TreeCut>& cuts, double* out) {
    tree_prefix_outputs(model.trees(), row, cuts, out, [&](double sum, std::size_t) {
      double margin = model.base_margin();
      margin += sum;  // base + (tree sum), in predict_proba_row's order
      return 1.0 / (1.0 + std::exp(-margin));
    });
  }
};

}  // namespace detail
}  // namespace claimlens
