// The C ABI (claimlens.h, from capi/claimlens.h.in), part three: explanations (exact Shapley
// values, docs/explanations.md) of models and of the claim classifier's records, and the names
// and groups of the model features. Arguments are converted and checked here; the model layer
// explains (claimlens/model/model.hpp), and guarded() turns its exceptions into status codes.
#include <cstring>

#include "c_api_internal.hpp"

using namespace claimlens::capi_detail;  // NOLINT: the C ABI's own helpers

namespace {

// rows * width without overflow.
std::size_t product(std::size_t rows, std::size_t width) {
  if (width != 0 && rows > static_cast<std::size_t>(-1) / width) {
    throw InvalidArgument("rows is too large");
  }
  return rows * width;
}

// The explain functions' output buffers: out_len = rows * (features + 1), residual_len = rows,
// both non-NULL when rows > 0. Messages are built only on failure (the latency path).
void check_outputs(std::size_t rows, std::size_t num_features, const double* out,
                   std::size_t out_len, const double* residual, std::size_t residual_len) {
  const std::size_t expected = product(rows, num_features + 1);
  if (out_len != expected) {
    throw InvalidArgument("out_len is " + std::to_string(out_len) + " but " + std::to_string(rows) +
                          " rows of " + std::to_string(num_features) +
                          " features and the bias need " + std::to_string(expected));
  }
  if (residual_len != rows) {
    throw InvalidArgument("residual_len is " + std::to_string(residual_len) + " but " +
                          std::to_string(rows) + " rows need one residual each");
  }
  if (rows > 0) {
    require(out, "out");
    require(residual, "residual");
  }
}

// Copies `text` into buf[size] with its NUL (buf NULL and size 0: only the length); *len gets
// its length. A short buffer is InvalidArgument, nothing written.
void copy_name(const std::string& text, char* buf, std::size_t size, std::size_t* len,
               const char* what) {
  if (buf == nullptr && size != 0) throw InvalidArgument("buf is NULL but size is not 0");
  if (buf != nullptr && size <= text.size()) {
    throw InvalidArgument("size is " + std::to_string(size) + " but the " + what + " needs " +
                          std::to_string(text.size() + 1) + " bytes (" +
                          std::to_string(text.size()) + " and the NUL)");
  }
  if (buf != nullptr) std::memcpy(buf, text.c_str(), text.size() + 1);
  if (len != nullptr) *len = text.size();
}

void check_index(std::size_t index, std::size_t count, const char* what) {
  if (index >= count) {
    throw InvalidArgument("index " + std::to_string(index) + " is not below the model's " +
                          std::to_string(count) + " " + what);
  }
}

}  // namespace

extern "C" {

claimlens_status claimlens_model_explain(const claimlens_model* model, const double* x, size_t rows,
                                         size_t cols, double* out, size_t out_len, double* residual,
                                         size_t residual_len) {
  return guarded(__func__, [&] {
    require(model, "model");
    require_array(x, rows > 0 && cols > 0, "x");
    check_outputs(rows, model->model.num_features(), out, out_len, residual, residual_len);
    model->model.explain(x, rows, cols, out, residual);
  });
}

claimlens_status claimlens_model_explain_scale(const claimlens_model* model, const char** out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    *out = claimlens::shap_scale_name(model->model.explanation_scale());
  });
}

claimlens_status claimlens_model_expected_value(const claimlens_model* model, double* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    *out = model->model.expected_value();
  });
}

claimlens_status claimlens_model_feature_name(const claimlens_model* model, size_t index, char* buf,
                                              size_t size, size_t* len) {
  return guarded(__func__, [&] {
    require(model, "model");
    const std::vector<std::string> names = model->model.feature_names();
    check_index(index, names.size(), "features");
    copy_name(names[index], buf, size, len, "feature name");
  });
}

claimlens_status claimlens_model_num_groups(const claimlens_model* model, size_t* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    *out = model->model.groups().names.size();
  });
}

claimlens_status claimlens_model_feature_group(const claimlens_model* model, size_t index,
                                               size_t* out) {
  return guarded(__func__, [&] {
    require(model, "model");
    require(out, "out");
    const claimlens::FeatureGroups groups = model->model.groups();
    check_index(index, groups.of_feature.size(), "features");
    *out = groups.of_feature[index];
  });
}

claimlens_status claimlens_model_group_name(const claimlens_model* model, size_t index, char* buf,
                                            size_t size, size_t* len) {
  return guarded(__func__, [&] {
    require(model, "model");
    const claimlens::FeatureGroups groups = model->model.groups();
    check_index(index, groups.names.size(), "feature groups");
    copy_name(groups.names[index], buf, size, len, "group name");
  });
}

claimlens_status claimlens_classifier_as_model(const claimlens_classifier* clf,
                                               const claimlens_model** out) {
  return guarded(__func__, [&] {
    require(clf, "clf");
    require(out, "out");
    *out = &clf->as_model;
  });
}

claimlens_status claimlens_classifier_explain(const claimlens_classifier* clf,
                                              const claimlens_video* videos, size_t n, double* out,
                                              size_t out_len, double* residual,
                                              size_t residual_len) {
  // The latency path: nothing here allocates for valid arguments.
  return guarded(__func__, [&] {
    require(clf, "clf");
    check_outputs(n, clf->clf->featurizer().num_features(), out, out_len, residual, residual_len);
    if (n == 0) return;  // every array may be NULL
    const VideoArray array = video_array(videos, n);
    clf->clf->explain(n, &video_at, &array, out, residual);
  });
}

}  // extern "C"
