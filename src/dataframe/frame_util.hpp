// Internal helpers shared by the DataFrame operations.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <string_view>

#include "claimlens/dataframe/column.hpp"

namespace claimlens::detail {

/// Three-way compare of rows a and b of one column; a null sorts after every value and equals a
/// null (so sorting puts nulls last and duplicate detection treats nulls as equal, as pandas).
inline int compare_rows(const Column& c, size_t a, size_t b) {
  bool an = c.is_null(a), bn = c.is_null(b);
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  switch (c.dtype()) {
    case DType::Int64: {
      int64_t x = c.int64_at(a), y = c.int64_at(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case DType::Float64: {
      double x = c.float64_at(a), y = c.float64_at(b);
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case DType::Bool: {
      int x = c.bool_at(a), y = c.bool_at(b);
      return x - y;
    }
    case DType::String: {
      int r = c.string_at(a).compare(c.string_at(b));  // UTF-8 bytes: code point order
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
  }
  return 0;
}

inline uint64_t hash_combine(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

inline uint64_t hash_value(const Column& c, size_t row) {
  if (c.is_null(row)) return 0x5bd1e995ULL;
  switch (c.dtype()) {
    case DType::Int64:
      return std::hash<int64_t>()(c.int64_at(row));
    case DType::Float64: {
      double d = c.float64_at(row);
      if (d == 0) d = 0;  // -0.0 == 0.0
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof bits);
      return std::hash<uint64_t>()(bits);
    }
    case DType::Bool:
      return c.bool_at(row) ? 0x1234567ULL : 0x7654321ULL;
    case DType::String:
      return std::hash<std::string_view>()(c.string_at(row));
  }
  return 0;
}

}  // namespace claimlens::detail
