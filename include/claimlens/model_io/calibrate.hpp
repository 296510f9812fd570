// Calibrating a model of any type on labelled data: on a calibration split it did not train on,
// or out of fold on its own training rows (scikit-learn's CalibratedClassifierCV(ensemble=False):
// the model is refitted on k-1 folds to score the k-th, one calibrator is fitted on every row's
// out-of-fold score, and the calibrated model is the given model, fitted on all rows, followed by
// that calibrator). docs/calibration.md, "Calibrated models", gives the rules.
#pragma once

#include <cstddef>
#include <functional>
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
  /// The score the calibrator reads; default_calibration_score(model, method) when empty.
  std::optional<CalibrationScore> score;
  /// 0: the rows are a calibration split the model did not train on, and the calibrator is
  /// fitted on the model's probabilities of them. k >= 2: the rows are the model's training rows;
  /// out-of-fold probabilities over StratifiedKFold(k) (not shuffled: scikit-learn's cv=k
  /// folds). Refitting works for random_forest, gradient_boosting and logistic_regression, and
  /// for a tabular_pipeline, whose estimator is refitted on its feature plan's matrix (the plan
  /// itself, learned on all the rows, is kept); StateError naming the type for the others.
  std::size_t cv = 0;
  /// Called with the fraction of the out-of-fold fits done after each fold (cv >= 2). Optional.
  std::function<void(double)> progress;
};

/// The score a calibrator of `method` reads by default from `base`'s probability, as
/// scikit-learn's CalibratedClassifierCV picks decision_function when the model has one and
/// predict_proba otherwise: for sigmoid, Logit when the estimator makes its probability from a
/// margin through the logistic sigmoid (logistic_regression, gradient_boosting, xgboost, or a
/// tabular_pipeline or claim_classifier whose estimator is one), Probability for a random
/// forest's vote share (and a pipeline of one); for isotonic, Probability (any monotone score
/// gives the same fit, and probabilities keep the thresholds readable).
CalibrationScore default_calibration_score(const Model& base, CalibrationMethod method);

/// `base` calibrated on its own probabilities of some rows (`proba`, e.g. of a calibration split
/// it did not train on, or out-of-fold ones) and their 0/1 labels: a calibrator of `method`
/// fitted on calibration_score_of(score, p), `score` defaulting to default_calibration_score.
/// Calibrator::fit's errors (one class, all scores equal, NaN ...); InvalidArgument when `base`
/// is itself calibrated (calibrate its base()).
Model calibrate_on_scores(const Model& base, Span<const double> proba, Span<const int> y,
                          CalibrationMethod method, std::optional<CalibrationScore> score = {});

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
