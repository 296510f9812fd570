// What every explainer returns: per row, one contribution per model feature and the bias last,
// on a stated scale, with the row's additivity (docs/explanations.md).
#pragma once

#include <cstddef>
#include <vector>

namespace claimlens {

/// The scale the contributions are on: what they sum to with the bias.
enum class ShapScale {
  Probability,  // P(positive): a random forest (mean of its trees)
  Margin,       // log-odds: gradient boosting (base margin + trees), logistic regression
};
const char* shap_scale_name(ShapScale scale);  // "probability", "margin"

/// One explained row's additivity: output is the model's output on the explained scale (bit for
/// bit what the model predicts: P(positive) of a forest, the margin of a booster), residual =
/// |sum of the num_features + 1 values - output|.
struct RowAdditivity {
  double output = 0.0;
  double residual = 0.0;
};

/// A batch's explanations: `values` holds rows x (num_features + 1), row-major, each row's
/// contributions in feature order and the bias (expected value) last, as XGBoost's pred_contribs
/// and LightGBM's pred_contrib lay them out.
struct ShapValues {
  std::size_t rows = 0;
  std::size_t num_features = 0;
  ShapScale scale = ShapScale::Margin;
  std::vector<double> values;
  std::vector<double> output;
  std::vector<double> residual;

  std::size_t width() const { return num_features + 1; }
  double at(std::size_t row, std::size_t column) const { return values[row * width() + column]; }
  double max_residual() const;
};

}  // namespace claimlens
