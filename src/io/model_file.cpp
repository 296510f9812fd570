// Model envelope encoding/decoding with bounded, validating parsing.
#include "claimlens/io/model_file.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <utility>

#include "claimlens/error.hpp"
#include "claimlens/version.hpp"

namespace claimlens::io {
namespace {

using json = nlohmann::json;

constexpr std::uint8_t kCborMagic[3] = {0xD9, 0xD9, 0xF7};  // tag 55799, "self-described CBOR"

std::string hex_byte(std::uint8_t b) {
  const char* digits = "0123456789ABCDEF";
  return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

/// First pass over the document: enforces ModelLimits without building anything, so a hostile
/// file (deep nesting that would recurse, millions of values, huge strings) is refused before the
/// DOM parser allocates for it. Declared CBOR sizes are checked before, by check_cbor_structure.
class BoundsChecker {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  BoundsChecker(const ModelLimits& limits, std::size_t offset, std::size_t size)
      : limits_(limits), offset_(offset), size_(size) {}

  bool null() { return count(); }
  bool boolean(bool) { return count(); }
  bool number_integer(number_integer_t) { return count(); }
  bool number_unsigned(number_unsigned_t) { return count(); }
  bool number_float(number_float_t, const string_t&) { return count(); }
  bool string(string_t& s) { return count() && check_string(s, "a string"); }
  bool binary(binary_t&) { return count(); }
  bool key(string_t& s) { return check_string(s, "an object key"); }
  // Declared CBOR sizes and CBOR nesting were checked by check_cbor_structure already; the
  // depth check here is for JSON text.
  bool start_object(std::size_t n) { return declared(n, "an object") && open(); }
  bool start_array(std::size_t n) { return declared(n, "an array") && open(); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool parse_error(std::size_t position, const std::string&, const json::exception& e) {
    // nlohmann positions count bytes read, so the byte at fault is the one before.
    const std::size_t at = offset_ + (position > 0 ? position - 1 : 0);
    error_ = "malformed data at byte offset " + std::to_string(at) + ": " + e.what();
    return false;
  }

  const std::string& error() const { return error_; }

 private:
  // A declared count (UBJSON's "#", checked before the reader loops over it; CBOR's were
  // checked by check_cbor_structure; JSON text declares none). No more elements than bytes: a
  // UBJSON array of typed nulls ("[$Z#L<n>") takes no byte per element, and 18 bytes would
  // otherwise make a DOM of max_values elements (found by fuzz_xgboost_load).
  bool declared(std::size_t n, const char* what) {
    if (n == static_cast<std::size_t>(-1)) return true;
    if (n > limits_.max_values) {
      return refuse(
          std::string(what) + " declares " + std::to_string(n) +
          " elements, more than ModelLimits::max_values = " + std::to_string(limits_.max_values));
    }
    if (n > size_) {
      return refuse(std::string(what) + " declares " + std::to_string(n) +
                    " elements, more than the " + std::to_string(size_) + " bytes of the data");
    }
    return true;
  }
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
    error_ = std::move(message);
    return false;
  }

  const ModelLimits& limits_;
  std::size_t offset_, size_;
  std::size_t values_ = 0;
  std::size_t depth_ = 0;
  std::string error_;
};

/// Walks the CBOR item structure without recursion and refuses what claimlens never writes:
/// indefinite lengths, tags, reserved encodings. nlohmann's reader recurses once per nested
/// indefinite-length string chunk without a SAX event, so a run of 0x7F bytes overflowed the
/// stack before the bounds check could stop it (fuzz finding 6).
void check_cbor_structure(const std::uint8_t* begin, const std::uint8_t* end, std::size_t offset,
                          const ModelLimits& limits) {
  const auto fail = [&](const std::uint8_t* at, const std::string& what) {
    throw ModelFormatError("cannot read model CBOR: " + what + " at byte offset " +
                           std::to_string(offset + static_cast<std::size_t>(at - begin)));
  };
  std::vector<std::uint64_t> open;  // items still expected by each enclosing array/map
  std::uint64_t remaining = 1;      // the document is one item
  const std::uint8_t* p = begin;
  while (remaining > 0 || !open.empty()) {
    if (remaining == 0) {
      remaining = open.back();
      open.pop_back();
      continue;
    }
    if (p == end) fail(p, "the data ends inside an item");
    const std::uint8_t* head = p++;
    const unsigned major = *head >> 5, info = *head & 31u;
    if (info == 31) fail(head, "an indefinite-length item (byte " + hex_byte(*head) + ")");
    if (info >= 28) fail(head, "a reserved encoding (byte " + hex_byte(*head) + ")");
    std::uint64_t argument = info;
    if (info >= 24) {
      const std::size_t bytes = std::size_t(1) << (info - 24);
      if (static_cast<std::size_t>(end - p) < bytes) fail(head, "the data ends inside an item");
      argument = 0;
      for (std::size_t i = 0; i < bytes; ++i) argument = (argument << 8) | *p++;
    }
    --remaining;
    if (major == 2 || major == 3) {
      if (argument > static_cast<std::uint64_t>(end - p)) {
        fail(head, "a string longer than the rest of the data");
      }
      p += argument;
    } else if (major == 4 || major == 5) {
      if (argument > limits.max_values) {
        fail(head, std::string(major == 4 ? "an array" : "an object") + " declares " +
                       std::to_string(argument) +
                       " elements, more than ModelLimits::max_values = " +
                       std::to_string(limits.max_values));
      }
      if (open.size() >= limits.max_depth) {
        fail(head, "nesting deeper than " + std::to_string(limits.max_depth) +
                       " levels (ModelLimits::max_depth)");
      }
      open.push_back(remaining);
      remaining = major == 5 ? 2 * argument : argument;
    } else if (major == 6) {
      fail(head, "a tag (byte " + hex_byte(*head) + ")");
    }
  }
  if (p != end) fail(p, "data after the end of the model");
}

/// Rejects NaN and infinities anywhere in `value`; names the JSON pointer of the first one.
void require_finite(const json& value) {
  if (const auto where = find_non_finite(value)) {
    throw InvalidArgument("encode_model: the model holds a non-finite number at '" + *where +
                          "'; model files store finite numbers only");
  }
}

std::string lower_extension(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

const json& require_key(const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end()) {
    throw ModelFormatError(std::string("model envelope lacks the \"") + key + "\" key");
  }
  return *it;
}

std::string require_string(const json& doc, const char* key, std::size_t max_size) {
  const json& value = require_key(doc, key);
  if (!value.is_string()) {
    throw ModelFormatError(std::string("model envelope key \"") + key +
                           "\" must be a string, not " + value.type_name());
  }
  const auto& s = value.get_ref<const std::string&>();
  if (s.empty() || s.size() > max_size) {
    throw ModelFormatError(std::string("model envelope key \"") + key + "\" must hold 1 to " +
                           std::to_string(max_size) + " characters");
  }
  return s;
}

/// Names the JSON pointer of the first string (or object key) in `value` that is not valid UTF-8:
/// JSON text cannot hold it, while CBOR (and so a loaded model) can. "" when there is none.
std::string first_invalid_utf8(const json& value) {
  const auto invalid = [](const std::string& s) {
    try {
      (void)json(s).dump();  // strict: throws type_error 316 for invalid UTF-8
      return false;
    } catch (const json::type_error&) {
      return true;
    }
  };
  std::vector<std::pair<const json*, std::string>> stack{{&value, ""}};
  while (!stack.empty()) {
    auto [node, where] = std::move(stack.back());
    stack.pop_back();
    if (node->is_string() && invalid(node->get_ref<const std::string&>())) {
      return where.empty() ? "/" : where;
    }
    if (node->is_object()) {
      for (auto it = node->begin(); it != node->end(); ++it) {
        if (invalid(it.key())) return (where.empty() ? "/" : where) + " (an object key there)";
        stack.emplace_back(&it.value(), where + "/" + it.key());
      }
    } else if (node->is_array()) {
      for (std::size_t i = 0; i < node->size(); ++i) {
        stack.emplace_back(&(*node)[i], where + "/" + std::to_string(i));
      }
    }
  }
  return "";
}

/// Checks the envelope's keys and moves the model out of `doc`.
ModelEnvelope validate_envelope(json& doc) {
  if (!doc.is_object()) {
    throw ModelFormatError(std::string("a model file must hold a JSON object, not ") +
                           doc.type_name());
  }
  static const char* const known[] = {"format", "format_version", "library_version", "model_type",
                                      "model"};
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (std::none_of(std::begin(known), std::end(known),
                     [&](const char* k) { return it.key() == k; })) {
      throw ModelFormatError("model envelope has an unknown key \"" + it.key() + "\"");
    }
  }
  const std::string format = require_string(doc, "format", 64);
  if (format != kModelFormatName) {
    throw ModelFormatError("not a claimlens model: \"format\" is \"" + format + "\", expected \"" +
                           kModelFormatName + "\"");
  }
  const json& version = require_key(doc, "format_version");
  if (!version.is_number_integer()) {
    throw ModelFormatError(std::string("model envelope key \"format_version\" must be an integer, "
                                       "not ") +
                           version.type_name());
  }
  ModelEnvelope envelope;
  if (version.is_number_unsigned()) {
    const auto v = version.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(kModelFormatVersion)) {
      throw ModelFormatError("model file format version " + std::to_string(v) +
                             " is newer than this build of claimlens reads (up to " +
                             std::to_string(kModelFormatVersion) + "); upgrade claimlens");
    }
    envelope.format_version = static_cast<std::int64_t>(v);
  } else {
    envelope.format_version = version.get<std::int64_t>();
  }
  if (envelope.format_version < 1) {
    throw ModelFormatError("model file format version " + std::to_string(envelope.format_version) +
                           " is invalid (versions start at 1)");
  }
  envelope.library_version = require_string(doc, "library_version", 64);
  envelope.model_type = require_string(doc, "model_type", 64);
  require_key(doc, "model");
  json& model = doc["model"];
  if (!model.is_object()) {
    throw ModelFormatError(std::string("model envelope key \"model\" must be an object, not ") +
                           model.type_name());
  }
  envelope.model = std::move(model);
  return envelope;
}

}  // namespace

