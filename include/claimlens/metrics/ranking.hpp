// Ranking metrics for binary scores, equal to sklearn.metrics.roc_curve, precision_recall_curve
// and roc_auc_score (scikit-learn 1.2), including their handling of tied scores.
#pragma once

#include <vector>

#include "claimlens/span.hpp"

namespace claimlens {

/// Points of the ROC curve, from (0, 0) to (1, 1).
struct RocCurve {
  std::vector<double> fpr, tpr;
  /// Decreasing; thresholds[0] = thresholds[1] + 1 (no sample predicted positive), as sklearn 1.2.
  std::vector<double> thresholds;
};

/// sklearn.metrics.roc_curve(y_true, y_score, drop_intermediate). y_true in {0, 1} with both
/// classes present; scores finite. Tied scores form one point (one threshold).
RocCurve roc_curve(Span<const int> y_true, Span<const double> y_score,
                   bool drop_intermediate = true);

/// Points of the precision-recall curve, as sklearn 1.2 returns them: recall decreasing to a
/// last point (precision 1, recall 0) that has no threshold.
struct PrecisionRecallCurve {
  std::vector<double> precision, recall;
  /// Increasing: the distinct scores; point i counts the samples with score >= thresholds[i].
  std::vector<double> thresholds;
};

/// sklearn.metrics.precision_recall_curve(y_true, probas_pred): one point per distinct score
/// (tied scores form one point), none dropped. Same inputs as roc_curve (both classes present,
/// scores finite).
PrecisionRecallCurve precision_recall_curve(Span<const int> y_true, Span<const double> y_score);

/// Area under the ROC curve with tied scores counted as half (the trapezoid over tied groups,
/// as sklearn's roc_auc_score), computed exactly from integer counts. O(n) after sorting.
double roc_auc_score(Span<const int> y_true, Span<const double> y_score);

}  // namespace claimlens
