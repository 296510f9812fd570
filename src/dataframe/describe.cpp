// describe(), value_counts(), info() and to_string(), printed as pandas 1.5 prints them.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <unordered_map>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "frame_util.hpp"
#include "summary.hpp"

namespace claimlens {

namespace {

// pandas' pprint_thing with escape_chars=("\t", "\r", "\n").
std::string escape_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

bool is_numeric(DType d) {
  return d != DType::String;
}

// One column's cells as a pandas frame shows them (leading space, as with an index).
std::vector<std::string> format_cells(const Column& c) {
  const size_t n = c.size();
  if (c.dtype() == DType::Float64) {
    return detail::format_float_column(c.to_doubles(), c.validity());
  }
  std::vector<std::string> out(n);
  for (size_t i = 0; i < n; ++i) {
    if (c.is_null(i)) {
      out[i] = c.dtype() == DType::String ? " NaN" : "NaN";
      continue;
    }
    switch (c.dtype()) {
      case DType::Int64:
        out[i] =
            c.int64_at(i) < 0 ? std::to_string(c.int64_at(i)) : " " + std::to_string(c.int64_at(i));
        break;
      case DType::Bool:
        out[i] = c.bool_at(i) ? " True" : " False";
        break;
      case DType::String:
        out[i] = " " + escape_text(c.string_at(i));
        break;
      case DType::Float64:
        break;
    }
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

// Python's sys.getsizeof(int) for the small ints a RangeIndex holds.
size_t py_int_size(size_t v) {
  return v < (size_t{1} << 30) ? 28 : (v < (size_t{1} << 60) ? 32 : 36);
}

// pandas' _sizeof_fmt: "%3.1f{qualifier} {unit}".
std::string sizeof_fmt(double num, const std::string& qualifier) {
  for (const char* unit : {"bytes", "KB", "MB", "GB", "TB"}) {
    if (num < 1024.0) {
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, num, std::chars_format::fixed, 1);
      return std::string(buf, r.ptr) + qualifier + " " + unit;
    }
    num /= 1024.0;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, num, std::chars_format::fixed, 1);
  return std::string(buf, r.ptr) + qualifier + " PB";
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// describe

Description DataFrame::describe() const {
  Description out;
  for (size_t c = 0; c < columns_.size(); ++c) {
    const Column& col = columns_[c];
    if (col.dtype() != DType::Int64 && col.dtype() != DType::Float64) continue;
    std::vector<double> values = col.to_doubles();  // nulls as NaN, as pandas' float64 view
    std::vector<double> sorted;
    sorted.reserve(values.size());
    for (double v : values) {
      if (!std::isnan(v)) sorted.push_back(v);
    }
    std::sort(sorted.begin(), sorted.end());
    ColumnDescription d;
    d.name = names_[c];
    d.count = static_cast<double>(sorted.size());
    d.mean = detail::nan_mean(values);
    d.std = detail::nan_std(values, 1);
    const double nan = std::nan("");
    d.min = sorted.empty() ? nan : sorted.front();
    d.q25 = detail::quantile_sorted(sorted, 0.25);
    d.q50 = detail::quantile_sorted(sorted, 0.5);
    d.q75 = detail::quantile_sorted(sorted, 0.75);
    d.max = sorted.empty() ? nan : sorted.back();
    out.columns.push_back(std::move(d));
  }
  if (out.columns.empty()) {
    throw InvalidArgument("DataFrame::describe: the frame has no numeric (int64/float64) column");
  }
  return out;
}

const ColumnDescription& Description::at(const std::string& column) const {
  for (const auto& c : columns) {
    if (c.name == column) return c;
  }
  throw SchemaError("Description: no numeric column named '" + column + "' was described");
}

std::string Description::to_string() const {
  std::vector<std::string> index(kStatNames.begin(), kStatNames.end());
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> cells;
  for (const auto& c : columns) {
    auto v = c.values();
    headers.push_back(" " + c.name);
    cells.push_back(detail::format_float_column(std::vector<double>(v.begin(), v.end()), {}));
  }
  return detail::format_table(index, headers, cells);
}

// ---------------------------------------------------------------------------------------------
// value_counts

ValueCounts DataFrame::value_counts(const std::string& name) const {
  const Column& c = column(name);
  std::unordered_map<uint64_t, std::vector<size_t>> buckets;  // hash -> distinct ids
  std::vector<size_t> first_row;                              // distinct id -> a row
  std::vector<size_t> counts;
  for (size_t r = 0; r < c.size(); ++r) {
    if (c.is_null(r)) continue;
    auto& bucket = buckets[detail::hash_value(c, r)];
    size_t id = SIZE_MAX;
    for (size_t k : bucket) {
      if (detail::compare_rows(c, first_row[k], r) == 0) {
        id = k;
        break;
      }
    }
    if (id == SIZE_MAX) {
      id = first_row.size();
      bucket.push_back(id);
      first_row.push_back(r);
      counts.push_back(0);
    }
    ++counts[id];
  }
  std::vector<size_t> order(first_row.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return counts[a] > counts[b]; });
  ValueCounts out;
  out.name = name;
  out.dtype = c.dtype();
  std::vector<size_t> rows;
  for (size_t k : order) {
    rows.push_back(first_row[k]);
    out.counts.push_back(counts[k]);
  }
  Column distinct = c.take(rows);
  if (c.dtype() == DType::Float64 || c.dtype() == DType::Int64) {
    // A numeric index prints through pandas' formatter (room for a sign: " 7" beside "-3"),
    // then trim_front removes the leading spaces all labels share.
    std::vector<std::string> labels;
    if (c.dtype() == DType::Float64) {
      labels = detail::format_float_column(distinct.to_doubles(), {});
    } else {
      for (size_t i = 0; i < distinct.size(); ++i) {
        const int64_t v = distinct.int64_at(i);
        labels.push_back(v < 0 ? std::to_string(v) : " " + std::to_string(v));
      }
    }
    size_t common = SIZE_MAX;
    for (const auto& l : labels) common = std::min(common, l.find_first_not_of(' '));
    for (auto& l : labels) out.values.push_back(l.substr(common == SIZE_MAX ? 0 : common));
  } else {
    for (size_t i = 0; i < distinct.size(); ++i) {
      out.values.push_back(c.dtype() == DType::Bool ? (distinct.bool_at(i) ? "True" : "False")
                                                    : escape_text(distinct.string_at(i)));
    }
  }
  return out;
}

std::string ValueCounts::to_string() const {
  std::string footer = "Name: " + escape_text(name) + ", dtype: int64";
  if (values.empty()) return "Series([], " + footer + ")";
  size_t label_width = 0, count_width = 0;
  std::vector<std::string> count_text;
  for (size_t i = 0; i < values.size(); ++i) {
    label_width = std::max(label_width, detail::display_width(values[i]));
    count_text.push_back(" " + std::to_string(counts[i]));
    count_width = std::max(count_width, count_text.back().size());
  }
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    out += values[i] + std::string(label_width + 3 - detail::display_width(values[i]), ' ');
    out += std::string(count_width - count_text[i].size(), ' ') + count_text[i] + "\n";
  }
  return out + footer;
}

// ---------------------------------------------------------------------------------------------
// to_string / info

std::string DataFrame::to_string() const {
  const auto& labels = index();
  if (num_rows_ == 0 || columns_.empty()) {
    std::string idx;
    for (size_t i = 0; i < labels.size() && i < 100; ++i) {
      idx += (i ? ", " : "") + std::to_string(labels[i]);
    }
    if (labels.size() > 100) idx += ", ...";
    return "Empty DataFrame\nColumns: [" + join_names(names_) + "]\nIndex: [" + idx + "]";
  }
  std::vector<std::string> index_labels;
  for (size_t l : labels) index_labels.push_back(std::to_string(l));
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> cells;
  for (size_t c = 0; c < columns_.size(); ++c) {
    headers.push_back((is_numeric(columns_[c].dtype()) ? " " : "") + escape_text(names_[c]));
    cells.push_back(format_cells(columns_[c]));
  }
  return detail::format_table(index_labels, headers, cells);
}

std::string DataFrame::info() const {
  const auto& labels = index();
  std::string out = "<class 'pandas.core.frame.DataFrame'>\n";
  out += std::string(range_index_ ? "RangeIndex" : "Int64Index") + ": " +
         std::to_string(num_rows_) + " entries";
  if (num_rows_ > 0) {
    out += ", " + std::to_string(labels.front()) + " to " + std::to_string(labels.back());
  }
  out += "\n";
  if (columns_.empty()) return out + "Empty DataFrame\n";
  out += "Data columns (total " + std::to_string(columns_.size()) + " columns):\n";
  std::vector<std::array<std::string, 4>> rows;
  std::array<std::string, 4> head = {" # ", "Column", "Non-Null Count", "Dtype"};
  std::array<size_t, 4> width{};
  for (size_t k = 0; k < 4; ++k) width[k] = head[k].size();
  for (size_t c = 0; c < columns_.size(); ++c) {
    rows.push_back({" " + std::to_string(c), escape_text(names_[c]),
                    std::to_string(num_rows_ - columns_[c].null_count()) + " non-null",
                    dtype_name(columns_[c].dtype())});
    for (size_t k = 0; k < 4; ++k)
      width[k] = std::max(width[k], detail::display_width(rows.back()[k]));
  }
  auto put = [](const std::string& s, size_t w) {
    size_t n = detail::display_width(s);
    return n >= w ? s : s + std::string(w - n, ' ');
  };
  auto line = [&](const std::array<std::string, 4>& cells) {
    std::string l;
    for (size_t k = 0; k < 4; ++k) l += (k ? "  " : "") + put(cells[k], width[k]);
    return l + "\n";
  };
  out += line(head);
  out +=
      line({std::string(3, '-'), std::string(6, '-'), std::string(14, '-'), std::string(5, '-')});
  for (const auto& r : rows) out += line(r);
  std::map<std::string, size_t> dtype_counts;
  size_t bytes = 0;
  for (const auto& c : columns_) {
    ++dtype_counts[dtype_name(c.dtype())];
    bytes += num_rows_ * (c.dtype() == DType::Bool ? 1 : 8);  // pandas' shallow nbytes
  }
  if (range_index_) {
    size_t start = num_rows_ ? labels.front() : 0;
    bytes += 48 + py_int_size(start) + py_int_size(start + num_rows_) + py_int_size(1);
  } else {
    bytes += 8 * num_rows_;
  }
  out += "dtypes: ";
  bool first = true;
  for (const auto& [name, count] : dtype_counts) {
    out += (first ? "" : ", ") + name + "(" + std::to_string(count) + ")";
    first = false;
  }
  out += "\nmemory usage: " +
         sizeof_fmt(static_cast<double>(bytes), dtype_counts.count("object") ? "+" : "") + "\n";
  return out;
}

}  // namespace claimlens