std::optional<std::string> find_non_finite(const json& value) {
  std::vector<std::pair<const json*, std::string>> stack{{&value, ""}};
  while (!stack.empty()) {
    auto [node, where] = std::move(stack.back());
    stack.pop_back();
    if (node->is_number_float() && !std::isfinite(node->get<double>())) {
      return where.empty() ? std::string("/") : where;
    }
    if (node->is_object()) {
      for (auto it = node->begin(); it != node->end(); ++it) {
        if (it->is_structured() || it->is_number_float()) {
          stack.emplace_back(&it.value(), where + "/" + it.key());
        }
      }
    } else if (node->is_array()) {
      for (std::size_t i = 0; i < node->size(); ++i) {
        const json& e = (*node)[i];
        if (e.is_structured() || e.is_number_float()) {
          stack.emplace_back(&e, where + "/" + std::to_string(i));
        }
      }
    }
  }
  return std::nullopt;
}

std::string check_document_bounds(const std::uint8_t* begin, const std::uint8_t* end,
                                  json::input_format_t format, const ModelLimits& limits,
                                  std::size_t offset) {
  BoundsChecker checker(limits, offset, static_cast<std::size_t>(end - begin));
  if (json::sax_parse(begin, end, &checker, format, true)) return "";
  return checker.error().empty() ? std::string("parse failed") : checker.error();
}

