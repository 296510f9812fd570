// Calibration metrics: brier_score_loss and calibration_curve equal to scikit-learn 1.2's, and
// the expected calibration error (ECE) over calibration_curve's bins, which scikit-learn does not
// have (docs/calibration.md defines it). log_loss is in claimlens/metrics/classification.hpp.
// Labels are 0/1; probabilities P(y = 1) must lie in [0, 1] (NaN refused, naming the index).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "claimlens/span.hpp"

namespace claimlens {

/// How calibration_curve places its bin edges (scikit-learn's `strategy`).
enum class CalibrationStrategy {
  Uniform,   ///< np.linspace(0, 1, n_bins + 1)
  Quantile,  ///< np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)
};

/// "uniform" or "quantile".
const char* calibration_strategy_name(CalibrationStrategy strategy);
/// The strategy of a name; InvalidArgument naming `argument` and the valid names otherwise.
CalibrationStrategy calibration_strategy_from_name(std::string_view name,
                                                   const char* argument = "strategy");

/// The reliability diagram's points. prob_true and prob_pred are scikit-learn's return values;
/// count and edges say where they come from.
struct CalibrationCurve {
  std::vector<double> prob_true;    ///< fraction of positives in each non-empty bin
  std::vector<double> prob_pred;    ///< mean predicted probability in each non-empty bin
  std::vector<std::int64_t> count;  ///< samples in each non-empty bin
  std::vector<double> edges;        ///< the n_bins + 1 bin edges (quantile edges may repeat)
};

/// sklearn.calibration.calibration_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy):
/// a sample goes to the bin whose inner edges surround it, np.searchsorted(edges[1:-1], p) (a
/// probability equal to an inner edge goes to the lower bin); bins without samples are dropped.
/// Sums run in sample order like np.bincount. n_bins >= 1.
CalibrationCurve calibration_curve(Span<const int> y_true, Span<const double> y_prob,
                                   int n_bins = 5,
                                   CalibrationStrategy strategy = CalibrationStrategy::Uniform);

/// Expected calibration error over the bins of calibration_curve(y_true, y_prob, n_bins,
/// strategy): sum over non-empty bins b of (n_b / n) |prob_true_b - prob_pred_b|.
double expected_calibration_error(Span<const int> y_true, Span<const double> y_prob,
                                  int n_bins = 10,
                                  CalibrationStrategy strategy = CalibrationStrategy::Uniform);

/// sklearn.metrics.brier_score_loss: mean of (y - p)^2 (numpy's pairwise sum, then / n).
double brier_score_loss(Span<const int> y_true, Span<const double> y_prob);

}  // namespace claimlens
