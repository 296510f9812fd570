// Brier score, calibration_curve and the expected calibration error
// (claimlens/metrics/calibration.hpp), in scikit-learn 1.2's and numpy's arithmetic.
#include "claimlens/metrics/calibration.hpp"
#include "claimlens/enum_names.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "common.hpp"

namespace claimlens {

namespace {

void check_probabilities(const char* function, Span<const int> y_true, Span<const double> y_prob) {
  detail::check_binary_labels(function, y_true, y_prob.size(), "y_prob");
  for (std::size_t i = 0; i < y_prob.size(); ++i) {
    if (!(y_prob[i] >= 0.0 && y_prob[i] <= 1.0)) {
      throw InvalidArgument(std::string(function) + ": y_prob[" + std::to_string(i) +
                            "] = " + std::to_string(y_prob[i]) + " is not a probability in [0, 1]");
    }
  }
}

// np.linspace(0, 1, n + 1): i * (1 / n), the last one exactly 1.
std::vector<double> unit_linspace(int n_bins) {
  const double step = 1.0 / n_bins;
  std::vector<double> edges(static_cast<std::size_t>(n_bins) + 1);
  for (std::size_t i = 0; i < edges.size(); ++i) edges[i] = static_cast<double>(i) * step;
  edges.back() = 1.0;
  return edges;
}

std::vector<double> bin_edges(Span<const double> y_prob, int n_bins, CalibrationStrategy strategy) {
  std::vector<double> edges = unit_linspace(n_bins);
  if (strategy == CalibrationStrategy::Uniform) return edges;
  // np.percentile(y_prob, q * 100) divides by 100 again before numpy's linear quantile.
  for (double& q : edges) q = (q * 100.0) / 100.0;
  return stats::quantiles(y_prob, edges, stats::QuantileMethod::Linear);
}

}  // namespace

namespace {
constexpr EnumNames<CalibrationStrategy, 2> kStrategyNames{
    {{{CalibrationStrategy::Uniform, "uniform"}, {CalibrationStrategy::Quantile, "quantile"}}}};
}  // namespace

const char* calibration_strategy_name(CalibrationStrategy strategy) {
  return kStrategyNames.name(strategy);
}

CalibrationStrategy calibration_strategy_from_name(std::string_view name, const char* argument) {
  return kStrategyNames.parse(name, argument);
}

CalibrationCurve calibration_curve(Span<const int> y_true, Span<const double> y_prob, int n_bins,
                                   CalibrationStrategy strategy) {
  check_probabilities("calibration_curve", y_true, y_prob);
  if (n_bins < 1) {
    throw InvalidArgument("calibration_curve: n_bins must be at least 1, not " +
                          std::to_string(n_bins));
  }
  CalibrationCurve curve;
  curve.edges = bin_edges(y_prob, n_bins, strategy);
  const auto inner_begin = curve.edges.begin() + 1, inner_end = curve.edges.end() - 1;
  const std::size_t bins = static_cast<std::size_t>(n_bins);
  std::vector<double> sum_prob(bins, 0.0), sum_true(bins, 0.0);
  std::vector<std::int64_t> total(bins, 0);
  for (std::size_t i = 0; i < y_prob.size(); ++i) {
    // np.searchsorted(edges[1:-1], p, side="left"): the number of inner edges below p.
    const auto b =
        static_cast<std::size_t>(std::lower_bound(inner_begin, inner_end, y_prob[i]) - inner_begin);
    sum_prob[b] += y_prob[i];
    sum_true[b] += static_cast<double>(y_true[i]);
    ++total[b];
  }
  for (std::size_t b = 0; b < bins; ++b) {
    if (total[b] == 0) continue;
    const double n = static_cast<double>(total[b]);
    curve.prob_true.push_back(sum_true[b] / n);
    curve.prob_pred.push_back(sum_prob[b] / n);
    curve.count.push_back(total[b]);
  }
  return curve;
}

double expected_calibration_error(Span<const int> y_true, Span<const double> y_prob, int n_bins,
                                  CalibrationStrategy strategy) {
  const CalibrationCurve curve = calibration_curve(y_true, y_prob, n_bins, strategy);
  const double n = static_cast<double>(y_prob.size());
  std::vector<double> terms(curve.count.size());
  for (std::size_t b = 0; b < terms.size(); ++b) {
    terms[b] =
        static_cast<double>(curve.count[b]) / n * std::abs(curve.prob_true[b] - curve.prob_pred[b]);
  }
  return detail::pairwise_sum(terms.data(), terms.size());
}

double brier_score_loss(Span<const int> y_true, Span<const double> y_prob) {
  check_probabilities("brier_score_loss", y_true, y_prob);
  std::vector<double> squares(y_prob.size());
  for (std::size_t i = 0; i < y_prob.size(); ++i) {
    const double d = static_cast<double>(y_true[i]) - y_prob[i];
    squares[i] = d * d;
  }
  return detail::pairwise_sum(squares.data(), squares.size()) / static_cast<double>(squares.size());
}

}  // namespace claimlens
