// A binary classifier for any CSV: a feature plan learned from a frame (numeric columns as they
// are, few-category string columns one-hot encoded, an optional text column turned into n-gram
// counts) in front of a random forest, gradient-boosted trees or a logistic regression. Used by
// the CLI's generic `train` / `predict` / `evaluate` / `triage` commands and by the C ABI.
//
// The plan, column by column (target and `drop` columns excluded):
//   - int64 / float64 / bool: one feature, the value as a double. A null is NaN for gbdt (its
//     trees learn where missing values go) and the training median for rf and logreg (0 when the
//     column had no value at all).
//   - string with at most `max_categories` distinct non-null training values (default 20): one
//     0/1 feature per category, named `<column>_<category>`, categories sorted; a null or a
//     category not seen at fit encodes as all zeros.
//   - string with more distinct values: not used (listed in notes()).
//   - the `text` column: CountVectorizer counts (default: the seed's word 2-3 grams, English stop
//     words, the 15 most frequent), named `<column>: <n-gram>`; a null text is the empty text.
// Rows whose target is null are dropped. The target must have exactly two distinct values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/model/model.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "claimlens/text/count_vectorizer.hpp"

namespace claimlens {

class FrameChunks;

template <class S>
class ParamTable;

enum class TabularAlgorithm { RandomForest, GradientBoosting, LogisticRegression };

/// The grid `tune` searches when tune_grid is null (docs/tuning.md). Boosting: learning_rate,
/// max_depth and min_child_weight, each fit with up to 1,000 rounds cut by early stopping;
/// forest: max_features, min_samples_leaf and max_depth; logistic regression: C.
nlohmann::json default_tuning_grid(TabularAlgorithm algorithm);

/// "rf", "gbdt", "logreg" (the CLI's --algo names).
const char* tabular_algorithm_name(TabularAlgorithm algorithm);
/// The model_type of the estimator behind each: "random_forest", "gradient_boosting",
/// "logistic_regression".
const char* tabular_model_type(TabularAlgorithm algorithm);
/// Parses the names above; InvalidArgument listing them otherwise.
TabularAlgorithm parse_tabular_algorithm(const std::string& name);

struct TabularPipelineOptions {
  std::string target;  ///< the label column (string, int64 or bool)
  /// The class that becomes 1. Default: `1` / `True` for int64 / bool targets; string targets
  /// need it (InvalidArgument naming both classes when it is missing), as scikit-learn's
  /// pos_label does for string labels.
  std::optional<std::string> positive;
  TabularAlgorithm algorithm = TabularAlgorithm::RandomForest;
  /// The algorithm's own parameters: RandomForestParams / GradientBoostingParams /
  /// LogisticRegressionParams JSON keys, as Model::fit takes them without "algorithm" (unknown keys
  /// and bad values are InvalidArgument naming the key). random_state and n_jobs default to the
  /// fields below when absent.
  nlohmann::json params = nlohmann::json::object();
  std::vector<std::string> drop;  ///< columns not to use (each must exist)
  std::optional<std::string> text;
  int max_categories = 20;
  CountVectorizerOptions text_options = default_text_options();
  /// Share of the labelled rows held out (stratified) to measure the model before the final fit
  /// on every labelled row; 0 skips the hold-out.
  double validation_fraction = 0.2;
  std::uint64_t random_state = 0;
  int n_jobs = -1;  ///< threads for the tree models (-1 = all cores); results do not depend on it
  /// Grid search of the algorithm's parameters before fitting (docs/tuning.md): on the rows the
  /// model is fitted on (the training part when there is a hold-out), tune_cv stratified folds
  /// scored by tune_scoring; the best combination is used for the measured fit and the final fit.
  bool tune = false;
  std::string tune_scoring = "roc_auc";  ///< accuracy, precision, recall, f1 or roc_auc
  int tune_cv = 5;
  /// The grid ({key: [values...]} or an array of them, scikit-learn's param_grid); null = the
  /// compact default grid of the algorithm (default_tuning_grid).
  nlohmann::json tune_grid = nullptr;
  /// Called with the tuning's fraction done, never concurrently (not a key). Optional.
  std::function<void(double)> progress;

