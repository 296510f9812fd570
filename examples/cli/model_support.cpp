// Shared code of the generic model commands (see model_support.hpp).
#include "model_support.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "claimlens/error.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/claim_features.hpp"
#include "command.hpp"

namespace claimlens::cli {

ScoringModel ScoringModel::load(const std::string& path) {
  const io::ModelEnvelope envelope = io::read_model_file(path);
  ScoringModel out;
  try {
    if (envelope.model_type == TabularPipeline::kModelType) {
      out.model_ = io::detail::model_from_envelope<TabularPipeline>(envelope);
    } else if (envelope.model_type == ClaimClassifier::kModelType) {
      out.model_ = io::detail::model_from_envelope<ClaimClassifier>(envelope);
    } else {
      throw ModelFormatError("it holds a '" + envelope.model_type +
                             "' model; this command needs one saved by `claimlens train` "
                             "(tabular_pipeline) or `claimlens analyze --model` "
                             "(claim_classifier)");
    }
  } catch (const ModelFormatError& e) {
    throw ModelFormatError("model file '" + path + "': " + e.what());
  }
  return out;
}

std::string ScoringModel::model_type() const {
  return std::holds_alternative<TabularPipeline>(model_) ? TabularPipeline::kModelType
                                                         : ClaimClassifier::kModelType;
}

std::string ScoringModel::describe() const {
  if (const auto* p = std::get_if<TabularPipeline>(&model_)) {
    return std::string("tabular_pipeline (") + tabular_algorithm_name(p->algorithm()) + ", " +
           std::to_string(p->num_features()) + " features), target '" + p->target() +
           "', positive class '" + p->positive() + "'";
  }
  return "claim_classifier (" + std::get<ClaimClassifier>(model_).champion() +
         "), positive class 'claim'";
}

std::string ScoringModel::positive() const {
  if (const auto* p = std::get_if<TabularPipeline>(&model_)) return p->positive();
  return "claim";
}

std::string ScoringModel::negative() const {
  if (const auto* p = std::get_if<TabularPipeline>(&model_)) return p->negative();
  return "opinion";
}

std::string ScoringModel::target() const {
  if (const auto* p = std::get_if<TabularPipeline>(&model_)) return p->target();
  return "claim_status";
}

std::optional<std::string> ScoringModel::text_column() const {
  if (const auto* p = std::get_if<TabularPipeline>(&model_)) return p->text_column();
  return std::string("video_transcription_text");
}

std::vector<double> ScoringModel::score(const DataFrame& frame) const {
  if (const auto* p = std::get_if<TabularPipeline>(&model_)) return p->predict_proba(frame);
  // The claim classifier needs every input cell: score the complete rows, NaN for the others.
  const std::vector<std::string>& inputs = claim_input_columns();
  for (const auto& name : inputs) {
    if (!frame.has_column(name)) {
      throw SchemaError("column '" + name + "', which the claim classifier reads, is not in the " +
                        "data");
    }
  }
  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < frame.num_rows(); ++i) {
    bool ok = true;
    for (const auto& name : inputs) ok = ok && !frame.column(name).is_null(i);
    if (ok) complete.push_back(i);
  }
  std::vector<double> out(frame.num_rows(), std::nan(""));
  if (complete.empty()) return out;
  const std::vector<double> p =
      std::get<ClaimClassifier>(model_).predict_proba(frame.select(inputs).take(complete));
  for (std::size_t k = 0; k < complete.size(); ++k) out[complete[k]] = p[k];
  return out;
}

DataFrame read_data(const std::string& path) {
  if (!std::ifstream(path)) throw IoError("cannot read data file '" + path + "'");
  return read_csv(path);
}

std::string format_number(double value) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

std::string format_fixed(double value, int digits) {
  if (std::isnan(value)) return "nan";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, digits);
  return std::string(buf, res.ptr);
}

std::string cell_text(const Column& c, std::size_t row) {
  switch (c.dtype()) {
    case DType::String:
      return std::string(c.string_at(row));
    case DType::Bool:
      return c.bool_at(row) ? "True" : "False";
    case DType::Int64:
      return std::to_string(c.int64_at(row));
    default:
      return format_number(c.float64_at(row));
  }
}

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item.empty()) throw UsageError{"option --" + option + " has an empty column name"};
    out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

}  // namespace claimlens::cli
