// The one loader and saver: the table of every model type a file can hold.
#include "claimlens/model_io/model_io.hpp"

#include <iterator>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens {

using Json = nlohmann::json;

namespace {

template <class T>
Model read_as(const JsonReader& document) {
  return Model(T::from_json(document));
}

// A new model type is one row here (or in matrix_model_types()) and a make_model_interface()
// overload beside the type.
std::vector<ModelType> all_model_types() {
  const Span<const ModelType> matrix = matrix_model_types();
  std::vector<ModelType> types(matrix.begin(), matrix.end());
  types.push_back({TabularPipeline::kModelType, &read_as<TabularPipeline>});
  types.push_back({ClaimClassifier::kModelType, &read_as<ClaimClassifier>});
  return types;
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

Model load_model(const std::string& path, const io::ModelLimits& limits) {
  const io::ModelEnvelope envelope = io::read_model_file(path, limits);
  try {
    return model_from_document(envelope.model_type, envelope.model);
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("model file '" + path + "': " + e.what());
  }
}

Model load_model_buffer(Span<const std::uint8_t> bytes, const io::ModelLimits& limits) {
  const io::ModelEnvelope envelope = io::decode_model(bytes, limits);
  return model_from_document(envelope.model_type, envelope.model);
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
