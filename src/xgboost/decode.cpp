// XGBoost's two encodings into one DOM: JSON text (floats read as float32, as XGBoost reads
// them) and UBJSON (XGBoost 1.x writes objects with int64-sized keys and typed, counted arrays:
// "[$d#L<n>" float32, "[$U#L" uint8, "[$l#L" int32, "[$L#L" int64; nlohmann reads all of it).
#include "decode.hpp"

#include <charconv>
#include <string>
#include <utility>

#include "claimlens/error.hpp"

namespace claimlens::xgboost_detail {
namespace {

using json = nlohmann::json;

std::string hex_byte(std::uint8_t b) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

/// After io::check_document_bounds: nlohmann's DOM builder, except that a JSON text number is read
/// as float32 from its text (decimal -> float32 once, as XGBoost's from_chars does; through a
/// double it could be rounded twice). UBJSON floats are float32 already.
class Float32Dom : public nlohmann::detail::json_sax_dom_parser<json> {
 public:
  explicit Float32Dom(json& root) : json_sax_dom_parser(root, true) {}
  bool number_float(number_float_t value, const string_t& text) {
    if (!text.empty()) {
      float f = 0.0f;
      const auto r = std::from_chars(text.data(), text.data() + text.size(), f);
      // Out of float's range: the double's own conversion (infinity), refused by the reader.
      value = r.ec == std::errc() ? static_cast<double>(f)
                                  : static_cast<double>(static_cast<float>(value));
    } else {
      value = static_cast<double>(static_cast<float>(value));
    }
    return json_sax_dom_parser::number_float(value, text);
  }
};

}  // namespace

JsonDocument decode_document(Span<const std::uint8_t> bytes, const io::ModelLimits& limits) {
  if (bytes.empty()) throw ModelFormatError("the data is empty");
  if (bytes.size() > limits.max_bytes) {
    throw ModelFormatError(
        "the data of " + std::to_string(bytes.size()) +
        " bytes exceeds ModelLimits::max_bytes = " + std::to_string(limits.max_bytes));
  }
  const std::uint8_t* begin = bytes.data();
  const std::uint8_t* end = begin + bytes.size();
  // UBJSON: '{' then a key's length marker. JSON text: '{' after an optional BOM and whitespace.
  const bool ubjson =
      bytes.size() >= 2 && begin[0] == '{' &&
      std::string_view("iUIlL").find(static_cast<char>(begin[1])) != std::string_view::npos;
  std::size_t i = 0;
  if (bytes.size() >= 3 && begin[0] == 0xEF && begin[1] == 0xBB && begin[2] == 0xBF) i = 3;
  while (i < bytes.size() &&
         (begin[i] == ' ' || begin[i] == '\t' || begin[i] == '\n' || begin[i] == '\r')) {
    ++i;
  }
  if (!ubjson && (i == bytes.size() || begin[i] != '{')) {
    throw ModelFormatError("not an XGBoost model: the data starts with byte " +
                           hex_byte(begin[i < bytes.size() ? i : 0]) +
                           " (expected '{' of a JSON or UBJSON object)");
  }
  const auto format = ubjson ? json::input_format_t::ubjson : json::input_format_t::json;
  const char* what = ubjson ? "UBJSON" : "JSON";
  // The bounds first, in a pass that builds nothing (a hostile count or nesting is refused before
  // the DOM parser allocates for it; every element of a "[$Z#L<n>" array of nulls is counted).
  const std::string error = io::check_document_bounds(begin, end, format, limits);
  if (!error.empty())
    throw ModelFormatError(std::string("cannot read XGBoost ") + what + ": " + error);
  JsonDocument doc;
  try {
    Float32Dom dom(*doc);
    json::sax_parse(begin, end, &dom, format, true);
  } catch (const json::exception& e) {
    throw ModelFormatError(std::string("cannot read XGBoost ") + what + ": " + e.what());
  }
  return doc;
}

}  // namespace claimlens::xgboost_detail
