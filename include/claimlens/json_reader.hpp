// The one keyed reader of JSON documents: every loader (parameters, model documents, options)
// reads through it, so every error names the full path of the value at fault, e.g.
//   'params.max_depth' must be an integer, not "8"
//   'model.trees[3].feature[7]' must be an integer from -1 to 2147483647, not 1e+30
// The error type follows what the document is: a caller's parameters raise InvalidArgument, a
// saved model ModelFormatError. Integers are read through json_integer_in/json_unsigned, never
// get<int>(): a number past the integer types is a double, whose conversion is undefined
// behaviour (tests/fuzz/README.md, finding 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace claimlens {

/// What a document is, which decides the error a bad value in it raises.
enum class JsonSource {
  Parameters,  ///< the caller's input (parameters, options): InvalidArgument
  Model,       ///< a saved model document: ModelFormatError
};

/// Throws InvalidArgument (Parameters) or ModelFormatError (Model) with `message`.
[[noreturn]] void throw_json_error(JsonSource source, const std::string& message);

/// `value` shown in a message: compact, invalid UTF-8 replaced, cut to about 64 bytes.
std::string json_shown(const nlohmann::json& value);

/// A value of a document and its path from the document's root ("" = the root itself). Holds a
/// reference: the document must outlive the reader.
class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string path, JsonSource source)
      : value_(&value), path_(std::move(path)), source_(source) {}

  const nlohmann::json& value() const noexcept { return *value_; }
  const std::string& path() const noexcept { return path_; }
  JsonSource source() const noexcept { return source_; }
  /// "'path'", or "the document" at the root: how messages name this value.
  std::string name() const;
  /// The path of member `key` of this value.
  std::string member_path(const std::string& key) const;

  /// Throws the source's error: "<name()> <why>".
  [[noreturn]] void fail(const std::string& why) const;
  /// fail(why + ", not " + the value shown).
  [[noreturn]] void fail_value(const std::string& why) const;

  // ---- structure -------------------------------------------------------------------------------
  /// Refuses anything but an object.
  const JsonReader& object() const;
  /// Refuses a key of this object that is not in `known` (listed in the message).
  void only_keys(const std::vector<std::string>& known) const;
  /// Member `key`, which must exist ("missing key 'path.key'").
  JsonReader at(const std::string& key) const;
  /// Member `key` when the object has it.
  std::optional<JsonReader> find(const std::string& key) const;
  /// The number of elements; refuses anything but an array.
  std::size_t array_size() const;
  /// Element `index` of an array (checked by array_size()).
  JsonReader at(std::size_t index) const;

  // ---- values ----------------------------------------------------------------------------------
  /// An integer in [lo, hi] ("must be an integer from lo to hi, not ...").
  std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
  /// Any integer an int holds.
  int int32() const;
  /// A non-negative integer up to 2^64-1 (seeds).
  std::uint64_t unsigned64() const;
  /// A number (not a boolean).
  double number() const;
  /// A finite number.
  double finite() const;
  bool boolean() const;
  std::string string() const;
  std::vector<std::string> strings() const;
  /// The index in `names` of the string this value is; a null entry in `names` stands for JSON
  /// null.
  std::size_t choice(const std::vector<const char*>& names) const;

 private:
  const nlohmann::json* value_;
  std::string path_;
  JsonSource source_;
};

}  // namespace claimlens
