// Probability calibrators fitted on (score, 0/1 label) pairs: Platt scaling (scikit-learn's
// method="sigmoid") and isotonic regression (method="isotonic", scikit-learn's
// IsotonicRegression(out_of_bounds="clip") as CalibratedClassifierCV uses it), and Calibrator,
// which holds either and is what a model stores. A score is whatever the model ranks by: a
// probability, a margin or log-odds. docs/calibration.md describes both methods.
//
// fit refuses, naming the argument: empty or mismatched inputs, labels other than 0/1, a NaN or
// infinite score (with its index), labels of one class only, and scores that are all equal.
// predict maps NaN to NaN (a missing score stays missing, as the models' predict_proba does).
#pragma once

#include <cstddef>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/json_reader.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// How the Newton solver of SigmoidCalibrator::fit ended.
struct SigmoidFitReport {
  int iterations = 0;
  /// The Newton decrement says the objective is within 1e-12 * max(1, objective) of its minimum.
  bool converged = false;
  double objective = 0.0;       ///< Platt's objective (cross-entropy to the smoothed targets)
  double gradient[2] = {0, 0};  ///< its gradient in (a, b) at the solution
};

/// Platt scaling: P(y = 1 | s) = 1 / (1 + exp(a s + b)), Platt's and scikit-learn's sign (a < 0
/// when higher scores mean class 1). fit minimises the cross-entropy to Platt's smoothed targets
/// (N+ + 1) / (N+ + 2) for positives and 1 / (N- + 2) for negatives by Newton's method with a
/// backtracking line search in the numerically stable form of Lin, Lin and Weng (2007), "A note
/// on Platt's probabilistic outputs for support vector machines" (libsvm's sigmoid_train),
/// iterated to the optimum rather than to libsvm's gradient tolerance.
class SigmoidCalibrator {
 public:
  SigmoidCalibrator() = default;
  /// A calibrator with given parameters (finite; InvalidArgument otherwise).
  SigmoidCalibrator(double a, double b);

  static SigmoidCalibrator fit(Span<const double> scores, Span<const int> y);

  double a() const { return a_; }
  double b() const { return b_; }
  const SigmoidFitReport& report() const { return report_; }

  double predict(double score) const;
  std::vector<double> predict(Span<const double> scores) const;

  /// {"a", "b", "iterations", "converged", "objective"}.
  nlohmann::json to_json() const;
  static SigmoidCalibrator from_json(const JsonReader& j);

 private:
  double a_ = 0.0, b_ = 0.0;
  SigmoidFitReport report_;
};

/// Platt's objective at (a, b): sum_i log(1 + e^z_i) - (1 - t_i) z_i with z_i = a s_i + b and t_i
/// the smoothed targets, in the stable form; and its gradient sum_i (t_i - p_i) [s_i, 1], p_i =
/// 1 / (1 + e^z_i) (scikit-learn's grad). Checked like fit.
double sigmoid_objective(Span<const double> scores, Span<const int> y, double a, double b);
void sigmoid_gradient(Span<const double> scores, Span<const int> y, double a, double b,
                      double gradient[2]);

/// Isotonic regression of the labels on the scores with scikit-learn 1.2's rules: rows sorted
/// by (score, label); scores closer than 1e-15 (np.finfo(float64).resolution) to the first of
/// a run merged into it, their labels averaged; pool-adjacent-violators (equal neighbours pooled
/// too); interior points equal to both neighbours dropped. predict clips the score to
/// [x_thresholds.front(), x_thresholds.back()] and interpolates linearly as np.interp does.
class IsotonicCalibrator {
 public:
  IsotonicCalibrator() = default;
  /// From thresholds: x strictly increasing and finite, y non-decreasing in [0, 1], same size,
  /// at least one point (InvalidArgument otherwise).
  IsotonicCalibrator(std::vector<double> x_thresholds, std::vector<double> y_thresholds);

  static IsotonicCalibrator fit(Span<const double> scores, Span<const int> y);

  const std::vector<double>& x_thresholds() const { return x_; }
  const std::vector<double>& y_thresholds() const { return y_; }

  double predict(double score) const;
  std::vector<double> predict(Span<const double> scores) const;

  /// {"x_thresholds": [...], "y_thresholds": [...]}.
  nlohmann::json to_json() const;
  static IsotonicCalibrator from_json(const JsonReader& j);

 private:
  std::vector<double> x_, y_;
};

/// scikit-learn's isotonic_regression(y, sample_weight) (increasing, no bounds): the
/// non-decreasing sequence closest to y in weighted least squares, by pool-adjacent-violators.
/// Weights positive and finite, same size as y.
std::vector<double> isotonic_regression(Span<const double> y, Span<const double> weight);

/// The log-odds log(p / (1 - p)) of a probability clipped to [eps, 1 - eps], eps = 2^-52 (as
/// log_loss clips), so 0 and 1 give finite scores (about -36.04 and 36.04): the score to
/// calibrate with Platt scaling when a model gives probabilities only. NaN gives NaN.
double probability_logit(double p);

/// The calibration methods, by scikit-learn's names.
enum class CalibrationMethod { Sigmoid, Isotonic };
const char* calibration_method_name(CalibrationMethod method);
/// "sigmoid" or "isotonic"; InvalidArgument naming `argument` otherwise.
CalibrationMethod calibration_method_from_name(std::string_view name,
                                               const char* argument = "method");

/// One fitted calibrator of either method: what a calibrated model stores.
class Calibrator {
 public:
  Calibrator() = default;
  explicit Calibrator(SigmoidCalibrator sigmoid) : impl_(std::move(sigmoid)) {}
  explicit Calibrator(IsotonicCalibrator isotonic) : impl_(std::move(isotonic)) {}

  static Calibrator fit(CalibrationMethod method, Span<const double> scores, Span<const int> y);

  CalibrationMethod method() const;
  /// The calibrator of its method, or nullptr.
  const SigmoidCalibrator* sigmoid() const { return std::get_if<SigmoidCalibrator>(&impl_); }
  const IsotonicCalibrator* isotonic() const { return std::get_if<IsotonicCalibrator>(&impl_); }

  /// Calibrated P(y = 1) of a score.
  double predict(double score) const;
  std::vector<double> predict(Span<const double> scores) const;

  /// {"method": "sigmoid", ...SigmoidCalibrator} or {"method": "isotonic", ...}.
  nlohmann::json to_json() const;
  /// A saved calibrator (ModelFormatError naming the key path at fault).
  static Calibrator from_json(const nlohmann::json& j);
  /// Errors follow j's source and name paths under j's.
  static Calibrator from_json(const JsonReader& j);

 private:
  std::variant<SigmoidCalibrator, IsotonicCalibrator> impl_;
};

}  // namespace claimlens
