// Calibrating a model of any type on labelled data: on a calibration split it did not train on,
// or out of fold on its own training rows (scikit-learn's CalibratedClassifierCV(ensemble=False):
// the model is refitted on k-1 folds to score the k-th, one calibrator is fitted on every row's
// out-of-fold score, and the calibrated model is the given model, fitted on all rows, followed by
// that calibrator). docs/calibration.md, "Calibrated models", gives the rules.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/calibration/out_of_fold.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/model/model.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

struct CalibrateOptions {
  CalibrationMethod method = CalibrationMethod::Sigmoid;
  /// The score the calibrator reads; default_calibration_score(method) when empty.
  std::optional<CalibrationScore> score;
  /// 0: the rows are a calibration split the model did not train on, and the calibrator is
  /// fitted on the model's probabilities of them. k >= 2: the rows are the model's training rows;
  /// out-of-fold probabilities over StratifiedKFold(k) (not shuffled: scikit-learn's cv=k
  /// folds). Refitting works for random_forest, gradient_boosting and logistic_regression, and
  /// for a tabular_pipeline, whose estimator is refitted on its feature plan's matrix (the plan
  /// itself, learned on all the rows, is kept); StateError naming the type for the others.
  std::size_t cv = 0;
};

/// `model` (any type; a calibrated model is recalibrated from its base, and loses its operating
/// point) calibrated on the rows of `frame` with 0/1 labels `y` (one per row; `ignore` lists
/// columns a matrix model must not read, e.g. the label). InvalidArgument: y's size, a row the
/// model cannot score (NaN, naming it), a class with fewer than cv rows, one class, all scores
/// equal (Calibrator::fit and out_of_fold_scores name them).
Model calibrate_model(const Model& model, const DataFrame& frame, Span<const int> y,
                      const std::vector<std::string>& ignore, const CalibrateOptions& options);

/// The same on a row-major matrix of the model's features (a model that accepts a matrix).
Model calibrate_model(const Model& model, const RowMatrix& X, Span<const int> y,
                      const CalibrateOptions& options);

}  // namespace claimlens
