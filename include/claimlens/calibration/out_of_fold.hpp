// Out-of-fold scores and the calibrator fitted on them: scikit-learn's
// CalibratedClassifierCV(ensemble=False), i.e. cross_val_predict over stratified folds, then one
// calibrator on every row's out-of-fold score (the caller then fits its model on all rows). The
// model is a callback, so any model type can be calibrated this way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// Fits a model on the rows `train` and returns its scores of the rows `test`, in that order
/// (one finite score per test row; a score is what the calibrator will map: probability, margin
/// or log-odds). Both index lists are ascending.
using FoldScorer = std::function<std::vector<double>(const std::vector<std::size_t>& train,
                                                     const std::vector<std::size_t>& test)>;

/// The folds: StratifiedKFold(n_splits, shuffle, seed) of claimlens/model_selection/split.hpp
/// (without shuffle, scikit-learn's folds sample for sample: what cv=n_splits gives).
struct OutOfFoldOptions {
  std::size_t n_splits = 5;
  bool shuffle = false;
  std::uint64_t seed = 0;
  /// Called with the fraction of folds done after each fold. Optional.
  std::function<void(double)> progress;
};

/// Every row's score from the model fitted on the folds that do not hold it (cross_val_predict).
/// Folds run one after another (the scorer may use threads itself). InvalidArgument when y is
/// empty or not 0/1, n_splits < 2, or a class has fewer than n_splits rows (each fold needs a
/// row of each class, so at least 2 rows), or the scorer returns the wrong number of scores or
/// a score that is not finite (naming the fold and row).
std::vector<double> out_of_fold_scores(Span<const int> y, const FoldScorer& fit_and_score,
                                       const OutOfFoldOptions& options = {});

/// Calibrator::fit(method, out_of_fold_scores(y, fit_and_score, options), y).
Calibrator fit_calibrator_out_of_fold(CalibrationMethod method, Span<const int> y,
                                      const FoldScorer& fit_and_score,
                                      const OutOfFoldOptions& options = {});

}  // namespace claimlens
