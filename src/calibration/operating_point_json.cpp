// OperatingPoint as JSON (claimlens/calibration/operating_point.hpp): what a model file stores.
#include <limits>
#include <string>

#include "claimlens/calibration/operating_point.hpp"
#include "claimlens/json_document.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

constexpr std::int64_t kMaxCount = std::numeric_limits<std::int64_t>::max();

Json interval_json(const Interval& interval) {
  JsonDocument doc(Json::array());
  doc->push_back(interval.lower);
  doc->push_back(interval.upper);
  return std::move(*doc);
}

double rate(const JsonReader& r) {
  const double v = r.finite();
  if (!(v >= 0.0 && v <= 1.0)) r.fail_value("must be in [0, 1]");
  return v;
}

Interval read_interval(const JsonReader& r) {
  if (r.array_size() != 2) r.fail_value("must be [lower, upper]");
  Interval interval{rate(r.at(std::size_t{0})), rate(r.at(std::size_t{1}))};
  if (interval.lower > interval.upper) r.fail_value("must have lower <= upper");
  return interval;
}

Json bootstrap_json(const BootstrapIntervals& b) {
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["n_resamples"] = b.n_resamples;
  j["seed"] = b.seed;
  j["confidence"] = b.confidence;
  j["precision"] = interval_json(b.precision);
  j["recall"] = interval_json(b.recall);
  j["precision_resamples"] = b.precision_resamples;
  j["recall_resamples"] = b.recall_resamples;
  return std::move(j);
}

BootstrapIntervals read_bootstrap(const JsonReader& r) {
  r.object().only_keys({"n_resamples", "seed", "confidence", "precision", "recall",
                        "precision_resamples", "recall_resamples"});
  BootstrapIntervals b;
  b.n_resamples = static_cast<int>(r.at("n_resamples").integer(1, 1000000));
  b.seed = r.at("seed").unsigned64();
  const JsonReader confidence = r.at("confidence");
  b.confidence = confidence.finite();
  if (!(b.confidence > 0.0 && b.confidence < 1.0)) confidence.fail_value("must be in (0, 1)");
  b.precision = read_interval(r.at("precision"));
  b.recall = read_interval(r.at("recall"));
  b.precision_resamples = static_cast<int>(r.at("precision_resamples").integer(0, b.n_resamples));
  b.recall_resamples = static_cast<int>(r.at("recall_resamples").integer(0, b.n_resamples));
  return b;
}

}  // namespace

Json OperatingPoint::to_json() const {
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["target_metric"] = operating_target_name(target_metric);
  j["target"] = target;
  j["threshold"] = threshold;
  j["precision"] = precision;
  j["recall"] = recall;
  j["tp"] = tp;
  j["fp"] = fp;
  j["fn"] = fn;
  j["tn"] = tn;
  j["bootstrap"] = bootstrap ? bootstrap_json(*bootstrap) : Json();
  return std::move(j);
}

OperatingPoint OperatingPoint::from_json(const Json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

OperatingPoint OperatingPoint::from_json(const JsonReader& j) {
  j.object().only_keys({"target_metric", "target", "threshold", "precision", "recall", "tp", "fp",
                        "fn", "tn", "bootstrap"});
  OperatingPoint p;
  p.target_metric = j.at("target_metric").choice({"precision", "recall"}) == 0
                        ? OperatingTarget::Precision
                        : OperatingTarget::Recall;
  const JsonReader target = j.at("target");
  p.target = target.finite();
  if (!(p.target > 0.0 && p.target <= 1.0)) target.fail_value("must be in (0, 1]");
  p.threshold = j.at("threshold").finite();
  p.precision = rate(j.at("precision"));
  p.recall = rate(j.at("recall"));
  p.tp = j.at("tp").integer(0, kMaxCount);
  p.fp = j.at("fp").integer(0, kMaxCount);
  p.fn = j.at("fn").integer(0, kMaxCount);
  p.tn = j.at("tn").integer(0, kMaxCount);
  const JsonReader bootstrap = j.at("bootstrap");
  if (!bootstrap.value().is_null()) p.bootstrap = read_bootstrap(bootstrap);
  return p;
}

}  // namespace claimlens
