// The one loader and saver of the model layer: every model type a file can hold, recognised by
// the file's content (claimlens/io/model_file.hpp: JSON text or the CBOR envelope), whatever its
// name. The C ABI, the CLI and C++ callers load and save through here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/io/model_file.hpp"
#include "claimlens/model/model.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// Every type a model file can hold: the matrix models (matrix_model_types()), tabular_pipeline,
/// claim_classifier and calibrated (model/calibrated_model.hpp, whose base is any other).
Span<const ModelType> model_types();

/// Builds the model of type `model_type` from its document (the envelope's "model").
/// ModelFormatError naming the type and the path at fault for an unknown type or an invalid
/// document.
Model model_from_document(const std::string& model_type, const nlohmann::json& document);

/// Loads a model file of any type. The encoding is recognised by content (JSON text or CBOR),
/// whatever the file's name. IoError when unreadable; ModelFormatError naming the file for
/// anything else wrong (not a model, damaged, unknown model type, invalid model).
Model load_model(const std::string& path, const io::ModelLimits& limits = {});
/// The same from bytes in memory.
Model load_model_buffer(Span<const std::uint8_t> bytes, const io::ModelLimits& limits = {});

/// Saves atomically (no half-written file, a previous file intact on failure): JSON text when
/// the name ends in ".json" (any case), CBOR otherwise (io::encoding_for_path).
void save_model(const Model& model, const std::string& path);
std::vector<std::uint8_t> save_model_buffer(const Model& model, io::ModelEncoding encoding);

}  // namespace claimlens
