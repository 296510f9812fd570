// The model layer: one interface every model type implements (ModelInterface), one handle
// (Model) and one factory (Model::fit). The pipelines hold their estimator as a Model and
// implement the interface themselves (pipeline/), and one loader reads every type
// (model_io/model_io.hpp: load_model, save_model). The C ABI, the CLI and C++ callers go through
// it, so a feature written here (explanations, calibration, import) serves every model type.
//
// Model types, by the "model_type" of their files (docs/model-format.md):
//   random_forest, gradient_boosting, logistic_regression  models of a numeric matrix (here)
//   xgboost            an XGBoost booster, imported (xgboost/booster.hpp); load_model also reads
//                      XGBoost's own JSON and UBJSON files
//   tabular_pipeline   a feature plan over named frame columns in front of one of those
//                      (`claimlens train`; pipeline/tabular_pipeline.hpp)
//   claim_classifier   the seed analysis' featurizer and champion (`claimlens analyze --model`;
//                      pipeline/claim_classifier.hpp)
//   calibrated         any of those with a calibrator and/or an operating point
//                      (model/calibrated_model.hpp; read by model_io)
//
// Prediction rule, the same for every type and every caller: predict_proba gives P(positive) per
// row; a class is derived as positive iff P > threshold(), the model's decision threshold: 0.5
// (kDecisionThreshold, predicts_positive of metrics/binary.hpp) unless the model stores an
// operating point (a calibrated model's, chosen by `claimlens threshold`). NaN is class 0.
//
// Explanations (docs/explanations.md): explain gives per row one exact Shapley value per model
// feature and the bias last, on the model's scale (explanation_scale: P(positive) for a forest,
// the margin for boosting, XGBoost and logistic regression), with each row's additivity residual.
// Each model prepares its explainer once, on the first explanation it is asked for, and keeps it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/ensemble/binning.hpp"
#include "claimlens/explain/shap_values.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/metrics/binary.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

class Communicator;

class RandomForestClassifier;
class GradientBoostingClassifier;
class LogisticRegression;
class XGBoostBooster;

/// What a model knows of the data it was trained on.
struct ModelSchema {
  std::string target;                      ///< the label column; "" when trained on a matrix
  std::string positive = "1";              ///< the class predict_proba is about
  std::string negative = "0";              ///< the other class
  std::optional<std::string> text_column;  ///< a free-text column the model reads
};

/// The interface of the model layer. Implementations are immutable once built: every const
/// member may be called from many threads at once.
class ModelInterface {
 public:
  virtual ~ModelInterface() = default;

  /// The "model_type" of its files.
  virtual const char* model_type() const = 0;
  /// Number of model features (the width of a matrix for predict_proba).
  virtual std::size_t num_features() const = 0;
  /// One name per feature ("f0", "f1", ... for a model trained on a bare matrix).
  virtual std::vector<std::string> feature_names() const = 0;
  /// False when the model needs raw frame columns (text, categories) and refuses a matrix.
  virtual bool accepts_matrix() const { return true; }
  /// out[rows] = P(positive) for row-major x[rows x cols]; cols must equal num_features().
  /// InvalidArgument for a wrong width or a value the model cannot take, StateError when
  /// accepts_matrix() is false. Writes nothing on failure.
  virtual void predict_proba(const double* x, std::size_t rows, std::size_t cols,
                             double* out) const = 0;
  /// out[rows] = P(positive) for rows of num_features() values, on the calling thread and, for
  /// the tree models, without a heap allocation; bit-identical to predict_proba. For callers
  /// bound by latency (one record, a block of records on the stack). The default calls
  /// predict_proba.
  virtual void predict_proba_rows(const double* x, std::size_t rows, double* out) const;
  /// P(positive) per frame row; NaN for a row the model cannot score (see Model::predict_proba).
  virtual std::vector<double> predict_proba(const DataFrame& frame,
                                            const std::vector<std::string>& ignore) const = 0;
  /// Normalized importances, one per feature (sum 1, or all 0 for a model without splits).
  virtual std::vector<double> feature_importances() const = 0;
  /// Intercept then one coefficient per feature; StateError unless the model is linear.
  virtual std::vector<double> coefficients() const;
  virtual ModelSchema schema() const { return {}; }
  /// The decision threshold on predict_proba: class 1 iff P > threshold(). kDecisionThreshold
  /// (0.5) unless the model stores an operating point (CalibratedModel).
  virtual double threshold() const { return kDecisionThreshold; }
  /// One line: type, algorithm, size, classes.
  virtual std::string describe() const = 0;
  /// The document saved as the envelope's "model" (the type's own to_json()).
  virtual nlohmann::json to_json() const = 0;
  /// The model as an XGBoost 1.7 JSON document that xgboost.Booster loads and predicts alike
  /// (xgboost/booster.hpp: export_xgboost_json), with `feature_names` (empty: the model's own, or
  /// none). Gradient boosting, an imported booster and a tabular pipeline of boosting (its
  /// booster, over the plan's features) can; InvalidArgument saying why for the others.
  virtual nlohmann::json to_xgboost_json(const std::vector<std::string>& feature_names) const;
  /// The wrapped object when its type is `type`, else nullptr (Model::get_if).
  virtual const void* object(const std::type_info& type) const = 0;

