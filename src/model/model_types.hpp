// Private to the model layer: what its implementations of ModelInterface share.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "claimlens/model/model.hpp"

namespace claimlens::model_detail {

/// "f0", "f1", ...: the names of a bare matrix's columns (XGBoost's default feature names).
std::vector<std::string> default_feature_names(std::size_t n);

/// The matrix a model of `names` features reads from a frame: the columns of those names when
/// the frame has them all, else the frame's columns less `ignore`, in order, when there are
/// exactly names.size() of them. Nulls become NaN. SchemaError naming what does not fit.
RowMatrix frame_matrix(const DataFrame& frame, const std::vector<std::string>& names,
                       const std::vector<std::string>& ignore, const char* model_type);

}  // namespace claimlens::model_detail
