// Scales and "nice" ticks of the chart primitives.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "svg.hpp"

namespace claimlens::report::svg {
namespace {

constexpr double kEps = 1e-9;

std::string num(double v) {
  return format_shortest(v);
}

void check_finite_range(const char* what, double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    throw InvalidArgument(std::string(what) + ": bounds must be finite, got [" + num(lo) + ", " +
                          num(hi) + "]");
  }
  if (lo > hi) {
    throw InvalidArgument(std::string(what) + ": lower bound " + num(lo) +
                          " is above upper bound " + num(hi));
  }
}

// Digits after the point needed to print multiples of `step` exactly (step = m x 10^k).
int decimals_for_step(double step) {
  for (int d = 0; d <= 15; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) <= kEps * std::max(1.0, scaled)) return d;
  }
  return 15;
}

// k x step without floating-point noise (0.30000000000000004 -> 0.3), never -0.
double multiple(double k, double step) {
  double v = k * step;
  const int decimals = decimals_for_step(step);
  if (decimals < 15) {
    const double unit = std::pow(10.0, decimals);
    v = std::round(v * unit) / unit;
  }
  return v == 0.0 ? 0.0 : v;
}

// Multiples of `step` within [lo, hi] (tolerant at the ends).
std::vector<double> multiples(double lo, double hi, double step) {
  const double first = std::ceil(lo / step - kEps);
  const double last = std::floor(hi / step + kEps);
  std::vector<double> out;
  for (double k = first; k <= last; k += 1.0) out.push_back(multiple(k, step));
  return out;
}

// Steps 1, 2, 2.5, 5 x 10^k in increasing order from just below span / max_count; calls
// accept(step) until it returns true.
template <class Accept>
double search_step(double span, int max_count, Accept&& accept) {
  static constexpr std::array<double, 4> kMultipliers = {1.0, 2.0, 2.5, 5.0};
  double magnitude = std::pow(10.0, std::floor(std::log10(span / max_count)) - 1.0);
  for (int guard = 0; guard < 64; ++guard, magnitude *= 10.0) {
    for (double m : kMultipliers) {
      if (accept(m * magnitude)) return m * magnitude;
    }
  }
  return span;  // unreachable for finite spans: a step >= span always fits
}

int count_multiples(double lo, double hi, double step) {
  return static_cast<int>(std::floor(hi / step + kEps) - std::ceil(lo / step - kEps)) + 1;
}

double log_t(double v) {
  return std::log10(1.0 + std::max(v, 0.0));
}

}  // namespace

Ticks nice_ticks(double lo, double hi, int max_count) {
  check_finite_range("nice_ticks", lo, hi);
  if (max_count < 2) {
    throw InvalidArgument("nice_ticks: max_count must be at least 2, got " +
                          std::to_string(max_count));
  }
  Ticks out;
  if (lo == hi) {
    out.values = {lo};
    out.decimals = decimals_for_step(std::fabs(lo) > 0 ? std::fabs(lo) : 1.0);
    return out;
  }
  out.step = search_step(hi - lo, max_count,
                         [&](double step) { return count_multiples(lo, hi, step) <= max_count; });
  out.values = multiples(lo, hi, out.step);
  out.decimals = decimals_for_step(out.step);
  return out;
}

ScaleType auto_scale_type(double min_value, double max_value, double decades) {
  if (!(min_value >= 0) || !(max_value > 0) || !std::isfinite(max_value)) return ScaleType::Linear;
  const double floor_value = std::max(min_value, 1.0);
  return max_value / floor_value >= std::pow(10.0, decades) ? ScaleType::Log : ScaleType::Linear;
}

