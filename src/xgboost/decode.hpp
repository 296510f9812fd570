// Private to the xgboost module: XGBoost's JSON text and UBJSON decoded into one bounded DOM.
#pragma once

#include <cstdint>

#include "claimlens/io/model_file.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/span.hpp"

namespace claimlens::xgboost_detail {

/// JSON text or UBJSON, detected from the first bytes. Every float becomes the double of its
/// float32 value, read from the text as XGBoost reads it (decimal -> float32, not through double)
/// so that no value is rounded twice. ModelFormatError on anything malformed, truncated, or past
/// `limits` (bytes, nesting, values, string length), naming the byte offset; the bounds are
/// checked in a first pass that allocates nothing, before the DOM is built.
JsonDocument decode_document(Span<const std::uint8_t> bytes, const io::ModelLimits& limits);

}  // namespace claimlens::xgboost_detail