  // ---- explanations (docs/explanations.md) ----
  /// What the contributions and the bias add up to: P(positive) or the margin (log-odds).
  /// StateError for a model that cannot be explained (the default).
  virtual ShapScale explanation_scale() const;
  /// The bias: the model's expected output on that scale (the last value of every row).
  virtual double expected_value() const;
  /// out[rows * (num_features() + 1)]: per row of row-major x[rows x cols] the contributions in
  /// feature order and the bias last; residual[rows]: |sum of the row's values - the model's
  /// output|; output[rows] (may be null): that output (P(positive) or the margin). cols must equal
  /// num_features(). InvalidArgument for a wrong width, a null pointer (when rows > 0), an infinite
  /// value, or a NaN for a model without missing values (logistic regression), naming its row and
  /// column; StateError when accepts_matrix() is false or the model cannot be explained
  /// (ModelFormatError for an imported booster without covers). Writes nothing on failure. The
  /// default refuses (StateError).
  virtual void explain(const double* x, std::size_t rows, std::size_t cols, double* out,
                       double* residual, double* output) const;
  /// The same for rows of num_features() values, on the calling thread and, once the model's
  /// explainer exists and the thread has explained one row, without a heap allocation (the
  /// latency path, like predict_proba_rows). The same values as explain, bit for bit. The
  /// default calls explain.
  virtual void explain_rows(const double* x, std::size_t rows, double* out, double* residual,
                            double* output) const;
  /// Explanations of every frame row, read as predict_proba(frame, ignore) reads them; a row
  /// the model cannot score (a claim classifier's row with a null) gets NaN values and residual.
  virtual ShapValues explain(const DataFrame& frame, const std::vector<std::string>& ignore) const;
  /// Per model feature, the raw input column it is made from (a tabular pipeline's one-hot and
  /// n-gram features their column's name, a claim classifier's n-grams and text length
  /// "video_transcription_text"); by default each feature is its own group (its name).
  virtual std::vector<std::string> feature_groups() const { return feature_names(); }

 protected:
  /// InvalidArgument unless cols == num_features(), naming the model type.
  void check_width(std::size_t cols) const;
};

/// The groups of a model's features (ModelInterface::feature_groups): the distinct group names in
/// order of first appearance, and per feature its group's index.
struct FeatureGroups {
  std::vector<std::string> names;
  std::vector<std::size_t> of_feature;
  /// out[names.size()] = per group, the sum of its features' contributions in `row` (one value
  /// per feature; a bias after them is not read). No allocation.
  void sum(const double* row, double* out) const;
};