ModelEncoding encoding_for_path(const std::string& path) {
  return lower_extension(path) == ".json" ? ModelEncoding::Json : ModelEncoding::Cbor;
}

std::vector<std::uint8_t> encode_model(const std::string& model_type, const json& model,
                                       ModelEncoding encoding) {
  if (model_type.empty()) throw InvalidArgument("encode_model: model_type is empty");
  if (!model.is_object()) {
    throw InvalidArgument(std::string("encode_model: the model must be a JSON object, not ") +
                          model.type_name());
  }
  require_finite(model);
  // Key by key inside an owned document: it dies through dispose_json(), and no initializer-list
  // {key, value} pair dies as a non-empty array (claimlens/json_document.hpp).
  JsonDocument envelope(json::object());
  json& doc = *envelope;
  doc["format"] = kModelFormatName;
  doc["format_version"] = kModelFormatVersion;
  doc["library_version"] = version_string();
  doc["model_type"] = model_type;
  doc["model"] = model;
  if (encoding == ModelEncoding::Cbor) {
    std::vector<std::uint8_t> bytes(std::begin(kCborMagic), std::end(kCborMagic));
    json::to_cbor(doc, bytes);
    return bytes;
  }
  std::string text;
  try {
    // nlohmann prints doubles as the shortest text that reads back to the same bits. Strict: a
    // replaced byte would change the model (a vocabulary entry, a category) on the round trip.
    text = doc.dump(-1, ' ', false, json::error_handler_t::strict);
  } catch (const json::type_error& e) {
    const std::string where = first_invalid_utf8(doc);
    if (where.empty()) throw;
    throw InvalidArgument(
        "encode_model: the model holds a string that is not valid UTF-8 at '" + where +
        "', which JSON text cannot store; save it as CBOR (any name not ending in .json), "
        "which keeps the bytes as they are");
  }
  text.push_back('\n');
  return std::vector<std::uint8_t>(text.begin(), text.end());
}

