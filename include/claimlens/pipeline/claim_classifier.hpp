// The seed analysis' claim classifier as one trainable, savable object: features
// (ClaimFeaturizer), a random forest and/or gradient-boosted trees tuned by grid-search CV on
// recall, the champion picked by validation recall, and a report of every step.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/model/model.hpp"
#include "claimlens/pipeline/claim_features.hpp"

namespace claimlens {

template <class S>
class ParamTable;

struct ClaimClassifierOptions {
  enum class Algorithm { RandomForest, GradientBoosting, Champion };
  Algorithm algorithm = Algorithm::Champion;
  bool seed_grid = true;  // "grid": "seed" searches the seed's grids; "none" fits their best
  int cv_folds = 5;
  std::uint64_t random_state = 0;
  int n_jobs = -1;  // threads; 0 or -1 = all cores (claimlens/threads.hpp)
  /// Called with a step name ("random_forest grid", ...) and the fraction of it done.
  std::function<void(const std::string& step, double fraction)> progress;

  /// Keys: algorithm ("random_forest" | "gradient_boosting" | "champion"), grid ("seed" |
  /// "none"), cv_folds, random_state, n_jobs (docs/parameters.md). Unknown keys and bad values
  /// are InvalidArgument naming the key's path ('options.cv_folds').
  static ClaimClassifierOptions from_json(const nlohmann::json& j);
  /// The same at `r`'s path, raising `r`'s error.
  static ClaimClassifierOptions from_json(const JsonReader& r);
  /// The keys above (progress is not a key).
  nlohmann::json to_json() const;
  /// InvalidArgument naming the key of a value out of its domain.
  void validate() const;
  /// The keys, types, domains, defaults and docs (claimlens/param_table.hpp).
  static const ParamTable<ClaimClassifierOptions>& table();
};

/// The rows (of the frame without nulls in the columns it reads) of each part of the seed's
/// 60/20/20 split that ClaimClassifier::train makes with random_state `seed`.
struct ClaimSplit {
  std::vector<std::size_t> train, validation, test;
};
ClaimSplit claim_classifier_split(std::size_t rows, std::uint64_t seed);

/// The rows of `videos` that ClaimClassifier::train(videos, options) with this random_state holds
/// out as its test split: indices into `videos`, in the split's order (the complete rows of
/// claim_input_columns() and claim_status, claim_classifier_split's test part, as train takes it).
/// Lets a report or an audit look again at exactly the videos the test scores were measured on.
/// SchemaError naming a missing column.
std::vector<std::size_t> claim_classifier_test_rows(const DataFrame& videos,
                                                    std::uint64_t random_state);
/// The same for all three parts: indices into `videos` of the rows train fits on, validates on
/// and tests on, each in the split's order.
ClaimSplit claim_classifier_rows(const DataFrame& videos, std::uint64_t random_state);

/// The seed's grids (scikit-learn's and XGBoost's names).
nlohmann::json seed_forest_grid();
nlohmann::json seed_boosting_grid();

class ClaimClassifier {
 public:
  /// The "model_type" of its model files (claimlens/io/model_file.hpp).
  static constexpr const char* kModelType = "claim_classifier";

  /// Drops rows with nulls, splits 60/20/20 (train/validation/test) with `random_state`, fits
  /// the featurizer on the training texts, tunes and fits the chosen algorithm(s), evaluates.
  /// SchemaError naming a missing column; InvalidArgument for too few rows or a single class.
  static ClaimClassifier train(const DataFrame& videos, const ClaimClassifierOptions& options = {});

