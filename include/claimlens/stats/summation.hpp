// numpy's pairwise summation, so that sums, means and variances round exactly as numpy's and
// pandas' do (pandas fills missing values with 0 and sums the whole array, which is what the
// term functions here do for NaN).
#pragma once

#include <cstddef>

namespace claimlens::stats::detail {

/// Sum of term(0) + ... + term(n-1) in numpy's order: runs of fewer than 8 terms left to right,
/// blocks of up to 128 terms over 8 interleaved accumulators, larger ranges split in halves (at a
/// multiple of 8). The error grows as O(log n) instead of O(n) and the inner loop vectorizes.
template <class Term>
double pairwise_sum(std::size_t begin, std::size_t n, const Term& term) {
  constexpr std::size_t kBlock = 128;  // numpy's PW_BLOCKSIZE
  if (n < 8) {
    double res = 0.0;
    for (std::size_t i = 0; i < n; ++i) res += term(begin + i);
    return res;
  }
  if (n <= kBlock) {
    double r[8];
    for (std::size_t k = 0; k < 8; ++k) r[k] = term(begin + k);
    std::size_t i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (std::size_t k = 0; k < 8; ++k) r[k] += term(begin + i + k);
    }
    double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += term(begin + i);
    return res;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum(begin, n2, term) + pairwise_sum(begin + n2, n - n2, term);
}

template <class Term>
double pairwise_sum(std::size_t n, const Term& term) {
  return pairwise_sum(std::size_t{0}, n, term);
}

}  // namespace claimlens::stats::detail

namespace claimlens::stats::detail {

/// K sums at once in one pass: terms(i, acc) adds term i of each sum to acc[0..K-1]. Blocks of 128
/// indexes are summed left to right, blocks are combined pairwise (error O(128 + log n), not O(n)).
template <std::size_t K, class Terms>
void pairwise_sums(std::size_t begin, std::size_t n, const Terms& terms, double (&out)[K]) {
  constexpr std::size_t kBlock = 128;
  if (n <= kBlock) {
    for (std::size_t k = 0; k < K; ++k) out[k] = 0.0;
    for (std::size_t i = begin; i < begin + n; ++i) terms(i, out);
    return;
  }
  std::size_t n2 = n / 2;
  n2 -= n2 % 8;
  double right[K];
  pairwise_sums<K>(begin, n2, terms, out);
  pairwise_sums<K>(begin + n2, n - n2, terms, right);
  for (std::size_t k = 0; k < K; ++k) out[k] += right[k];
}

}  // namespace claimlens::stats::detail
