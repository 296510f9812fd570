// Shared by the generic model commands (train, predict, evaluate, triage): loading a model file,
// and the text of numbers and cells.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/model_io/model_io.hpp"

namespace claimlens::cli {

/// The label column a command compares with: --target when given, else the model's own (a model
/// trained on a bare matrix has none: UsageError asking for --target).
std::string target_column(const Model& model, const std::string& given);

/// read_csv, with IoError naming the file when it does not exist.
DataFrame read_data(const std::string& path);

/// Shortest round-trip text of a double, locale-free ("nan" never happens: callers pass finite
/// values or print "").
std::string format_number(double value);
/// A non-null cell as text: strings as they are, numbers shortest round-trip, bools True/False.
std::string cell_text(const Column& column, std::size_t row);

/// Fixed-point with `digits` decimals, locale-free.
std::string format_fixed(double value, int digits);

/// "a,b , c" -> {"a", "b", "c"}; empty names are a UsageError.
std::vector<std::string> split_list(const std::string& text, const std::string& option);

}  // namespace claimlens::cli
