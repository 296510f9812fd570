#include "claimlens/explain/shap_values.hpp"

#include <algorithm>

namespace claimlens {

const char* shap_scale_name(ShapScale scale) {
  return scale == ShapScale::Probability ? "probability" : "margin";
}

double ShapValues::max_residual() const {
  double most = 0.0;
  for (double r : residual) most = std::max(most, r);
  return most;
}

}  // namespace claimlens
