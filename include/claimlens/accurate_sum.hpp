// Accurate sums and the moments built on them (issue 23): means, variances and covariances for
// which a large common offset costs no digits. Every module that computes a mean, a variance or a
// covariance goes through here (stats' t-tests and correlations, the frame's describe and
// groupby, regression's standardization), so they all round the same way.
//
// How (and why it is exact to a few ulps):
//  * Sums are compensated: Knuth's TwoSum gives the rounding error of each addition exactly, and
//    the errors are summed on the side (Neumaier's variant of Kahan summation, as in Ogita, Rump
//    and Oishi's Sum2). The result is as accurate as if summed in twice the working precision and
//    rounded once: |error| <= u|S| + n^2 u^2 sum|x_i| (u = 2^-53). Four interleaved lanes keep
//    the loop as fast as the data can be read.
//  * The mean is found by shifting by a pivot (the first finite value) and summing the shifted
//    values, each shift with its own rounding error also summed, so the mean is the exact mean to
//    within about an ulp whatever the offset. It is kept as an unevaluated sum mean + mean_low, so
//    differences of means (t statistics) keep the digits beyond the mean's last one.
//  * Squared deviations are summed around that mean (e_i = (x_i - mean) - mean_low, exact or
//    rounded relative to e_i itself) and corrected by (sum e_i)^2 / n, the exact identity
//    sum (x - m)^2 = sum (x - a)^2 - (sum (x - a))^2 / n for any centre a (the "corrected two-pass"
//    algorithm of Chan, Golub and LeVeque, 1983). The variance is thus accurate to a few ulps
//    relative to itself, where numpy's two-pass variance loses the digits of (offset / spread)^2.
// numpy/pandas round a few ulps differently on ordinary data; on offset or near-constant data they
// can lose every digit (docs/statistics.md).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

namespace claimlens {

/// Knuth's TwoSum: returns fl(a + b) and sets err so that result + err == a + b exactly (finite
/// values; no branch, no assumption on magnitudes).
inline double two_sum(double a, double b, double& err) {
  const double s = a + b;
  const double b_virtual = s - a;
  err = (a - (s - b_virtual)) + (b - b_virtual);
  return s;
}

/// A Neumaier-compensated running sum: sum + compensation is the exact sum of the added terms to
/// about twice the working precision.
struct CompensatedSum {
  double sum = 0.0, compensation = 0.0;

  void add(double x) {
    double err;
    sum = two_sum(sum, x, err);
    compensation += err;
  }
  void add(const CompensatedSum& other) {
    add(other.sum);
    compensation += other.compensation;
  }
  /// The sum rounded once. With an infinite or NaN term the compensation is NaN and the plain sum
  /// (inf, -inf or NaN, as a naive sum would give) is the answer.
  double value() const { return std::isfinite(compensation) ? sum + compensation : sum; }
};

namespace accurate_detail {

constexpr std::size_t kLanes = 8;    // independent accumulators per sum, as numpy's pairwise sum
constexpr std::size_t kBlock = 128;  // indexes summed plainly before a compensated addition

/// Adds terms [begin, begin + rows * kLanes) to out, lane l taking every kLanes-th index.
template <std::size_t K, class Terms, std::size_t... Ks>
void add_block(std::size_t begin, std::size_t rows, const Terms& terms, CompensatedSum (&out)[K],
               std::index_sequence<Ks...>) {
  double r[K][kLanes] = {};
  for (std::size_t row = 0; row < rows; ++row) {
    const std::size_t i = begin + row * kLanes;
    for (std::size_t l = 0; l < kLanes; ++l) {
      double t[K];
      terms(i + l, t);
      ((r[Ks][l] += t[Ks]), ...);  // the fold unrolls the K sums, so the lane loop vectorizes
    }
  }
  for (std::size_t k = 0; k < K; ++k) {
    const double* v = r[k];
    out[k].add(((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])));
  }
}

template <std::size_t K, class Terms>
void blocked_sums(std::size_t n, const Terms& terms, CompensatedSum (&out)[K]) {
  constexpr auto ks = std::make_index_sequence<K>{};
  for (std::size_t k = 0; k < K; ++k) out[k] = CompensatedSum{};
  const std::size_t full = n / kBlock;
  for (std::size_t b = 0; b < full; ++b) add_block<K>(b * kBlock, kBlock / kLanes, terms, out, ks);
  std::size_t i = full * kBlock;
  const std::size_t rows = (n - i) / kLanes;
  add_block<K>(i, rows, terms, out, ks);
  for (i += rows * kLanes; i < n; ++i) {
    double t[K];
    terms(i, t);
    for (std::size_t k = 0; k < K; ++k) out[k].add(t[k]);
  }
}

}  // namespace accurate_detail

