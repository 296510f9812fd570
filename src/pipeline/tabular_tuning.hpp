// `claimlens train --tune`: the grid search behind TabularPipelineOptions::tune (docs/tuning.md).
#pragma once

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/matrix.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens::detail {

/// What tuning chose: the estimator's parameters (with "algorithm") for the final fit, and the
/// report: scoring, folds, rows, the grid, every combination's mean and std CV score, the best.
struct TuningOutcome {
  nlohmann::json params;
  nlohmann::json report;
};

/// Checks the grid before any data is read: InvalidArgument naming options.tune_grid and the
/// combination and key at fault.
void check_tuning(const TabularPipelineOptions& options, const nlohmann::json& params);

/// Cross-validates options.tune_grid (or default_tuning_grid) over `params` (model_params of the
/// options, "algorithm" included) on the imputed matrix X: stratified tune_cv folds, scored by
/// tune_scoring, fits in parallel on options.n_jobs threads (the result does not depend on it).
TuningOutcome tune_model(const nlohmann::json& params, const RowMatrix& X,
                         const std::vector<double>& y, const TabularPipelineOptions& options);

}  // namespace claimlens::detail
