// Shared by the generic model commands (train, predict, evaluate, triage): loading either kind of
// model file, scoring a frame with it, and writing a frame as CSV.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens::cli {

/// A model file saved by `claimlens train` (tabular_pipeline) or by `claimlens analyze --model`
/// (claim_classifier), dispatched on the file's model_type.
class ScoringModel {
 public:
  /// ModelFormatError for any other model type or an invalid file; IoError when unreadable.
  static ScoringModel load(const std::string& path);

  /// "tabular_pipeline" or "claim_classifier".
  std::string model_type() const;
  /// One line: the model type, its algorithm and positive class.
  std::string describe() const;
  /// The class the probability is about ("claim" for the claim classifier).
  std::string positive() const;
  std::string negative() const;
  /// The label column it was trained on ("claim_status" for the claim classifier).
  std::string target() const;
  /// The free-text column, if the model reads one.
  std::optional<std::string> text_column() const;

  /// P(positive) per row. Rows the claim classifier cannot score (a null in one of its input
  /// columns) get NaN; the tabular pipeline scores every row (missing features are handled).
  /// SchemaError naming a needed column the frame lacks.
  std::vector<double> score(const DataFrame& frame) const;

 private:
  std::variant<ClaimClassifier, TabularPipeline> model_;
};

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
