// Assembling a dense model matrix (one row per sample, one column per feature) from named columns.
#pragma once

#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/matrix.hpp"

namespace claimlens {

/// columns[c][row] side by side; `names` only label errors. InvalidArgument on no columns,
/// ragged columns or a NaN/infinite value (naming the column and row).
RowMatrix feature_matrix(const std::vector<std::string>& names,
                         const std::vector<std::vector<double>>& columns);

/// The named numeric (int64, float64, bool) columns of `frame`, in the given order. SchemaError
/// for a missing or string column; InvalidArgument for a null/NaN (naming column and row).
RowMatrix feature_matrix(const DataFrame& frame, const std::vector<std::string>& columns);

}  // namespace claimlens
