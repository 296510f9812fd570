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

/// First pass: enforces the limits without building anything (a hostile count or nesting is
/// refused before the DOM parser allocates for it). UBJSON containers announce their count in
/// start_array; every element, even a zero-byte one (a "[$Z#L<n>" array of nulls), is counted.
class BoundsChecker {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit BoundsChecker(const io::ModelLimits& limits) : limits_(limits) {}

  bool null() { return count(); }
  bool boolean(bool) { return count(); }
  bool number_integer(number_integer_t) { return count(); }
  bool number_unsigned(number_unsigned_t) { return count(); }
  bool number_float(number_float_t, const string_t&) { return count(); }
  bool string(string_t& s) { return count() && check_string(s, "a string"); }
  bool binary(binary_t&) { return count(); }
  bool key(string_t& s) { return check_string(s, "an object key"); }
  bool start_object(std::size_t) { return open(); }
  bool start_array(std::size_t n) {
    if (n != static_cast<std::size_t>(-1) && n > limits_.max_values) {
      return refuse(
          "an array declares " + std::to_string(n) +
          " elements, more than ModelLimits::max_values = " + std::to_string(limits_.max_values));
    }
    return open();
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string&, const json::exception& e) {
    const std::size_t at = position > 0 ? position - 1 : 0;  // nlohmann counts bytes read
    return refuse("malformed data at byte offset " + std::to_string(at) + ": " + e.what());
  }

  const std::string& error() const { return error_; }

 private:
  bool count() {
    if (++values_ > limits_.max_values) {
      return refuse("the document holds more than " + std::to_string(limits_.max_values) +
                    " values (ModelLimits::max_values)");
    }
    return true;
  }
  bool check_string(const string_t& s, const char* what) {
    if (s.size() > limits_.max_string_bytes) {
      return refuse(std::string(what) + " is longer than " +
                    std::to_string(limits_.max_string_bytes) +
                    " bytes (ModelLimits::max_string_bytes)");
    }
    return true;
  }
  bool open() {
    if (!count()) return false;
    if (++depth_ > limits_.max_depth) {
      return refuse("nesting deeper than " + std::to_string(limits_.max_depth) +
                    " levels (ModelLimits::max_depth)");
    }
    return true;
  }
  bool close() {
    --depth_;
    return true;
  }
  bool refuse(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  const io::ModelLimits& limits_;
  std::size_t values_ = 0, depth_ = 0;
  std::string error_;
};

/// Second pass: nlohmann's DOM builder, except that a JSON text number is read as float32 from
/// its text (decimal -> float32 once, as XGBoost's from_chars does; through a double it could be
/// rounded twice). UBJSON floats are float32 already.
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
  BoundsChecker checker(limits);
  if (!json::sax_parse(begin, end, &checker, format, true)) {
    throw ModelFormatError(std::string("cannot read XGBoost ") + what + ": " +
                           (checker.error().empty() ? "parse failed" : checker.error()));
  }
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
