// The library's one rule for turning P(y = 1) into a class, and the confusion counts of 0/1
// labels against probabilities under that rule. Every place that derives classes from
// probabilities (predict() of the models, cross-validation scores, validation and test reports,
// the CLI's evaluate) goes through predicts_positive, so a probability of exactly 0.5 gets the
// same class everywhere.
#pragma once

#include <cstdint>
#include <vector>

#include "claimlens/span.hpp"

namespace claimlens {

/// The decision threshold on P(y = 1): class 1 iff P(y = 1) > kDecisionThreshold, so a
/// probability of exactly 0.5 is class 0. This is the peers' rule: scikit-learn's predict takes
/// the argmax of [1 - p, p], which gives a tie to the first class (0), LogisticRegression.predict
/// needs decision_function > 0, and XGBClassifier predicts 1 where proba > 0.5.
inline constexpr double kDecisionThreshold = 0.5;

/// True when a probability P(y = 1) predicts class 1 (p > kDecisionThreshold; NaN is class 0).
constexpr bool predicts_positive(double p) {
  return p > kDecisionThreshold;
}

/// The class (0 or 1) a probability P(y = 1) predicts, by predicts_positive.
constexpr int predicted_class(double p) {
  return predicts_positive(p) ? 1 : 0;
}

/// predicted_class of each probability.
std::vector<int> predicted_classes(Span<const double> proba);

/// Confusion counts of 0/1 labels against the classes predicted_class gives their probabilities.
/// The ratios are exact ratios of the counts (one rounding each); a ratio with a zero denominator
/// is 0, scikit-learn's zero_division default.
struct BinaryCounts {
  std::int64_t tn = 0, fp = 0, fn = 0, tp = 0;

  std::int64_t total() const { return tn + fp + fn + tp; }
  double accuracy() const;   ///< (tp + tn) / total
  double precision() const;  ///< tp / (tp + fp)
  double recall() const;     ///< tp / (tp + fn)
  /// 2 tp / (2 tp + fp + fn): the count form of F1 (scikit-learn >= 1.3 computes it so);
  /// f1_score keeps scikit-learn 1.2's 2 P R / (P + R), which may differ in the last bit.
  double f1() const;
};

/// The counts of y_true (0/1 labels) against proba (P(y = 1) of each sample) in one pass, copying
/// neither. InvalidArgument when the sizes differ, y_true is empty or not 0/1, or a probability
/// is NaN or outside [0, 1] (naming the index).
BinaryCounts binary_counts(Span<const int> y_true, Span<const double> proba);

}  // namespace claimlens
