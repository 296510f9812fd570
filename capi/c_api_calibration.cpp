// The C ABI (claimlens.h, from capi/claimlens.h.in), part three: calibration and decision
// thresholds of models of every type (claimlens/model/calibrated_model.hpp,
// claimlens/model_io/calibrate.hpp). Arguments are converted here; the library decides.
#include <cmath>

#include "c_api_internal.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/model_io/calibrate.hpp"

using namespace claimlens::capi_detail;  // NOLINT: the C ABI's own helpers

namespace {

using claimlens::JsonReader;
using claimlens::JsonSource;

// y[rows] as 0/1 labels (InvalidArgument naming the first other value).
std::vector<int> label_argument(const double* y, size_t rows) {
  std::vector<int> labels(rows);
  for (size_t i = 0; i < rows; ++i) {
    if (y[i] != 0.0 && y[i] != 1.0) {
      throw InvalidArgument("y[" + std::to_string(i) + "]: not 0 or 1 (" +
                            claimlens::json_shown(nlohmann::json(y[i])) + ")");
    }
    labels[i] = y[i] == 1.0 ? 1 : 0;
  }
  return labels;
}

claimlens::CalibrateOptions calibrate_options(const char* options_json) {
  const claimlens::JsonDocument json = parse_json_argument(options_json, "options_json");
  const JsonReader r(*json, "options", JsonSource::Parameters);
  r.object().only_keys({"method", "cv", "score"});
  claimlens::CalibrateOptions options;
  if (const auto method = r.find("method")) {
    options.method = method->choice({"sigmoid", "isotonic"}) == 0
                         ? claimlens::CalibrationMethod::Sigmoid
                         : claimlens::CalibrationMethod::Isotonic;
  }
  if (const auto cv = r.find("cv")) {
    options.cv = static_cast<std::size_t>(cv->integer(0, 1000));
    if (options.cv == 1) cv->fail_value("must be 0 (a calibration split) or at least 2");
  }
  if (const auto score = r.find("score")) {
    options.score = score->choice({"probability", "logit"}) == 0
                        ? claimlens::CalibrationScore::Probability
                        : claimlens::CalibrationScore::Logit;
  }
  return options;
}

// The labelled rows of claimlens_model_calibrate and claimlens_model_choose_threshold.
struct LabelledRows {
  claimlens::RowMatrix X;
  std::vector<int> y;
};

LabelledRows labelled_rows(const claimlens_model* model, const double* x, size_t rows, size_t cols,
                           const double* y, const void* out) {
  require(model, "model");
  require_array(x, rows > 0 && cols > 0, "x");
  require_array(y, rows, "y");
  require(out, "out");
  return {matrix_argument(x, rows, cols, "x"), label_argument(y, rows)};
}

// The labelled rows of the *_frame forms: the frame (n must be its row count) and y[n] as labels.
struct LabelledFrame {
  const claimlens::DataFrame& rows;
  std::vector<int> y;
};

LabelledFrame labelled_frame(const claimlens_model* model, const claimlens_frame* frame, size_t n,
                             const double* y, const void* out) {
  require(model, "model");
  const claimlens::DataFrame& rows = frame_with_output(frame, "frame", n, y, "y");
  require(out, "out");
  return {rows, label_argument(y, n)};
}

struct ThresholdOptions {
  claimlens::OperatingTarget metric = claimlens::OperatingTarget::Precision;
  double target = 1.0;
  claimlens::BootstrapOptions bootstrap;
};

ThresholdOptions threshold_options(const char* options_json) {
  require(options_json, "options_json");
  const claimlens::JsonDocument json = parse_json_argument(options_json, "options_json");
  const JsonReader r(*json, "options", JsonSource::Parameters);
  r.object().only_keys({"precision", "recall", "n_resamples", "seed", "confidence"});
  const auto precision = r.find("precision"), recall = r.find("recall");
  if (precision.has_value() == recall.has_value()) {
    r.fail("must hold one of \"precision\" and \"recall\" (the target)");
  }
  ThresholdOptions o;
  o.metric = precision ? claimlens::OperatingTarget::Precision : claimlens::OperatingTarget::Recall;
  o.target = (precision ? *precision : *recall).number();  // (0, 1] checked by the library
  if (const auto n = r.find("n_resamples")) o.bootstrap.n_resamples = n->int32();
  if (const auto seed = r.find("seed")) o.bootstrap.seed = seed->unsigned64();
  if (const auto confidence = r.find("confidence")) o.bootstrap.confidence = confidence->number();
  return o;
}

}  // namespace

extern "C" {

claimlens_status claimlens_model_threshold(const claimlens_model* model, double* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    *out = model->model.threshold();
  });
}

