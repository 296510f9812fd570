// A calibrated model (model_type "calibrated"): a base Model of any type, the score its
// calibrator reads, the calibrator, and an optional operating point (the decision threshold with
// the precision and recall it reached on held-out rows). It is a model like any other: saved in
// the same file, loaded by the same loader (model_io), served by every interface; predict_proba
// gives calibrated probabilities and base() the raw ones. docs/calibration.md, "Calibrated
// models", describes the document and the rules.
//
// A model with an operating point but no calibrator is the same type (calibrator null): that is
// how `claimlens threshold` gives a decision threshold to a model that is not calibrated.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/calibration/operating_point.hpp"
#include "claimlens/model/model.hpp"

namespace claimlens {

/// What the calibrator reads from the base model's P(positive).
enum class CalibrationScore {
  Probability,  ///< P itself
  /// probability_logit(P): the margin of a logistic regression or of boosted trees up to rounding
  /// (log(P / (1 - P)) undoes their sigmoid; clipped at about +-36.04).
  Logit,
};
const char* calibration_score_name(CalibrationScore score);  ///< "probability" / "logit"
/// The score of a name; InvalidArgument naming `argument` otherwise.
CalibrationScore calibration_score_from_name(std::string_view name, const char* argument = "score");
/// The score of a base probability (NaN stays NaN).
double calibration_score_of(CalibrationScore score, double p);

class CalibratedModel {
 public:
  static constexpr const char* kModelType = "calibrated";

  /// base: any model but a calibrated one (InvalidArgument: calibrate its base instead).
  /// calibrator: none for a model that only carries an operating point. The operating point, when
  /// given, must hold a finite threshold.
  CalibratedModel(Model base, CalibrationScore score, std::optional<Calibrator> calibrator,
                  std::optional<OperatingPoint> operating_point = std::nullopt);

  const Model& base() const { return base_; }
  CalibrationScore score() const { return score_; }
  const std::optional<Calibrator>& calibrator() const { return calibrator_; }
  const std::optional<OperatingPoint>& operating_point() const { return operating_point_; }
  /// The operating point's threshold, else kDecisionThreshold (0.5).
  double threshold() const;

  /// The calibrated probability of a base probability: calibrator(score(p)), or p without a
  /// calibrator; NaN stays NaN. predict_proba applies it to every row.
  double calibrate(double p) const;

  /// What an operating point is bound to: FNV-1a 64 (16 hex digits) of the base's model_type, its
  /// document, the score's name and the calibrator's document (or null), each as compact JSON
  /// with sorted keys, separated by newlines. Not a security measure: it catches an operating
  /// point moved to a model it was not chosen for.
  const std::string& fingerprint() const { return fingerprint_; }

  /// A copy holding `point` (replacing any operating point).
  CalibratedModel with_operating_point(OperatingPoint point) const;

  /// {"base_type", "base", "score", "calibrator": {...} | null, "operating_point": {...} | null,
  /// "operating_point_model": fingerprint | null}.
  nlohmann::json to_json() const;
  /// Reads a document, its base through `base_types` (the loader's table, model_io); the error of
  /// j's source naming the key path: a base of an unknown type or itself calibrated, a score not
  /// "probability"/"logit", an invalid calibrator or operating point, an operating point without
  /// its fingerprint or with another model's ("was chosen for another model").
  static CalibratedModel from_json(const JsonReader& j, Span<const ModelType> base_types);

 private:
  Model base_;
  CalibrationScore score_;
  std::optional<Calibrator> calibrator_;
  std::optional<OperatingPoint> operating_point_;
  std::string fingerprint_;
};

std::shared_ptr<const ModelInterface> make_model_interface(CalibratedModel model);

/// The operating point of any model with its fingerprint: a calibrated model's own (nullopt when
/// it has none, and for every other type).
std::optional<OperatingPoint> model_operating_point(const Model& model);
/// The fingerprint an operating point of `model` is bound to (CalibratedModel::fingerprint; for a
/// model of another type, that of the model wrapped without a calibrator).
std::string model_fingerprint(const Model& model);

/// `model` with `point` as its operating point: a calibrated model keeps its calibrator, any other
/// model is wrapped without one. `fingerprint` must be model_fingerprint(model) (InvalidArgument
/// saying the operating point was chosen for another model otherwise).
Model with_operating_point(const Model& model, OperatingPoint point,
                           const std::string& fingerprint);

/// Chooses the operating point of `model` on held-out rows (choose_operating_point on
/// `held_out_proba`, the model's own predict_proba of those rows, and their 0/1 labels) and
/// returns the model holding it (with_operating_point). Errors of choose_operating_point.
Model choose_model_operating_point(const Model& model, Span<const double> held_out_proba,
                                   Span<const int> y, OperatingTarget metric, double target,
                                   const BootstrapOptions& bootstrap = {});

}  // namespace claimlens
