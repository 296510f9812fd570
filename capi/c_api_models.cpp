// The C ABI (claimlens.h, from capi/claimlens.h.in), part two: models of every type through the
// model layer (claimlens/model/model.hpp, claimlens/model_io/model_io.hpp), and the claim
// classifier's record-level functions.
#include "c_api_internal.hpp"
#include "claimlens/xgboost/booster.hpp"

using namespace claimlens::capi_detail;  // NOLINT: the C ABI's own helpers

namespace claimlens::capi_detail {

void save_to_buffer(const claimlens::Model& model, void** out, size_t* out_len) {
  require(out, "out");
  require(out_len, "out_len");
  const std::vector<std::uint8_t> bytes =
      claimlens::save_model_buffer(model, claimlens::io::ModelEncoding::Cbor);
  *out = malloc_bytes(bytes);
  *out_len = bytes.size();
}

}  // namespace claimlens::capi_detail

extern "C" {

// ---- models -------------------------------------------------------------------------------

claimlens_status claimlens_model_train(const double* x, size_t rows, size_t cols, const double* y,
                                       const char* params_json, claimlens_model** out) {
  return guarded(__func__, [&] {
    require_array(x, rows > 0 && cols > 0, "x");
    require_array(y, rows, "y");
    require(params_json, "params_json");
    require(out, "out");
    const claimlens::JsonDocument params = parse_json_argument(params_json, "params_json");
    if (!params->is_object()) throw InvalidArgument("params_json must be a JSON object");
    const claimlens::RowMatrix X = matrix_argument(x, rows, cols, "x");
    *out = new_handle<claimlens_model>(
        claimlens::Model::fit(*params, X, claimlens::Span<const double>(y, rows)));
  });
}

claimlens_status claimlens_model_predict_proba(const claimlens_model* model, const double* x,
                                               size_t rows, size_t cols, double* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require_array(x, rows > 0 && cols > 0, "x");
    require_array(out, rows, "out");
    model->model.predict_proba(x, rows, cols, out);
  });
}

claimlens_status claimlens_model_num_features(const claimlens_model* model, size_t* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    *out = model->model.num_features();
  });
}

claimlens_status claimlens_model_feature_importances(const claimlens_model* model, double* out,
                                                     size_t n) {
  return guarded(__func__, [&] {
    require(model, "model");
    const std::vector<double> values = model->model.feature_importances();
    if (n != values.size()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the model has " +
                            std::to_string(values.size()) + " features");
    }
    require_array(out, n, "out");
    std::copy(values.begin(), values.end(), out);
  });
}

claimlens_status claimlens_model_coefficients(const claimlens_model* model, double* out, size_t n) {
  return guarded(__func__, [&] {
    require(model, "model");
    const std::vector<double> values = model->model.coefficients();
    if (n != values.size()) {
      throw InvalidArgument("n is " + std::to_string(n) + " but the model has " +
                            std::to_string(values.size()) + " coefficients (intercept first)");
    }
    require_array(out, n, "out");
    std::copy(values.begin(), values.end(), out);
  });
}

claimlens_status claimlens_model_save(const claimlens_model* model, const char* path) {
  return guarded(__func__, [&] {
    require(model, "model");
    save_to_path(model->model, path);
  });
}

claimlens_status claimlens_model_save_xgboost(const claimlens_model* model, const char* path) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(path, "path");
    claimlens::write_xgboost_json(model->model.to_xgboost_json(), path);
  });
}

claimlens_status claimlens_model_load(const char* path, claimlens_model** out) {
  return guarded(__func__, [&] { *out = new_handle<claimlens_model>(load_from_path(path, out)); });
}

claimlens_status claimlens_model_save_buffer(const claimlens_model* model, void** out,
                                             size_t* out_len) {
  return guarded(__func__, [&] {
    require(model, "model");
    save_to_buffer(model->model, out, out_len);
  });
}

claimlens_status claimlens_model_load_buffer(const void* data, size_t len, claimlens_model** out) {
  return guarded(__func__,
                 [&] { *out = new_handle<claimlens_model>(load_from_buffer(data, len, out)); });
}

