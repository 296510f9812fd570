// The one loader and saver: the table of every model type a file can hold.
#include "claimlens/model_io/model_io.hpp"

#include <iterator>
#include <string_view>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/xgboost/booster.hpp"

namespace claimlens {

using Json = nlohmann::json;

namespace {

template <class T>
Model read_as(const JsonReader& document) {
  return Model(T::from_json(document));
}

Model read_calibrated(const JsonReader& document);

// A new model type is one row here (or in matrix_model_types()) and a make_model_interface()
// overload beside the type.
std::vector<ModelType> all_model_types() {
  const Span<const ModelType> matrix = matrix_model_types();
  std::vector<ModelType> types(matrix.begin(), matrix.end());
  types.push_back({TabularPipeline::kModelType, &read_as<TabularPipeline>});
  types.push_back({ClaimClassifier::kModelType, &read_as<ClaimClassifier>});
  types.push_back({CalibratedModel::kModelType, &read_calibrated});
  return types;
}

// Its base may be of any type of the table (but calibrated: the reader refuses it).
Model read_calibrated(const JsonReader& document) {
  return Model(CalibratedModel::from_json(document, model_types()));
}

}  // namespace

Span<const ModelType> model_types() {
  static const std::vector<ModelType> types = all_model_types();
  return types;
}

Model model_from_document(const std::string& model_type, const Json& document) {
  try {
    return read_model_document(model_types(), model_type,
                               JsonReader(document, "", JsonSource::Model));
  } catch (...) {
    io::detail::rethrow_as_model_format_error(model_type);
  }
}

namespace {

// XGBoost's own files are recognised before our envelope (UBJSON starts with '{' too).
Model load_bytes(std::string_view bytes, const io::ModelLimits& limits, const std::string& source) {
  const Span<const std::uint8_t> view(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                      bytes.size());
  if (looks_like_xgboost_model(view)) return Model(XGBoostBooster::load(view, limits, source));
  const io::ModelEnvelope envelope = io::decode_model(bytes, limits);
  return model_from_document(envelope.model_type, envelope.model);
}

}  // namespace

Model load_model(const std::string& path, const io::ModelLimits& limits) {
  const std::string bytes = io::read_model_bytes(path, limits);
  try {
    return load_bytes(bytes, limits, "XGBoost model file '" + path + "'");
  } catch (const ModelFormatError& e) {
    const std::string what = e.what();
    if (what.find("'" + path + "'") != std::string::npos) throw;  // the importer named it
    throw ModelFormatError("model file '" + path + "': " + what);
  }
}

Model load_model_buffer(Span<const std::uint8_t> bytes, const io::ModelLimits& limits) {
  return load_bytes(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                    limits, "");
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
