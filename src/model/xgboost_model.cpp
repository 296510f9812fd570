// The model layer's implementation for an imported XGBoost booster: its own feature names and
// float32 predictions (xgboost/booster.hpp).
#include <algorithm>

#include "claimlens/error.hpp"
#include "claimlens/xgboost/booster.hpp"
#include "model_types.hpp"

namespace claimlens {
namespace {

class XGBoostModel final : public ModelInterface {
 public:
  explicit XGBoostModel(XGBoostBooster booster) : booster_(std::move(booster)) {}

  const char* model_type() const override { return XGBoostBooster::kModelType; }
  std::size_t num_features() const override { return booster_.num_features(); }
  std::vector<std::string> feature_names() const override { return booster_.feature_names(); }
  void predict_proba(const double* x, std::size_t rows, std::size_t cols,
                     double* out) const override {
    check_width(cols);
    if (rows == 1) {
      *out = booster_.predict_proba_row(x);  // the latency path: no threads, no allocation
    } else if (rows > 1) {
      booster_.predict_proba(x, rows, cols, out);
    }
  }
  void predict_proba_rows(const double* x, std::size_t rows, double* out) const override {
    if (rows == 1) {
      *out = booster_.predict_proba_row(x);
    } else if (rows > 1) {
      booster_.predict_proba_rows(x, rows, num_features(), out);
    }
  }
  // By the file's feature names when the frame has them all, else by position.
  std::vector<double> predict_proba(const DataFrame& frame,
                                    const std::vector<std::string>& ignore) const override {
    const RowMatrix X = model_detail::frame_matrix(frame, feature_names(), ignore, model_type());
    std::vector<double> out(static_cast<std::size_t>(X.rows()));
    predict_proba(X.data(), out.size(), num_features(), out.data());
    return out;
  }
  std::vector<double> feature_importances() const override {
    return booster_.feature_importances();
  }
  std::string describe() const override {
    return std::string("xgboost (") + booster_.objective_name() + ", " +
           std::to_string(booster_.num_trees()) + " trees, " + std::to_string(num_features()) +
           " features)";
  }
  nlohmann::json to_json() const override { return booster_.to_json(); }
  ShapScale explanation_scale() const override { return explainer().scale(); }
  double expected_value() const override { return explainer().expected_value(); }
  // NaN is missing, as in prediction; XGBoost's float32 comparisons (SplitCompare::Float32).
  void explain(const double* x, std::size_t rows, std::size_t cols, double* out, double* residual,
               double* output) const override {
    check_width(cols);
    model_detail::check_explain_input(x, rows, cols, out, residual, true, model_type());
    model_detail::explain_rows_with(explainer(), x, rows, out, residual, output);
  }
  nlohmann::json to_xgboost_json(const std::vector<std::string>& names) const override {
    if (!names.empty() && names != booster_.feature_names()) {
      throw InvalidArgument("an imported XGBoost booster is written with its own feature names");
    }
    return booster_.to_json();
  }
  const void* object(const std::type_info& type) const override {
    return type == typeid(XGBoostBooster) ? &booster_ : nullptr;
  }

 private:
  const TreeShapExplainer& explainer() const {
    return explainer_.get([this] { return model_detail::booster_explainer(booster_); });
  }

  XGBoostBooster booster_;
  model_detail::OnceExplainer<TreeShapExplainer> explainer_;
};

}  // namespace

std::shared_ptr<const ModelInterface> make_model_interface(XGBoostBooster model) {
  if (model.num_features() == 0)
    throw StateError("cannot wrap an XGBoost booster that was not loaded");
  return std::make_shared<const XGBoostModel>(std::move(model));
}

}  // namespace claimlens