// Each model type makes its implementation of the interface with an overload of
// make_model_interface(T), declared beside T's module (found by argument-dependent lookup), so
// Model(T) works for every type without this header knowing the types above it.
std::shared_ptr<const ModelInterface> make_model_interface(RandomForestClassifier model);
std::shared_ptr<const ModelInterface> make_model_interface(GradientBoostingClassifier model);
std::shared_ptr<const ModelInterface> make_model_interface(LogisticRegression model);
std::shared_ptr<const ModelInterface> make_model_interface(XGBoostBooster model);

/// A trained model of any type: a cheap, shareable, immutable handle.
class Model {
 public:
  /// Trains a model on a numeric matrix (NaN = missing; y holds 0/1). params:
  /// {"algorithm": "random_forest" | "gradient_boosting" | "logistic_regression", ...that
  /// algorithm's parameters}. InvalidArgument naming the key for a missing or unknown algorithm
  /// or a bad parameter; InvalidArgument for bad shapes or labels. (A tabular pipeline or a claim
  /// classifier trains on a frame: TabularPipeline::fit, ClaimClassifier::train; wrap the
  /// result in a Model.)
  static Model fit(const nlohmann::json& params, const RowMatrix& X, Span<const double> y);
  /// Distributed training, a collective (docs/scale-out.md): every rank of `comm` passes its
  /// shard of the rows (X may have none) with the same params, and every rank gets the same
  /// model, bit for bit, whatever the rank count: random_forest (RandomForestClassifier::
  /// fit_distributed) and gradient_boosting with use_quantized_grad (GradientBoostingClassifier::
  /// fit_distributed), binned by BinnedMatrix::from_dense_distributed. InvalidArgument for
  /// logistic_regression; an error on one rank is thrown on every rank ("rank K: ...").
  static Model fit_distributed(const nlohmann::json& params, const RowMatrix& X,
                               Span<const double> y, Communicator& comm);
  /// fit_distributed in two steps, for shards whose float64 matrix is never held whole: the
  /// binned matrix built from rows produced block by block (BinnedMatrix::
  /// from_row_blocks_distributed, with the params' max_bin and random_state), then the fit on
  /// it. Together they give fit_distributed's model, bit for bit. Both are collectives.
  static BinnedMatrix bin_distributed(const nlohmann::json& params,
                                      const BinnedMatrix::RowBlocks& blocks, std::size_t rows,
                                      std::size_t cols, Communicator& comm);
  static Model fit_distributed(const nlohmann::json& params, const BinnedMatrix& X,
                               Span<const double> y, Communicator& comm);
  /// Checks `params` as fit does, without data: bad parameters fail before any data is read.
  static void validate_params(const nlohmann::json& params);

  /// Wraps one of the library's fitted models (RandomForestClassifier, TabularPipeline, ...:
  /// any T with a make_model_interface(T) overload). StateError for an unfitted model.
  template <class T, class = decltype(make_model_interface(std::declval<T>()))>
  explicit Model(T model) : Model(make_model_interface(std::move(model))) {}
  /// Wraps another implementation of the interface (not null).
  explicit Model(std::shared_ptr<const ModelInterface> impl);

  const char* model_type() const { return impl_->model_type(); }
  std::size_t num_features() const { return impl_->num_features(); }
  std::vector<std::string> feature_names() const { return impl_->feature_names(); }
  bool accepts_matrix() const { return impl_->accepts_matrix(); }
  ModelSchema schema() const { return impl_->schema(); }
  std::string describe() const { return impl_->describe(); }
  std::vector<double> feature_importances() const { return impl_->feature_importances(); }
  std::vector<double> coefficients() const { return impl_->coefficients(); }
  nlohmann::json to_json() const { return impl_->to_json(); }
  /// ModelInterface::to_xgboost_json with the model's own feature names.
  nlohmann::json to_xgboost_json() const { return impl_->to_xgboost_json({}); }

  /// The model's decision threshold (ModelInterface::threshold).
  double threshold() const { return impl_->threshold(); }
  /// The decision for a probability of this model: p > threshold() (NaN: false).
  bool predicts_positive(double p) const { return p > impl_->threshold(); }
  /// 0/1 classes of rows of a row-major matrix by the model's threshold: out[rows]
  /// (predict_proba's errors; nothing written on failure).
  void predict(const double* x, std::size_t rows, std::size_t cols, int* out) const;
  std::vector<int> predict(const RowMatrix& X) const;

