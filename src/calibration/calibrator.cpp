// Calibrator: either calibrator behind one interface, and its JSON form
// (claimlens/calibration/calibrators.hpp).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/enum_names.hpp"
#include "claimlens/error.hpp"

namespace claimlens {

double probability_logit(double p) {
  if (std::isnan(p)) return p;
  const double q = std::min(std::max(p, DBL_EPSILON), 1.0 - DBL_EPSILON);
  return std::log(q / (1.0 - q));
}

namespace {
constexpr EnumNames<CalibrationMethod, 2> kMethodNames{
    {{{CalibrationMethod::Sigmoid, "sigmoid"}, {CalibrationMethod::Isotonic, "isotonic"}}}};
}  // namespace

const char* calibration_method_name(CalibrationMethod method) {
  return kMethodNames.name(method);
}

CalibrationMethod calibration_method_from_name(std::string_view name, const char* argument) {
  return kMethodNames.parse(name, argument);
}

Calibrator Calibrator::fit(CalibrationMethod method, Span<const double> scores, Span<const int> y) {
  if (method == CalibrationMethod::Isotonic) {
    return Calibrator(IsotonicCalibrator::fit(scores, y));
  }
  return Calibrator(SigmoidCalibrator::fit(scores, y));
}

CalibrationMethod Calibrator::method() const {
  return isotonic() ? CalibrationMethod::Isotonic : CalibrationMethod::Sigmoid;
}

double Calibrator::predict(double score) const {
  return std::visit([score](const auto& c) { return c.predict(score); }, impl_);
}

std::vector<double> Calibrator::predict(Span<const double> scores) const {
  return std::visit([scores](const auto& c) { return c.predict(scores); }, impl_);
}

nlohmann::json Calibrator::to_json() const {
  nlohmann::json j = std::visit([](const auto& c) { return c.to_json(); }, impl_);
  j["method"] = calibration_method_name(method());
  return j;
}

Calibrator Calibrator::from_json(const nlohmann::json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

Calibrator Calibrator::from_json(const JsonReader& j) {
  j.object();
  const JsonReader method = j.at("method");
  switch (method.choice({"sigmoid", "isotonic"})) {
    case 0:
      return Calibrator(SigmoidCalibrator::from_json(j));
    default:
      return Calibrator(IsotonicCalibrator::from_json(j));
  }
}

}  // namespace claimlens