  /// The seed analysis' vectorizer: word 2-3 grams, English stop words, 15 most frequent terms.
  static CountVectorizerOptions default_text_options();

  /// Keys: target, positive, algorithm ("rf" | "gbdt" | "logreg"), params, drop, text,
  /// max_categories, validation_fraction, random_state, n_jobs (docs/parameters.md);
  /// text_options is C++ only. Unknown keys and bad values are InvalidArgument naming the key's
  /// path ('options.validation_fraction'); the algorithm's params are checked by fit
  /// ('params.max_depth').
  static TabularPipelineOptions from_json(const nlohmann::json& j);
  /// The same at `r`'s path, raising `r`'s error.
  static TabularPipelineOptions from_json(const JsonReader& r);
  /// The keys above.
  nlohmann::json to_json() const;
  /// InvalidArgument naming the key of a value out of its domain (fit calls it first).
  void validate() const;
  /// The keys, types, domains, defaults and docs (claimlens/param_table.hpp).
  static const ParamTable<TabularPipelineOptions>& table();
};

/// One input column's part of the feature plan.
struct PlanColumn {
  enum class Kind { Numeric, Categorical, Text };
  std::string name;
  Kind kind = Kind::Numeric;
  double fill = 0.0;                    ///< Numeric: the training median (imputation)
  std::vector<std::string> categories;  ///< Categorical: sorted by code point
};

class TabularPipeline {
 public:
  static constexpr const char* kModelType = "tabular_pipeline";

  /// Learns the plan and fits the model (after a stratified hold-out, see the options).
  /// SchemaError naming a missing target/text/drop column or a text column that is not text;
  /// InvalidArgument for a target without exactly two classes, an unknown positive value, no
  /// usable feature, too few rows, or bad parameters.
  static TabularPipeline fit(const DataFrame& frame, const TabularPipelineOptions& options);

  /// The most rows fit_distributed gathers to learn the plan.
  static constexpr std::size_t kPlanSampleRows = 200000;
  /// Distributed training, a collective (docs/scale-out.md): every rank of `comm` passes its
  /// shard of the rows (a rank without data passes an empty frame) with the same options, and
  /// every rank gets the same pipeline, bit for bit, whatever the rank count (one rank
  /// included). The plan (columns, categories, medians, the text vocabulary, the target's
  /// classes) is learned from a sample of every rank's rows (all when at most kPlanSampleRows,
  /// else each row drawn by a hash of its global row id), parsed from CSV text so every rank
  /// holds the same; the estimator is fitted on every rank's rows (Model::fit_distributed: rf,
  /// or gbdt, which uses quantized gradients unless params say otherwise). The validation
  /// hold-out takes each labelled row by a hash of its global id, and its metrics come from the
  /// held-out rows of every rank. tune and logreg are refused. An error on one rank (a bad
  /// value, a missing column) is thrown on every rank, "rank K: ...".
  static TabularPipeline fit_distributed(const DataFrame& shard,
                                         const TabularPipelineOptions& options, Communicator& comm);
  /// The same over a shard read a chunk at a time (CSV files: CsvChunks), the same pipeline bit
  /// for bit: the shard is visited five times (its rows counted, the plan's sample, the bins'
  /// sample, the bins, the hold-out's scores) and never held whole, neither as a frame nor as a
  /// float64 matrix; the estimator trains on the binned matrix (uint8 bins).
  static TabularPipeline fit_distributed(const FrameChunks& shard,
                                         const TabularPipelineOptions& options, Communicator& comm);

  /// The feature matrix of `frame` under the plan (one row per frame row). SchemaError naming a
  /// plan column the frame lacks or holds with another type.
  RowMatrix transform(const DataFrame& frame) const;
  /// What the estimator (model()) reads for `frame`: transform() with missing values imputed as
  /// in training (the medians, for rf and logreg). Out-of-fold calibration refits the estimator
  /// on it.
  RowMatrix model_matrix(const DataFrame& frame) const;
  /// P(positive) for every row of `frame`. Thread-safe.
  std::vector<double> predict_proba(const DataFrame& frame) const;
  /// P(positive) for a matrix already laid out as transform() lays it out (imputation applied
  /// here for rf/logreg). InvalidArgument for a wrong column count.
  std::vector<double> predict_proba(const RowMatrix& features) const;

