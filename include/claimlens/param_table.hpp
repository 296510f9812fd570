// Parameters declared once. Each parameter struct has one ParamTable: a row per JSON key with
// its member, type, accepted values, default and a one-line doc. Parsing (read), to_json
// (write), validation, the error messages and the tables of docs/parameters.md are all made from
// it, so a key cannot be spelled differently in two of them.
//
// A row reads only the JSON type of its key; the accepted values are checked by validate(), so a
// struct built in C++ and one read from JSON meet the same rules with the same messages:
//   'params.n_estimators' must be from 1 to 100000, not 0
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/threads.hpp"

namespace claimlens {

/// One key of a parameter struct S.
template <class S>
struct ParamRow {
  std::string key;
  std::string type;    ///< for the docs: "integer", "number", "boolean", "string", ...
  std::string domain;  ///< accepted values, as messages say them after "must be"
  std::string doc;     ///< one line
  std::function<void(S&, const JsonReader&)> read;  ///< the JSON type only
  std::function<nlohmann::json(const S&)> write;    ///< the value as to_json writes it
  std::function<bool(const S&)> valid;              ///< the member is in `domain`
};

/// A rule between keys: when `valid` fails, '<root>.<key>' `why`.
template <class S>
struct ParamRule {
  std::string key;
  std::string why;
  std::function<bool(const S&)> valid;
};

template <class S>
class ParamTable {
 public:
  /// `root` names the document in messages ("params", "options").
  ParamTable(std::string root, std::vector<ParamRow<S>> rows, std::vector<ParamRule<S>> rules = {})
      : root_(std::move(root)), rows_(std::move(rows)), rules_(std::move(rules)) {}

  const std::string& root() const { return root_; }
  const std::vector<ParamRow<S>>& rows() const { return rows_; }

  /// Missing keys keep S{}'s defaults; unknown keys, wrong types and values out of their domain
  /// are refused with the source's error naming the key's path.
  S read(const JsonReader& r) const {
    std::vector<std::string> keys;
    for (const auto& row : rows_) keys.push_back(row.key);
    r.only_keys(keys);
    S s;
    for (auto it = r.value().begin(); it != r.value().end(); ++it) {
      for (const auto& row : rows_) {
        if (row.key == it.key()) row.read(s, JsonReader(*it, r.member_path(it.key()), r.source()));
      }
    }
    validate(s, r.path(), r.source());
    return s;
  }

  /// Every row's domain, then every rule; the first failure throws naming '<path>.<key>'.
  void validate(const S& s, const std::string& path, JsonSource source) const {
    const auto at = [&](const std::string& key) { return path.empty() ? key : path + "." + key; };
    for (const auto& row : rows_) {
      if (!row.valid(s)) {
        throw_json_error(source, "'" + at(row.key) + "' must be " + row.domain + ", not " +
                                     json_shown(row.write(s)));
      }
    }
    for (const auto& rule : rules_) {
      if (!rule.valid(s)) throw_json_error(source, "'" + at(rule.key) + "' " + rule.why);
    }
  }

  /// Every key, in table order. Built key by key inside an owned document (a DOM that dies
  /// outside dispose_json() allocates: claimlens/json_document.hpp).
  nlohmann::json write(const S& s) const {
    JsonDocument doc(nlohmann::json::object());
    for (const auto& row : rows_) (*doc)[row.key] = row.write(s);
    return std::move(*doc);
  }

  /// The Markdown table of docs/parameters.md.
  std::string markdown() const {
    const S defaults{};
    std::string out =
        "| key | type | default | accepted | meaning |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& row : rows_) {
      out += "| `" + row.key + "` | " + row.type + " | `" + row.write(defaults).dump() + "` | " +
             row.domain + " | " + row.doc + " |\n";
    }
    if (!rules_.empty()) out += "\nBetween keys:\n\n";
    for (const auto& rule : rules_) out += "- `" + rule.key + "` " + rule.why + "\n";
    return out;
  }

 private:
  std::string root_;
  std::vector<ParamRow<S>> rows_;
  std::vector<ParamRule<S>> rules_;
};

// ---- rows for the usual kinds of member ---------------------------------------------------------

/// A member of type T read with one JsonReader getter (its JSON type) and accepted when `ok`.
template <class S, class T, class Ok>
ParamRow<S> value_param(const char* key, const char* type, std::string domain, T S::*m,
                        T (JsonReader::*get)() const, Ok ok, const char* doc) {
  return {key,
          type,
          std::move(domain),
          doc,
          [m, get](S& s, const JsonReader& r) { s.*m = (r.*get)(); },
          [m](const S& s) { return nlohmann::json(s.*m); },
          [m, ok](const S& s) { return ok(s.*m); }};
}

/// The same for a std::optional<T> member, which JSON null resets.
template <class S, class T, class Ok>
ParamRow<S> optional_param(const char* key, const char* type, const std::string& domain,
                           std::optional<T> S::*m, T (JsonReader::*get)() const, Ok ok,
                           const char* doc) {
  return {key,
          std::string(type) + " or null",
          "null or " + domain,
          doc,
          [m, get](S& s, const JsonReader& r) {
            s.*m = r.value().is_null() ? std::nullopt : std::optional<T>((r.*get)());
          },
          [m](const S& s) { return s.*m ? nlohmann::json(*(s.*m)) : nlohmann::json(nullptr); },
          [m, ok](const S& s) { return !(s.*m) || ok(*(s.*m)); }};
}

/// "from lo to hi", or ">= lo" when hi is the type's maximum.
inline std::string integer_domain(long long lo, long long hi) {
  if (hi == std::numeric_limits<int>::max()) return ">= " + std::to_string(lo);
  return "from " + std::to_string(lo) + " to " + std::to_string(hi);
}

