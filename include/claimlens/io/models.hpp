// Model files for the library's own models: their "model_type" names, and loading a file whose
// model type is known only at run time (the CLI's `predict`, the C API).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens::io {

template <>
struct ModelTraits<RandomForestClassifier> {
  static constexpr const char* type_name = "random_forest";
};
template <>
struct ModelTraits<GradientBoostingClassifier> {
  static constexpr const char* type_name = "gradient_boosting";
};

/// Any model a claimlens model file can hold.
using AnyModel =
    std::variant<RandomForestClassifier, GradientBoostingClassifier, LogisticRegression>;

/// The "model_type" of the held model ("random_forest", "gradient_boosting",
/// "logistic_regression").
const char* model_type_of(const AnyModel& model);

/// Builds the model named by the envelope's model_type; ModelFormatError for an unknown type or
/// an invalid model.
AnyModel model_from_envelope(const ModelEnvelope& envelope);

AnyModel load_any_model(const std::string& path, const ModelLimits& limits = {});
AnyModel load_any_model_buffer(Span<const std::uint8_t> bytes, const ModelLimits& limits = {});
void save_any_model(const AnyModel& model, const std::string& path);
std::vector<std::uint8_t> save_any_model_buffer(const AnyModel& model, ModelEncoding encoding);

/// P(y = 1) for each row of X, whatever the model. InvalidArgument for a wrong column count.
std::vector<double> predict_proba(const AnyModel& model, const RowMatrix& X);
/// Number of features the model was fitted on.
std::size_t n_features_in(const AnyModel& model);

}  // namespace claimlens::io
