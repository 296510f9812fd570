// Exact SHAP values of a logistic regression against its training means, on the margin
// (log-odds) scale, where the model is linear: phi_j = coef_j * (x_j - mean_j), bias =
// intercept + coef . mean (docs/explanations.md, "Logistic regression").
#pragma once

#include <cstddef>

#include "claimlens/explain/shap_values.hpp"
#include "claimlens/matrix.hpp"

namespace claimlens {

class LogisticRegression;

class LinearShapExplainer {
 public:
  LinearShapExplainer() = default;
  /// StateError before fit, or for a model without training feature means (read from a document
  /// saved before they were kept: refit it to explain it).
  explicit LinearShapExplainer(const LogisticRegression& model);

  std::size_t num_features() const { return static_cast<std::size_t>(coef_.size()); }
  std::size_t width() const { return num_features() + 1; }
  ShapScale scale() const { return ShapScale::Margin; }
  /// The margin at the training means: intercept + coef . mean.
  double expected_value() const { return expected_value_; }

  /// One row into out[width()], bias last; output is the row's margin intercept + coef . x
  /// (summed in feature order). No allocation. InvalidArgument naming the column for a
  /// non-finite value (a logistic regression has no rule for missing values).
  RowAdditivity explain_row(const double* row, double* out) const;

  /// Rows in parallel on n_threads threads (the same bits whatever the count). InvalidArgument
  /// for a wrong width, null X, or a non-finite value (naming its row and column).
  ShapValues explain(const double* x, std::size_t rows, std::size_t cols, int n_threads = 1) const;
  ShapValues explain(const RowMatrix& X, int n_threads = 1) const;

 private:
  Vector coef_, means_;
  double intercept_ = 0.0;
  double expected_value_ = 0.0;
};

inline LinearShapExplainer linear_shap(const LogisticRegression& model) {
  return LinearShapExplainer(model);
}

}  // namespace claimlens
