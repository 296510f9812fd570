// Private helpers of the tabular pipeline: cell labels, column look-ups with clear messages,
// string views of any column.
#pragma once

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens::tabular_detail {

/// A cell as text: strings as they are, int64 and float64 printed shortest (locale-free),
/// bools as pandas prints them ("True" / "False"). The cell must not be null.
inline std::string cell_label(const Column& column, std::size_t row) {
  switch (column.dtype()) {
    case DType::String:
      return std::string(column.string_at(row));
    case DType::Bool:
      return column.bool_at(row) ? "True" : "False";
    case DType::Int64: {
      char buf[32];
      auto res = std::to_chars(buf, buf + sizeof buf, column.int64_at(row));
      return std::string(buf, res.ptr);
    }
    default: {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, column.float64_at(row));
      return std::string(buf, res.ptr);
    }
  }
}

/// A user-given class name in the form cell_label gives it (true/1 -> "True" for bool targets).
inline std::string normalize_label(DType dtype, const std::string& value) {
  if (dtype != DType::Bool) return value;
  if (value == "true" || value == "True" || value == "TRUE" || value == "1") return "True";
  if (value == "false" || value == "False" || value == "FALSE" || value == "0") return "False";
  return value;
}

inline std::string column_list(const DataFrame& frame) {
  std::string out;
  for (const auto& name : frame.column_names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

/// frame.column(name), or SchemaError naming the role ("target", "text", ...) and the columns.
inline const Column& required_column(const DataFrame& frame, const std::string& name,
                                     const std::string& role) {
  if (!frame.has_column(name)) {
    throw SchemaError(role + " column '" + name +
                      "' is not in the data (its columns: " + column_list(frame) + ")");
  }
  return frame.column(name);
}

/// A column the model was trained on, or SchemaError saying so.
inline const Column& plan_column(const DataFrame& frame, const std::string& name) {
  if (!frame.has_column(name)) {
    throw SchemaError("column '" + name + "', which the model was trained on, is not in the data");
  }
  return frame.column(name);
}

/// The column as strings (nulls kept): a categorical or text column that a new file happens to
/// hold as numbers, or as float64 because every cell is empty.
inline Column as_string_column(const Column& column) {
  if (column.dtype() == DType::String) return column;
  std::vector<std::string> values(column.size());
  std::vector<bool> valid(column.size(), true);
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column.is_null(i)) {
      valid[i] = false;
    } else {
      values[i] = cell_label(column, i);
    }
  }
  return Column::from_strings(std::move(values), std::move(valid));
}

/// Views of a string column's cells; a null cell is the empty document.
inline std::vector<std::string_view> text_documents(const Column& text) {
  std::vector<std::string_view> docs(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!text.is_null(i)) docs[i] = text.string_at(i);
  }
  return docs;
}

// Defined in tabular_pipeline.cpp, shared with tabular_distributed.cpp:
// The parameters of Model::fit for the options' algorithm.
JsonDocument model_params(const TabularPipelineOptions& options);
// The target's two classes, (positive, negative); InvalidArgument unless there are two.
std::pair<std::string, std::string> choose_classes(const Column& target, const std::string& name,
                                                   const std::optional<std::string>& positive);
// The target, text and drop columns exist and fit the options (SchemaError / InvalidArgument).
void check_frame(const DataFrame& frame, const TabularPipelineOptions& options);

}  // namespace claimlens::tabular_detail