/// K sums at once over i in [0, n): terms(i, t) writes term i of each sum to t[0..K-1] (0 for a
/// missing value). Blocks of 128 indexes are summed over 8 lanes, as numpy does, and the block
/// totals are added with compensation, so |error| <= about 20 u sum|terms| + u |sum| for any n
/// (numpy's grows with log n, a plain loop's with n). terms() should choose between loaded values
/// only, not computed ones: GCC turns such selects into branches and stops vectorizing.
template <std::size_t K, class Terms>
void accurate_sums(std::size_t n, const Terms& terms, CompensatedSum (&out)[K]) {
  accurate_detail::blocked_sums<K>(n, terms, out);
}

/// Count, mean and sum of squared deviations of a sample (NaN values are missing).
struct CentralMoments {
  std::size_t count = 0;
  double mean = std::numeric_limits<double>::quiet_NaN();  // the mean, within about an ulp
  double mean_low = 0.0;  // mean + mean_low: the mean to about u * |values - mean|
  double m2 = std::numeric_limits<double>::quiet_NaN();  // sum of (x - exact mean)^2

  /// m2 / (count - ddof); the caller checks that count > ddof.
  double variance(int ddof) const { return m2 / static_cast<double>(count - ddof); }
  /// x - (mean + mean_low), the deviation from the mean with its low-order part.
  double deviation(double x) const { return (x - mean) - mean_low; }
  /// Moves the mean by delta, keeping mean + mean_low an unevaluated sum.
  void shift_mean(double delta) { mean = two_sum(mean, mean_low + delta, mean_low); }
  /// (mean + mean_low) - value, keeping the digits below the mean's last one.
  double mean_minus(double value) const {
    double err;
    const double d = two_sum(mean, -value, err);
    return d + (err + mean_low);
  }
};

namespace accurate_detail {

template <class Value>
double first_finite(std::size_t n, const Value& value) {
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isfinite(value(i))) return value(i);
  }
  return 0.0;
}

/// sum(x - pivot) over the non-NaN values, and their count. Optimistic: no value missing, one
/// plain pass. A NaN or an infinity makes that sum non-finite; then count apart (an integer loop:
/// a lane of doubles would cost 3x) and sum again, a missing value standing in as the pivot.
template <class Value>
double shifted_sum(std::size_t n, const Value& value, double pivot, std::size_t& count) {
  CompensatedSum sums[1];
  accurate_sums<1>(
      n, [value, pivot](std::size_t i, double(&t)[1]) { t[0] = value(i) - pivot; }, sums);
  count = n;
  if (std::isfinite(sums[0].value())) return sums[0].value();
  count = 0;
  for (std::size_t i = 0; i < n; ++i) count += std::isnan(value(i)) ? 0 : 1;
  accurate_sums<1>(
      n,
      [value, pivot](std::size_t i, double(&t)[1]) {
        const double raw = value(i);
        t[0] = (std::isnan(raw) ? pivot : raw) - pivot;
      },
      sums);
  return sums[0].value();
}

/// Pass 1 of the moments: count and approximate mean of the non-NaN values, summed as shifts from
/// a pivot (the first finite value) so that a common offset does not take part in the sum.
template <class Value>
CentralMoments locate(std::size_t n, const Value& value) {
  CentralMoments m;
  double pivot = first_finite(n, value);
  double shift_sum = shifted_sum(n, value, pivot, m.count);
  if (m.count == 0) return m;
  if (!std::isfinite(shift_sum) && pivot != 0.0) {
    // Finite values near the largest double can overflow once shifted (1e308 - -1e308): sum
    // them unshifted, as numpy does, unless a value is infinite.
    bool infinite = false;
    for (std::size_t i = 0; i < n; ++i) infinite = infinite || std::isinf(value(i));
    if (!infinite) {
      pivot = 0.0;
      shift_sum = shifted_sum(n, value, pivot, m.count);
    }
  }
  if (!std::isfinite(shift_sum)) {  // infinite values: the mean is inf, -inf or NaN
    m.mean = pivot + shift_sum;
    return m;
  }
  m.mean = two_sum(pivot, shift_sum / static_cast<double>(m.count), m.mean_low);
  return m;
}

}  // namespace accurate_detail

/// The sum of squares or products of deviations, sum(e_x e_y), corrected for the means' residual
/// error: minus sum(e_x) sum(e_y) / n (exact for the exact means, see the file comment).
inline double corrected_product_sum(const CompensatedSum& products, const CompensatedSum& sum_x,
                                    const CompensatedSum& sum_y, std::size_t count) {
  const double sum = products.value();
  if (!std::isfinite(sum)) return sum;  // overflowed squares stay inf, not inf - inf
  return sum - sum_x.value() * sum_y.value() / static_cast<double>(count);
}

