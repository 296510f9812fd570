// The model layer's handle, factory, loader and saver: the one place that knows every model type.
#include "claimlens/model/model.hpp"

#include <algorithm>
#include <cmath>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "model_types.hpp"

namespace claimlens {

using Json = nlohmann::json;

std::vector<double> ModelInterface::coefficients() const {
  throw StateError(std::string("coefficients exist only for linear models (logistic_regression, ") +
                   "or a tabular_pipeline of one); this is a " + model_type() + " model");
}

namespace {

template <class T>
Model from_document_as(const Json& document) {
  return Model(io::detail::model_from_document<T>(T::kModelType, document));
}

struct ModelType {
  const char* name;
  Model (*from_document)(const Json&);
};

// Every type a model file can hold. A new model type is one row here and one wrap() overload.
const ModelType kModelTypes[] = {
    {RandomForestClassifier::kModelType, &from_document_as<RandomForestClassifier>},
    {GradientBoostingClassifier::kModelType, &from_document_as<GradientBoostingClassifier>},
    {LogisticRegression::kModelType, &from_document_as<LogisticRegression>},
    {TabularPipeline::kModelType, &from_document_as<TabularPipeline>},
    {ClaimClassifier::kModelType, &from_document_as<ClaimClassifier>},
};

std::string known_model_types() {
  std::string out;
  for (const auto& type : kModelTypes) out += (out.empty() ? "" : ", ") + std::string(type.name);
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

}  // namespace

Model::Model(std::shared_ptr<const ModelInterface> impl) : impl_(std::move(impl)) {
  if (!impl_) throw InvalidArgument("Model: the implementation is null");
}
Model::Model(RandomForestClassifier model) : impl_(model_detail::wrap(std::move(model))) {}
Model::Model(GradientBoostingClassifier model) : impl_(model_detail::wrap(std::move(model))) {}
Model::Model(LogisticRegression model) : impl_(model_detail::wrap(std::move(model))) {}
Model::Model(TabularPipeline model) : impl_(model_detail::wrap(std::move(model))) {}
Model::Model(ClaimClassifier model) : impl_(model_detail::wrap(std::move(model))) {}

Model Model::fit(const Json& params, const RowMatrix& X, Span<const double> y) {
  std::string algorithm;
  const JsonDocument own = algorithm_params(params, algorithm);
  if (algorithm == RandomForestClassifier::kModelType) {
    RandomForestClassifier model(RandomForestParams::from_json(*own));
    check_training_matrix(X, y);
    return Model(std::move(model.fit(X, y)));
  }
  if (algorithm == GradientBoostingClassifier::kModelType) {
    GradientBoostingClassifier model(GradientBoostingParams::from_json(*own));
    check_training_matrix(X, y);
    return Model(std::move(model.fit(X, y)));
  }
  if (algorithm == LogisticRegression::kModelType) {
    LogisticRegression model(LogisticRegressionParams::from_json(*own));
    check_training_matrix(X, y);
    model.fit(X, Eigen::Map<const Vector>(y.data(), static_cast<Eigen::Index>(y.size())));
    return Model(std::move(model));
  }
  if (algorithm == ClaimClassifier::kModelType) {
    throw InvalidArgument(
        "'params.algorithm': a claim_classifier trains on a frame of videos "
        "(claimlens_classifier_train), not on a matrix");
  }
  throw InvalidArgument("'params.algorithm': unknown algorithm \"" + algorithm +
                        "\" (random_forest, gradient_boosting or logistic_regression)");
}

Model Model::from_document(const std::string& model_type, const Json& model) {
  for (const auto& type : kModelTypes) {
    if (model_type == type.name) return type.from_document(model);
  }
  throw ModelFormatError("unknown model_type '" + model_type + "' (this build reads " +
                         known_model_types() + ")");
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

Model load_model(const std::string& path, const io::ModelLimits& limits) {
  const io::ModelEnvelope envelope = io::read_model_file(path, limits);
  try {
    return Model::from_document(envelope.model_type, envelope.model);
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("model file '" + path + "': " + e.what());
  }
}

Model load_model_buffer(Span<const std::uint8_t> bytes, const io::ModelLimits& limits) {
  const io::ModelEnvelope envelope = io::decode_model(bytes, limits);
  return Model::from_document(envelope.model_type, envelope.model);
}

void save_model(const Model& model, const std::string& path) {
  const JsonDocument document = model.to_json();
  io::write_model_file(path, model.model_type(), *document);
}

std::vector<std::uint8_t> save_model_buffer(const Model& model, io::ModelEncoding encoding) {
  const JsonDocument document = model.to_json();
  return io::encode_model(model.model_type(), *document, encoding);
}

}  // namespace claimlens
