// The stats module on DataFrame columns: what the seed analysis calls on its frame
// (df.corr(), a t-test of one column split by a group column, pd.crosstab + chi2_contingency,
// IQR capping of count columns). Null cells are missing values (NaN) throughout.
#pragma once

#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/stats/correlation.hpp"
#include "claimlens/stats/hypothesis.hpp"
#include "claimlens/stats/outliers.hpp"

namespace claimlens::stats {

/// The numeric columns (int64, float64, bool) in frame order: pandas' numeric_only selection.
std::vector<std::string> numeric_columns(const DataFrame& frame);

struct CorrelationMatrix {
  std::vector<std::string> columns;
  RowMatrix values;  // values(i, j) = correlation of columns[i] and columns[j]
};
/// pandas' DataFrame.corr(method, numeric_only=True): every numeric column, pairwise-complete.
/// InvalidArgument when the frame has no numeric column (or see corr_matrix).
CorrelationMatrix corr(const DataFrame& frame, CorrMethod method = CorrMethod::Pearson);
/// The same over the named columns (SchemaError for a missing or string column).
CorrelationMatrix corr(const DataFrame& frame, const std::vector<std::string>& columns,
                       CorrMethod method = CorrMethod::Pearson);

/// t-test of `value_column` between the rows whose string `group_column` equals group_a and those
/// equal to group_b (null values and null groups skipped). Welch's by default, as the seed's
/// ttest_ind(equal_var=False). SchemaError for a missing column, a non-numeric value column or a
/// non-string group column; InvalidArgument when a group is absent (see ttest_ind).
TTestResult ttest_by_group(const DataFrame& frame, const std::string& value_column,
                           const std::string& group_column, const std::string& group_a,
                           const std::string& group_b, bool equal_var = false,
                           Alternative alternative = Alternative::TwoSided);

/// pd.crosstab(frame[row_column], frame[col_column]) of two string columns; rows with a null in
/// either are left out, as pandas does.
ContingencyTable crosstab(const DataFrame& frame, const std::string& row_column,
                          const std::string& col_column);
/// chi2_contingency(crosstab(frame, row_column, col_column).counts, correction).
ChiSquareResult chi2_contingency(const DataFrame& frame, const std::string& row_column,
                                 const std::string& col_column, bool correction = true);

/// iqr_fences of one numeric column (nulls skipped).
IqrFences iqr_fences(const DataFrame& frame, const std::string& column, double k = 1.5);
/// A copy of the frame whose named columns are capped at their own IQR fences (each column's
/// fences from its own quartiles); capped columns become float64, as the fence is fractional in
/// pandas too. Nulls stay null.
DataFrame cap_outliers(const DataFrame& frame, const std::vector<std::string>& columns, Tail tail,
                       double k = 1.5);

}  // namespace claimlens::stats
