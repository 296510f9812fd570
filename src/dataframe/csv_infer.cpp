// read_csv's field classification and header checks (csv_infer.hpp).
#include "csv_infer.hpp"

#include <charconv>
#include <cmath>
#include <unordered_map>

#include "claimlens/error.hpp"

namespace claimlens::detail {

namespace {

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// A name for a one-line error message: control bytes (a quoted line break...) as \xNN.
std::string for_message(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

// An optional '-' and 1-18 decimal digits (no overflow possible) into `out`: the common case,
// a few times cheaper than from_chars' general path, with the same result.
bool parse_short_integer(std::string_view s, int64_t& out) {
  const bool negative = !s.empty() && s[0] == '-';
  const size_t digits = s.size() - (negative ? 1 : 0);
  if (digits == 0 || digits > 18) return false;
  uint64_t value = 0;
  for (size_t i = negative ? 1 : 0; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - static_cast<unsigned>('0');
    if (d > 9) return false;
    value = value * 10 + d;
  }
  out = negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
  return true;
}

}  // namespace

Value classify(std::string_view raw) {
  Value v;
  if (parse_short_integer(raw, v.i)) {
    v.kind = Kind::Int;
    return v;
  }
  std::string_view s = trim_spaces(raw);
  if (s.empty()) return v;
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (*first == '+' && s.size() > 1 && first[1] != '-' && first[1] != '+') ++first;
  if ((*first >= '0' && *first <= '9') || *first == '-') {
    auto [end, ec] = std::from_chars(first, last, v.i);
    if (ec == std::errc() && end == last) {
      v.kind = Kind::Int;
      return v;
    }
  }
  auto [end, ec] = std::from_chars(first, last, v.d);
  if (ec == std::errc() && end == last && !std::isnan(v.d)) {
    v.kind = Kind::Float;
    return v;
  }
  if (ec == std::errc::result_out_of_range && end == last) {  // beyond double: pandas gives inf
    v.kind = Kind::Float;
    v.d = (*first == '-') ? -HUGE_VAL : HUGE_VAL;
    bool tiny = false;  // underflow: from_chars reports out of range too; the value is ~0
    for (const char* c = first; c < last; ++c) {
      if (*c == 'e' || *c == 'E') tiny = (c + 1 < last && c[1] == '-');
    }
    if (tiny) v.d = (*first == '-') ? -0.0 : 0.0;
    return v;
  }
  // pandas' default true/false spellings.
  if (raw == "True" || raw == "TRUE" || raw == "true") {
    v.kind = Kind::Bool;
    v.b = true;
  } else if (raw == "False" || raw == "FALSE" || raw == "false") {
    v.kind = Kind::Bool;
    v.b = false;
  }
  return v;
}

void InferringColumn::absorb(InferringColumn& block) {
  take(block);
  block.reset();
}

void InferringColumn::take(InferringColumn& block) {
  if (state_ == State::Rescan) return;
  switch (block.state_) {
    case State::Rescan:
      to_rescan();
      return;
    case State::Empty:
      if (state_ == State::Empty) {
        leading_nulls_ += block.leading_nulls_;
      } else {
        for (size_t i = 0; i < block.leading_nulls_; ++i) builder_->append_null();
      }
      return;
    case State::Typed:
      break;
  }
  ColumnBuilder& rows = *block.builder_;
  if (state_ == State::Empty) start(rows.dtype());
  const DType here = builder_->dtype();
  if (here == DType::Int64 && rows.dtype() == DType::Float64) {
    builder_->convert_int64_to_float64();
  } else if (here == DType::Float64 && rows.dtype() == DType::Int64) {
    rows.convert_int64_to_float64();
  }
  if (builder_->dtype() == rows.dtype()) {
    builder_->append_builder(rows);
  } else {
    to_rescan();
  }
}

void throw_invalid_utf8(const std::string& source, size_t line, size_t field, size_t offset) {
  throw ParseError(csv_location(source, line, field) + "not valid UTF-8 (invalid byte at offset " +
                   std::to_string(offset) + " of the field)");
}

std::vector<std::string> header_names(const CsvField* fields, size_t count,
                                      const std::string& source) {
  std::vector<std::string> names(count);
  std::string scratch;
  for (size_t i = 0; i < count; ++i) {
    check_utf8(fields[i], source, 1, i);
    detail::unescape_into(fields[i], scratch);
    names[i] = scratch.empty() ? "Unnamed: " + std::to_string(i) : scratch;
    // Names are C strings in the C ABI: one with a NUL byte could never be looked up
    // (found by fuzz_read_csv, tests/fuzz/regressions/read_csv/).
    if (names[i].find('\0') != std::string::npos) {
      throw ParseError(csv_location(source, 1, i + 1) + "column name '" + for_message(names[i]) +
                       "' has a NUL byte");
    }
  }
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < count; ++i) {
    auto [it, fresh] = seen.emplace(names[i], i);
    if (!fresh) {
      throw ParseError(csv_location(source, 1, i + 1) + "duplicate column name '" +
                       for_message(names[i]) + "' (also field " + std::to_string(it->second + 1) +
                       ")");
    }
  }
  return names;
}

}  // namespace claimlens::detail
