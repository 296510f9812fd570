// Choosing an operating threshold and bootstrapping its precision and recall
// (claimlens/calibration/operating_point.hpp).
#include "claimlens/calibration/operating_point.hpp"
#include "claimlens/enum_names.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "checks.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "claimlens/stats/descriptive.hpp"

namespace claimlens {

namespace {

constexpr int kMaxResamples = 1000000;

// "score > threshold" with its confusion counts on the held-out rows.
struct Candidate {
  double threshold;
  std::int64_t tp, fp;
};

double ratio(std::int64_t num, std::int64_t den) {
  return den > 0 ? static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

// Every distinct "score > s" cut, from the fewest rows predicted positive to all of them.
std::vector<Candidate> candidates(Span<const double> scores, Span<const int> y) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<Candidate> out;
  std::int64_t tp = 0, fp = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    (y[order[k]] == 1 ? tp : fp) += 1;
    const double s = scores[order[k]];
    if (k + 1 < order.size() && scores[order[k + 1]] == s) continue;  // rest of the tie
    const double below = k + 1 < order.size()
                             ? scores[order[k + 1]]
                             : std::nextafter(s, -std::numeric_limits<double>::infinity());
    out.push_back({below, tp, fp});
  }
  return out;
}

// Higher precision, or equal precision (compared exactly, as fractions) and higher recall.
bool more_precise(const Candidate& c, const Candidate& best) {
  const uint128 left = static_cast<uint128>(c.tp) * static_cast<uint128>(best.tp + best.fp);
  const uint128 right = static_cast<uint128>(best.tp) * static_cast<uint128>(c.tp + c.fp);
  return left > right || (left == right && c.tp > best.tp);
}

[[noreturn]] void unreachable(const std::vector<Candidate>& cands, double target,
                              std::int64_t positives, std::size_t rows) {
  const Candidate* best = &cands.front();
  for (const Candidate& c : cands) {
    if (more_precise(c, *best)) best = &c;
  }
  throw InvalidArgument("choose_operating_point: the target precision " +
                        detail::shown_number(target) + " cannot be reached on these " +
                        std::to_string(rows) + " held-out rows: the best precision reachable is " +
                        detail::shown_number(ratio(best->tp, best->tp + best->fp)) +
                        " (threshold " + detail::shown_number(best->threshold) + ", recall " +
                        detail::shown_number(ratio(best->tp, positives)) + ")");
}

const Candidate& choose(const std::vector<Candidate>& cands, OperatingTarget metric, double target,
                        std::int64_t positives, std::size_t rows) {
  const Candidate* best = nullptr;
  for (const Candidate& c : cands) {
    if (metric == OperatingTarget::Precision) {
      if (!(ratio(c.tp, c.tp + c.fp) >= target)) continue;
      // Highest recall (tp), then highest precision (fewest fp for that tp).
      if (!best || c.tp > best->tp || (c.tp == best->tp && c.fp < best->fp)) best = &c;
    } else {
      if (!(ratio(c.tp, positives) >= target)) continue;
      if (!best || more_precise(c, *best)) best = &c;  // then the highest recall
    }
  }
  if (!best) unreachable(cands, target, positives, rows);  // only a precision target gets here
  return *best;
}

void check_bootstrap(const BootstrapOptions& options, bool allow_none) {
  const int lo = allow_none ? 0 : 1;
  if (options.n_resamples < lo || options.n_resamples > kMaxResamples) {
    throw InvalidArgument("bootstrap: n_resamples must be from " + std::to_string(lo) +
                          " to 1000000, not " + std::to_string(options.n_resamples));
  }
  if (!(options.confidence > 0.0 && options.confidence < 1.0)) {
    throw InvalidArgument("bootstrap: confidence must be in (0, 1), not " +
                          detail::shown_number(options.confidence));
  }
}

Interval percentile_interval(const std::vector<double>& values, double confidence) {
  if (values.empty()) return {};
  const double tail = (1.0 - confidence) / 2.0;
  const std::vector<double> qs = {tail, 1.0 - tail};
  const auto bounds = stats::quantiles(values, qs, stats::QuantileMethod::Linear);
  return {bounds[0], bounds[1]};
}

}  // namespace

