// Private helpers of the ensemble module for model documents, read through the keyed reader
// (claimlens/json_reader.hpp): ModelFormatError naming the path of the value at fault.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"

namespace claimlens::ensemble_detail {

// Checks the format name and version of a model document.
inline void check_header(const JsonReader& j, const char* format, int version) {
  const JsonReader f = j.at("format");
  if (!json_string_equals(f.value(), format)) {
    f.fail_value("must be \"" + std::string(format) + "\"");
  }
  const JsonReader v = j.at("version");
  const auto given = v.integer(1, std::numeric_limits<std::int64_t>::max());
  if (given > version) {
    v.fail("is " + std::to_string(given) + ", newer than the supported version " +
           std::to_string(version));
  }
}

}  // namespace claimlens::ensemble_detail
