// Gauss-Legendre quadrature on [0, 1]: the explainer integrates a leaf's Shapley polynomial with
// it (docs/explanations.md, "Leaves without a table").
#include <cmath>
#include <cstdint>

#include "shap_weights.hpp"

namespace claimlens::explain_detail {

namespace {

// P_k(x) and P_{k-1}(x) by the three-term recurrence (k >= 1).
void legendre(std::uint32_t k, double x, double& pk, double& pk1) {
  double p0 = 1.0, p1 = x;
  for (std::uint32_t j = 2; j <= k; ++j) {
    const double p2 = ((2.0 * j - 1.0) * x * p1 - (j - 1.0) * p0) / j;
    p0 = p1;
    p1 = p2;
  }
  pk = p1;
  pk1 = p0;
}

}  // namespace

void gauss_legendre(std::uint32_t k, double* t, double* w) {
  const double pi = std::acos(-1.0);
  const double n = static_cast<double>(k);
  for (std::uint32_t i = 0; i < (k + 1) / 2; ++i) {  // the roots come in pairs +-x
    double x = std::cos(pi * (static_cast<double>(i) + 0.75) / (n + 0.5));
    double pk = 0.0, pk1 = 0.0;
    for (int iter = 0; iter < 100; ++iter) {  // Newton, P_k' from P_k and P_{k-1}
      legendre(k, x, pk, pk1);
      const double step = pk / (n * (x * pk - pk1) / (x * x - 1.0));
      x -= step;
      if (std::fabs(step) <= 1e-17) break;
    }
    legendre(k, x, pk, pk1);  // the derivative at the root, for the weight
    const double derivative = n * (x * pk - pk1) / (x * x - 1.0);
    const double weight = 1.0 / ((1.0 - x * x) * derivative * derivative);  // on [-1, 1]: 2 * this
    t[i] = 0.5 * (1.0 - x);
    t[k - 1 - i] = 0.5 * (1.0 + x);
    w[i] = weight;
    w[k - 1 - i] = weight;
  }
}

}  // namespace claimlens::explain_detail