namespace {
constexpr EnumNames<OperatingTarget, 2> kTargetNames{
    {{{OperatingTarget::Precision, "precision"}, {OperatingTarget::Recall, "recall"}}}};
}  // namespace

const char* operating_target_name(OperatingTarget metric) {
  return kTargetNames.name(metric);
}

OperatingTarget operating_target_from_name(std::string_view name, const char* argument) {
  return kTargetNames.parse(name, argument);
}

OperatingPoint choose_operating_point(Span<const double> scores, Span<const int> y,
                                      OperatingTarget metric, double target,
                                      const BootstrapOptions& bootstrap) {
  if (!(target > 0.0 && target <= 1.0)) {
    throw InvalidArgument("choose_operating_point: the target " +
                          std::string(operating_target_name(metric)) + " must be in (0, 1], not " +
                          detail::shown_number(target));
  }
  check_bootstrap(bootstrap, true);
  const auto counts = detail::check_scores_labels("choose_operating_point", scores, y);
  if (counts[1] == 0) {
    throw InvalidArgument("choose_operating_point: y holds no positive row (" +
                          std::to_string(y.size()) +
                          " rows of class 0); precision and recall "
                          "need positives");
  }
  const auto cands = candidates(scores, y);
  const Candidate& c = choose(cands, metric, target, counts[1], y.size());
  OperatingPoint point;
  point.target_metric = metric;
  point.target = target;
  point.threshold = c.threshold;
  point.tp = c.tp;
  point.fp = c.fp;
  point.fn = counts[1] - c.tp;
  point.tn = counts[0] - c.fp;
  point.precision = ratio(c.tp, c.tp + c.fp);
  point.recall = ratio(c.tp, counts[1]);
  if (bootstrap.n_resamples > 0) {
    point.bootstrap = bootstrap_precision_recall(scores, y, c.threshold, bootstrap);
  }
  return point;
}

BootstrapIntervals bootstrap_precision_recall(Span<const double> scores, Span<const int> y,
                                              double threshold, const BootstrapOptions& options) {
  check_bootstrap(options, false);
  detail::check_scores_labels("bootstrap_precision_recall", scores, y);
  // Each row's cell of the confusion matrix: 2 * label + predicted class.
  std::vector<unsigned char> cell(scores.size());
  for (std::size_t i = 0; i < scores.size(); ++i) {
    cell[i] = static_cast<unsigned char>(2 * y[i] + (scores[i] > threshold ? 1 : 0));
  }
  std::vector<double> precisions, recalls;
  const std::uint64_t n = scores.size();
  for (int b = 0; b < options.n_resamples; ++b) {
    Random rng(derive_seed(options.seed, static_cast<std::uint64_t>(b)));
    std::int64_t counts[4] = {0, 0, 0, 0};  // tn, fp, fn, tp
    for (std::uint64_t k = 0; k < n; ++k) ++counts[cell[rng.uniform_int(n)]];
    if (counts[3] + counts[1] > 0) precisions.push_back(ratio(counts[3], counts[3] + counts[1]));
    if (counts[3] + counts[2] > 0) recalls.push_back(ratio(counts[3], counts[3] + counts[2]));
  }
  BootstrapIntervals out;
  out.n_resamples = options.n_resamples;
  out.seed = options.seed;
  out.confidence = options.confidence;
  out.precision = percentile_interval(precisions, options.confidence);
  out.recall = percentile_interval(recalls, options.confidence);
  out.precision_resamples = static_cast<int>(precisions.size());
  out.recall_resamples = static_cast<int>(recalls.size());
  return out;
}

}  // namespace claimlens
