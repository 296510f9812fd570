// Column and ColumnBuilder.
#include "claimlens/dataframe/column.hpp"

#include <cmath>
#include <limits>

#include "claimlens/error.hpp"
#include "column_storage.hpp"

namespace claimlens {

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::Int64:
      return "int64";
    case DType::Float64:
      return "float64";
    case DType::String:
      return "object";
    case DType::Bool:
      return "bool";
  }
  return "unknown";
}

// ---------------------------------------------------------------------------------------------
// ColumnBuilder

struct ColumnBuilder::State {
  std::unique_ptr<detail::ColumnStorage> storage = std::make_unique<detail::ColumnStorage>();
};

ColumnBuilder::ColumnBuilder(DType dtype) : state_(std::make_unique<State>()) {
  state_->storage->dtype = dtype;
  if (dtype == DType::String) state_->storage->offsets.push_back(0);
}
ColumnBuilder::~ColumnBuilder() = default;
ColumnBuilder::ColumnBuilder(ColumnBuilder&&) noexcept = default;
ColumnBuilder& ColumnBuilder::operator=(ColumnBuilder&&) noexcept = default;

DType ColumnBuilder::dtype() const {
  return state_->storage->dtype;
}
size_t ColumnBuilder::size() const {
  return state_->storage->size;
}
size_t ColumnBuilder::chars() const {
  return state_->storage->chars.size();
}

void ColumnBuilder::reserve(size_t rows, size_t chars) {
  auto& s = *state_->storage;
  switch (s.dtype) {
    case DType::Int64:
      s.ints.reserve(rows);
      break;
    case DType::Float64:
      s.doubles.reserve(rows);
      break;
    case DType::Bool:
      s.bools.reserve(rows);
      break;
    case DType::String:
      s.offsets.reserve(rows + 1);
      s.chars.reserve(chars);
      break;
  }
}

using detail::set_validity;

detail::ColumnStorage& detail::ColumnBuilderAccess::storage(ColumnBuilder& builder) {
  return *builder.state_->storage;
}

void ColumnBuilder::append_null() {
  auto& s = *state_->storage;
  set_validity(s, s.size, false);
  switch (s.dtype) {
    case DType::Int64:
      s.ints.push_back(0);
      break;
    case DType::Float64:
      s.doubles.push_back(std::numeric_limits<double>::quiet_NaN());
      break;
    case DType::Bool:
      s.bools.push_back(0);
      break;
    case DType::String:
      s.offsets.push_back(s.chars.size());
      break;
  }
  ++s.size;
}

void ColumnBuilder::append_int64(int64_t value) {
  auto& s = *state_->storage;
  if (s.dtype != DType::Int64)
    throw SchemaError("ColumnBuilder: append_int64 on a non-int64 column");
  set_validity(s, s.size, true);
  s.ints.push_back(value);
  ++s.size;
}

void ColumnBuilder::append_float64(double value) {
  auto& s = *state_->storage;
  if (s.dtype != DType::Float64) {
    throw SchemaError("ColumnBuilder: append_float64 on a non-float64 column");
  }
  if (std::isnan(value)) {
    append_null();
    return;
  }
  set_validity(s, s.size, true);
  s.doubles.push_back(value);
  ++s.size;
}

void ColumnBuilder::append_string(std::string_view value) {
  auto& s = *state_->storage;
  if (s.dtype != DType::String) {
    throw SchemaError("ColumnBuilder: append_string on a non-string column");
  }
  set_validity(s, s.size, true);
  s.chars.append(value.data(), value.size());
  s.offsets.push_back(s.chars.size());
  ++s.size;
}

void ColumnBuilder::append_bool(bool value) {
  auto& s = *state_->storage;
  if (s.dtype != DType::Bool) throw SchemaError("ColumnBuilder: append_bool on a non-bool column");
  set_validity(s, s.size, true);
  s.bools.push_back(value ? 1 : 0);
  ++s.size;
}

