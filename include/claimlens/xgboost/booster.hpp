// XGBoost 1.x model files: a binary-classification gbtree booster loaded from XGBoost's JSON or
// UBJSON (what Booster.save_model("m.json") / ("m.ubj") writes) and predicted with XGBoost's own
// float32 semantics, bit for bit; and claimlens gradient boosting written as such a file.
// What is read and refused, and why: docs/model-format.md, "XGBoost model files".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

namespace xgboost_detail {
class Forest32;
}

/// True when `bytes` start like an XGBoost model file: a JSON text object or a UBJSON object whose
/// first key is "learner" or "version" (XGBoost writes its keys sorted, so "learner" comes
/// first). Cheap (looks at the first bytes only) and never true for a claimlens model file (JSON
/// text whose keys start with "format", or CBOR). UBJSON also starts with '{': a loader that
/// detects by content asks this first.
bool looks_like_xgboost_model(Span<const std::uint8_t> bytes) noexcept;

/// The objectives read: all three are the logistic loss; they differ only in what
/// Booster.predict returns (the sigmoid of the margin, or the margin for binary:logitraw).
enum class XGBoostObjective { BinaryLogistic, BinaryLogitRaw, RegLogistic };

/// An XGBoost gbtree booster for one binary output. Immutable once loaded; every const member is
/// thread-safe.
///
/// Predictions are XGBoost 1.7's, bit for bit: each value is rounded to float32 and compared as
/// `float(x) < split_condition` (done in double against a precomputed bound, with the same
/// result for every input), a NaN goes to the default_left child, the margin is base_margin +
/// leaf values added one tree at a time in float32 (base_margin() says how XGBoost derives it
/// from base_score), and the probability is XGBoost's float32 sigmoid of that margin. Results
/// are returned as doubles that hold those float32 values exactly.
class XGBoostBooster {
 public:
  /// The "model_type" of a claimlens model file that wraps one (claimlens/io/model_file.hpp).
  static constexpr const char* kModelType = "xgboost";

  XGBoostBooster();
  XGBoostBooster(const XGBoostBooster&);
  XGBoostBooster(XGBoostBooster&&) noexcept;
  XGBoostBooster& operator=(XGBoostBooster);
  ~XGBoostBooster();

  /// Reads an XGBoost model from memory, JSON text or UBJSON (recognised by content), within the
  /// bounds of `limits`. ModelFormatError naming `source` (e.g. a file name; "XGBoost model" when
  /// empty), the key path and the construct refused; nothing is built on failure.
  static XGBoostBooster load(Span<const std::uint8_t> bytes, const io::ModelLimits& limits = {},
                             const std::string& source = "");
  /// The same from a file. IoError when it cannot be read; errors name the file.
  static XGBoostBooster load(const std::string& path, const io::ModelLimits& limits = {});

  /// The XGBoost document as loaded (the {"learner": ..., "version": ...} object; floats as the
  /// doubles of their float32 values): saved in a claimlens envelope and read back by from_json
  /// it gives the same booster, and dumped as JSON text it is a model file XGBoost loads.
  nlohmann::json to_json() const;
  /// Reads an XGBoost document (to_json()'s, or a parsed XGBoost JSON file); ModelFormatError
  /// naming the key path (under `j`'s path).
  static XGBoostBooster from_json(const nlohmann::json& j);
  static XGBoostBooster from_json(const JsonReader& j);

  XGBoostObjective objective() const { return objective_; }
  /// "binary:logistic", "binary:logitraw" or "reg:logistic".
  const char* objective_name() const;
  /// The file's version triple, e.g. {1, 7, 4}.
  const std::vector<int>& version() const { return version_; }
  std::size_t num_features() const { return num_features_; }
  /// The file's feature names; "f0", "f1", ... (XGBoost's names) when it has none.
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  /// Whether the file named its features (else feature_names() are the f0... defaults).
  bool has_feature_names() const { return has_feature_names_; }
  /// base_score as stored and the margin XGBoost derives from it, in float32: the logit of the
  /// stored probability for binary:logistic and reg:logistic, base_score itself for
  /// binary:logitraw (its ProbToMargin is the identity).
  float base_score() const { return base_score_; }
  float base_margin() const { return base_margin_; }
  std::size_t num_trees() const { return trees_.size(); }
  int num_parallel_tree() const { return num_parallel_tree_; }
  /// Boosting rounds: num_trees() / num_parallel_tree().
  std::size_t num_boosted_rounds() const { return trees_.size() / num_parallel_tree_size(); }
  /// The "best_iteration" attribute when the file has one (early stopping; xgboost.train also
  /// sets it to the last round). Predictions use every tree unless with_iteration_range says not.
  std::optional<int> best_iteration() const { return best_iteration_; }

  /// The trees as claimlens trees, reachable nodes only, renumbered so children follow their
  /// parent: split thresholds are the float32 split_conditions, leaf values the float32 leaves,
  /// `gain` is loss_changes and `cover` is sum_hessian (XGBoost's cover, for explanations); an
  /// internal node's value is the cover-weighted mean of its leaves. Tree::predict_row compares
  /// in double, not float32: predict through the booster.
  const std::vector<Tree>& trees() const { return trees_; }

