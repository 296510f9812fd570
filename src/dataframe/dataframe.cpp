// DataFrame: structure, row selection, sorting and duplicates.
#include "claimlens/dataframe/dataframe.hpp"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <unordered_map>

#include "claimlens/error.hpp"
#include "frame_util.hpp"

namespace claimlens {

size_t DataFrame::find(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return SIZE_MAX;
}

std::vector<DType> DataFrame::dtypes() const {
  std::vector<DType> out;
  for (const auto& c : columns_) out.push_back(c.dtype());
  return out;
}

bool DataFrame::has_column(const std::string& name) const {
  return find(name) != SIZE_MAX;
}

const Column& DataFrame::column(const std::string& name) const {
  size_t i = find(name);
  if (i == SIZE_MAX) throw SchemaError("DataFrame: no column named '" + name + "'");
  return columns_[i];
}

const Column& DataFrame::column(size_t index) const {
  if (index >= columns_.size()) {
    throw InvalidArgument("DataFrame: column index " + std::to_string(index) +
                          " out of range for " + std::to_string(columns_.size()) + " columns");
  }
  return columns_[index];
}

void DataFrame::add_column(const std::string& name, Column column) {
  if (has_column(name)) {
    throw InvalidArgument("DataFrame::add_column: a column named '" + name + "' already exists");
  }
  if (columns_.empty() && index_.empty()) {
    num_rows_ = column.size();
  } else if (column.size() != num_rows_) {
    throw InvalidArgument("DataFrame::add_column: column '" + name + "' has " +
                          std::to_string(column.size()) + " rows, the frame has " +
                          std::to_string(num_rows_));
  }
  names_.push_back(name);
  columns_.push_back(std::move(column));
}

void DataFrame::set_column(const std::string& name, Column column) {
  size_t i = find(name);
  if (i == SIZE_MAX) {
    add_column(name, std::move(column));
    return;
  }
  if (column.size() != num_rows_) {
    throw InvalidArgument("DataFrame::set_column: column '" + name + "' has " +
                          std::to_string(column.size()) + " rows, the frame has " +
                          std::to_string(num_rows_));
  }
  columns_[i] = std::move(column);
}

DataFrame DataFrame::select(const std::vector<std::string>& names) const {
  DataFrame out;
  out.num_rows_ = num_rows_;
  out.index_ = index_;
  out.range_index_ = range_index_;
  for (const auto& n : names) {
    const Column& c = column(n);
    if (out.has_column(n)) {
      throw InvalidArgument("DataFrame::select: column '" + n + "' is listed twice");
    }
    out.names_.push_back(n);
    out.columns_.push_back(c);
  }
  return out;
}

DataFrame DataFrame::drop(const std::vector<std::string>& names) const {
  for (const auto& n : names) column(n);  // SchemaError for an unknown name, as pandas' KeyError
  DataFrame out;
  out.num_rows_ = num_rows_;
  out.index_ = index_;
  out.range_index_ = range_index_;
  for (size_t i = 0; i < names_.size(); ++i) {
    if (std::find(names.begin(), names.end(), names_[i]) == names.end()) {
      out.names_.push_back(names_[i]);
      out.columns_.push_back(columns_[i]);
    }
  }
  return out;
}

const std::vector<size_t>& DataFrame::index() const {
  if (index_.size() != num_rows_) {
    index_.resize(num_rows_);
    std::iota(index_.begin(), index_.end(), size_t{0});
  }
  return index_;
}

DataFrame DataFrame::with_rows(Span<const size_t> rows) const {
  for (size_t r : rows) {
    if (r >= num_rows_) {
      throw InvalidArgument("DataFrame::take: row " + std::to_string(r) +
                            " out of range for a frame of " + std::to_string(num_rows_) + " rows");
    }
  }
  DataFrame out;
  out.names_ = names_;
  out.num_rows_ = rows.size();
  out.columns_.reserve(columns_.size());
  for (const auto& c : columns_) out.columns_.push_back(c.take(rows));
  const auto& labels = index();
  out.index_.reserve(rows.size());
  for (size_t r : rows) out.index_.push_back(labels[r]);
  out.range_index_ = false;  // pandas: a take/mask gives an Int64Index
  return out;
}

DataFrame DataFrame::take(Span<const size_t> rows) const {
  return with_rows(rows);
}

DataFrame DataFrame::filter(const std::vector<bool>& mask) const {
  if (mask.size() != num_rows_) {
    throw InvalidArgument("DataFrame::filter: mask has " + std::to_string(mask.size()) +
                          " entries for a frame of " + std::to_string(num_rows_) + " rows");
  }
  std::vector<size_t> rows;
  for (size_t i = 0; i < num_rows_; ++i) {
    if (mask[i]) rows.push_back(i);
  }
  return with_rows(rows);
}

DataFrame DataFrame::dropna() const {
  return dropna(names_);
}

DataFrame DataFrame::dropna(const std::vector<std::string>& subset) const {
  std::vector<bool> keep(num_rows_, true);
  for (const auto& n : subset) {
    const Column& c = column(n);
    if (c.null_count() == 0) continue;
    for (size_t i = 0; i < num_rows_; ++i) {
      if (c.is_null(i)) keep[i] = false;
    }
  }
  return filter(keep);
}

DataFrame DataFrame::head(size_t n) const {
  std::vector<size_t> rows(std::min(n, num_rows_));
  std::iota(rows.begin(), rows.end(), size_t{0});
  DataFrame out = with_rows(rows);
  out.range_index_ = range_index_;  // slicing keeps a RangeIndex
  return out;
}

DataFrame DataFrame::tail(size_t n) const {
  size_t k = std::min(n, num_rows_);
  std::vector<size_t> rows(k);
  std::iota(rows.begin(), rows.end(), num_rows_ - k);
  DataFrame out = with_rows(rows);
  out.range_index_ = range_index_;
  return out;
}

std::vector<size_t> DataFrame::null_counts() const {
  std::vector<size_t> out;
  for (const auto& c : columns_) out.push_back(c.null_count());
  return out;
}

std::vector<size_t> DataFrame::argsort(const std::vector<std::string>& by,
                                       const std::vector<bool>& ascending) const {
  if (!ascending.empty() && ascending.size() != by.size()) {
    throw InvalidArgument("DataFrame::sort_values: " + std::to_string(by.size()) + " columns but " +
                          std::to_string(ascending.size()) + " ascending flags");
  }
  std::vector<const Column*> keys;
  for (const auto& n : by) keys.push_back(&column(n));
  std::vector<size_t> order(num_rows_);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    for (size_t k = 0; k < keys.size(); ++k) {
      int c = detail::compare_rows(*keys[k], a, b);  // nulls last whatever the direction
      if (c == 0) continue;
      bool a_null = keys[k]->is_null(a), b_null = keys[k]->is_null(b);
      if (a_null || b_null) return b_null;
      bool asc = ascending.empty() || ascending[k];
      return asc ? c < 0 : c > 0;
    }
    return false;
  });
  return order;
}

DataFrame DataFrame::sort_values(const std::vector<std::string>& by,
                                 const std::vector<bool>& ascending) const {
  return with_rows(argsort(by, ascending));
}

DataFrame DataFrame::sort_values(const std::string& by, bool ascending) const {
  return sort_values(std::vector<std::string>{by}, std::vector<bool>{ascending});
}

std::vector<bool> DataFrame::duplicated() const {
  std::vector<bool> out(num_rows_, false);
  std::unordered_map<uint64_t, std::vector<size_t>> seen;
  seen.reserve(num_rows_);
  for (size_t r = 0; r < num_rows_; ++r) {
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (const auto& c : columns_) h = detail::hash_combine(h, detail::hash_value(c, r));
    auto& bucket = seen[h];
    for (size_t earlier : bucket) {
      bool same = true;
      for (const auto& c : columns_) {
        if (detail::compare_rows(c, earlier, r) != 0) {
          same = false;
          break;
        }
      }
      if (same) {
        out[r] = true;
        break;
      }
    }
    if (!out[r]) bucket.push_back(r);
  }
  return out;
}

size_t DataFrame::duplicated_count() const {
  auto d = duplicated();
  return static_cast<size_t>(std::count(d.begin(), d.end(), true));
}

}  // namespace claimlens
