// One typed, immutable column of a DataFrame: int64, float64, string or bool values plus a
// validity bitmap. Nulls live only in the bitmap (never as sentinel values), so an int64 column
// with missing values stays int64 and a null is distinguishable from 0 or "".
//
// Storage is Arrow-like: numbers in one contiguous array, strings as n+1 offsets into one
// contiguous character buffer. Buffers are shared between copies (a Column is immutable), so
// select()/drop() on a frame copy no data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "claimlens/span.hpp"

namespace claimlens {

enum class DType { Int64, Float64, String, Bool };

/// pandas' dtype names: "int64", "float64", "object", "bool".
const char* dtype_name(DType dtype);

namespace detail {
struct ColumnStorage;
class ColumnBuilderAccess;
}  // namespace detail

class Column {
 public:
  /// An empty float64 column.
  Column();

  /// `valid` empty means every row is valid; otherwise it must have values.size() entries.
  static Column from_int64(std::vector<int64_t> values, std::vector<bool> valid = {});
  /// NaN values count as null too (as in pandas).
  static Column from_float64(std::vector<double> values, std::vector<bool> valid = {});
  static Column from_strings(std::vector<std::string> values, std::vector<bool> valid = {});
  static Column from_bool(std::vector<bool> values, std::vector<bool> valid = {});

  DType dtype() const { return dtype_; }
  size_t size() const { return size_; }
  size_t null_count() const { return null_count_; }
  bool is_null(size_t row) const {
    check_row(row);
    return validity_ != nullptr && ((validity_[row >> 6] >> (row & 63)) & 1U) == 0;
  }
  bool is_valid(size_t row) const { return !is_null(row); }

  /// Typed access: SchemaError on the wrong dtype, InvalidArgument on a row out of range. The value
  /// under a null is unspecified (0, NaN or "") but never garbage.
  int64_t int64_at(size_t row) const;
  double float64_at(size_t row) const;
  std::string_view string_at(size_t row) const;
  bool bool_at(size_t row) const;

  /// int64/float64/bool -> double; null -> NaN; string -> SchemaError.
  double as_double(size_t row) const;
  std::vector<double> to_doubles() const;
  /// String column only (SchemaError otherwise); nulls become "" (check is_null).
  std::vector<std::string> to_strings() const;
  /// The validity of every row (true = not null).
  std::vector<bool> validity() const;

  /// Raw contiguous views for fast loops (each SchemaError on the wrong dtype). Strings: row i is
  /// string_chars().substr(string_offsets()[i], string_offsets()[i+1] - string_offsets()[i]).
  Span<const int64_t> int64_values() const;
  Span<const double> float64_values() const;
  Span<const uint8_t> bool_values() const;
  Span<const uint64_t> string_offsets() const;
  std::string_view string_chars() const;

  /// Gather rows (InvalidArgument when an index is out of range).
  Column take(Span<const size_t> rows) const;
  /// Keep rows whose mask entry is true (InvalidArgument on a length mismatch).
  Column filter(const std::vector<bool>& mask) const;

  /// Same dtype, same length, same nulls and equal values (NaN-free by construction).
  bool equals(const Column& other) const;

  /// Bytes held by the buffers (values, offsets, characters, bitmap).
  size_t memory_usage() const;

 private:
  friend class ColumnBuilder;
  void check_row(size_t row) const;
  void check_dtype(DType expected, const char* accessor) const;
  void bind(std::shared_ptr<const detail::ColumnStorage> storage);

  std::shared_ptr<const detail::ColumnStorage> storage_;
  DType dtype_ = DType::Float64;
  size_t size_ = 0;
  size_t null_count_ = 0;
  const void* values_ = nullptr;        // int64_t / double / uint8_t array by dtype
  const uint64_t* offsets_ = nullptr;   // strings: size_ + 1 offsets
  const char* chars_ = nullptr;         // strings: the character buffer
  const uint64_t* validity_ = nullptr;  // bit i set = row i valid; nullptr = all valid
};

/// Appends values of one dtype and produces an immutable Column; growth uses realloc so large
/// buffers are remapped rather than copied (keeps peak memory near the final size).
class ColumnBuilder {
 public:
  explicit ColumnBuilder(DType dtype);
  ~ColumnBuilder();
  ColumnBuilder(ColumnBuilder&&) noexcept;
  ColumnBuilder& operator=(ColumnBuilder&&) noexcept;
  ColumnBuilder(const ColumnBuilder&) = delete;
  ColumnBuilder& operator=(const ColumnBuilder&) = delete;

  DType dtype() const;
  size_t size() const;
  /// Characters appended so far (string builders; 0 otherwise).
  size_t chars() const;
  /// Hint for the final row count and (strings) character count.
  void reserve(size_t rows, size_t chars = 0);

  void append_null();
  void append_int64(int64_t value);
  void append_float64(double value);  // NaN is appended as null
  void append_string(std::string_view value);
  void append_bool(bool value);
  /// Append row `row` of `source`, which must have this builder's dtype.
  void append_from(const Column& source, size_t row);
  /// Appends every row of `other`, which must have this builder's dtype, and leaves `other`
  /// empty (cleared; for columns built in parts, e.g. blocks of a file read in parallel).
  void append_builder(ColumnBuilder& other);
  /// Removes every row, keeping the buffers' capacity for the rows to come.
  void clear();

  /// Converts collected int64 values to float64 in place (exact up to 2^53, as pandas).
  void convert_int64_to_float64();

  Column finish();

 private:
  friend class detail::ColumnBuilderAccess;
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace claimlens