  /// P(positive) per row of a row-major matrix (see ModelInterface::predict_proba).
  void predict_proba(const double* x, std::size_t rows, std::size_t cols, double* out) const;
  std::vector<double> predict_proba(const RowMatrix& X) const;
  /// One thread, no allocation for the tree models (ModelInterface::predict_proba_rows).
  void predict_proba_rows(const double* x, std::size_t rows, double* out) const {
    impl_->predict_proba_rows(x, rows, out);
  }
  /// P(positive) per frame row. A tabular pipeline applies its plan to the columns by name; a
  /// claim classifier reads the dataset's columns and gives NaN for a row with a null among
  /// them; a matrix model takes its feature names as columns when the frame has them all, else
  /// the frame's columns in order, less those in `ignore` (e.g. the label), when there are
  /// exactly num_features() of them. SchemaError naming a missing or non-numeric column.
  std::vector<double> predict_proba(const DataFrame& frame,
                                    const std::vector<std::string>& ignore = {}) const;

  // Explanations (ModelInterface::explain and its siblings).
  ShapScale explanation_scale() const { return impl_->explanation_scale(); }
  double expected_value() const { return impl_->expected_value(); }
  void explain(const double* x, std::size_t rows, std::size_t cols, double* out, double* residual,
               double* output = nullptr) const {
    impl_->explain(x, rows, cols, out, residual, output);
  }
  ShapValues explain(const RowMatrix& X) const;
  void explain_rows(const double* x, std::size_t rows, double* out, double* residual,
                    double* output = nullptr) const {
    impl_->explain_rows(x, rows, out, residual, output);
  }
  ShapValues explain(const DataFrame& frame, const std::vector<std::string>& ignore = {}) const {
    return impl_->explain(frame, ignore);
  }
  std::vector<std::string> feature_groups() const { return impl_->feature_groups(); }
  FeatureGroups groups() const;

  /// The wrapped model when it is a T (RandomForestClassifier, TabularPipeline, ...), else null.
  template <class T>
  const T* get_if() const {
    return static_cast<const T*>(impl_->object(typeid(T)));
  }
  const ModelInterface& interface() const { return *impl_; }

 private:
  std::shared_ptr<const ModelInterface> impl_;
};

/// The model refitted on other rows: the same type and parameters (its document's "params"),
/// trained on X and 0/1 labels y. For random_forest, gradient_boosting and logistic_regression;
/// StateError naming the type for the others (an imported booster or a pipeline holds no
/// training recipe for a matrix). Used for out-of-fold calibration.
Model refit_model(const Model& model, const RowMatrix& X, Span<const double> y);
/// refit_model's StateError when `model` cannot be refitted, before any data is read.
void check_refittable(const Model& model);

/// The matrix a model of a bare matrix (not a pipeline) reads from a frame, as its
/// predict_proba(frame, ignore) reads it: the columns of its feature names, or else the frame's
/// columns less `ignore`. SchemaError naming what does not fit.
RowMatrix model_frame_matrix(const Model& model, const DataFrame& frame,
                             const std::vector<std::string>& ignore = {});

/// A model type a file can hold: its "model_type" and how its document is read.
struct ModelType {
  const char* name;
  /// Builds the model from its document; the source's error (JsonReader) naming the path at
  /// fault for an invalid one.
  Model (*read)(const JsonReader& document);
};

/// The types of the models of a numeric matrix: random_forest, gradient_boosting,
/// logistic_regression, xgboost.
Span<const ModelType> matrix_model_types();

/// Reads a document of the type named `model_type`, one of `types`; the reader's error naming
/// the type and the known ones otherwise.
Model read_model_document(Span<const ModelType> types, const std::string& model_type,
                          const JsonReader& document);

}  // namespace claimlens
