// Bit-for-bit comparison of probability vectors: NaN matches NaN, everything else by its bytes.
#pragma once

#include <cmath>
#include <cstring>
#include <vector>

namespace claimlens::testing {

inline bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) != std::isnan(b[i])) return false;
    if (!std::isnan(a[i]) && std::memcmp(&a[i], &b[i], sizeof(double)) != 0) return false;
  }
  return true;
}

}  // namespace claimlens::testing
