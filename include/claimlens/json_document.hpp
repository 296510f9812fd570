// Freeing nlohmann::json DOMs without allocating.
//
// nlohmann::json 3.11's destructor (json_value::destroy) moves the children of every non-empty
// array or object into a heap std::vector before freeing them, so that deep documents do not
// recurse. When that allocation fails, std::bad_alloc leaves a noexcept destructor and the process
// ends in std::terminate. Destroying an EMPTY array or object, or a scalar, allocates nothing.
// dispose_json() therefore empties a DOM from the leaves up (recursion bounded by the nesting
// depth) before it dies, and JsonDocument owns a DOM and does so in its destructor. Every DOM the
// library builds or reads dies through one of them (see docs/limits.md, "Allocation failure").
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"

namespace claimlens {

/// Nesting levels dispose_json() empties itself. Deeper levels (refused by every loader:
/// io::ModelLimits::max_depth is 64) are left to nlohmann's destructor, which allocates.
inline constexpr std::size_t kJsonDisposeDepth = 256;

namespace detail {
inline void dispose_json(nlohmann::json& value, std::size_t depth) noexcept {
  if (auto* array = value.get_ptr<nlohmann::json::array_t*>()) {
    if (depth == 0) return;
    for (auto& element : *array) dispose_json(element, depth - 1);
    array->clear();  // every element is now a scalar or empty: nothing allocates
  } else if (auto* object = value.get_ptr<nlohmann::json::object_t*>()) {
    if (depth == 0) return;
    for (auto& member : *object) dispose_json(member.second, depth - 1);
    object->clear();
  }
}
}  // namespace detail

/// Frees the contents of `value` from the leaves up without allocating; `value` becomes null.
/// Use it before a DOM dies (or is overwritten) on any path that must survive allocation failure.
inline void dispose_json(nlohmann::json& value) noexcept {
  detail::dispose_json(value, kJsonDisposeDepth);
  value = nullptr;  // destroys an empty array/object or a scalar: no allocation
}

/// True when `value` is the string `text`. Use it instead of `value == "text"`: nlohmann's
/// noexcept operator== builds a json string from the literal, and a failed allocation there is
/// std::terminate.
inline bool json_string_equals(const nlohmann::json& value, std::string_view text) noexcept {
  const auto* s = value.get_ptr<const nlohmann::json::string_t*>();
  return s != nullptr && *s == text;
}

/// The integer `value` holds, when it holds one in [lo, hi]; nullopt otherwise. Read every integer
/// of a document through it, never with get<int>() and the like: a number past the integer types
/// is stored as a double, which converts with undefined behaviour (fuzz finding 7), and an unsigned
/// integer past INT64_MAX would wrap to a negative one (18446744073709551615 read as -1).
inline std::optional<std::int64_t> json_integer_in(const nlohmann::json& value, std::int64_t lo,
                                                   std::int64_t hi) noexcept {
  std::int64_t x = 0;
  if (const auto* u = value.get_ptr<const nlohmann::json::number_unsigned_t*>()) {
    if (*u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return {};
    x = static_cast<std::int64_t>(*u);
  } else if (const auto* i = value.get_ptr<const nlohmann::json::number_integer_t*>()) {
    x = *i;
  } else {
    return {};
  }
  if (x < lo || x > hi) return {};
  return x;
}

/// The non-negative integer `value` holds, as any of 0..2^64-1 (nlohmann stores a parsed 7 as
/// unsigned, json(7) built in C++ as signed: both count); nullopt for anything else. For seeds.
inline std::optional<std::uint64_t> json_unsigned(const nlohmann::json& value) noexcept {
  if (const auto* u = value.get_ptr<const nlohmann::json::number_unsigned_t*>()) return *u;
  const auto* i = value.get_ptr<const nlohmann::json::number_integer_t*>();
  if (i != nullptr && *i >= 0) return static_cast<std::uint64_t>(*i);
  return {};
}

/// dispose_json() on every element, then clear(): for the vectors of DOMs some classes hold.
inline void dispose_json(std::vector<nlohmann::json>& values) noexcept {
  for (auto& value : values) dispose_json(value);
  values.clear();
}

/// Owns a JSON DOM and frees it with dispose_json(): use it for every DOM that dies in library
/// code (built for a save, parsed from a file, held by a model). Replacing the value disposes
/// the old one the same way.
class JsonDocument {
 public:
  JsonDocument() noexcept = default;
  /// Takes over a built DOM (moved, not copied, when given an rvalue).
  JsonDocument(nlohmann::json value) noexcept : value_(std::move(value)) {}  // NOLINT: implicit
  JsonDocument(const JsonDocument&) = default;
  JsonDocument(JsonDocument&& other) noexcept : value_(std::move(other.value_)) {}
  /// Copy-and-swap: the old value dies in `other`, through dispose_json().
  JsonDocument& operator=(JsonDocument other) noexcept {
    value_.swap(other.value_);
    return *this;
  }
  ~JsonDocument() { dispose_json(value_); }

  nlohmann::json& get() noexcept { return value_; }
  const nlohmann::json& get() const noexcept { return value_; }
  nlohmann::json& operator*() noexcept { return value_; }
  const nlohmann::json& operator*() const noexcept { return value_; }
  nlohmann::json* operator->() noexcept { return &value_; }
  const nlohmann::json* operator->() const noexcept { return &value_; }
  /// So that a JsonDocument member can stand where a `const nlohmann::json&` is read.
  operator const nlohmann::json&() const noexcept { return value_; }  // NOLINT: implicit

 private:
  nlohmann::json value_;
};

/// json::parse (format json, strict) or json::from_cbor (format cbor) of [begin, end) into an
/// owned document. Unlike those two, a failure midway frees the partial DOM through
/// dispose_json(), and a CBOR document is not copied on return (json::from_cbor returns a copy
/// of its local result, whose destruction allocates). Throws nlohmann's parse_error/out_of_range.
template <class Iterator>
JsonDocument parse_json_document(Iterator begin, Iterator end,
                                 nlohmann::json::input_format_t format) {
  JsonDocument doc;
  // nlohmann's own DOM builder (what json::parse and json::from_cbor use), filling `doc`.
  nlohmann::detail::json_sax_dom_parser<nlohmann::json> builder(*doc, true);
  // Errors throw from the builder; false without a throw is not expected, but never a half DOM.
  if (!nlohmann::json::sax_parse(begin, end, &builder, format, true)) {
    throw ParseError("JSON document could not be parsed");
  }
  return doc;
}

}  // namespace claimlens
