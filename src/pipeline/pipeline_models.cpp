// The pipelines as models of the model layer (claimlens/model/model.hpp): the tabular pipeline (a
// feature plan over named columns) and the claim classifier (the seed analysis' featurizer and
// champion). Each delegates to the Model it holds for its estimator.
#include <algorithm>
#include <cmath>

#include "claimlens/error.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/claim_features.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens {
namespace {

void copy_out(const std::vector<double>& p, double* out) {
  std::copy(p.begin(), p.end(), out);
}

class TabularModel final : public ModelInterface {
 public:
  explicit TabularModel(TabularPipeline model) : model_(std::move(model)) {}

  const char* model_type() const override { return TabularPipeline::kModelType; }
  std::size_t num_features() const override { return model_.num_features(); }
  std::vector<std::string> feature_names() const override { return model_.feature_names(); }
  bool accepts_matrix() const override { return model_.numeric_only(); }
  void predict_proba(const double* x, std::size_t rows, std::size_t cols,
                     double* out) const override {
    check_width(cols);
    require_matrix();
    if (rows == 0) return;
    const auto r = static_cast<Eigen::Index>(rows), c = static_cast<Eigen::Index>(cols);
    copy_out(model_.predict_proba(RowMatrix(Eigen::Map<const RowMatrix>(x, r, c))), out);
  }
  std::vector<double> predict_proba(const DataFrame& frame,
                                    const std::vector<std::string>&) const override {
    return model_.predict_proba(frame);
  }
  std::vector<double> feature_importances() const override { return model_.feature_importances(); }
  std::vector<double> coefficients() const override { return model_.model().coefficients(); }
  // Explanations: the estimator's, of the plan's features (imputed as for prediction).
  ShapScale explanation_scale() const override { return model_.model().explanation_scale(); }
  double expected_value() const override { return model_.model().expected_value(); }
  void explain(const double* x, std::size_t rows, std::size_t cols, double* out, double* residual,
               double* output) const override {
    check_width(cols);
    require_matrix();
    if (rows == 0) return;
    if (x == nullptr) throw InvalidArgument("x is null");
    const auto r = static_cast<Eigen::Index>(rows), c = static_cast<Eigen::Index>(cols);
    RowMatrix X = Eigen::Map<const RowMatrix>(x, r, c);
    model_.impute_matrix(X);
    model_.model().explain(X.data(), rows, cols, out, residual, output);
  }
  ShapValues explain(const DataFrame& frame, const std::vector<std::string>&) const override {
    return model_.explain(frame);
  }
  std::vector<std::string> feature_groups() const override { return model_.feature_groups(); }
  ModelSchema schema() const override {
    return {model_.target(), model_.positive(), model_.negative(), model_.text_column()};
  }
  std::string describe() const override {
    return std::string("tabular_pipeline (") + tabular_algorithm_name(model_.algorithm()) + ", " +
           std::to_string(model_.num_features()) + " features), target '" + model_.target() +
           "', positive class '" + model_.positive() + "'";
  }
  nlohmann::json to_json() const override { return model_.to_json(); }
  // The estimator over the plan's features (the booster reads transform()'s matrix).
  nlohmann::json to_xgboost_json(const std::vector<std::string>& names) const override {
    return model_.model().interface().to_xgboost_json(names.empty() ? model_.feature_names()
                                                                    : names);
  }
  const void* object(const std::type_info& type) const override {
    return type == typeid(TabularPipeline) ? &model_ : nullptr;
  }

 private:
  void require_matrix() const {
    if (!model_.numeric_only()) {
      throw StateError(
          "this tabular pipeline encodes text or categorical columns, so it needs the raw "
          "columns: predict or explain from a frame (claimlens_model_predict_frame)");
    }
  }

  TabularPipeline model_;
};

// The rows of a frame of videos with no null among the columns the claim classifier reads;
// SchemaError naming a column the frame lacks.
std::vector<std::size_t> complete_rows(const DataFrame& frame) {
  return claim_complete_rows(frame, claim_input_columns());
}

class ClaimModel final : public ModelInterface {
 public:
  explicit ClaimModel(ClaimClassifier model) : model_(std::move(model)) {}

