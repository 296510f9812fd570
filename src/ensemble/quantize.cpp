#include "quantize.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "claimlens/random.hpp"

namespace claimlens::ensemble_detail {

namespace {

// The stream of the rounding draws, apart from the fit's other streams of random_state.
constexpr std::uint64_t kQuantStream = (std::uint64_t{1} << 63) + 19;

// x rounded down or up to an integer, up with probability x - floor(x) (u uniform in [0, 1)).
std::int32_t stochastic_round(double x, double u) {
  return static_cast<std::int32_t>(std::floor(x + u));
}

}  // namespace

std::size_t max_quantized_rows(int bins) {
  return static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) /
         static_cast<std::size_t>(std::max(bins, 1));
}

QuantScales quantize_stats(const Stats* row_stats, const std::uint32_t* ids, std::size_t n,
                           int bins, std::uint64_t seed, int round, int n_threads, QStats* out,
                           Communicator* comm, std::uint64_t first_row) {
  const auto nl = static_cast<long long>(n);
  double max_g = 0.0, max_h = 0.0;
#pragma omp parallel for schedule(static) num_threads(n_threads) \
    reduction(max                                                \
              : max_g, max_h) if (n_threads > 1 && n > 4096)
  for (long long il = 0; il < nl; ++il) {
    const Stats& s = row_stats[ids[static_cast<std::size_t>(il)]];
    max_g = std::max(max_g, std::fabs(s.a));
    max_h = std::max(max_h, s.b);
  }
  if (comm) {
    double maxima[2] = {max_g, max_h};
    comm->allreduce_max(maxima, 2);
    max_g = maxima[0];
    max_h = maxima[1];
  }
  QuantScales scale;
  scale.max_g = max_g;
  scale.max_h = max_h;
  // Gradients in [-bins/2, bins/2] levels, hessians (positive) in [0, bins]: each level at most
  // `bins` in magnitude (max_quantized_rows). A zero maximum keeps scale 1 (all levels 0).
  if (max_g > 0.0) scale.g = max_g / (0.5 * bins);
  if (max_h > 0.0) scale.h = max_h / bins;
  const double inv_g = 1.0 / scale.g, inv_h = 1.0 / scale.h;
  const std::uint64_t key =
      derive_seed(derive_seed(seed, kQuantStream), static_cast<std::uint64_t>(round));
  constexpr double k2to32 = 1.0 / 4294967296.0;
#pragma omp parallel for schedule(static) num_threads(n_threads) if (n_threads > 1 && n > 4096)
  for (long long il = 0; il < nl; ++il) {
    const std::uint32_t r = ids[static_cast<std::size_t>(il)];
    // One hash per row: its high half draws the gradient's rounding, its low half the hessian's.
    const std::uint64_t bits = derive_seed(key, first_row + r);
    const double ug = static_cast<double>(bits >> 32) * k2to32;
    const double uh = static_cast<double>(bits & 0xFFFFFFFFu) * k2to32;
    const Stats& s = row_stats[r];
    // Clamped: x * (1 / scale) can pass the top level by an ulp.
    const double xg = std::clamp(s.a * inv_g, -0.5 * bins, 0.5 * bins);
    const double xh = std::clamp(s.b * inv_h, 0.0, static_cast<double>(bins));
    out[r] = QStats{stochastic_round(xg, ug), stochastic_round(xh, uh), 1};
  }
  return scale;
}

}  // namespace claimlens::ensemble_detail
