// The calibrated model (claimlens/model/calibrated_model.hpp): its rules, its document, and its
// implementation of the model layer's interface.
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/enum_names.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/metrics/binary.hpp"

namespace claimlens {

using Json = nlohmann::json;

namespace {
constexpr EnumNames<CalibrationScore, 2> kScoreNames{
    {{{CalibrationScore::Probability, "probability"}, {CalibrationScore::Logit, "logit"}}}};
}  // namespace

const char* calibration_score_name(CalibrationScore score) {
  return kScoreNames.name(score);
}

CalibrationScore calibration_score_from_name(std::string_view name, const char* argument) {
  return kScoreNames.parse(name, argument);
}

double calibration_score_of(CalibrationScore score, double p) {
  return score == CalibrationScore::Logit ? probability_logit(p) : p;
}

namespace {

// FNV-1a, 64 bits: a stable identity of the text (not a cryptographic hash).
std::string fnv1a_hex(const std::string& text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (const unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string compute_fingerprint(const Model& base, CalibrationScore score,
                                const std::optional<Calibrator>& calibrator) {
  const JsonDocument document = base.to_json();
  std::string text = std::string(base.model_type()) + "\n" + document->dump() + "\n" +
                     calibration_score_name(score) + "\n" +
                     (calibrator ? calibrator->to_json().dump() : std::string("null"));
  return fnv1a_hex(text);
}

void check_base(const Model& base) {
  if (base.get_if<CalibratedModel>() != nullptr) {
    throw InvalidArgument(
        "a calibrated model cannot be the base of another calibrated model: calibrate its base "
        "model instead");
  }
}

}  // namespace

CalibratedModel::CalibratedModel(Model base, CalibrationScore score,
                                 std::optional<Calibrator> calibrator,
                                 std::optional<OperatingPoint> operating_point)
    : base_(std::move(base)),
      score_(score),
      calibrator_(std::move(calibrator)),
      operating_point_(std::move(operating_point)) {
  check_base(base_);
  if (operating_point_ && !std::isfinite(operating_point_->threshold)) {
    throw InvalidArgument("the operating point's threshold must be finite");
  }
  fingerprint_ = compute_fingerprint(base_, score_, calibrator_);
}

double CalibratedModel::threshold() const {
  return operating_point_ ? operating_point_->threshold : kDecisionThreshold;
}

double CalibratedModel::calibrate(double p) const {
  if (!calibrator_ || std::isnan(p)) return p;
  return calibrator_->predict(calibration_score_of(score_, p));
}

CalibratedModel CalibratedModel::with_operating_point(OperatingPoint point) const {
  CalibratedModel copy = *this;
  if (!std::isfinite(point.threshold)) {
    throw InvalidArgument("the operating point's threshold must be finite");
  }
  copy.operating_point_ = std::move(point);
  return copy;
}

Json CalibratedModel::to_json() const {
  Json j = Json::object();
  j["base_type"] = base_.model_type();
  j["base"] = base_.to_json();
  j["score"] = calibration_score_name(score_);
  j["calibrator"] = calibrator_ ? calibrator_->to_json() : Json(nullptr);
  j["operating_point"] = operating_point_ ? operating_point_->to_json() : Json(nullptr);
  j["operating_point_model"] = operating_point_ ? Json(fingerprint_) : Json(nullptr);
  return j;
}

CalibratedModel CalibratedModel::from_json(const JsonReader& j, Span<const ModelType> base_types) {
  j.object().only_keys(
      {"base_type", "base", "score", "calibrator", "operating_point", "operating_point_model"});
  const JsonReader type = j.at("base_type");
  const std::string base_type = type.string();
  if (base_type == kModelType) type.fail("cannot be \"calibrated\" (a calibrated model's base)");
  Model base = read_model_document(base_types, base_type, j.at("base"));
  const CalibrationScore score = j.at("score").choice({"probability", "logit"}) == 0
                                     ? CalibrationScore::Probability
                                     : CalibrationScore::Logit;
  std::optional<Calibrator> calibrator;
  const JsonReader cal = j.at("calibrator");
  if (!cal.value().is_null()) calibrator = Calibrator::from_json(cal);
  CalibratedModel model(std::move(base), score, std::move(calibrator));
  const JsonReader point = j.at("operating_point"), bound = j.at("operating_point_model");
  if (point.value().is_null()) {
    if (!bound.value().is_null()) bound.fail("must be null when there is no operating point");
    return model;
  }
  const std::string fingerprint = bound.string();
  if (fingerprint != model.fingerprint()) {
    bound.fail("is " + fingerprint +
               ": the operating point was chosen for another model (this "
               "model's fingerprint is " +
               model.fingerprint() + ")");
  }
  model.operating_point_ = OperatingPoint::from_json(point);
  return model;
}

namespace {

class CalibratedInterface final : public ModelInterface {
 public:
  explicit CalibratedInterface(CalibratedModel model) : model_(std::move(model)) {}

  const char* model_type() const override { return CalibratedModel::kModelType; }
  std::size_t num_features() const override { return base().num_features(); }
  std::vector<std::string> feature_names() const override { return base().feature_names(); }
  bool accepts_matrix() const override { return base().accepts_matrix(); }
  void predict_proba(const double* x, std::size_t rows, std::size_t cols,
                     double* out) const override {
    base().predict_proba(x, rows, cols, out);
    for (std::size_t i = 0; i < rows; ++i) out[i] = model_.calibrate(out[i]);
  }
  void predict_proba_rows(const double* x, std::size_t rows, double* out) const override {
    base().predict_proba_rows(x, rows, out);
    for (std::size_t i = 0; i < rows; ++i) out[i] = model_.calibrate(out[i]);
  }
  std::vector<double> predict_proba(const DataFrame& frame,
                                    const std::vector<std::string>& ignore) const override {
    std::vector<double> p = base().predict_proba(frame, ignore);
    for (double& v : p) v = model_.calibrate(v);
    return p;
  }
  std::vector<double> feature_importances() const override { return base().feature_importances(); }
  ModelSchema schema() const override { return base().schema(); }
  double threshold() const override { return model_.threshold(); }
  std::string describe() const override {
    std::string out = "calibrated (";
    const auto& cal = model_.calibrator();
    out += cal ? std::string(calibration_method_name(cal->method())) + " on the " +
                     calibration_score_name(model_.score())
               : std::string("not calibrated");
    if (const auto& op = model_.operating_point()) {
      // JSON's number text: shortest round trip, independent of the locale.
      out += ", threshold " + Json(op->threshold).dump() + " for " +
             operating_target_name(op->target_metric) + " >= " + Json(op->target).dump();
    }
    return out + ") of " + base().describe();
  }
  Json to_json() const override { return model_.to_json(); }
  const void* object(const std::type_info& type) const override {
    return type == typeid(CalibratedModel) ? &model_ : nullptr;
  }

  // Explanations are the base model's, on its scale: a calibration map is monotone but not
  // additive, so Shapley values of the calibrated probability would not be the base's
  // contributions passed through it (docs/explanations.md).
  ShapScale explanation_scale() const override { return base().explanation_scale(); }
  double expected_value() const override { return base().expected_value(); }
  void explain(const double* x, std::size_t rows, std::size_t cols, double* out, double* residual,
               double* output) const override {
    base().explain(x, rows, cols, out, residual, output);
  }
  void explain_rows(const double* x, std::size_t rows, double* out, double* residual,
                    double* output) const override {
    base().explain_rows(x, rows, out, residual, output);
  }
  ShapValues explain(const DataFrame& frame,
                     const std::vector<std::string>& ignore) const override {
    return base().explain(frame, ignore);
  }
  std::vector<std::string> feature_groups() const override { return base().feature_groups(); }

 private:
  const Model& base() const { return model_.base(); }
  CalibratedModel model_;
};

}  // namespace

std::shared_ptr<const ModelInterface> make_model_interface(CalibratedModel model) {
  return std::make_shared<const CalibratedInterface>(std::move(model));
}

std::optional<OperatingPoint> model_operating_point(const Model& model) {
  const auto* calibrated = model.get_if<CalibratedModel>();
  return calibrated ? calibrated->operating_point() : std::nullopt;
}

std::string model_fingerprint(const Model& model) {
  if (const auto* calibrated = model.get_if<CalibratedModel>()) return calibrated->fingerprint();
  return CalibratedModel(model, CalibrationScore::Probability, std::nullopt).fingerprint();
}

Model with_operating_point(const Model& model, OperatingPoint point,
                           const std::string& fingerprint) {
  const auto* calibrated = model.get_if<CalibratedModel>();
  const CalibratedModel target =
      calibrated ? *calibrated
                 : CalibratedModel(model, CalibrationScore::Probability, std::nullopt);
  if (fingerprint != target.fingerprint()) {
    throw InvalidArgument("the operating point was chosen for another model (fingerprint " +
                          fingerprint + ", this model's is " + target.fingerprint() + ")");
  }
  return Model(target.with_operating_point(std::move(point)));
}

Model choose_model_operating_point(const Model& model, Span<const double> held_out_proba,
                                   Span<const int> y, OperatingTarget metric, double target,
                                   const BootstrapOptions& bootstrap) {
  OperatingPoint point = choose_operating_point(held_out_proba, y, metric, target, bootstrap);
  return with_operating_point(model, std::move(point), model_fingerprint(model));
}

}  // namespace claimlens