void claimlens_model_free(claimlens_model* model) {
  delete model;
}

claimlens_status claimlens_model_predict_frame(const claimlens_model* model,
                                               const claimlens_frame* frame, size_t n,
                                               double* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    const claimlens::DataFrame& rows = frame_with_output(frame, "frame", n, out, "out");
    const std::vector<double> p = model->model.predict_proba(rows);
    std::copy(p.begin(), p.end(), out);
  });
}

// ---- the claim classifier -----------------------------------------------------------------

claimlens_status claimlens_classifier_train(const claimlens_frame* videos, const char* options_json,
                                            claimlens_classifier** out) {
  return guarded(__func__, [&] {
    require(videos, "videos");
    require(out, "out");
    const claimlens::JsonDocument json = parse_json_argument(options_json, "options_json");
    const auto options = claimlens::ClaimClassifierOptions::from_json(*json);
    *out = new claimlens_classifier(
        claimlens::Model(claimlens::ClaimClassifier::train(videos->frame, options)), "training");
  });
}

claimlens_status claimlens_classifier_predict(const claimlens_classifier* clf,
                                              const claimlens_video* videos, size_t n,
                                              double* p_claim) {
  // The latency path: no heap allocation unless a record is bad (then only for the message;
  // guarded() builds nothing on success).
  return guarded(__func__, [&] {
    require(clf, "clf");
    if (n == 0) return;  // videos and p_claim may be NULL
    const VideoArray array = video_array(videos, n);
    require(p_claim, "p_claim");
    clf->clf->predict_proba(n, &video_at, &array, p_claim);
  });
}

claimlens_status claimlens_classifier_predict_frame(const claimlens_classifier* clf,
                                                    const claimlens_frame* videos, size_t n,
                                                    double* p_claim) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    const claimlens::DataFrame& rows = frame_with_output(videos, "videos", n, p_claim, "p_claim");
    const std::vector<double> result = clf->clf->predict_proba(rows);
    std::copy(result.begin(), result.end(), p_claim);
  });
}

claimlens_status claimlens_classifier_triage(const claimlens_classifier* clf,
                                             const claimlens_video* videos, size_t n, size_t* order,
                                             double* p_claim, double* priority) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    if (n == 0) return;  // every array may be NULL
    const VideoArray array = video_array(videos, n);
    require(order, "order");
    require(p_claim, "p_claim");
    require(priority, "priority");
    // Computed whole before any output is written: no partial result, even out of memory.
    const claimlens::ClaimClassifier::Triage t = clf->clf->triage(n, &video_at, &array);
    std::copy(t.order.begin(), t.order.end(), order);
    std::copy(t.p_claim.begin(), t.p_claim.end(), p_claim);
    std::copy(t.priority.begin(), t.priority.end(), priority);
  });
}

claimlens_status claimlens_classifier_report_json(const claimlens_classifier* clf,
                                                  char** out_json) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    require(out_json, "out_json");
    // A loaded report may hold strings that are not UTF-8 (CBOR files); replace, never throw.
    *out_json = malloc_string(
        clf->clf->report().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

claimlens_status claimlens_classifier_save(const claimlens_classifier* clf, const char* path) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    save_to_path(clf->model, path);
  });
}

claimlens_status claimlens_classifier_load(const char* path, claimlens_classifier** out) {
  return guarded(__func__, [&] {
    *out = new claimlens_classifier(load_from_path(path, out),
                                    "model file '" + std::string(path) + "'");
  });
}

claimlens_status claimlens_classifier_save_buffer(const claimlens_classifier* clf, void** out,
                                                  size_t* out_len) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    save_to_buffer(clf->model, out, out_len);
  });
}

claimlens_status claimlens_classifier_load_buffer(const void* data, size_t len,
                                                  claimlens_classifier** out) {
  return guarded(__func__, [&] {
    *out = new claimlens_classifier(load_from_buffer(data, len, out), "model data");
  });
}

void claimlens_classifier_free(claimlens_classifier* clf) {
  delete clf;
}

}  // extern "C"