ModelEnvelope decode_model(Span<const std::uint8_t> bytes, const ModelLimits& limits) {
  if (bytes.empty()) throw ModelFormatError("model data is empty");
  if (bytes.size() > limits.max_bytes) {
    throw ModelFormatError(
        "model data of " + std::to_string(bytes.size()) +
        " bytes exceeds ModelLimits::max_bytes = " + std::to_string(limits.max_bytes));
  }
  const std::uint8_t* begin = bytes.data();
  const std::uint8_t* end = begin + bytes.size();
  // Detect the encoding: JSON text opens with '{' (after whitespace or a BOM), CBOR with the
  // self-described tag or a map header (major type 5).
  std::size_t i = 0;
  if (bytes.size() >= 3 && begin[0] == 0xEF && begin[1] == 0xBB && begin[2] == 0xBF) i = 3;
  while (i < bytes.size() &&
         (begin[i] == ' ' || begin[i] == '\t' || begin[i] == '\n' || begin[i] == '\r')) {
    ++i;
  }
  bool cbor = false;
  std::size_t offset = 0;
  if (i < bytes.size() && begin[i] == '{') {
    cbor = false;
  } else if (bytes.size() >= 3 && std::memcmp(begin, kCborMagic, 3) == 0) {
    cbor = true;
    offset = 3;
  } else if (begin[0] >= 0xA0 && begin[0] <= 0xBF) {
    cbor = true;
  } else {
    throw ModelFormatError("not a claimlens model: the data starts with byte " +
                           hex_byte(begin[i < bytes.size() ? i : 0]) +
                           " (expected '{' for JSON or a CBOR map)");
  }
  if (cbor) check_cbor_structure(begin + offset, end, offset, limits);
  const auto format = cbor ? json::input_format_t::cbor : json::input_format_t::json;
  const std::string error = check_document_bounds(begin + offset, end, format, limits, offset);
  if (!error.empty()) {
    throw ModelFormatError(std::string("cannot read model ") + (cbor ? "CBOR" : "JSON") + ": " +
                           error);
  }
  // Parsed into an owned document (claimlens/json_document.hpp): json::from_cbor would return a
  // copy and destroy its own DOM, and a DOM's destructor allocates.
  JsonDocument doc;
  try {
    doc = parse_json_document(begin + offset, end, format);
  } catch (const json::exception& e) {
    throw ModelFormatError(std::string("cannot read model data: ") + e.what());
  }
  return validate_envelope(*doc);
}

ModelEnvelope decode_model(std::string_view bytes, const ModelLimits& limits) {
  return decode_model(
      Span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
      limits);
}

std::string read_model_bytes(const std::string& path, const ModelLimits& limits) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
      static_cast<std::uint64_t>(info.st_size) > limits.max_bytes) {
    throw ModelFormatError(
        "model file '" + path + "' of " + std::to_string(info.st_size) +
        " bytes exceeds ModelLimits::max_bytes = " + std::to_string(limits.max_bytes));
  }
  return read_file(path, limits.max_bytes);
}

ModelEnvelope read_model_file(const std::string& path, const ModelLimits& limits) {
  const std::string bytes = read_model_bytes(path, limits);
  try {
    return decode_model(bytes, limits);
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("model file '" + path + "': " + e.what());
  }
}

void write_model_file(const std::string& path, const std::string& model_type, const json& model) {
  const ModelEncoding encoding = encoding_for_path(path);
  const auto bytes = encode_model(model_type, model, encoding);
  atomic_write_file(path,
                    std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

void detail::rethrow_as_model_format_error(const std::string& type_name) {
  try {
    throw;
  } catch (const ModelFormatError&) {
    throw;
  } catch (const nlohmann::json::exception& e) {
    throw ModelFormatError("invalid " + type_name + " model: " + e.what());
  } catch (const Error& e) {
    throw ModelFormatError("invalid " + type_name + " model: " + e.what());
  } catch (const std::length_error& e) {
    throw ModelFormatError("invalid " + type_name + " model: a size is out of range (" + e.what() +
                           ")");
  }
}

}  // namespace claimlens::io