/// Moments of value(0), ..., value(n-1), NaN values left out: two passes (a first mean, then the
/// sums of deviations from it, which correct both the mean and the sum of squares). count 0
/// leaves mean and m2 NaN.
template <class Value>
CentralMoments central_moments(std::size_t n, const Value& value) {
  CentralMoments m = accurate_detail::locate(n, value);
  if (m.count == 0 || !std::isfinite(m.mean)) return m;
  CompensatedSum sums[2];  // e^2, e for the deviations e from the pass-1 mean
  if (m.count == n) {      // no missing value: the plain loop vectorizes (3x faster)
    accurate_sums<2>(
        n,
        [value, m](std::size_t i, double(&t)[2]) {
          const double e = m.deviation(value(i));
          t[0] = e * e;
          t[1] = e;
        },
        sums);
  } else {
    accurate_sums<2>(
        n,
        [value, m](std::size_t i, double(&t)[2]) {
          const double raw = value(i);
          const bool present = !std::isnan(raw);
          // A missing value stands in as the mean (a finite deviation), then weighs 0.
          const double e = m.deviation(present ? raw : m.mean) * static_cast<double>(present);
          t[0] = e * e;
          t[1] = e;
        },
        sums);
  }
  m.m2 = std::max(corrected_product_sum(sums[0], sums[1], sums[1], m.count), 0.0);
  // The deviations' sum is n times the pass-1 mean's error: the mean refined by it is exact to
  // the rounding of the deviations and of their sum, relative to the spread, not to the offset.
  m.shift_mean(sums[1].value() / static_cast<double>(m.count));
  return m;
}

/// central_moments of x[0], x[stride], ..., x[(n-1) * stride].
inline CentralMoments central_moments(const double* x, std::size_t n, std::size_t stride = 1) {
  if (stride == 1) return central_moments(n, [x](std::size_t i) { return x[i]; });
  return central_moments(n, [x, stride](std::size_t i) { return x[i * stride]; });
}

/// (a.mean + a.mean_low) - (b.mean + b.mean_low): the numerator of a t statistic without the
/// rounding of either mean. Antisymmetric to the last bit: mean_difference(b, a) is its negation.
inline double mean_difference(const CentralMoments& a, const CentralMoments& b) {
  double err;
  const double d = two_sum(a.mean, -b.mean, err);
  return d + (err + (a.mean_low - b.mean_low));
}

/// Moments of a pair of samples over the rows where both are present: sums of squared and cross
/// deviations from the exact means.
struct CoMoments {
  std::size_t count = 0;
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
};

namespace accurate_detail {

inline void product_terms(double ex, double ey, double (&t)[5]) {
  t[0] = ex * ex;
  t[1] = ey * ey;
  t[2] = ex * ey;
  t[3] = ex;
  t[4] = ey;
}

/// Pass 2 of co_moments: the corrected sums of squares and products of deviations.
template <class X, class Y>
CoMoments co_sums(std::size_t n, const X& x, const Y& y, const CentralMoments& mx,
                  const CentralMoments& my, bool complete) {
  CompensatedSum sums[5];  // ex^2, ey^2, ex*ey, ex, ey
  if (complete) {
    accurate_sums<5>(
        n,
        [x, y, mx, my](std::size_t i, double(&t)[5]) {
          product_terms(mx.deviation(x(i)), my.deviation(y(i)), t);
        },
        sums);
  } else {  // x and y are NaN together here; a missing row stands in as the means, weighing 0
    accurate_sums<5>(
        n,
        [x, y, mx, my](std::size_t i, double(&t)[5]) {
          const double rx = x(i);
          const bool present = !std::isnan(rx);
          const double weight = static_cast<double>(present);
          const double ex = mx.deviation(present ? rx : mx.mean) * weight;
          const double ey = my.deviation(present ? y(i) : my.mean) * weight;
          product_terms(ex, ey, t);
        },
        sums);
  }
  CoMoments out;
  out.count = mx.count;
  out.sxx = std::max(corrected_product_sum(sums[0], sums[3], sums[3], out.count), 0.0);
  out.syy = std::max(corrected_product_sum(sums[1], sums[4], sums[4], out.count), 0.0);
  out.sxy = corrected_product_sum(sums[2], sums[3], sums[4], out.count);
  return out;
}

}  // namespace accurate_detail

/// CoMoments of (x(i), y(i)) for i in [0, n), rows with a NaN in either left out.
template <class X, class Y>
CoMoments co_moments(std::size_t n, const X& x, const Y& y) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const auto x_paired = [x, y](std::size_t i) { return std::isnan(y(i)) ? kNaN : x(i); };
  const auto y_paired = [x, y](std::size_t i) { return std::isnan(x(i)) ? kNaN : y(i); };
  const CentralMoments mx = accurate_detail::locate(n, x_paired);
  const CentralMoments my = accurate_detail::locate(n, y_paired);
  if (mx.count == 0) return CoMoments{};
  if (mx.count == n) return accurate_detail::co_sums(n, x, y, mx, my, true);
  return accurate_detail::co_sums(n, x_paired, y_paired, mx, my, false);
}

}  // namespace claimlens