template <class S>
ParamRow<S> int_param(const char* key, int S::*m, int lo, int hi, const char* doc) {
  return value_param<S, int>(
      key, "integer", integer_domain(lo, hi), m, &JsonReader::int32,
      [lo, hi](int v) { return v >= lo && v <= hi; }, doc);
}

/// n_jobs, with its one meaning (claimlens/threads.hpp).
template <class S>
ParamRow<S> n_jobs_param(int S::*m) {
  return int_param<S>("n_jobs", m, kMinNJobs, std::numeric_limits<int>::max(), kNJobsDoc);
}

/// An integer or null (std::nullopt).
template <class S>
ParamRow<S> optional_int_param(const char* key, std::optional<int> S::*m, int lo, int hi,
                               const char* doc) {
  return optional_param<S, int>(
      key, "integer", integer_domain(lo, hi), m, &JsonReader::int32,
      [lo, hi](int v) { return v >= lo && v <= hi; }, doc);
}

/// Where a number must lie: finite, above `lo` (or at it, unless lo_open), at most `hi` (below
/// it when hi_open); an infinite hi means no upper bound.
struct NumberDomain {
  double lo;
  bool lo_open;
  double hi;
  bool hi_open;

  bool contains(double x) const {
    return std::isfinite(x) && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  }
  std::string text() const {
    const auto num = [](double v) {  // 0 and 1, not 0.0 and 1.0
      return v == std::floor(v) ? std::to_string(static_cast<long long>(v))
                                : nlohmann::json(v).dump();
    };
    if (std::isinf(hi)) return (lo_open ? "> " : ">= ") + num(lo) + " (finite)";
    return std::string("in ") + (lo_open ? "(" : "[") + num(lo) + ", " + num(hi) +
           (hi_open ? ")" : "]");
  }
};
inline constexpr double kNoBound = std::numeric_limits<double>::infinity();
inline constexpr NumberDomain kPositive{0.0, true, kNoBound, false};
inline constexpr NumberDomain kNonNegative{0.0, false, kNoBound, false};
inline constexpr NumberDomain kUnitFraction{0.0, true, 1.0, false};  // (0, 1]

template <class S>
ParamRow<S> number_param(const char* key, double S::*m, NumberDomain d, const char* doc) {
  return value_param<S, double>(
      key, "number", d.text(), m, &JsonReader::number, [d](double v) { return d.contains(v); },
      doc);
}

/// A number or null (std::nullopt).
template <class S>
ParamRow<S> optional_number_param(const char* key, std::optional<double> S::*m, NumberDomain d,
                                  const char* doc) {
  return optional_param<S, double>(
      key, "number", d.text(), m, &JsonReader::number, [d](double v) { return d.contains(v); },
      doc);
}

template <class S>
ParamRow<S> bool_param(const char* key, bool S::*m, const char* doc) {
  return value_param<S, bool>(
      key, "boolean", "true or false", m, &JsonReader::boolean, [](bool) { return true; }, doc);
}

/// A seed: any integer from 0 to 2^64-1.
template <class S>
ParamRow<S> seed_param(const char* key, std::uint64_t S::*m, const char* doc) {
  return value_param<S, std::uint64_t>(
      key, "integer", "from 0 to 2^64-1", m, &JsonReader::unsigned64,
      [](std::uint64_t) { return true; }, doc);
}

/// An enum spelled as strings; a nullptr name stands for JSON null. Several names may map to
/// one value: to_json writes the first.
template <class S, class E>
ParamRow<S> choice_param(const char* key, E S::*m, std::vector<std::pair<const char*, E>> names,
                         const char* doc) {
  std::string domain;
  std::vector<const char*> spelled;
  bool null = false;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const char* n = names[i].first;
    null = null || n == nullptr;
    domain += std::string(i == 0                  ? ""
                          : i + 1 == names.size() ? " or "
                                                  : ", ") +
              (n ? "\"" + std::string(n) + "\"" : std::string("null"));
    spelled.push_back(n);
  }
  return {
      key,
      null ? "string or null" : "string",
      domain,
      doc,
      [m, names, spelled](S& s, const JsonReader& r) { s.*m = names[r.choice(spelled)].second; },
      [m, names](const S& s) {
        for (const auto& n : names) {
          if (n.second == s.*m) return n.first ? nlohmann::json(n.first) : nlohmann::json();
        }
        return nlohmann::json();
      },
      [](const S&) { return true; }};
}

}  // namespace claimlens

/// Defines S::table() (made once by `make_table`, a function returning ParamTable<S>),
/// S::validate(), S::from_json(json) (root: the table's root, InvalidArgument),
/// S::from_json(JsonReader) and S::to_json(): every member function a parameter struct has.
#define CLAIMLENS_DEFINE_PARAMS(S, make_table)                                            \
  const ::claimlens::ParamTable<S>& S::table() {                                          \
    static const ::claimlens::ParamTable<S> table = make_table();                         \
    return table;                                                                         \
  }                                                                                       \
  void S::validate() const {                                                              \
    table().validate(*this, table().root(), ::claimlens::JsonSource::Parameters);         \
  }                                                                                       \
  S S::from_json(const nlohmann::json& j) {                                               \
    return from_json(                                                                     \
        ::claimlens::JsonReader(j, table().root(), ::claimlens::JsonSource::Parameters)); \
  }                                                                                       \
  S S::from_json(const ::claimlens::JsonReader& r) {                                      \
    return table().read(r);                                                               \
  }                                                                                       \
  nlohmann::json S::to_json() const {                                                     \
    return table().write(*this);                                                          \
  }
