// Isotonic calibration (claimlens/calibration/calibrators.hpp), step for step as scikit-learn
// 1.2's IsotonicRegression.fit / predict: lexsort by (x, y), _make_unique, the pool-adjacent-
// violators pass of _inplace_contiguous_isotonic_regression, the trimming of interior points
// equal to both neighbours, then np.clip and np.interp. The same arithmetic in the same order, so
// thresholds and predictions agree with scikit-learn's to the last bit or nearly.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "checks.hpp"
#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"

namespace claimlens {

namespace {

// np.finfo(np.float64).resolution: _make_unique merges x values closer than this to the first
// x of their run.
constexpr double kMergeResolution = 1e-15;

struct Points {
  std::vector<double> x, y, w;
};

// _make_unique on rows sorted by (x, y): weighted mean label of each run of merged x.
Points merge_ties(const std::vector<double>& x, const std::vector<double>& y) {
  Points out;
  double run_x = x[0], run_wy = 0.0, run_w = 0.0;
  const auto close_run = [&] {
    out.x.push_back(run_x);
    out.y.push_back(run_wy / run_w);
    out.w.push_back(run_w);
  };
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] - run_x >= kMergeResolution) {
      close_run();
      run_x = x[i];
      run_wy = 0.0;
      run_w = 0.0;
    }
    run_wy += y[i] * 1.0;  // unit sample weights
    run_w += 1.0;
  }
  close_run();
  return out;
}

// Keeps the first and last point and every point whose y differs from a neighbour's.
void trim(std::vector<double>& x, std::vector<double>& y) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const bool interior = i > 0 && i + 1 < x.size();
    if (interior && y[i] == y[i - 1] && y[i] == y[i + 1]) continue;
    x[kept] = x[i];
    y[kept] = y[i];
    ++kept;
  }
  x.resize(kept);
  y.resize(kept);
}

void check_thresholds(const std::vector<double>& x, const std::vector<double>& y) {
  const auto fail = [](const std::string& why) {
    throw InvalidArgument("IsotonicCalibrator: " + why);
  };
  if (x.empty()) fail("needs at least one threshold");
  if (x.size() != y.size()) {
    fail("x_thresholds has " + std::to_string(x.size()) + " values but y_thresholds has " +
         std::to_string(y.size()));
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    const std::string at = "[" + std::to_string(i) + "]";
    if (!std::isfinite(x[i])) fail("x_thresholds" + at + " is not finite");
    if (!(y[i] >= 0.0 && y[i] <= 1.0)) fail("y_thresholds" + at + " is not in [0, 1]");
    if (i > 0 && !(x[i] > x[i - 1])) fail("x_thresholds must increase strictly (at " + at + ")");
    if (i > 0 && y[i] < y[i - 1]) fail("y_thresholds must not decrease (at " + at + ")");
  }
}

}  // namespace

