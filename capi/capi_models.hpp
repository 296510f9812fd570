// The models behind claimlens_model handles: training from a parameter JSON, prediction and
// files, whatever the algorithm.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens::capi {

/// A TabularPipeline (a model file of `claimlens train`) carries its feature plan: it predicts
/// from a frame (predict_frame), or from a plain matrix when every plan column is numeric.
using Model = std::variant<RandomForestClassifier, GradientBoostingClassifier, LogisticRegression,
                           TabularPipeline>;

/// params: {"algorithm": "random_forest" | "gradient_boosting" | "logistic_regression", ...the
/// algorithm's parameters}. InvalidArgument for a missing/unknown algorithm or a bad parameter.
Model train_model(const nlohmann::json& params, const double* x, std::size_t rows, std::size_t cols,
                  const double* y);
void predict_proba(const Model& model, const double* x, std::size_t rows, std::size_t cols,
                   double* out);
std::size_t num_features(const Model& model);
/// P(y = 1) per row of a frame, through a tabular pipeline's feature plan; n must equal the row
/// count. StateError for a model without a plan.
void predict_frame(const Model& model, const DataFrame& frame, double* out, std::size_t n);
std::vector<double> feature_importances(const Model& model);
/// Intercept then coefficients; StateError for tree models.
std::vector<double> coefficients(const Model& model);

void save_model(const Model& model, const std::string& path);
std::vector<std::uint8_t> save_model_buffer(const Model& model);
Model model_from_envelope(const io::ModelEnvelope& envelope);

}  // namespace claimlens::capi
