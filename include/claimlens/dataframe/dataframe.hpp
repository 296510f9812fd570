// A column-oriented data frame with the pandas operations the analysis uses: column access,
// head/info/describe/value_counts printed as pandas prints them, dropna, masks, select/drop,
// stable sort_values, groupby aggregations and duplicate detection.
//
// dtype note: pandas turns an integer column with missing values into float64; claimlens keeps it
// int64 with a validity bitmap (so the five count columns of tiktok_dataset.csv are int64 here and
// float64 in pandas). describe() gives pandas' numbers either way.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/dataframe/column.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// describe() of one numeric column (pandas: count, mean, std ddof=1, min, 25/50/75% with linear
/// interpolation, max). std is NaN for fewer than 2 values; all but count are NaN for none.
struct ColumnDescription {
  std::string name;
  double count = 0, mean = 0, std = 0, min = 0, q25 = 0, q50 = 0, q75 = 0, max = 0;
  /// The eight statistics in pandas' row order.
  std::array<double, 8> values() const { return {count, mean, std, min, q25, q50, q75, max}; }
};

struct Description {
  static constexpr std::array<const char*, 8> kStatNames = {"count", "mean", "std", "min",
                                                            "25%",   "50%",  "75%", "max"};
  std::vector<ColumnDescription> columns;
  /// As pandas prints df.describe() (to_string, every column).
  std::string to_string() const;
  const ColumnDescription& at(const std::string& column) const;  // SchemaError when absent
};

/// value_counts(): distinct non-null values by descending count, ties in first-appearance order.
struct ValueCounts {
  std::string name;
  DType dtype = DType::String;
  std::vector<std::string> values;  // each value as pandas prints it
  std::vector<size_t> counts;
  /// As pandas 1.5 prints a value_counts() Series (values, counts, "Name: ..., dtype: int64").
  std::string to_string() const;
};

enum class Aggregation { Count, Sum, Mean, Median, Min, Max, Std };
const char* aggregation_name(Aggregation aggregation);  // "count", "sum", ...

class DataFrame;

/// groupby(keys): groups sorted by key (pandas sort=True), rows with a null key dropped
/// (dropna=True). Each aggregation returns key columns then one column per aggregated column.
class GroupBy {
 public:
  size_t ngroups() const { return group_first_row_.size(); }
  /// Aggregate every non-key column the aggregation applies to (count: all; sum/mean/median/std:
  /// numeric and bool; min/max: numeric, bool and string), like pandas' numeric_only behaviour.
  DataFrame agg(Aggregation aggregation) const;
  /// Explicit (column, aggregation) pairs; result columns are named "<column>_<aggregation>" when
  /// a column appears more than once, else "<column>". SchemaError for an unsupported pairing.
  DataFrame agg(const std::vector<std::pair<std::string, Aggregation>>& specs) const;
  DataFrame count() const;
  DataFrame sum() const;
  DataFrame mean() const;
  DataFrame median() const;
  DataFrame min() const;
  DataFrame max() const;
  DataFrame std() const;
  /// Number of rows per group (pandas' size()), as int64 column "size".
  DataFrame size() const;

 private:
  friend class DataFrame;
  GroupBy(const DataFrame& frame, std::vector<std::string> keys);
  Column aggregate_column(const Column& column, Aggregation aggregation) const;
  static bool supports(DType dtype, Aggregation aggregation);
  std::shared_ptr<const DataFrame> frame_;  // a cheap copy: columns share their buffers
  std::vector<std::string> keys_;
  std::vector<size_t> order_;            // rows with no null key, grouped, in sorted key order
  std::vector<size_t> group_start_;      // group g = order_[group_start_[g] .. group_start_[g+1])
  std::vector<size_t> group_first_row_;  // the first row of each group
};

class DataFrame {
 public:
  DataFrame() = default;

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  std::pair<size_t, size_t> shape() const { return {num_rows_, columns_.size()}; }
  const std::vector<std::string>& column_names() const { return names_; }
  std::vector<DType> dtypes() const;
  bool has_column(const std::string& name) const;
  const Column& column(const std::string& name) const;  // SchemaError naming the missing column
  const Column& column(size_t index) const;             // InvalidArgument when out of range
  /// InvalidArgument on a length mismatch (with existing columns) or a duplicate name.
  void add_column(const std::string& name, Column column);
  /// Replaces the named column, or adds it when absent (pandas' df[name] = ...).
  void set_column(const std::string& name, Column column);

  DataFrame select(const std::vector<std::string>& names) const;
  DataFrame drop(const std::vector<std::string>& names) const;
  DataFrame take(Span<const size_t> rows) const;
  DataFrame filter(const std::vector<bool>& mask) const;
  /// Drop rows with any null (or any null among `subset` when given).
  DataFrame dropna() const;
  DataFrame dropna(const std::vector<std::string>& subset) const;
  DataFrame head(size_t n = 5) const;
  DataFrame tail(size_t n = 5) const;

  /// Null count per column, in column order (pandas' df.isna().sum()).
  std::vector<size_t> null_counts() const;
  /// Stable sort by several columns (nulls last, as pandas' na_position="last"). `ascending`
  /// empty = all ascending, else one flag per column.
  DataFrame sort_values(const std::vector<std::string>& by,
                        const std::vector<bool>& ascending = {}) const;
  DataFrame sort_values(const std::string& by, bool ascending = true) const;
  /// Row order sort_values would produce.
  std::vector<size_t> argsort(const std::vector<std::string>& by,
                              const std::vector<bool>& ascending = {}) const;
  GroupBy groupby(const std::vector<std::string>& keys) const;
  /// pandas' duplicated(keep="first"): true for a row equal to an earlier one (nulls equal).
  std::vector<bool> duplicated() const;
  size_t duplicated_count() const;

  /// describe() of the numeric (int64/float64) columns; InvalidArgument when there are none.
  Description describe() const;
  ValueCounts value_counts(const std::string& column) const;

  /// The frame as pandas' to_string() prints it (RangeIndex-like row labels 0..n-1 unless the
  /// frame came from take/filter/head, which keep the original row labels).
  std::string to_string() const;
  /// pandas' df.info() text (class line, RangeIndex, column table, dtypes, memory usage).
  std::string info() const;
  /// Row labels (original row numbers; 0..n-1 for a fresh frame).
  const std::vector<size_t>& index() const;

 private:
  std::vector<std::string> names_;
  std::vector<Column> columns_;
  size_t num_rows_ = 0;
  mutable std::vector<size_t> index_;          // empty = 0..n-1
  bool range_index_ = true;                    // labels are consecutive (pandas RangeIndex)
  size_t find(const std::string& name) const;  // SIZE_MAX when absent
  DataFrame with_rows(Span<const size_t> rows) const;
};

/// The rows of `frames` one after another, as pandas.concat(frames, ignore_index=True) for frames
/// of one schema (the CSV shards of one data set): the same column names in the same order
/// (SchemaError naming the source and the first difference otherwise). A column's dtype is the
/// one its frames share, ignoring frames where it is all null (read_csv types those float64);
/// int64 and float64 together give float64; any other mix is a SchemaError naming the column
/// and both sources. `sources` names each frame in messages (a file name).
DataFrame concat_rows(const std::vector<DataFrame>& frames,
                      const std::vector<std::string>& sources);

}  // namespace claimlens
