// JsonReader (claimlens/json_reader.hpp): checked, path-naming reads of JSON documents.
#include "claimlens/json_reader.hpp"

#include <cmath>
#include <limits>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"

namespace claimlens {

using Json = nlohmann::json;

void throw_json_error(JsonSource source, const std::string& message) {
  if (source == JsonSource::Model) throw ModelFormatError(message);
  throw InvalidArgument(message);
}

std::string json_shown(const Json& value) {
  // JSON has no NaN or infinity: dump() would show them as null.
  if (value.is_number_float() && !std::isfinite(value.get<double>())) {
    const double x = value.get<double>();
    return x != x ? "NaN" : x > 0 ? "inf" : "-inf";
  }
  std::string shown = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (shown.size() > 64) {  // a whole vocabulary is no message: cut at a character boundary
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
    shown = shown.substr(0, cut) + "...";
  }
  return shown;
}

std::string JsonReader::name() const {
  return path_.empty() ? std::string("the document") : "'" + path_ + "'";
}

std::string JsonReader::member_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void JsonReader::fail(const std::string& why) const {
  throw_json_error(source_, name() + " " + why);
}

void JsonReader::fail_value(const std::string& why) const {
  fail(why + ", not " + json_shown(*value_));
}

const JsonReader& JsonReader::object() const {
  if (!value_->is_object()) fail_value("must be an object");
  return *this;
}

void JsonReader::only_keys(const std::vector<std::string>& known) const {
  object();
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    bool ok = false;
    for (const auto& k : known) ok = ok || it.key() == k;
    if (ok) continue;
    std::string list;
    for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
    throw_json_error(source_, "unknown key '" + member_path(it.key()) + "' (known: " + list + ")");
  }
}

JsonReader JsonReader::at(const std::string& key) const {
  auto member = find(key);
  if (!member) throw_json_error(source_, "missing key '" + member_path(key) + "'");
  return *member;
}

std::optional<JsonReader> JsonReader::find(const std::string& key) const {
  object();
  const auto it = value_->find(key);
  if (it == value_->end()) return std::nullopt;
  return JsonReader(*it, member_path(key), source_);
}

std::size_t JsonReader::array_size() const {
  if (!value_->is_array()) fail_value("must be an array");
  return value_->size();
}

JsonReader JsonReader::at(std::size_t index) const {
  if (index >= array_size()) fail("has no element " + std::to_string(index));
  return JsonReader((*value_)[index], path_ + "[" + std::to_string(index) + "]", source_);
}

std::int64_t JsonReader::integer(std::int64_t lo, std::int64_t hi) const {
  const auto x = json_integer_in(*value_, lo, hi);
  if (x) return *x;
  if (!value_->is_number_integer()) fail_value("must be an integer");
  fail_value("must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
}

int JsonReader::int32() const {
  return static_cast<int>(
      integer(std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
}

std::uint64_t JsonReader::unsigned64() const {
  const auto x = json_unsigned(*value_);
  if (!x) fail_value("must be a non-negative integer");
  return *x;
}

double JsonReader::number() const {
  // is_number() is false for booleans, which nlohmann's get<double>() would take as 0 or 1.
  if (!value_->is_number()) fail_value("must be a number");
  return value_->get<double>();
}

double JsonReader::finite() const {
  const double x = number();
  if (!std::isfinite(x)) fail_value("must be a finite number");
  return x;
}

bool JsonReader::boolean() const {
  if (!value_->is_boolean()) fail_value("must be a boolean");
  return value_->get<bool>();
}

std::string JsonReader::string() const {
  if (!value_->is_string()) fail_value("must be a string");
  return value_->get<std::string>();
}

std::vector<std::string> JsonReader::strings() const {
  bool ok = value_->is_array();
  for (std::size_t i = 0; ok && i < value_->size(); ++i) ok = (*value_)[i].is_string();
  if (!ok) fail_value("must be a list of strings");
  return value_->get<std::vector<std::string>>();
}

std::size_t JsonReader::choice(const std::vector<const char*>& names) const {
  std::size_t index = 0;
  std::string list;
  for (const char* n : names) {
    if (n == nullptr ? value_->is_null() : json_string_equals(*value_, n)) return index;
    list += (list.empty() ? "" : ", ") +
            (n == nullptr ? std::string("null") : '"' + std::string(n) + '"');
    ++index;
  }
  fail_value("must be one of " + list);
}

}  // namespace claimlens
