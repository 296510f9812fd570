// Shared by the generic model commands (train, predict, evaluate, triage): loading a model file,
// and the text of numbers and cells.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/model_io/calibrate.hpp"
#include "claimlens/model_io/model_io.hpp"

#include <nlohmann/json.hpp>

namespace claimlens::cli {

class Args;

/// The label column a command compares with: --target when given, else the model's own (a model
/// trained on a bare matrix has none: UsageError asking for --target).
std::string target_column(const Model& model, const std::string& given);

/// 0/1 labels of a label column: 1 for `positive`, 0 for the one other value, NaN for an empty
/// cell. InvalidArgument when no row has `positive`, or there is not exactly one other value.
struct Labels {
  std::vector<double> y;
  std::string negative;
};
Labels encode(const Column& column, const std::string& target, const std::string& positive);

/// The rows of a labelled CSV that have a label and that the model can score.
struct LabelledData {
  std::string target, positive, negative;
  DataFrame frame;            ///< those rows
  std::vector<int> y;         ///< their 0/1 labels
  std::vector<double> proba;  ///< the model's P(positive) of each
  std::size_t skipped = 0;    ///< rows without a label or a score
};
/// Reads `path`, labels its `target` (target_column) by `positive` (default: the model's positive
/// class) and scores it. SchemaError for a missing target column; encode's errors.
LabelledData labelled_data(const Model& model, const std::string& path, const std::string& target,
                           const std::string& positive);

/// The lines `evaluate` and `threshold` print for an operating point (OperatingPoint::to_json):
/// target, threshold, precision and recall with their bootstrap intervals.
std::string operating_point_text(const nlohmann::json& point);

/// The calibration of `calibrate` and `train --calibrate`: the method named by option `method`
/// and the folds of --cv (default_cv when absent; 0 = a calibration split). UsageError for an
/// unknown method or fewer than 2 folds.
CalibrateOptions calibrate_options(const Args& args, const std::string& method,
                                   std::size_t default_cv);

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
