// How a model of a bare matrix reads a frame.
#include <algorithm>

#include "claimlens/error.hpp"
#include "model_types.hpp"

namespace claimlens::model_detail {

std::vector<std::string> default_feature_names(std::size_t n) {
  std::vector<std::string> names(n);
  for (std::size_t j = 0; j < n; ++j) names[j] = "f" + std::to_string(j);
  return names;
}

namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The frame's columns the model reads, in feature order.
std::vector<std::string> matched_columns(const DataFrame& frame,
                                         const std::vector<std::string>& names,
                                         const std::vector<std::string>& ignore,
                                         const char* model_type) {
  if (names.empty()) throw StateError(std::string("the ") + model_type + " model has no features");
  const auto& columns = frame.column_names();
  if (std::all_of(names.begin(), names.end(),
                  [&](const std::string& name) { return contains(columns, name); })) {
    return names;
  }
  std::vector<std::string> rest;
  for (const auto& name : columns) {
    if (!contains(ignore, name)) rest.push_back(name);
  }
  if (rest.size() != names.size()) {
    throw SchemaError("the " + std::string(model_type) + " model reads " +
                      std::to_string(names.size()) + " features (" + names.front() + ".." +
                      names.back() + "): the data has neither columns of those names nor " +
                      "exactly " + std::to_string(names.size()) + " feature columns (it has " +
                      std::to_string(rest.size()) + ")");
  }
  return rest;
}

}  // namespace

RowMatrix frame_matrix(const DataFrame& frame, const std::vector<std::string>& names,
                       const std::vector<std::string>& ignore, const char* model_type) {
  const std::vector<std::string> used = matched_columns(frame, names, ignore, model_type);
  RowMatrix X(static_cast<Eigen::Index>(frame.num_rows()), static_cast<Eigen::Index>(used.size()));
  for (std::size_t j = 0; j < used.size(); ++j) {
    const Column& column = frame.column(used[j]);
    if (column.dtype() == DType::String) {
      throw SchemaError("column '" + used[j] + "' holds text; a " + model_type +
                        " model reads numbers");
    }
    const std::vector<double> values = column.to_doubles();  // nulls are NaN
    for (std::size_t i = 0; i < values.size(); ++i) {
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = values[i];
    }
  }
  return X;
}

}  // namespace claimlens::model_detail