void ColumnBuilder::append_from(const Column& source, size_t row) {
  if (source.dtype() != dtype()) {
    throw SchemaError(std::string("ColumnBuilder: cannot append a ") + dtype_name(source.dtype()) +
                      " value to a " + dtype_name(dtype()) + " column");
  }
  if (source.is_null(row)) {
    append_null();
    return;
  }
  switch (source.dtype()) {
    case DType::Int64:
      append_int64(source.int64_at(row));
      break;
    case DType::Float64:
      append_float64(source.float64_at(row));
      break;
    case DType::Bool:
      append_bool(source.bool_at(row));
      break;
    case DType::String:
      append_string(source.string_at(row));
      break;
  }
}

namespace {
// Appends bits [0, n) of `from` (a validity bitmap; empty = all set) after bit `at` of `to`.
void append_validity(detail::PodBuffer<uint64_t>& to, size_t at,
                     const detail::PodBuffer<uint64_t>& from, size_t n) {
  const size_t words = (at + n + 63) >> 6;
  to.resize(words, ~uint64_t{0});
  if (from.empty()) return;
  const size_t shift = at & 63;
  for (size_t w = 0; w < from.size(); ++w) {
    const uint64_t bits = from[w];
    const size_t dst = (at >> 6) + w;
    if (shift == 0) {
      to[dst] = bits;
      continue;
    }
    // Bits below `shift` of the first word belong to rows already there: keep them.
    to[dst] = (to[dst] & ((uint64_t{1} << shift) - 1)) | (bits << shift);
    // The high bits stay set (valid) for rows not appended yet, as set_validity leaves them.
    if (dst + 1 < words) to[dst + 1] = (bits >> (64 - shift)) | (~uint64_t{0} << shift);
  }
}
}  // namespace

void ColumnBuilder::append_builder(ColumnBuilder& other) {
  if (other.dtype() != dtype()) {
    throw SchemaError(std::string("ColumnBuilder: cannot append a ") + dtype_name(other.dtype()) +
                      " column to a " + dtype_name(dtype()) + " column");
  }
  auto& s = *state_->storage;
  auto& o = *other.state_->storage;
  if (s.validity.empty() && o.validity.empty()) {
    // All valid on both sides: no bitmap to keep.
  } else {
    append_validity(s.validity, s.size, o.validity, o.size);
  }
  switch (s.dtype) {
    case DType::Int64:
      s.ints.append(o.ints.data(), o.ints.size());
      break;
    case DType::Float64:
      s.doubles.append(o.doubles.data(), o.doubles.size());
      break;
    case DType::Bool:
      s.bools.append(o.bools.data(), o.bools.size());
      break;
    case DType::String: {
      const uint64_t base = s.chars.size();
      s.chars.append(o.chars.data(), o.chars.size());
      s.offsets.reserve(s.offsets.size() + o.size);
      for (size_t i = 1; i <= o.size; ++i) s.offsets.push_back(base + o.offsets[i]);
      break;
    }
  }
  s.size += o.size;
  s.null_count += o.null_count;
  other.clear();
}

void ColumnBuilder::clear() {
  auto& s = *state_->storage;
  s.size = 0;
  s.null_count = 0;
  s.ints.clear();
  s.doubles.clear();
  s.bools.clear();
  s.offsets.clear();
  s.chars.clear();
  s.validity.clear();
  if (s.dtype == DType::String) s.offsets.push_back(0);
}

void ColumnBuilder::convert_int64_to_float64() {
  auto& s = *state_->storage;
  if (s.dtype != DType::Int64) throw SchemaError("ColumnBuilder: only int64 converts to float64");
  s.doubles.reserve(s.ints.size() + s.ints.size() / 4 + 16);
  for (size_t i = 0; i < s.ints.size(); ++i) {
    bool null = !s.validity.empty() && ((s.validity[i >> 6] >> (i & 63)) & 1U) == 0;
    s.doubles.push_back(null ? std::numeric_limits<double>::quiet_NaN()
                             : static_cast<double>(s.ints[i]));
  }
  s.ints = detail::PodBuffer<int64_t>();
  s.dtype = DType::Float64;
}

Column ColumnBuilder::finish() {
  auto& s = *state_->storage;
  s.ints.shrink_to_fit();
  s.doubles.shrink_to_fit();
  s.bools.shrink_to_fit();
  s.offsets.shrink_to_fit();
  s.chars.shrink_to_fit();
  if (s.null_count == 0) s.validity = detail::PodBuffer<uint64_t>();
  Column column;
  column.bind(std::shared_ptr<const detail::ColumnStorage>(std::move(state_->storage)));
  state_->storage = std::make_unique<detail::ColumnStorage>();
  state_->storage->dtype = column.dtype();
  if (column.dtype() == DType::String) state_->storage->offsets.push_back(0);
  return column;
}

