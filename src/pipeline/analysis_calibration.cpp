// Step 6 of the analysis (issue 18, "probabilities a moderation team can act on"): the claim
// classifier's champion calibrated on its validation split, a threshold chosen there for a target
// precision, and both measured on the test split; and the step's JSON. Nothing is trained but the
// calibrator: the classifier scores its two held-out splits once.
#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/pipeline/analysis.hpp"
#include "claimlens/preprocessing/encoders.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

std::vector<int> claim_labels(const DataFrame& frame) {
  const std::vector<double> y =
      BinaryLabelEncoder("claim", "opinion").transform(frame.column("claim_status"));
  return std::vector<int>(y.begin(), y.end());
}

ProbabilityQuality quality_of(Span<const int> y, Span<const double> p) {
  constexpr int bins = CalibrationAnalysis::kCalibrationBins;
  ProbabilityQuality q;
  q.brier_score = brier_score_loss(y, p);
  q.ece = expected_calibration_error(y, p, bins, CalibrationStrategy::Uniform);
  q.log_loss = log_loss(y, p);
  q.curve = calibration_curve(y, p, bins, CalibrationStrategy::Uniform);
  return q;
}

// `chosen`'s threshold applied to other rows: their counts, precision (0 when nothing is above
// the threshold), recall and bootstrap intervals.
OperatingPoint point_at(Span<const double> scores, Span<const int> y, const OperatingPoint& chosen,
                        const BootstrapOptions& bootstrap) {
  OperatingPoint p = chosen;
  p.tp = p.fp = p.fn = p.tn = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    const bool positive = p.predicts_positive(scores[i]);
    if (y[i] == 1) {
      ++(positive ? p.tp : p.fn);
    } else {
      ++(positive ? p.fp : p.tn);
    }
  }
  p.precision = p.tp + p.fp > 0 ? double(p.tp) / double(p.tp + p.fp) : 0.0;
  p.recall = double(p.tp) / double(p.tp + p.fn);  // the test split holds both classes
  p.bootstrap = bootstrap_precision_recall(scores, y, p.threshold, bootstrap);
  return p;
}

Json quality_json(const ProbabilityQuality& q) {
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["brier_score"] = q.brier_score;
  out["ece"] = q.ece;
  out["log_loss"] = q.log_loss;
  Json& curve = out["calibration_curve"] = Json::object();
  curve["prob_true"] = q.curve.prob_true;
  curve["prob_pred"] = q.curve.prob_pred;
  curve["count"] = q.curve.count;
  curve["edges"] = q.curve.edges;
  return std::move(out);
}

}  // namespace

CalibrationAnalysis calibrate_classifier(const ClaimClassifier& classifier, const DataFrame& videos,
                                         std::uint64_t seed) {
  const ClaimSplit rows = claim_classifier_rows(videos, seed);
  const DataFrame validation = videos.take(rows.validation), test = videos.take(rows.test);
  const std::vector<int> y_val = claim_labels(validation), y_test = claim_labels(test);
  const std::vector<double> raw_val = classifier.predict_proba(validation);
  const std::vector<double> raw_test = classifier.predict_proba(test);
  CalibrationAnalysis c;
  c.validation_rows = y_val.size();
  c.test_rows = y_test.size();
  try {
    // Isotonic reads the probability itself (default_calibration_score for isotonic).
    c.calibrator = Calibrator::fit(c.method, raw_val, y_val);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument(std::string("calibration: ") + e.what());
  }
  const std::vector<double> cal_val = c.calibrator.predict(raw_val);
  const std::vector<double> cal_test = c.calibrator.predict(raw_test);
  c.raw = quality_of(y_test, raw_test);
  c.calibrated = quality_of(y_test, cal_test);
  c.test_curve = precision_recall_curve(y_test, cal_test);
  BootstrapOptions bootstrap;
  bootstrap.seed = seed;
  try {
    c.operating_point = choose_operating_point(cal_val, y_val, OperatingTarget::Precision,
                                               CalibrationAnalysis::kTargetPrecision, bootstrap);
  } catch (const InvalidArgument& e) {
    c.operating_point_error = e.what();  // the target is out of reach: said, not fatal
  }
  if (c.operating_point) c.test_point = point_at(cal_test, y_test, *c.operating_point, bootstrap);
  return c;
}

Json CalibrationAnalysis::to_json() const {
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["method"] = calibration_method_name(method);
  out["score"] = calibration_score_name(CalibrationScore::Probability);
  out["fitted_on"] = "validation";
  out["evaluated_on"] = "test";
  out["validation_rows"] = validation_rows;
  out["test_rows"] = test_rows;
  out["n_bins"] = kCalibrationBins;
  out["strategy"] = calibration_strategy_name(CalibrationStrategy::Uniform);
  out["calibrator"] = calibrator.to_json();
  out["raw"] = quality_json(raw);
  out["calibrated"] = quality_json(calibrated);
  Json& curve = out["precision_recall_curve"] = Json::object();
  curve["precision"] = test_curve.precision;
  curve["recall"] = test_curve.recall;
  curve["thresholds"] = test_curve.thresholds;
  Json& point = out["operating_point"] = Json::object();
  point["target_metric"] = operating_target_name(OperatingTarget::Precision);
  point["target"] = kTargetPrecision;
  point["validation"] = operating_point ? operating_point->to_json() : Json(nullptr);
  point["test"] = test_point ? test_point->to_json() : Json(nullptr);
  point["error"] = operating_point ? Json(nullptr) : Json(operating_point_error);
  return std::move(out);
}

}  // namespace claimlens
