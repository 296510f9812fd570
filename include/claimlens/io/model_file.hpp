// Versioned model files: a JSON envelope around a model's to_json(), stored as JSON text or CBOR.
// The format is described in docs/model-format.md.
//
//   {"format": "claimlens-model", "format_version": 1, "library_version": "1.0.0",
//    "model_type": "random_forest", "model": {...}}
//
// Loading validates everything and turns any truncated, corrupted, hostile or future file into a
// ModelFormatError, within the resource bounds of ModelLimits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/span.hpp"

namespace claimlens::io {

/// The value of the envelope's "format" key.
inline constexpr const char* kModelFormatName = "claimlens-model";
/// The envelope version this build writes and the newest it reads.
inline constexpr std::int64_t kModelFormatVersion = 1;

/// JSON text or CBOR, RFC 8949. CBOR files start with the self-described CBOR tag 55799 (bytes
/// D9 D9 F7), which doubles as a magic number. Reading recognises the encoding by content.
enum class ModelEncoding { Json, Cbor };

/// Resource bounds enforced while loading, before the model sees the data. The defaults admit a
/// 200-tree forest grown without depth limit on a million rows; lower them for untrusted input.
struct ModelLimits {
  std::size_t max_bytes = std::size_t(512) << 20;  ///< size of the file or buffer (512 MiB)
  std::size_t max_depth = 64;                      ///< nesting of arrays/objects
  std::size_t max_values = 64u << 20;              ///< scalars + arrays + objects in the document
  std::size_t max_string_bytes = 1u << 20;         ///< one string or object key
};

/// The decoded, validated envelope; `model` is still the model's own JSON. The model DOM dies
/// through dispose_json() (claimlens/json_document.hpp): no allocation on destruction.
struct ModelEnvelope {
  std::int64_t format_version = kModelFormatVersion;
  std::string library_version;
  std::string model_type;
  nlohmann::json model;

  ModelEnvelope() = default;
  ModelEnvelope(const ModelEnvelope&) = default;
  ModelEnvelope(ModelEnvelope&&) noexcept = default;
  ModelEnvelope& operator=(ModelEnvelope other) noexcept {  // the old model dies in `other`
    std::swap(format_version, other.format_version);
    library_version.swap(other.library_version);
    model_type.swap(other.model_type);
    model.swap(other.model);
    return *this;
  }
  ~ModelEnvelope() { dispose_json(model); }
};

/// The encoding a file is saved in: Json when the name ends in ".json" (any case), Cbor for any
/// other name (".cbor", ".bin", ".model", no extension...).
ModelEncoding encoding_for_path(const std::string& path);

/// Wraps `model` (a JSON object) in the envelope and encodes it. InvalidArgument when model_type
/// is empty, `model` is not an object, or it holds a non-finite number (JSON text cannot carry
/// NaN or infinity; rejected in CBOR too so both encodings hold the same models).
std::vector<std::uint8_t> encode_model(const std::string& model_type, const nlohmann::json& model,
                                       ModelEncoding encoding);

/// Decodes and validates an envelope; the encoding is detected from the first bytes (JSON text
/// starts with '{' after optional whitespace or a UTF-8 BOM; CBOR with D9 D9 F7 or a map header).
/// ModelFormatError on anything wrong, naming the byte offset of parse errors.
ModelEnvelope decode_model(Span<const std::uint8_t> bytes, const ModelLimits& limits = {});
ModelEnvelope decode_model(std::string_view bytes, const ModelLimits& limits = {});

/// The first pass of decode_model, for other decoders of model documents (XGBoost's files):
/// enforces `limits` (nesting, values, string lengths, declared array sizes) over a JSON text,
/// CBOR or UBJSON document without building anything. "" when it is well-formed and within
/// them, else the reason (a syntax error with its byte offset, counted from `offset`).
std::string check_document_bounds(const std::uint8_t* begin, const std::uint8_t* end,
                                  nlohmann::json::input_format_t format, const ModelLimits& limits,
                                  std::size_t offset = 0);

/// The JSON pointer of the first NaN or infinity in `value` ("/" for `value` itself), if any.
std::optional<std::string> find_non_finite(const nlohmann::json& value);

/// The bytes of a model file: IoError when it cannot be read; ModelFormatError naming the file
/// when it is larger than limits.max_bytes.
std::string read_model_bytes(const std::string& path, const ModelLimits& limits = {});

/// Reads and decodes a model file. IoError when it cannot be read; ModelFormatError when it is
/// larger than limits.max_bytes or invalid. The encoding is detected from the content, so a
/// misnamed file still loads.
ModelEnvelope read_model_file(const std::string& path, const ModelLimits& limits = {});

/// Encodes and writes atomically (see atomic_write_file), in encoding_for_path(path).
void write_model_file(const std::string& path, const std::string& model_type,
                      const nlohmann::json& model);

/// Maps a model class to its "model_type" string: the class's
/// `static constexpr const char* kModelType`. (Files whose type is known only when read go
/// through the model layer's load_model, claimlens/model/model.hpp.)
template <class Model>
struct ModelTraits {
  static constexpr const char* type_name = Model::kModelType;
};

namespace detail {
/// Called inside a catch block around a model's from_json: rethrows a ModelFormatError as it is
/// and any other failure (a JSON type error, an Error, a size out of range) as ModelFormatError
/// naming the model type; anything else unchanged.
[[noreturn]] void rethrow_as_model_format_error(const std::string& type_name);

/// Runs a model's from_json on `document`, turning every failure into ModelFormatError naming
/// the model type.
template <class Model>
Model model_from_document(const std::string& type_name, const nlohmann::json& document) {
  try {
    return Model::from_json(document);
  } catch (...) {
    rethrow_as_model_format_error(type_name);
  }
}

/// The same after checking that the envelope holds a Model.
template <class Model>
Model model_from_envelope(const ModelEnvelope& envelope) {
  const std::string expected = ModelTraits<Model>::type_name;
  if (envelope.model_type != expected) {
    throw ModelFormatError("model file holds a '" + envelope.model_type + "' model, expected '" +
                           expected + "'");
  }
  return model_from_document<Model>(expected, envelope.model);
}
}  // namespace detail

/// Saves a model (anything with `nlohmann::json to_json() const`) to memory.
template <class Model>
std::vector<std::uint8_t> save_model_buffer(const Model& model, ModelEncoding encoding) {
  const JsonDocument doc = model.to_json();
  return encode_model(ModelTraits<Model>::type_name, *doc, encoding);
}

/// Loads a model (anything with `static Model from_json(const nlohmann::json&)`) from memory.
template <class Model>
Model load_model_buffer(Span<const std::uint8_t> bytes, const ModelLimits& limits = {}) {
  return detail::model_from_envelope<Model>(decode_model(bytes, limits));
}
template <class Model>
Model load_model_buffer(std::string_view bytes, const ModelLimits& limits = {}) {
  return detail::model_from_envelope<Model>(decode_model(bytes, limits));
}

/// Saves atomically to `path`, in encoding_for_path(path).
template <class Model>
void save_model(const Model& model, const std::string& path) {
  const JsonDocument doc = model.to_json();
  write_model_file(path, ModelTraits<Model>::type_name, *doc);
}

/// Loads from `path`; the model type in the file must be Model's.
template <class Model>
Model load_model(const std::string& path, const ModelLimits& limits = {}) {
  ModelEnvelope envelope = read_model_file(path, limits);
  try {
    return detail::model_from_envelope<Model>(envelope);
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("model file '" + path + "': " + e.what());
  }
}

}  // namespace claimlens::io
