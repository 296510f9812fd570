// numpy.quantile's methods over the non-NaN values, by partial selection: the few order
// statistics a set of quantiles needs are placed with nested nth_element calls (numpy's
// np.partition with several kth), never a full sort.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "claimlens/stats/descriptive.hpp"
#include "common.hpp"

namespace claimlens::stats {

namespace {

struct MethodInfo {
  QuantileMethod method;
  const char* name;
};

constexpr MethodInfo kMethods[] = {
    {QuantileMethod::Linear, "linear"},
    {QuantileMethod::Lower, "lower"},
    {QuantileMethod::Higher, "higher"},
    {QuantileMethod::Nearest, "nearest"},
    {QuantileMethod::Midpoint, "midpoint"},
    {QuantileMethod::InvertedCdf, "inverted_cdf"},
    {QuantileMethod::AveragedInvertedCdf, "averaged_inverted_cdf"},
    {QuantileMethod::ClosestObservation, "closest_observation"},
    {QuantileMethod::InterpolatedInvertedCdf, "interpolated_inverted_cdf"},
    {QuantileMethod::Hazen, "hazen"},
    {QuantileMethod::Weibull, "weibull"},
    {QuantileMethod::MedianUnbiased, "median_unbiased"},
    {QuantileMethod::NormalUnbiased, "normal_unbiased"},
};

/// Where a quantile sits in the sorted sample: x[lo] + gamma * (x[hi] - x[lo]) (numpy's _lerp).
struct Position {
  std::size_t lo = 0, hi = 0;
  double gamma = 0.0;
};

// numpy's _compute_virtual_index: n q + (alpha + q (1 - alpha - beta)) - 1, in that order.
double hyndman_fan_index(double n, double q, double alpha, double beta) {
  return n * q + (alpha + q * (1 - alpha - beta)) - 1;
}

// numpy's _discret_interpolation_to_boundaries: floor or floor + 1, clipped at 0.
std::size_t discrete_index(double index, bool take_previous) {
  const double previous = std::floor(index);
  const double chosen = take_previous ? previous : previous + 1;
  return chosen < 0 ? 0 : static_cast<std::size_t>(chosen);
}

Position exact(std::size_t index) {
  return Position{index, index, 0.0};
}

// numpy's _get_indexes + _get_gamma for the interpolating methods.
Position interpolated(double virtual_index, std::size_t n, QuantileMethod method) {
  Position pos;
  const double previous = std::floor(virtual_index);
  if (virtual_index >= static_cast<double>(n - 1)) {
    pos.lo = pos.hi = n - 1;
  } else if (virtual_index < 0) {
    pos.lo = pos.hi = 0;
  } else {
    pos.lo = static_cast<std::size_t>(previous);
    pos.hi = pos.lo + 1;
  }
  double gamma = virtual_index - previous;
  if (method == QuantileMethod::Midpoint) {
    gamma = std::fmod(virtual_index, 1.0) == 0 ? 0.0 : 0.5;
  } else if (method == QuantileMethod::AveragedInvertedCdf) {
    gamma = gamma == 0 ? 0.5 : 1.0;
  }
  pos.gamma = gamma;
  return pos;
}

Position locate(std::size_t n, double q, QuantileMethod method) {
  const double nd = static_cast<double>(n);
  const double linear = (nd - 1) * q;
  switch (method) {
    case QuantileMethod::Lower:
      return exact(static_cast<std::size_t>(std::floor(linear)));
    case QuantileMethod::Higher:
      return exact(static_cast<std::size_t>(std::ceil(linear)));
    case QuantileMethod::Nearest:
      return exact(static_cast<std::size_t>(std::nearbyint(linear)));  // half to even
    case QuantileMethod::InvertedCdf: {
      const double index = nd * q - 1;
      return exact(discrete_index(index, index - std::floor(index) == 0));
    }
    case QuantileMethod::ClosestObservation: {
      const double index = nd * q - 1 - 0.5;
      const double previous = std::floor(index);
      return exact(discrete_index(index, index - previous == 0 && std::fmod(previous, 2.0) == 0));
    }
    case QuantileMethod::Linear:
      return interpolated(linear, n, method);
    case QuantileMethod::Midpoint:
      return interpolated(0.5 * (std::floor(linear) + std::ceil(linear)), n, method);
    case QuantileMethod::AveragedInvertedCdf:
      return interpolated(nd * q - 1, n, method);
    case QuantileMethod::InterpolatedInvertedCdf:
      return interpolated(hyndman_fan_index(nd, q, 0, 1), n, method);
    case QuantileMethod::Hazen:
      return interpolated(hyndman_fan_index(nd, q, 0.5, 0.5), n, method);
    case QuantileMethod::Weibull:
      return interpolated(hyndman_fan_index(nd, q, 0, 0), n, method);
    case QuantileMethod::MedianUnbiased:
      return interpolated(hyndman_fan_index(nd, q, 1 / 3.0, 1 / 3.0), n, method);
    case QuantileMethod::NormalUnbiased:
      return interpolated(hyndman_fan_index(nd, q, 3 / 8.0, 3 / 8.0), n, method);
  }
  return exact(0);
}

// numpy's _lerp: from the nearer end, so that gamma = 1 gives b exactly.
double lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/// Places the order statistics `ks` (sorted, unique, absolute ranks) of data[first, last), whose
/// first element has rank `offset`.
void select(double* first, double* last, std::size_t offset, const std::size_t* kb,
            const std::size_t* ke) {
  while (kb != ke && last - first > 1) {
    if (ke - kb == 1 && *kb == offset) {  // the minimum: one scan instead of a selection
      std::iter_swap(first, std::min_element(first, last));
      return;
    }
    if (ke - kb == 1 && *kb == offset + static_cast<std::size_t>(last - first) - 1) {
      std::iter_swap(last - 1, std::max_element(first, last));
      return;
    }
    const std::size_t* mid = kb + (ke - kb) / 2;
    double* nth = first + (*mid - offset);
    std::nth_element(first, nth, last);
    select(first, nth, offset, kb, mid);
    first = nth + 1;
    offset = *mid + 1;
    kb = mid + 1;
  }
}

// The non-NaN values (a plain copy when there is no NaN).
std::vector<double> valid_copy(Span<const double> x, NanPolicy nan, const char* function) {
  const std::size_t n = detail::require_count(x, nan, 1, function, "x");
  if (n == x.size()) return std::vector<double>(x.begin(), x.end());
  return dropna(x);
}

void check_q(double q, const char* function) {
  if (!(q >= 0.0 && q <= 1.0)) {
    detail::invalid(function, "q must be in [0, 1], got " + detail::format_number(q));
  }
}

}  // namespace

const char* quantile_method_name(QuantileMethod method) {
  for (const auto& m : kMethods) {
    if (m.method == method) return m.name;
  }
  return "unknown";
}

QuantileMethod quantile_method_from_name(std::string_view name) {
  std::string valid;
  for (const auto& m : kMethods) {
    if (name == m.name) return m.method;
    valid += valid.empty() ? "" : ", ";
    valid += m.name;
  }
  detail::invalid("quantile_method_from_name",
                  "unknown quantile method '" + std::string(name) + "' (valid: " + valid + ")");
}

std::vector<double> quantiles(Span<const double> x, Span<const double> qs, QuantileMethod method,
                              NanPolicy nan) {
  for (double q : qs) check_q(q, "quantile");
  std::vector<double> data = valid_copy(x, nan, "quantile");
  const std::size_t n = data.size();
  std::vector<Position> positions;
  std::vector<std::size_t> ranks;
  positions.reserve(qs.size());
  for (double q : qs) {
    positions.push_back(locate(n, q, method));
    ranks.push_back(positions.back().lo);
    ranks.push_back(positions.back().hi);
  }
  std::sort(ranks.begin(), ranks.end());
  ranks.erase(std::unique(ranks.begin(), ranks.end()), ranks.end());
  select(data.data(), data.data() + n, 0, ranks.data(), ranks.data() + ranks.size());
  std::vector<double> out;
  out.reserve(qs.size());
  for (const Position& p : positions) {
    out.push_back(p.lo == p.hi ? data[p.lo] : lerp(data[p.lo], data[p.hi], p.gamma));
  }
  return out;
}

double quantile(Span<const double> x, double q, QuantileMethod method, NanPolicy nan) {
  return quantiles(x, Span<const double>(&q, 1), method, nan)[0];
}

double median(Span<const double> x, NanPolicy nan) {
  std::vector<double> data = valid_copy(x, nan, "median");
  const std::size_t n = data.size();
  const std::size_t half = n / 2;
  if (n % 2 == 1) {
    const std::size_t k = half;
    select(data.data(), data.data() + n, 0, &k, &k + 1);
    return data[half];
  }
  const std::size_t ks[2] = {half - 1, half};
  select(data.data(), data.data() + n, 0, ks, ks + 2);
  const double a = data[half - 1], b = data[half];
  const double mid = (a + b) / 2;  // numpy's mean of the two middle values
  return std::isfinite(mid) || !std::isfinite(a) || !std::isfinite(b) ? mid : a / 2 + b / 2;
}

double iqr(Span<const double> x, QuantileMethod method, NanPolicy nan) {
  const double qs[2] = {0.25, 0.75};
  const std::vector<double> q = quantiles(x, Span<const double>(qs, 2), method, nan);
  return q[1] - q[0];
}

}  // namespace claimlens::stats
