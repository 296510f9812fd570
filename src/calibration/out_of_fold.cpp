// Out-of-fold scores over stratified folds (claimlens/calibration/out_of_fold.hpp).
#include "claimlens/calibration/out_of_fold.hpp"

#include <cmath>
#include <string>

#include "checks.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_selection/split.hpp"

namespace claimlens {

namespace {

void check_folds(Span<const int> y, std::size_t n_splits) {
  const char* who = "out_of_fold_scores";
  if (y.empty()) throw InvalidArgument(std::string(who) + ": y is empty");
  if (n_splits < 2) {
    throw InvalidArgument(std::string(who) + ": n_splits must be at least 2, not " +
                          std::to_string(n_splits));
  }
  std::int64_t counts[2] = {0, 0};
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0 && y[i] != 1) {
      throw InvalidArgument(std::string(who) + ": y[" + std::to_string(i) +
                            "] = " + std::to_string(y[i]) + " is not a 0/1 label");
    }
    ++counts[y[i]];
  }
  for (int label = 0; label < 2; ++label) {
    if (counts[label] < static_cast<std::int64_t>(n_splits)) {
      throw InvalidArgument(std::string(who) + ": n_splits = " + std::to_string(n_splits) +
                            " folds need at least " + std::to_string(n_splits) +
                            " rows of each class (every fold holds both classes, so at "
                            "least 2 rows per fold); class " +
                            std::to_string(label) + " has " + std::to_string(counts[label]) +
                            " of " + std::to_string(y.size()) + " rows");
    }
  }
}

}  // namespace

std::vector<double> out_of_fold_scores(Span<const int> y, const FoldScorer& fit_and_score,
                                       const OutOfFoldOptions& options) {
  check_folds(y, options.n_splits);
  const std::vector<std::int64_t> labels(y.begin(), y.end());
  const auto folds = StratifiedKFold(options.n_splits, options.shuffle, options.seed).split(labels);
  std::vector<double> scores(y.size(), 0.0);
  for (std::size_t f = 0; f < folds.size(); ++f) {
    const std::vector<double> fold_scores = fit_and_score(folds[f].train, folds[f].test);
    const std::string where = "out_of_fold_scores: fold " + std::to_string(f) + ": ";
    if (fold_scores.size() != folds[f].test.size()) {
      throw InvalidArgument(where + "the scorer returned " + std::to_string(fold_scores.size()) +
                            " scores for " + std::to_string(folds[f].test.size()) + " test rows");
    }
    for (std::size_t k = 0; k < fold_scores.size(); ++k) {
      if (!std::isfinite(fold_scores[k])) {
        throw InvalidArgument(where + "the score of row " + std::to_string(folds[f].test[k]) +
                              " is " + detail::shown_number(fold_scores[k]) +
                              "; scores must be finite");
      }
      scores[folds[f].test[k]] = fold_scores[k];
    }
    if (options.progress) options.progress(static_cast<double>(f + 1) / folds.size());
  }
  return scores;
}

Calibrator fit_calibrator_out_of_fold(CalibrationMethod method, Span<const int> y,
                                      const FoldScorer& fit_and_score,
                                      const OutOfFoldOptions& options) {
  const std::vector<double> scores = out_of_fold_scores(y, fit_and_score, options);
  return Calibrator::fit(method, scores, y);
}

}  // namespace claimlens