std::vector<double> isotonic_regression(Span<const double> y_in, Span<const double> w_in) {
  if (y_in.size() != w_in.size()) {
    throw InvalidArgument("isotonic_regression: y has " + std::to_string(y_in.size()) +
                          " values but weight has " + std::to_string(w_in.size()));
  }
  for (std::size_t i = 0; i < y_in.size(); ++i) {
    if (!std::isfinite(y_in[i]) || !(w_in[i] > 0.0) || !std::isfinite(w_in[i])) {
      throw InvalidArgument("isotonic_regression: y[" + std::to_string(i) +
                            "] must be finite "
                            "and weight[" +
                            std::to_string(i) + "] positive and finite");
    }
  }
  std::vector<double> y(y_in.begin(), y_in.end()), w(w_in.begin(), w_in.end());
  const std::size_t n = y.size();
  // A block [i, j] is stored at its ends: last[i] = j, first[j] = i, with y[i] its weighted
  // mean and w[i] its weight. Blocks that are not increasing are pooled, then the pass steps
  // back one block, so the whole pass is O(n).
  std::vector<std::size_t> last(n), first(n);
  std::iota(last.begin(), last.end(), std::size_t{0});
  std::iota(first.begin(), first.end(), std::size_t{0});
  std::size_t i = 0;
  while (i < n) {
    std::size_t k = last[i] + 1;
    if (k == n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    double sum_wy = w[i] * y[i], sum_w = w[i];
    for (;;) {  // pool the run of blocks that do not increase
      const double previous = y[k];
      sum_wy += w[k] * y[k];
      sum_w += w[k];
      k = last[k] + 1;
      if (k == n || previous < y[k]) break;
    }
    y[i] = sum_wy / sum_w;
    w[i] = sum_w;
    last[i] = k - 1;
    first[k - 1] = i;
    if (i > 0) i = first[i - 1];
  }
  for (std::size_t b = 0; b < n; b = last[b] + 1) {
    std::fill(y.begin() + static_cast<std::ptrdiff_t>(b) + 1,
              y.begin() + static_cast<std::ptrdiff_t>(last[b]) + 1, y[b]);
  }
  return y;
}

IsotonicCalibrator::IsotonicCalibrator(std::vector<double> x_thresholds,
                                       std::vector<double> y_thresholds)
    : x_(std::move(x_thresholds)), y_(std::move(y_thresholds)) {
  check_thresholds(x_, y_);
}

IsotonicCalibrator IsotonicCalibrator::fit(Span<const double> scores, Span<const int> y) {
  detail::check_calibration_data("isotonic calibration", scores, y);
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return scores[a] < scores[b] || (scores[a] == scores[b] && y[a] < y[b]);
  });
  std::vector<double> xs(order.size()), ys(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    xs[k] = scores[order[k]];
    ys[k] = static_cast<double>(y[order[k]]);
  }
  Points unique = merge_ties(xs, ys);
  std::vector<double> fitted = isotonic_regression(unique.y, unique.w);
  trim(unique.x, fitted);
  return IsotonicCalibrator(std::move(unique.x), std::move(fitted));
}

double IsotonicCalibrator::predict(double score) const {
  if (std::isnan(score)) return score;
  if (x_.size() == 1) return y_[0];
  // np.clip to [x_min, x_max], then np.interp: y[j] where x hits a threshold, else the line
  // through the thresholds around it (retried from the right end should it give NaN).
  const double x = std::min(std::max(score, x_.front()), x_.back());
  const auto above = std::upper_bound(x_.begin(), x_.end(), x);
  const std::size_t j = static_cast<std::size_t>(above - x_.begin()) - 1;  // x_[j] <= x
  if (j + 1 == x_.size() || x == x_[j]) return y_[j];
  const double slope = (y_[j + 1] - y_[j]) / (x_[j + 1] - x_[j]);
  double v = slope * (x - x_[j]) + y_[j];
  if (std::isnan(v)) v = slope * (x - x_[j + 1]) + y_[j + 1];
  if (std::isnan(v) && y_[j] == y_[j + 1]) v = y_[j];
  return v;
}

std::vector<double> IsotonicCalibrator::predict(Span<const double> scores) const {
  std::vector<double> out(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) out[i] = predict(scores[i]);
  return out;
}

nlohmann::json IsotonicCalibrator::to_json() const {
  JsonDocument doc(nlohmann::json::object());
  nlohmann::json& j = *doc;
  j["x_thresholds"] = x_;
  j["y_thresholds"] = y_;
  return std::move(j);
}

IsotonicCalibrator IsotonicCalibrator::from_json(const JsonReader& j) {
  j.object().only_keys({"method", "x_thresholds", "y_thresholds"});
  const JsonReader xs = j.at("x_thresholds"), ys = j.at("y_thresholds");
  const std::size_t n = xs.array_size();
  if (n == 0) xs.fail("must hold at least one threshold");
  if (ys.array_size() != n) {
    ys.fail("must hold as many values as " + xs.name() + " (" + std::to_string(n) + ")");
  }
  std::vector<double> x(n), y(n);
  for (std::size_t i = 0; i < n; ++i) {
    const JsonReader xi = xs.at(i), yi = ys.at(i);
    x[i] = xi.finite();
    y[i] = yi.finite();
    if (i > 0 && !(x[i] > x[i - 1])) xi.fail_value("must be greater than the threshold before it");
    if (!(y[i] >= 0.0 && y[i] <= 1.0)) yi.fail_value("must be a probability in [0, 1]");
    if (i > 0 && y[i] < y[i - 1]) yi.fail_value("must not be less than the value before it");
  }
  return IsotonicCalibrator(std::move(x), std::move(y));
}

}  // namespace claimlens