  /// 0/1 labels of the target column under this model's positive class; a row with a null target
  /// gets NaN. SchemaError when the column is missing; InvalidArgument naming a value that is
  /// neither class (and its row).
  /// Rows are numbered from first_row + 1 in messages (a chunk's place among the rows).
  std::vector<double> encode_target(const DataFrame& frame, const std::string& target,
                                    std::size_t first_row = 0) const;

  /// True when every plan column is numeric, so a plain matrix of those columns (in plan order)
  /// is all the model needs.
  bool numeric_only() const;
  const std::vector<PlanColumn>& plan() const { return plan_; }
  /// Model feature names, transform() column order.
  const std::vector<std::string>& feature_names() const { return feature_names_; }
  std::size_t num_features() const { return feature_names_.size(); }
  std::vector<double> feature_importances() const;
  /// Per model feature, the input column it comes from: a numeric column's own name, a one-hot
  /// feature's column, an n-gram's text column (ModelInterface::feature_groups).
  std::vector<std::string> feature_groups() const;

  /// Exact SHAP values of the estimator (docs/explanations.md) for every row of `frame` under the
  /// plan, or of a matrix laid out as transform() lays it out (imputation applied as in
  /// predict_proba): per row one value per model feature and the bias last.
  ShapValues explain(const DataFrame& frame) const;
  ShapValues explain(const RowMatrix& features) const;
  /// Fills the missing values of a transform()-laid-out matrix as prediction does (the training
  /// medians for rf and logreg; boosting keeps NaN for its trees).
  void impute_matrix(RowMatrix& features) const { impute(features); }

  TabularAlgorithm algorithm() const { return algorithm_; }
  /// The estimator behind the plan (a model of the plan's feature matrix).
  const Model& model() const { return *model_; }
  const std::string& target() const { return target_; }
  const std::string& positive() const { return positive_; }
  const std::string& negative() const { return negative_; }
  const std::optional<std::string>& text_column() const { return text_column_; }
  /// Columns left out and why ("'name': 1234 distinct values (more than 20)").
  const std::vector<std::string>& notes() const { return notes_; }
  /// What fit did: rows, classes, validation metrics (binary_evaluation) or null, notes.
  const nlohmann::json& report() const { return *report_; }

  nlohmann::json to_json() const;
  /// Validates everything; ModelFormatError on any inconsistency.
  static TabularPipeline from_json(const nlohmann::json& j);
  /// The same for a document at `j`'s path: ModelFormatError naming the path at fault.
  static TabularPipeline from_json(const JsonReader& j);

 private:
  void learn_plan(const DataFrame& frame, const TabularPipelineOptions& options);
  // Fits the estimator (after tuning it when options.tune); returns the tuning report or null.
  nlohmann::json fit_model(const RowMatrix& X, const std::vector<double>& y,
                           const TabularPipelineOptions& options);
  void impute(RowMatrix& X) const;
  // A copy of a transform()-laid-out matrix, imputed; InvalidArgument for a wrong width.
  RowMatrix imputed(const RowMatrix& features) const;
  void rebuild_feature_names();
  // Parts of from_json (tabular_pipeline_json.cpp).
  void read_plan(const JsonReader& plan);
  void fit_plan_encoder();
  void read_model(const JsonReader& algorithm, const JsonReader& model);

  std::string target_, positive_, negative_;
  std::optional<std::string> text_column_;
  std::vector<PlanColumn> plan_;
  OneHotEncoder encoder_{OneHotOptions{false, UnknownCategory::Ignore}};
  CountVectorizer vectorizer_;
  std::vector<std::string> feature_names_;
  std::vector<std::string> notes_;
  TabularAlgorithm algorithm_ = TabularAlgorithm::RandomForest;
  std::optional<Model> model_;                      // set by fit and from_json
  JsonDocument report_ = nlohmann::json::object();  // freed without allocating
};

/// The pipeline as a model of the model layer: Model(pipeline).
std::shared_ptr<const ModelInterface> make_model_interface(TabularPipeline model);

}  // namespace claimlens