Scale::Scale(ScaleType type, double d0, double d1, double r0, double r1)
    : type_(type), d0_(d0), d1_(d1), r0_(r0), r1_(r1) {
  check_finite_range("Scale domain", d0, d1);
  if (!std::isfinite(r0) || !std::isfinite(r1)) {
    throw InvalidArgument("Scale range must be finite, got [" + num(r0) + ", " + num(r1) + "]");
  }
  if (type == ScaleType::Log && d0 < 0) {
    throw InvalidArgument("Scale: a log scale needs a non-negative domain, got minimum " + num(d0));
  }
  if (d0_ == d1_) {  // one value: widen so positions stay defined
    if (type == ScaleType::Log) {
      d0_ = d0_ < 1.0 ? 0.0 : d0_ / 10.0;
      d1_ = std::max(d1_ * 10.0, 1.0);
    } else {
      const double pad = d0_ == 0.0 ? 1.0 : std::fabs(d0_) * 0.1;
      d0_ -= pad;
      d1_ += pad;
    }
  }
  t0_ = transform(d0_);
  t1_ = transform(d1_);
}

double Scale::transform(double v) const {
  return type_ == ScaleType::Log ? log_t(v) : v;
}

double Scale::untransform(double t) const {
  return type_ == ScaleType::Log ? std::pow(10.0, t) - 1.0 : t;
}

double Scale::operator()(double value) const {
  return r0_ + (transform(value) - t0_) / (t1_ - t0_) * (r1_ - r0_);
}

double Scale::invert(double pixel) const {
  return untransform(t0_ + (pixel - r0_) / (r1_ - r0_) * (t1_ - t0_));
}

Scale Scale::nice(int max_count) const {
  if (max_count < 2) {
    throw InvalidArgument("Scale::nice: max_count must be at least 2, got " +
                          std::to_string(max_count));
  }
  if (type_ == ScaleType::Log) {
    const double lo = d0_ < 1.0 ? 0.0 : std::pow(10.0, std::floor(std::log10(d0_)));
    const double hi = d1_ <= 1.0 ? 1.0 : std::pow(10.0, std::ceil(std::log10(d1_) - kEps));
    return Scale(type_, lo, std::max(hi, lo * 10.0), r0_, r1_);
  }
  // The smallest step whose tick-aligned widening of the domain holds at most max_count ticks.
  const double step = search_step(d1_ - d0_, max_count, [&](double s) {
    const double lo = std::floor(d0_ / s + kEps) * s, hi = std::ceil(d1_ / s - kEps) * s;
    return count_multiples(lo, hi, s) <= max_count;
  });
  return Scale(type_, multiple(std::floor(d0_ / step + kEps), step),
               multiple(std::ceil(d1_ / step - kEps), step), r0_, r1_);
}

std::vector<double> Scale::ticks(int max_count) const {
  if (max_count < 2) {
    throw InvalidArgument("Scale::ticks: max_count must be at least 2, got " +
                          std::to_string(max_count));
  }
  if (type_ == ScaleType::Linear) return nice_ticks(d0_, d1_, max_count).values;
  std::vector<double> out;
  const bool zero = d0_ <= 0.0;
  // Beside a 0 tick, 1 would sit a third of a decade away: start the decades at 10 instead.
  const double floor_value = zero && d1_ >= 10.0 ? 10.0 : std::max(d0_, 1.0);
  const int first = static_cast<int>(std::ceil(std::log10(floor_value) - kEps));
  const int last = static_cast<int>(std::floor(std::log10(std::max(d1_, 1.0)) + kEps));
  const int decades = std::max(0, last - first + 1);
  const int room = std::max(1, max_count - (zero ? 1 : 0));
  const int every = std::max(1, (decades + room - 1) / room);
  if (zero) out.push_back(0.0);
  for (int e = first; e <= last; ++e) {
    if ((e - first) % every == 0) out.push_back(std::pow(10.0, e));
  }
  return out;
}

std::vector<std::string> Scale::tick_labels(const std::vector<double>& ticks) const {
  std::vector<std::string> out;
  out.reserve(ticks.size());
  double largest = 0;
  for (double t : ticks) largest = std::max(largest, std::fabs(t));
  const bool compact = type_ == ScaleType::Log || largest >= 10000.0;
  const int decimals = ticks.size() > 1 ? decimals_for_step(std::fabs(ticks[1] - ticks[0]))
                       : ticks.empty()  ? 0
                                        : decimals_for_step(std::max(std::fabs(ticks[0]), 1.0));
  for (double t : ticks) out.push_back(compact ? format_compact(t) : format_grouped(t, decimals));
  return out;
}

}  // namespace claimlens::report::svg