  /// P(claim) per record. Thread-safe.
  double predict_proba(const VideoRecord& video) const;
  /// P(claim) of every record into out[videos.size()]: each record is checked before anything
  /// is written (InvalidArgument naming the first bad one's index), then the records are
  /// featurized in blocks on the stack and each block scored tree by tree. No heap allocation
  /// for valid records; values bit-identical to the one-record overload. Thread-safe.
  void predict_proba(Span<const VideoRecord> videos, double* out) const;
  /// The same for records made on demand: record(context, i) returns a view of record i, valid
  /// until the next call (it may throw InvalidArgument for a record it cannot make). Lets a
  /// caller holding records of another shape (the C ABI's claimlens_video) score them without
  /// copying them all first.
  using RecordSource = VideoRecord (*)(const void* context, std::size_t index);
  void predict_proba(std::size_t n, RecordSource record, const void* context, double* out) const;
  std::vector<double> predict_proba(const DataFrame& videos) const;
  /// The frame rows `rows` (in that order); messages name the frame's rows.
  std::vector<double> predict_proba(const DataFrame& videos,
                                    const std::vector<std::size_t>& rows) const;
  std::vector<double> predict_proba(const RowMatrix& features) const;
  /// Exact SHAP values of the champion (docs/explanations.md) for records made on demand (as
  /// predict_proba above): out[n * (num_features + 1)] (the bias last per record), residual[n]
  /// and, when not null, output[n] (the champion's output on its scale). Every record is checked
  /// before anything is written. No heap allocation for valid records once the champion's
  /// explainer exists and the thread has explained a record. Thread-safe.
  void explain(std::size_t n, RecordSource record, const void* context, double* out,
               double* residual, double* output = nullptr) const;
  /// Every row of a frame with the dataset's columns (as the frame transform reads it).
  ShapValues explain(const DataFrame& videos) const;
  /// The frame rows `rows` (in that order); messages name the frame's rows.
  ShapValues explain(const DataFrame& videos, const std::vector<std::size_t>& rows) const;
  /// A review queue: per record its P(claim) and priority (P(claim) x view_count), and the
  /// review order (indices by priority, highest first, ties by index).
  struct Triage {
    std::vector<std::size_t> order;
    std::vector<double> p_claim, priority;  // by record index
  };
  /// The queue of records made on demand (as predict_proba); every record is checked first.
  Triage triage(std::size_t n, RecordSource record, const void* context) const;
  /// Review order: indices by p_claim x view_count, highest first (ties by index).
  std::vector<std::size_t> triage(const std::vector<VideoRecord>& videos) const;
  /// The same for the rows of a frame with the dataset's columns (read as predict_proba(frame)
  /// reads them); a row it cannot score (a null) comes last.
  std::vector<std::size_t> triage(const DataFrame& videos) const;

  const ClaimFeaturizer& featurizer() const { return featurizer_; }
  /// The champion: a model of the featurizer's matrix.
  const Model& model() const { return *model_; }
  std::string champion() const;  // its model_type: "random_forest" | "gradient_boosting"
  std::vector<double> feature_importances() const;
  /// What training did and measured (documented in docs/classifier-report.md).
  const nlohmann::json& report() const { return *report_; }

  nlohmann::json to_json() const;
  /// Validates everything; ModelFormatError on any inconsistency.
  static ClaimClassifier from_json(const nlohmann::json& j);
  /// The same for a document at `j`'s path: ModelFormatError naming the path at fault.
  static ClaimClassifier from_json(const JsonReader& j);

 private:
  ClaimFeaturizer featurizer_;
  std::optional<Model> model_;  // set by train and from_json
  JsonDocument report_;         // freed without allocating (claimlens/json_document.hpp)
};

/// The classifier as a model of the model layer: Model(classifier).
std::shared_ptr<const ModelInterface> make_model_interface(ClaimClassifier model);

/// Accuracy, precision, recall, F1 (class 1), ROC AUC and the confusion matrix [[tn, fp],
/// [fn, tp]] of probabilities turned into classes by the library's one rule (predicts_positive,
/// claimlens/metrics/binary.hpp: class 1 iff P > 0.5), as cross-validation and predict() do.
nlohmann::json binary_evaluation(Span<const double> y_true, Span<const double> proba);

}  // namespace claimlens
