// The Shapley weights of a leaf whose path splits on d distinct features, and the quadrature
// that integrates them.
#pragma once

#include <cstdint>

namespace claimlens::explain_detail {

/// w[s] = s! (d - 1 - s)! / d! for s = 0 .. d - 1 (the weight of one coalition of s of the
/// other d - 1 features) into w[d].
inline void shapley_weights(std::uint32_t d, double* w) {
  w[0] = 1.0 / static_cast<double>(d);  // 0! (d-1)! / d!
  for (std::uint32_t s = 0; s + 1 < d; ++s) {
    w[s + 1] = w[s] * static_cast<double>(s + 1) / static_cast<double>(d - 1 - s);
  }
}

/// Gauss-Legendre rule of k nodes on [0, 1] into t[k], w[k] (exact for polynomials of degree up
/// to 2k - 1): the roots of the Legendre polynomial P_k by Newton's method from the classical
/// first guesses cos(pi (i + 3/4) / (k + 1/2)), the weights 1 / ((1 - x^2) P_k'(x)^2) halved.
void gauss_legendre(std::uint32_t k, double* t, double* w);

}  // namespace claimlens::explain_detail