  const char* model_type() const override { return ClaimClassifier::kModelType; }
  std::size_t num_features() const override { return model_.featurizer().num_features(); }
  std::vector<std::string> feature_names() const override {
    return model_.featurizer().feature_names();
  }
  bool accepts_matrix() const override { return false; }
  void predict_proba(const double*, std::size_t, std::size_t cols, double*) const override {
    check_width(cols);
    throw StateError(
        "a claim classifier reads raw video records (it makes its own n-gram features): predict "
        "from a frame (claimlens_model_predict_frame) or from records "
        "(claimlens_classifier_predict)");
  }
  // Every input cell is needed: the complete rows are scored, the others get NaN.
  std::vector<double> predict_proba(const DataFrame& frame,
                                    const std::vector<std::string>&) const override {
    const std::vector<std::size_t> complete = complete_rows(frame);
    std::vector<double> out(frame.num_rows(), std::nan(""));
    if (complete.empty()) return out;
    const std::vector<double> p = model_.predict_proba(frame, complete);
    for (std::size_t k = 0; k < complete.size(); ++k) out[complete[k]] = p[k];
    return out;
  }
  std::vector<double> feature_importances() const override { return model_.feature_importances(); }
  ModelSchema schema() const override {
    return {"claim_status", "claim", "opinion", std::string("video_transcription_text")};
  }
  // Explanations: the champion's, of the featurizer's features.
  ShapScale explanation_scale() const override { return model_.model().explanation_scale(); }
  double expected_value() const override { return model_.model().expected_value(); }
  void explain(const double*, std::size_t, std::size_t cols, double*, double*,
               double*) const override {
    check_width(cols);
    throw StateError(
        "a claim classifier reads raw video records (it makes its own n-gram features): explain "
        "a frame or records (claimlens_classifier_explain)");
  }
  // As predict_proba: the complete rows are explained, the others get NaN.
  ShapValues explain(const DataFrame& frame, const std::vector<std::string>&) const override {
    const std::vector<std::size_t> complete = complete_rows(frame);
    const ShapValues part = model_.explain(frame, complete);
    ShapValues v;
    v.rows = frame.num_rows();
    v.num_features = part.num_features;
    v.scale = part.scale;
    const double nan = std::nan("");
    v.values.assign(v.rows * v.width(), nan);
    v.output.assign(v.rows, nan);
    v.residual.assign(v.rows, nan);
    for (std::size_t k = 0; k < complete.size(); ++k) {
      std::copy_n(part.values.begin() + static_cast<std::ptrdiff_t>(k * v.width()), v.width(),
                  v.values.begin() + static_cast<std::ptrdiff_t>(complete[k] * v.width()));
      v.output[complete[k]] = part.output[k];
      v.residual[complete[k]] = part.residual[k];
    }
    return v;
  }
  std::vector<std::string> feature_groups() const override {
    return model_.featurizer().feature_groups();
  }
  std::string describe() const override {
    return "claim_classifier (" + model_.champion() + "), positive class 'claim'";
  }
  nlohmann::json to_json() const override { return model_.to_json(); }
  // The champion over the featurizer's features (counts and n-grams of the transcript).
  nlohmann::json to_xgboost_json(const std::vector<std::string>& names) const override {
    return model_.model().interface().to_xgboost_json(names.empty() ? feature_names() : names);
  }
  const void* object(const std::type_info& type) const override {
    return type == typeid(ClaimClassifier) ? &model_ : nullptr;
  }

 private:
  ClaimClassifier model_;
};

}  // namespace

std::shared_ptr<const ModelInterface> make_model_interface(TabularPipeline model) {
  return std::make_shared<const TabularModel>(std::move(model));
}

std::shared_ptr<const ModelInterface> make_model_interface(ClaimClassifier model) {
  return std::make_shared<const ClaimModel>(std::move(model));
}

}  // namespace claimlens
