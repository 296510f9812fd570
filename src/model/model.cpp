// The model layer's handle and factory, and the readers of the matrix models' documents.
#include "claimlens/model/model.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <type_traits>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "claimlens/xgboost/booster.hpp"
#include "model_types.hpp"

namespace claimlens {

using Json = nlohmann::json;

std::vector<double> ModelInterface::coefficients() const {
  throw StateError(std::string("coefficients exist only for linear models (logistic_regression, ") +
                   "or a tabular_pipeline of one); this is a " + model_type() + " model");
}

nlohmann::json ModelInterface::to_xgboost_json(const std::vector<std::string>&) const {
  throw InvalidArgument(std::string("a ") + model_type() +
                        " model cannot be written as an XGBoost model (gradient_boosting, "
                        "xgboost or a tabular_pipeline of gradient boosting can)");
}

void ModelInterface::predict_proba_rows(const double* x, std::size_t rows, double* out) const {
  predict_proba(x, rows, num_features(), out);
}

namespace {

[[noreturn]] void refuse_explain(const ModelInterface& model) {
  throw StateError(std::string("a ") + model.model_type() + " model cannot be explained");
}

}  // namespace

ShapScale ModelInterface::explanation_scale() const {
  refuse_explain(*this);
}

double ModelInterface::expected_value() const {
  refuse_explain(*this);
}

void ModelInterface::explain(const double*, std::size_t, std::size_t, double*, double*,
                             double*) const {
  refuse_explain(*this);
}

void ModelInterface::explain_rows(const double* x, std::size_t rows, double* out, double* residual,
                                  double* output) const {
  explain(x, rows, num_features(), out, residual, output);
}

namespace {

// Every row of X explained by the model's checked path, as a ShapValues.
ShapValues explain_values(const ModelInterface& model, const RowMatrix& X) {
  ShapValues v;
  v.rows = static_cast<std::size_t>(X.rows());
  v.num_features = model.num_features();
  v.scale = model.explanation_scale();
  v.values.assign(v.rows * v.width(), 0.0);
  v.residual.assign(v.rows, 0.0);
  v.output.assign(v.rows, 0.0);
  model.explain(X.data(), v.rows, static_cast<std::size_t>(X.cols()), v.values.data(),
                v.residual.data(), v.output.data());
  return v;
}

}  // namespace

ShapValues ModelInterface::explain(const DataFrame& frame,
                                   const std::vector<std::string>& ignore) const {
  return explain_values(*this,
                        model_detail::frame_matrix(frame, feature_names(), ignore, model_type()));
}

void FeatureGroups::sum(const double* row, double* out) const {
  std::fill(out, out + names.size(), 0.0);
  for (std::size_t j = 0; j < of_feature.size(); ++j) out[of_feature[j]] += row[j];
}

void ModelInterface::check_width(std::size_t cols) const {
  if (cols != num_features()) {
    throw InvalidArgument("cols is " + std::to_string(cols) + " but the " + model_type() +
                          " model has " + std::to_string(num_features()) + " features");
  }
}

namespace {

template <class T>
Model read_as(const JsonReader& document) {
  return Model(T::from_json(document));
}

const ModelType kMatrixModelTypes[] = {
    {RandomForestClassifier::kModelType, &read_as<RandomForestClassifier>},
    {GradientBoostingClassifier::kModelType, &read_as<GradientBoostingClassifier>},
    {LogisticRegression::kModelType, &read_as<LogisticRegression>},
    {XGBoostBooster::kModelType, &read_as<XGBoostBooster>},
};

std::string type_names(Span<const ModelType> types) {
  std::string out;
  for (const auto& type : types) out += (out.empty() ? "" : ", ") + std::string(type.name);
  return out;
}

// The parameters without "algorithm", owned (claimlens/json_document.hpp): the copy dies
// without allocating.
JsonDocument algorithm_params(const Json& params, std::string& algorithm) {
  if (!params.is_object()) throw InvalidArgument("'params' must be a JSON object");
  const auto it = params.find("algorithm");
  if (it == params.end() || !it->is_string()) {
    throw InvalidArgument(
        "'params.algorithm' must be a string: random_forest, gradient_boosting or "
        "logistic_regression");
  }
  algorithm = it->get<std::string>();
  JsonDocument copy(params);
  copy->erase("algorithm");
  return copy;
}

void check_training_matrix(const RowMatrix& X, Span<const double> y) {
  if (X.rows() == 0 || X.cols() == 0) throw InvalidArgument("x has no rows or columns");
  if (y.size() != static_cast<std::size_t>(X.rows())) {
    throw InvalidArgument("y has " + std::to_string(y.size()) + " labels but x has " +
                          std::to_string(X.rows()) + " rows");
  }
}

// One estimator of the factory: parameters checked when it is made, fitted on demand.
struct Estimator {
  virtual ~Estimator() = default;
  virtual Model fit(const RowMatrix& X, Span<const double> y) = 0;
  virtual BinnedMatrix bin_distributed(const BinnedMatrix::RowBlocks& blocks, std::size_t rows,
                                       std::size_t cols, Communicator& comm) = 0;
  virtual Model fit_distributed(const BinnedMatrix& X, Span<const double> y,
                                Communicator& comm) = 0;
};

template <class T>
struct TreeEstimator final : Estimator {
  explicit TreeEstimator(const Json& params)
      : model(std::decay_t<decltype(model.params())>::from_json(params)) {}
  Model fit(const RowMatrix& X, Span<const double> y) override {
    return Model(std::move(model.fit(X, y)));
  }
  BinnedMatrix bin_distributed(const BinnedMatrix::RowBlocks& blocks, std::size_t rows,
                               std::size_t cols, Communicator& comm) override {
    return BinnedMatrix::from_row_blocks_distributed(blocks, rows, cols, model.params().max_bin,
                                                     comm, model.params().random_state);
  }
  Model fit_distributed(const BinnedMatrix& X, Span<const double> y, Communicator& comm) override {
    return Model(std::move(model.fit_distributed(X, y, comm)));
  }
  T model;
};

struct LogisticEstimator final : Estimator {
  explicit LogisticEstimator(const Json& params)
      : model(LogisticRegressionParams::from_json(params)) {}
  Model fit(const RowMatrix& X, Span<const double> y) override {
    model.fit(X, Eigen::Map<const Vector>(y.data(), static_cast<Eigen::Index>(y.size())));
    return Model(std::move(model));
  }
  BinnedMatrix bin_distributed(const BinnedMatrix::RowBlocks&, std::size_t, std::size_t,
                               Communicator&) override {
    refuse();
  }
  Model fit_distributed(const BinnedMatrix&, Span<const double>, Communicator&) override {
    refuse();
  }
  [[noreturn]] static void refuse() {
    throw InvalidArgument(
        "logistic_regression is not trained distributed (random_forest and gradient_boosting "
        "are; docs/scale-out.md)");
  }
  LogisticRegression model;
};

std::unique_ptr<Estimator> make_estimator(const Json& params) {
  std::string algorithm;
  const JsonDocument own = algorithm_params(params, algorithm);
  if (algorithm == RandomForestClassifier::kModelType) {
    return std::make_unique<TreeEstimator<RandomForestClassifier>>(*own);
  }
  if (algorithm == GradientBoostingClassifier::kModelType) {
    return std::make_unique<TreeEstimator<GradientBoostingClassifier>>(*own);
  }
  if (algorithm == LogisticRegression::kModelType) return std::make_unique<LogisticEstimator>(*own);
  if (algorithm == "claim_classifier") {
    throw InvalidArgument(
        "'params.algorithm': a claim_classifier trains on a frame of videos "
        "(claimlens_classifier_train), not on a matrix");
  }
  if (algorithm == XGBoostBooster::kModelType) {
    throw InvalidArgument(
        "'params.algorithm': an xgboost booster is imported from XGBoost's file (load_model), "
        "not trained here; \"gradient_boosting\" trains with XGBoost's parameter names");
  }
  if (algorithm == "tabular_pipeline") {
    throw InvalidArgument(
        "'params.algorithm': a tabular_pipeline trains on a frame with a target column "
        "(TabularPipeline::fit, claimlens train), not on a matrix");
  }
  throw InvalidArgument("'params.algorithm': unknown algorithm \"" + algorithm +
                        "\" (random_forest, gradient_boosting or logistic_regression)");
}

}  // namespace

Model::Model(std::shared_ptr<const ModelInterface> impl) : impl_(std::move(impl)) {
  if (!impl_) throw InvalidArgument("Model: the implementation is null");
}

Model Model::fit(const Json& params, const RowMatrix& X, Span<const double> y) {
  const std::unique_ptr<Estimator> estimator = make_estimator(params);
  check_training_matrix(X, y);
  return estimator->fit(X, y);
}

Model Model::fit_distributed(const Json& params, const RowMatrix& X, Span<const double> y,
                             Communicator& comm) {
  const std::unique_ptr<Estimator> estimator = make_estimator(params);
  if (X.cols() == 0) throw InvalidArgument("x has no columns");
  if (y.size() != static_cast<std::size_t>(X.rows())) {
    throw InvalidArgument("y has " + std::to_string(y.size()) + " labels but x has " +
                          std::to_string(X.rows()) + " rows");
  }
  const auto rows = static_cast<std::size_t>(X.rows());
  const BinnedMatrix::RowBlocks whole = [&](const BinnedMatrix::RowBlockVisitor& visit) {
    if (rows > 0) visit(X.data(), rows);
  };
  const BinnedMatrix binned =
      estimator->bin_distributed(whole, rows, static_cast<std::size_t>(X.cols()), comm);
  return estimator->fit_distributed(binned, y, comm);
}

BinnedMatrix Model::bin_distributed(const Json& params, const BinnedMatrix::RowBlocks& blocks,
                                    std::size_t rows, std::size_t cols, Communicator& comm) {
  return make_estimator(params)->bin_distributed(blocks, rows, cols, comm);
}

Model Model::fit_distributed(const Json& params, const BinnedMatrix& X, Span<const double> y,
                             Communicator& comm) {
  return make_estimator(params)->fit_distributed(X, y, comm);
}

void Model::validate_params(const Json& params) {
  make_estimator(params);
}

void Model::predict_proba(const double* x, std::size_t rows, std::size_t cols, double* out) const {
  impl_->predict_proba(x, rows, cols, out);
}

std::vector<double> Model::predict_proba(const RowMatrix& X) const {
  std::vector<double> out(static_cast<std::size_t>(X.rows()));
  impl_->predict_proba(X.data(), out.size(), static_cast<std::size_t>(X.cols()), out.data());
  return out;
}

std::vector<double> Model::predict_proba(const DataFrame& frame,
                                         const std::vector<std::string>& ignore) const {
  return impl_->predict_proba(frame, ignore);
}

ShapValues Model::explain(const RowMatrix& X) const {
  return explain_values(*impl_, X);
}

FeatureGroups Model::groups() const {
  FeatureGroups g;
  for (const std::string& name : impl_->feature_groups()) {
    const auto it = std::find(g.names.begin(), g.names.end(), name);
    g.of_feature.push_back(static_cast<std::size_t>(it - g.names.begin()));
    if (it == g.names.end()) g.names.push_back(name);
  }
  return g;
}

void Model::predict(const double* x, std::size_t rows, std::size_t cols, int* out) const {
  std::vector<double> p(rows);
  impl_->predict_proba(x, rows, cols, p.data());
  const double threshold = impl_->threshold();
  for (std::size_t i = 0; i < rows; ++i) out[i] = p[i] > threshold ? 1 : 0;
}

std::vector<int> Model::predict(const RowMatrix& X) const {
  std::vector<int> out(static_cast<std::size_t>(X.rows()));
  predict(X.data(), out.size(), static_cast<std::size_t>(X.cols()), out.data());
  return out;
}

void check_refittable(const Model& model) {
  const std::string type = model.model_type();
  if (type != RandomForestClassifier::kModelType &&
      type != GradientBoostingClassifier::kModelType && type != LogisticRegression::kModelType) {
    throw StateError("a " + type +
                     " model cannot be refitted fold by fold (random_forest, gradient_boosting, "
                     "logistic_regression and tabular_pipeline can): calibrate it on a "
                     "calibration split it did not train on");
  }
}

Model refit_model(const Model& model, const RowMatrix& X, Span<const double> y) {
  check_refittable(model);
  const std::string type = model.model_type();
  const JsonDocument document = model.to_json();
  Json params = document->at("params");
  params["algorithm"] = type;
  return Model::fit(params, X, y);
}

RowMatrix model_frame_matrix(const Model& model, const DataFrame& frame,
                             const std::vector<std::string>& ignore) {
  return model_detail::frame_matrix(frame, model.feature_names(), ignore, model.model_type());
}

Span<const ModelType> matrix_model_types() {
  return {kMatrixModelTypes, std::size(kMatrixModelTypes)};
}

Model read_model_document(Span<const ModelType> types, const std::string& model_type,
                          const JsonReader& document) {
  for (const auto& type : types) {
    if (model_type == type.name) return type.read(document);
  }
  throw ModelFormatError("unknown model_type '" + model_type + "' (this build reads " +
                         type_names(types) + ")");
}

}  // namespace claimlens