// ---------------------------------------------------------------------------------------------
// Column

Column::Column() {
  bind(std::make_shared<detail::ColumnStorage>());
}

void Column::bind(std::shared_ptr<const detail::ColumnStorage> storage) {
  storage_ = std::move(storage);
  const auto& s = *storage_;
  dtype_ = s.dtype;
  size_ = s.size;
  null_count_ = s.null_count;
  values_ = nullptr;
  offsets_ = nullptr;
  chars_ = nullptr;
  switch (dtype_) {
    case DType::Int64:
      values_ = s.ints.data();
      break;
    case DType::Float64:
      values_ = s.doubles.data();
      break;
    case DType::Bool:
      values_ = s.bools.data();
      break;
    case DType::String:
      offsets_ = s.offsets.data();
      chars_ = s.chars.data();
      break;
  }
  validity_ = s.validity.empty() ? nullptr : s.validity.data();
}

namespace {
void check_valid_length(size_t values, const std::vector<bool>& valid, const char* factory) {
  if (!valid.empty() && valid.size() != values) {
    throw InvalidArgument(std::string("Column::") + factory + ": valid has " +
                          std::to_string(valid.size()) + " entries for " + std::to_string(values) +
                          " values");
  }
}
}  // namespace

Column Column::from_int64(std::vector<int64_t> values, std::vector<bool> valid) {
  check_valid_length(values.size(), valid, "from_int64");
  ColumnBuilder b(DType::Int64);
  b.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (valid.empty() || valid[i]) {
      b.append_int64(values[i]);
    } else {
      b.append_null();
    }
  }
  return b.finish();
}

Column Column::from_float64(std::vector<double> values, std::vector<bool> valid) {
  check_valid_length(values.size(), valid, "from_float64");
  ColumnBuilder b(DType::Float64);
  b.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (valid.empty() || valid[i]) {
      b.append_float64(values[i]);
    } else {
      b.append_null();
    }
  }
  return b.finish();
}

Column Column::from_strings(std::vector<std::string> values, std::vector<bool> valid) {
  check_valid_length(values.size(), valid, "from_strings");
  size_t chars = 0;
  for (const auto& v : values) chars += v.size();
  ColumnBuilder b(DType::String);
  b.reserve(values.size(), chars);
  for (size_t i = 0; i < values.size(); ++i) {
    if (valid.empty() || valid[i]) {
      b.append_string(values[i]);
    } else {
      b.append_null();
    }
  }
  return b.finish();
}

Column Column::from_bool(std::vector<bool> values, std::vector<bool> valid) {
  check_valid_length(values.size(), valid, "from_bool");
  ColumnBuilder b(DType::Bool);
  b.reserve(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    if (valid.empty() || valid[i]) {
      b.append_bool(values[i]);
    } else {
      b.append_null();
    }
  }
  return b.finish();
}

void Column::check_row(size_t row) const {
  if (row >= size_) {
    throw InvalidArgument("Column: row " + std::to_string(row) + " out of range for a column of " +
                          std::to_string(size_) + " rows");
  }
}

void Column::check_dtype(DType expected, const char* accessor) const {
  if (dtype_ != expected) {
    throw SchemaError(std::string("Column::") + accessor + ": the column is " + dtype_name(dtype_) +
                      ", not " + dtype_name(expected));
  }
}

int64_t Column::int64_at(size_t row) const {
  check_dtype(DType::Int64, "int64_at");
  check_row(row);
  return static_cast<const int64_t*>(values_)[row];
}

double Column::float64_at(size_t row) const {
  check_dtype(DType::Float64, "float64_at");
  check_row(row);
  return static_cast<const double*>(values_)[row];
}

std::string_view Column::string_at(size_t row) const {
  check_dtype(DType::String, "string_at");
  check_row(row);
  return std::string_view(chars_ + offsets_[row], offsets_[row + 1] - offsets_[row]);
}

bool Column::bool_at(size_t row) const {
  check_dtype(DType::Bool, "bool_at");
  check_row(row);
  return static_cast<const uint8_t*>(values_)[row] != 0;
}

