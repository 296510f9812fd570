// stats on DataFrame columns (include/claimlens/stats/frame.hpp).
#include "claimlens/stats/frame.hpp"

#include <string_view>

#include "claimlens/error.hpp"
#include "common.hpp"

namespace claimlens::stats {

namespace {

bool is_numeric(DType dtype) {
  return dtype != DType::String;
}

const Column& numeric_column(const DataFrame& frame, const std::string& name,
                             const char* function) {
  const Column& column = frame.column(name);  // SchemaError naming a missing column
  if (!is_numeric(column.dtype())) {
    throw SchemaError(std::string("stats::") + function + ": column '" + name + "' is " +
                      dtype_name(column.dtype()) + ", not numeric");
  }
  return column;
}

const Column& string_column(const DataFrame& frame, const std::string& name, const char* function) {
  const Column& column = frame.column(name);
  if (column.dtype() != DType::String) {
    throw SchemaError(std::string("stats::") + function + ": column '" + name + "' is " +
                      dtype_name(column.dtype()) + ", not a string column");
  }
  return column;
}

}  // namespace

std::vector<std::string> numeric_columns(const DataFrame& frame) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < frame.num_columns(); ++i) {
    if (is_numeric(frame.column(i).dtype())) names.push_back(frame.column_names()[i]);
  }
  return names;
}

CorrelationMatrix corr(const DataFrame& frame, CorrMethod method) {
  const std::vector<std::string> names = numeric_columns(frame);
  if (names.empty()) detail::invalid("corr", "the frame has no numeric column");
  return corr(frame, names, method);
}

CorrelationMatrix corr(const DataFrame& frame, const std::vector<std::string>& columns,
                       CorrMethod method) {
  std::vector<std::vector<double>> data;
  data.reserve(columns.size());
  for (const auto& name : columns) data.push_back(numeric_column(frame, name, "corr").to_doubles());
  const std::vector<Span<const double>> views(data.begin(), data.end());
  return CorrelationMatrix{columns, corr_matrix(views, method, columns)};
}

TTestResult ttest_by_group(const DataFrame& frame, const std::string& value_column,
                           const std::string& group_column, const std::string& group_a,
                           const std::string& group_b, bool equal_var, Alternative alternative) {
  const Column& values = numeric_column(frame, value_column, "ttest_by_group");
  const Column& groups = string_column(frame, group_column, "ttest_by_group");
  std::vector<double> a, b;
  for (std::size_t row = 0; row < frame.num_rows(); ++row) {
    if (groups.is_null(row)) continue;
    const std::string_view g = groups.string_at(row);
    if (g == group_a) {
      a.push_back(values.as_double(row));
    } else if (g == group_b) {
      b.push_back(values.as_double(row));
    }
  }
  if (a.empty()) {
    detail::invalid("ttest_by_group",
                    "no row of column '" + group_column + "' equals '" + group_a + "'");
  }
  if (b.empty()) {
    detail::invalid("ttest_by_group",
                    "no row of column '" + group_column + "' equals '" + group_b + "'");
  }
  return ttest_ind(a, b, equal_var, alternative);
}

ContingencyTable crosstab(const DataFrame& frame, const std::string& row_column,
                          const std::string& col_column) {
  const Column& rows = string_column(frame, row_column, "crosstab");
  const Column& cols = string_column(frame, col_column, "crosstab");
  std::vector<std::string_view> r, c;
  r.reserve(frame.num_rows());
  c.reserve(frame.num_rows());
  for (std::size_t row = 0; row < frame.num_rows(); ++row) {
    if (rows.is_null(row) || cols.is_null(row)) continue;
    r.push_back(rows.string_at(row));
    c.push_back(cols.string_at(row));
  }
  if (r.empty()) {
    detail::invalid("crosstab", "no row has both '" + row_column + "' and '" + col_column + "'");
  }
  return crosstab(r, c);
}

ChiSquareResult chi2_contingency(const DataFrame& frame, const std::string& row_column,
                                 const std::string& col_column, bool correction) {
  return chi2_contingency(crosstab(frame, row_column, col_column).counts, correction);
}

IqrFences iqr_fences(const DataFrame& frame, const std::string& column, double k) {
  return iqr_fences(numeric_column(frame, column, "iqr_fences").to_doubles(), k);
}

DataFrame cap_outliers(const DataFrame& frame, const std::vector<std::string>& columns, Tail tail,
                       double k) {
  DataFrame out = frame;
  for (const auto& name : columns) {
    std::vector<double> values = numeric_column(frame, name, "cap_outliers").to_doubles();
    cap_outliers_inplace(values, iqr_fences(values, k), tail);
    out.set_column(name, Column::from_float64(std::move(values)));  // NaN = null again
  }
  return out;
}

}  // namespace claimlens::stats
