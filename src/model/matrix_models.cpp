// The model layer's implementations for models of a numeric matrix: random forest, gradient
// boosting and logistic regression.
#include <algorithm>
#include <cmath>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "claimlens/xgboost/booster.hpp"
#include "model_types.hpp"

namespace claimlens::model_detail {
namespace {

// The trees take NaN as "missing" and route it (their own batch paths).
void proba_rows(const RandomForestClassifier& m, const double* x, std::size_t rows,
                std::size_t cols, double* out) {
  const std::vector<double> p = m.predict_proba(x, rows, cols);
  std::copy(p.begin(), p.end(), out);
}

void proba_rows(const GradientBoostingClassifier& m, const double* x, std::size_t rows,
                std::size_t cols, double* out) {
  const std::vector<double> p = m.predict_proba(x, rows, cols);
  std::copy(p.begin(), p.end(), out);
}

// Logistic regression has no notion of a missing value: name the first incomplete cell.
void proba_rows(const LogisticRegression& m, const double* x, std::size_t rows, std::size_t cols,
                double* out) {
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) {
      if (!std::isfinite(x[i * cols + j])) {
        throw InvalidArgument("x has a missing or infinite value at row " + std::to_string(i) +
                              ", column " + std::to_string(j) +
                              " (logistic regression needs complete rows)");
      }
    }
  }
  const auto r = static_cast<Eigen::Index>(rows), c = static_cast<Eigen::Index>(cols);
  const std::vector<double> p = m.positive_proba(RowMatrix(Eigen::Map<const RowMatrix>(x, r, c)));
  std::copy(p.begin(), p.end(), out);
}

// Intercept, then the coefficients in original units.
std::vector<double> linear_coefficients(const LogisticRegression& model) {
  std::vector<double> out{model.intercept()};
  out.insert(out.end(), model.coef().data(), model.coef().data() + model.coef().size());
  return out;
}

// Each type's explainer (docs/explanations.md): TreeSHAP for the trees, linear SHAP against the
// training means for the logistic regression.
TreeShapExplainer build_explainer(const RandomForestClassifier& m) {
  return tree_shap(m);
}
TreeShapExplainer build_explainer(const GradientBoostingClassifier& m) {
  return tree_shap(m);
}
LinearShapExplainer build_explainer(const LogisticRegression& m) {
  return linear_shap(m);
}

// One thread, no allocation: the trees' own latency paths (one row, or a block).
template <class T>
void proba_rows_serial(const T& m, const double* x, std::size_t rows, double* out) {
  if (rows == 1) {
    *out = m.predict_proba_row(x);
  } else if (rows > 1) {
    m.predict_proba_rows(x, rows, m.n_features_in(), out);
  }
}

template <class T>
class MatrixModel final : public ModelInterface {
 public:
  explicit MatrixModel(T model) : model_(std::move(model)) {}

  const char* model_type() const override { return T::kModelType; }
  std::size_t num_features() const override { return model_.n_features_in(); }
  std::vector<std::string> feature_names() const override {
    return default_feature_names(num_features());
  }
  void predict_proba(const double* x, std::size_t rows, std::size_t cols,
                     double* out) const override {
    check_width(cols);
    if (rows > 0) proba_rows(model_, x, rows, cols, out);
  }
  void predict_proba_rows(const double* x, std::size_t rows, double* out) const override {
    if constexpr (std::is_same_v<T, LogisticRegression>) {
      ModelInterface::predict_proba_rows(x, rows, out);
    } else {
      proba_rows_serial(model_, x, rows, out);
    }
  }
  std::vector<double> predict_proba(const DataFrame& frame,
                                    const std::vector<std::string>& ignore) const override {
    const RowMatrix X = frame_matrix(frame, feature_names(), ignore, model_type());
    std::vector<double> out(static_cast<std::size_t>(X.rows()));
    predict_proba(X.data(), out.size(), num_features(), out.data());
    return out;
  }
  std::vector<double> feature_importances() const override { return model_.feature_importances(); }
  std::vector<double> coefficients() const override {
    if constexpr (std::is_same_v<T, LogisticRegression>) {
      return linear_coefficients(model_);
    } else {
      return ModelInterface::coefficients();
    }
  }
  std::string describe() const override {
    return std::string(model_type()) + " (" + std::to_string(num_features()) + " features)";
  }
  nlohmann::json to_json() const override { return model_.to_json(); }
  ShapScale explanation_scale() const override { return explainer().scale(); }
  double expected_value() const override { return explainer().expected_value(); }
  void explain(const double* x, std::size_t rows, std::size_t cols, double* out, double* residual,
               double* output) const override {
    check_width(cols);
    check_explain_input(x, rows, cols, out, residual, kMissingOk, model_type());
    explain_rows_with(explainer(), x, rows, out, residual, output);
  }
  nlohmann::json to_xgboost_json(const std::vector<std::string>& names) const override {
    if constexpr (std::is_same_v<T, GradientBoostingClassifier>) {
      return export_xgboost_json(model_, names);
    } else if constexpr (std::is_same_v<T, RandomForestClassifier>) {
      export_xgboost_json(model_, names);  // refused there, saying why
    } else {
      return ModelInterface::to_xgboost_json(names);
    }
  }
  const void* object(const std::type_info& type) const override {
    return type == typeid(T) ? &model_ : nullptr;
  }

 private:
  // A logistic regression has no rule for a missing value; the trees route NaN.
  static constexpr bool kMissingOk = !std::is_same_v<T, LogisticRegression>;
  const auto& explainer() const {
    return explainer_.get([this] { return build_explainer(model_); });
  }

  T model_;
  OnceExplainer<decltype(build_explainer(std::declval<const T&>()))> explainer_;
};

template <class T>
std::shared_ptr<const ModelInterface> wrap_fitted(T model, const char* what) {
  if (!model.is_fitted()) throw StateError(std::string("cannot wrap an unfitted ") + what);
  return std::make_shared<const MatrixModel<T>>(std::move(model));
}

}  // namespace

}  // namespace claimlens::model_detail

namespace claimlens {

std::shared_ptr<const ModelInterface> make_model_interface(RandomForestClassifier model) {
  return model_detail::wrap_fitted(std::move(model), "random forest");
}

std::shared_ptr<const ModelInterface> make_model_interface(GradientBoostingClassifier model) {
  return model_detail::wrap_fitted(std::move(model), "gradient boosting model");
}

std::shared_ptr<const ModelInterface> make_model_interface(LogisticRegression model) {
  return model_detail::wrap_fitted(std::move(model), "logistic regression");
}

}  // namespace claimlens