double Column::as_double(size_t row) const {
  if (is_null(row)) {
    if (dtype_ == DType::String) check_dtype(DType::Float64, "as_double");
    return std::numeric_limits<double>::quiet_NaN();
  }
  switch (dtype_) {
    case DType::Int64:
      return static_cast<double>(static_cast<const int64_t*>(values_)[row]);
    case DType::Float64:
      return static_cast<const double*>(values_)[row];
    case DType::Bool:
      return static_cast<const uint8_t*>(values_)[row] ? 1.0 : 0.0;
    case DType::String:
      break;
  }
  throw SchemaError("Column::as_double: a string (object) column has no numeric values");
}

std::vector<double> Column::to_doubles() const {
  if (dtype_ == DType::String) {
    throw SchemaError("Column::to_doubles: a string (object) column has no numeric values");
  }
  std::vector<double> out(size_);
  for (size_t i = 0; i < size_; ++i) out[i] = as_double(i);
  return out;
}

std::vector<std::string> Column::to_strings() const {
  check_dtype(DType::String, "to_strings");
  std::vector<std::string> out(size_);
  for (size_t i = 0; i < size_; ++i) out[i] = std::string(string_at(i));
  return out;
}

std::vector<bool> Column::validity() const {
  std::vector<bool> out(size_);
  for (size_t i = 0; i < size_; ++i) out[i] = !is_null(i);
  return out;
}

Span<const int64_t> Column::int64_values() const {
  check_dtype(DType::Int64, "int64_values");
  return Span<const int64_t>(static_cast<const int64_t*>(values_), size_);
}
Span<const double> Column::float64_values() const {
  check_dtype(DType::Float64, "float64_values");
  return Span<const double>(static_cast<const double*>(values_), size_);
}
Span<const uint8_t> Column::bool_values() const {
  check_dtype(DType::Bool, "bool_values");
  return Span<const uint8_t>(static_cast<const uint8_t*>(values_), size_);
}
Span<const uint64_t> Column::string_offsets() const {
  check_dtype(DType::String, "string_offsets");
  return Span<const uint64_t>(offsets_, size_ + 1);
}
std::string_view Column::string_chars() const {
  check_dtype(DType::String, "string_chars");
  return std::string_view(chars_, offsets_[size_]);
}

Column Column::take(Span<const size_t> rows) const {
  ColumnBuilder b(dtype_);
  size_t chars = 0;
  if (dtype_ == DType::String) {
    for (size_t r : rows) {
      check_row(r);
      chars += offsets_[r + 1] - offsets_[r];
    }
  }
  b.reserve(rows.size(), chars);
  for (size_t r : rows) b.append_from(*this, r);
  return b.finish();
}

Column Column::filter(const std::vector<bool>& mask) const {
  if (mask.size() != size_) {
    throw InvalidArgument("Column::filter: mask has " + std::to_string(mask.size()) +
                          " entries for a column of " + std::to_string(size_) + " rows");
  }
  std::vector<size_t> rows;
  for (size_t i = 0; i < size_; ++i) {
    if (mask[i]) rows.push_back(i);
  }
  return take(rows);
}

bool Column::equals(const Column& other) const {
  if (dtype_ != other.dtype_ || size_ != other.size_ || null_count_ != other.null_count_) {
    return false;
  }
  for (size_t i = 0; i < size_; ++i) {
    bool null = is_null(i);
    if (null != other.is_null(i)) return false;
    if (null) continue;
    switch (dtype_) {
      case DType::Int64:
        if (int64_at(i) != other.int64_at(i)) return false;
        break;
      case DType::Float64:
        if (float64_at(i) != other.float64_at(i)) return false;
        break;
      case DType::Bool:
        if (bool_at(i) != other.bool_at(i)) return false;
        break;
      case DType::String:
        if (string_at(i) != other.string_at(i)) return false;
        break;
    }
  }
  return true;
}

size_t Column::memory_usage() const {
  const auto& s = *storage_;
  return s.ints.capacity_bytes() + s.doubles.capacity_bytes() + s.bools.capacity_bytes() +
         s.offsets.capacity_bytes() + s.chars.capacity_bytes() + s.validity.capacity_bytes();
}

}  // namespace claimlens