  /// A copy that predicts with the rounds [begin, end) only (XGBoost's iteration_range; end 0 =
  /// every round). with_iteration_range(0, *best_iteration() + 1) predicts as XGBClassifier does
  /// after early stopping. to_json() still returns the whole document. InvalidArgument when the
  /// range is empty or past num_boosted_rounds().
  XGBoostBooster with_iteration_range(std::size_t begin, std::size_t end) const;
  /// The range predicted with: [first round, end round).
  std::size_t iteration_begin() const { return round_begin_; }
  std::size_t iteration_end() const { return round_end_; }

  /// Threads of the batch predictions (claimlens/threads.hpp: 0 or -1 = all cores); results do
  /// not depend on it. Default 1.
  void set_n_jobs(int n_jobs);
  int n_jobs() const { return n_jobs_; }

  /// Margins (Booster.predict(output_margin=True)) of `rows` rows of `cols` (= num_features())
  /// values, row-major, NaN = missing, into out[rows]; rows in parallel blocks over n_jobs()
  /// threads, the same bits whatever the count.
  void predict_margin(const double* x, std::size_t rows, std::size_t cols, double* out) const;
  std::vector<double> predict_margin(const double* x, std::size_t rows, std::size_t cols) const;
  /// P(y = 1): XGBoost's float32 sigmoid of the margin (what Booster.predict returns for
  /// binary:logistic and reg:logistic; for binary:logitraw it returns the margin).
  void predict_proba(const double* x, std::size_t rows, std::size_t cols, double* out) const;
  std::vector<double> predict_proba(const double* x, std::size_t rows, std::size_t cols) const;
  /// What Booster.predict returns: predict_proba, or predict_margin for binary:logitraw.
  std::vector<double> predict(const double* x, std::size_t rows, std::size_t cols) const;
  /// One row of num_features() values: no allocation, no check of the row (StateError only on
  /// a default-constructed booster).
  double predict_proba_row(const double* row) const;
  double predict_margin_row(const double* row) const;
  /// Rows on the calling thread without allocating (no OpenMP region), each value bit-identical
  /// to predict_proba_row: for latency-bound batches.
  void predict_proba_rows(const double* x, std::size_t rows, std::size_t cols, double* out) const;

  /// XGBoost's importance_type "total_gain" (the loss_changes of each feature's splits, summed
  /// over the predicted trees), normalized to sum to 1 (all zero when no tree splits).
  std::vector<double> feature_importances() const;

 private:
  friend struct XGBoostReader;
  std::size_t num_parallel_tree_size() const {
    return static_cast<std::size_t>(num_parallel_tree_);
  }
  void check_input(const char* what, const double* x, std::size_t rows, std::size_t cols,
                   const double* out) const;
  void build_forest();

  JsonDocument document_;
  XGBoostObjective objective_ = XGBoostObjective::BinaryLogistic;
  std::vector<int> version_;
  std::size_t num_features_ = 0;
  std::vector<std::string> feature_names_;
  bool has_feature_names_ = false;
  float base_score_ = 0.5f;
  float base_margin_ = 0.0f;
  int num_parallel_tree_ = 1;
  std::optional<int> best_iteration_;
  std::vector<Tree> trees_;
  std::size_t round_begin_ = 0, round_end_ = 0;
  int n_jobs_ = 1;
  xgboost_detail::Forest32* forest_ = nullptr;  // owned; the trees of [round_begin_, round_end_)
};

/// A claimlens gradient-boosting model as an XGBoost 1.7 JSON document (binary:logistic) that
/// xgboost.Booster(model_file=...) loads. Leaf values and base_score become float32 (XGBoost
/// stores no doubles); each threshold t becomes the smallest float32 >= t, so every split decides
/// as claimlens does for every input that float32 holds exactly (integers up to 2^24, the data
/// set's counts), and XGBoost's margins differ from claimlens' only by float32 rounding of
/// leaves and sums (docs/model-format.md gives the bound). `feature_names` (empty = none, or
/// n_features_in() names) are written as the file's feature_names. Deterministic: the same model
/// gives the same document. InvalidArgument when the model is not fitted or the names are wrong.
nlohmann::json export_xgboost_json(const GradientBoostingClassifier& model,
                                   const std::vector<std::string>& feature_names = {});

/// A random forest cannot be exported exactly (see docs/model-format.md): always throws
/// InvalidArgument saying why. Declared so that every caller refuses with the same message.
[[noreturn]] void export_xgboost_json(const RandomForestClassifier& model,
                                      const std::vector<std::string>& feature_names = {});

/// Writes an XGBoost document (export_xgboost_json's, or XGBoostBooster::to_json()) as JSON text,
/// atomically (claimlens/io/atomic_file.hpp).
void write_xgboost_json(const nlohmann::json& document, const std::string& path);

}  // namespace claimlens
