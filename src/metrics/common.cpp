#include "common.hpp"

#include <algorithm>

#include "claimlens/error.hpp"

namespace claimlens::detail {

void check_label_pair(const char* function, Span<const int> y_true, Span<const int> y_pred) {
  if (y_true.empty()) throw InvalidArgument(std::string(function) + ": y_true is empty");
  if (y_true.size() != y_pred.size()) {
    throw InvalidArgument(std::string(function) + ": y_true has " + std::to_string(y_true.size()) +
                          " samples but y_pred has " + std::to_string(y_pred.size()));
  }
}

void check_binary_labels(const char* function, Span<const int> y_true, std::size_t size,
                         const char* values_name) {
  if (y_true.empty()) throw InvalidArgument(std::string(function) + ": y_true is empty");
  if (y_true.size() != size) {
    throw InvalidArgument(std::string(function) + ": y_true has " + std::to_string(y_true.size()) +
                          " samples but " + values_name + " has " + std::to_string(size));
  }
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] != 0 && y_true[i] != 1) {
      throw InvalidArgument(std::string(function) + ": y_true must hold binary labels 0/1, got " +
                            std::to_string(y_true[i]) + " at index " + std::to_string(i));
    }
  }
}

std::vector<int> unique_labels(Span<const int> a, Span<const int> b) {
  std::vector<int> labels(a.begin(), a.end());
  labels.insert(labels.end(), b.begin(), b.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

double pairwise_sum(const double* a, std::size_t n) {
  // Same blocking as numpy's pairwise_sum (numpy/core/src/umath/loops_utils.h.src).
  if (n < 8) {
    double res = 0.0;  // numpy starts from -0.0 with the first term added; equal for our uses
    for (std::size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    double r[8];
    for (int k = 0; k < 8; ++k) r[k] = a[k];
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (int k = 0; k < 8; ++k) r[k] += a[i + k];
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

}  // namespace claimlens::detail