claimlens_status claimlens_model_predict(const claimlens_model* model, const double* x, size_t rows,
                                         size_t cols, int* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require_array(x, rows > 0 && cols > 0, "x");
    require_array(out, rows, "out");
    model->model.predict(x, rows, cols, out);
  });
}

claimlens_status claimlens_model_predict_frame_classes(const claimlens_model* model,
                                                       const claimlens_frame* frame, size_t n,
                                                       int* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    const claimlens::DataFrame& rows = frame_with_output(frame, "frame", n, out, "out");
    const std::vector<double> p = model->model.predict_proba(rows);
    for (size_t i = 0; i < n; ++i) {
      out[i] = std::isnan(p[i]) ? -1 : (model->model.predicts_positive(p[i]) ? 1 : 0);
    }
  });
}

claimlens_status claimlens_model_calibrate(const claimlens_model* model, const double* x,
                                           size_t rows, size_t cols, const double* y,
                                           const char* options_json, claimlens_model** out) {
  return guarded(__func__, [&] {
    const LabelledRows data = labelled_rows(model, x, rows, cols, y, out);
    const claimlens::CalibrateOptions options = calibrate_options(options_json);
    *out = new_handle<claimlens_model>(
        claimlens::calibrate_model(model->model, data.X, data.y, options));
  });
}

claimlens_status claimlens_model_choose_threshold(const claimlens_model* model, const double* x,
                                                  size_t rows, size_t cols, const double* y,
                                                  const char* options_json, claimlens_model** out) {
  return guarded(__func__, [&] {
    const LabelledRows data = labelled_rows(model, x, rows, cols, y, out);
    const ThresholdOptions o = threshold_options(options_json);
    const std::vector<double> p = model->model.predict_proba(data.X);
    *out = new_handle<claimlens_model>(claimlens::choose_model_operating_point(
        model->model, p, data.y, o.metric, o.target, o.bootstrap));
  });
}

claimlens_status claimlens_model_calibrate_frame(const claimlens_model* model,
                                                 const claimlens_frame* frame, size_t n,
                                                 const double* y, const char* options_json,
                                                 claimlens_model** out) {
  return guarded(__func__, [&] {
    const LabelledFrame data = labelled_frame(model, frame, n, y, out);
    const claimlens::CalibrateOptions options = calibrate_options(options_json);
    *out = new_handle<claimlens_model>(
        claimlens::calibrate_model(model->model, data.rows, data.y, {}, options));
  });
}

claimlens_status claimlens_model_choose_threshold_frame(const claimlens_model* model,
                                                        const claimlens_frame* frame, size_t n,
                                                        const double* y, const char* options_json,
                                                        claimlens_model** out) {
  return guarded(__func__, [&] {
    const LabelledFrame data = labelled_frame(model, frame, n, y, out);
    const ThresholdOptions o = threshold_options(options_json);
    const std::vector<double> p = model->model.predict_proba(data.rows);
    for (size_t i = 0; i < n; ++i) {
      if (std::isnan(p[i])) {
        throw InvalidArgument("row " + std::to_string(i) +
                              ": cannot be scored (a null in a column the model reads)");
      }
    }
    *out = new_handle<claimlens_model>(claimlens::choose_model_operating_point(
        model->model, p, data.y, o.metric, o.target, o.bootstrap));
  });
}

claimlens_status claimlens_model_operating_point_json(const claimlens_model* model,
                                                      char** out_json) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out_json, "out_json");
    const auto point = claimlens::model_operating_point(model->model);
    nlohmann::json j = {{"operating_point", point ? point->to_json() : nlohmann::json(nullptr)},
                        {"model_fingerprint", claimlens::model_fingerprint(model->model)}};
    *out_json = malloc_string(j.dump());
  });
}

claimlens_status claimlens_model_set_operating_point(const claimlens_model* model,
                                                     const char* operating_point_json,
                                                     claimlens_model** out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(operating_point_json, "operating_point_json");
    require(out, "out");
    const claimlens::JsonDocument json =
        parse_json_argument(operating_point_json, "operating_point_json");
    const JsonReader r(*json, "operating_point_json", JsonSource::Parameters);
    r.object().only_keys({"operating_point", "model_fingerprint"});
    const JsonReader point = r.at("operating_point");
    if (point.value().is_null()) point.fail("is null: there is no operating point to set");
    // OperatingPoint::from_json reads as a model document; its errors become InvalidArgument.
    claimlens::OperatingPoint parsed;
    try {
      parsed = claimlens::OperatingPoint::from_json(point.value());
    } catch (const claimlens::ModelFormatError& e) {
      throw InvalidArgument(std::string("operating_point_json.operating_point: ") + e.what());
    }
    *out = new_handle<claimlens_model>(claimlens::with_operating_point(
        model->model, std::move(parsed), r.at("model_fingerprint").string()));
  });
}

}  // extern "C"
