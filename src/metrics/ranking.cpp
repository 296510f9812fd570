// roc_curve, precision_recall_curve and roc_auc_score. Scores of the positive and the negative
// samples are radix-sorted apart, then one merge from the top visits each distinct score once: a
// threshold of the ROC curve with its counts of true and false positives. Ties therefore form one
// point, as in sklearn, and the area is accumulated exactly in integers (trapezoids over tied
// groups count half).
#include "claimlens/metrics/ranking.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>

#include "claimlens/error.hpp"
#include "claimlens/random.hpp"  // uint128
#include "common.hpp"

namespace claimlens {

namespace {

/// Order-preserving map double -> uint64 (no NaN; -0.0 maps like 0.0, as they compare equal).
std::uint64_t order_key(double value) {
  value += 0.0;  // -0.0 -> +0.0
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return (bits >> 63) ? ~bits : bits | (1ULL << 63);
}

double from_key(std::uint64_t key) {
  const std::uint64_t bits = (key >> 63) ? key & ~(1ULL << 63) : ~key;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// LSD radix sort of keys[0, n), 11 bits per pass (6 passes cover 64 bits), ping-ponging with
/// `buffer`; passes where every key has the same digit are skipped (probabilities share their top
/// bits). Returns whichever of the two arrays holds the sorted keys.
std::uint64_t* radix_sort(std::uint64_t* keys, std::uint64_t* buffer, std::size_t n) {
  constexpr int kBits = 11, kPasses = 6;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  constexpr std::uint64_t kMask = kBuckets - 1;
  if (n < 1024) {
    std::sort(keys, keys + n);
    return keys;
  }
  std::vector<std::size_t> histogram(kPasses * kBuckets, 0);
  for (std::size_t i = 0; i < n; ++i) {
    for (int b = 0; b < kPasses; ++b) {
      ++histogram[b * kBuckets + ((keys[i] >> (kBits * b)) & kMask)];
    }
  }
  for (int b = 0; b < kPasses; ++b) {
    std::size_t* count = &histogram[static_cast<std::size_t>(b) * kBuckets];
    const int shift = kBits * b;
    if (count[(keys[0] >> shift) & kMask] == n) continue;  // one bucket: no-op pass
    std::size_t offset = 0;
    for (std::size_t v = 0; v < kBuckets; ++v) {
      const std::size_t c = count[v];
      count[v] = offset;
      offset += c;
    }
    for (std::size_t i = 0; i < n; ++i) buffer[count[(keys[i] >> shift) & kMask]++] = keys[i];
    std::swap(keys, buffer);
  }
  return keys;
}

/// Sorted score keys of the positive and of the negative samples, after validation. Two
/// uninitialised arrays of n keys (positives first, then negatives) avoid zero-filling memory.
struct SplitScores {
  std::unique_ptr<std::uint64_t[]> storage, scratch;
  const std::uint64_t* positive = nullptr;
  const std::uint64_t* negative = nullptr;
  std::size_t positives = 0, negatives = 0;
};

SplitScores split_and_sort(const char* function, Span<const int> y_true, Span<const double> y_score,
                           const char* curve = "ROC curve") {
  detail::check_binary_labels(function, y_true, y_score.size(), "y_score");
  const std::size_t n = y_score.size();
  SplitScores split;
  for (int y : y_true) split.positives += static_cast<std::size_t>(y);
  split.negatives = n - split.positives;
  if (split.positives == 0 || split.negatives == 0) {
    throw InvalidArgument(std::string(function) + ": only one class (" +
                          (split.positives == 0 ? "0" : "1") + ") present in y_true; the " + curve +
                          " is not defined");
  }
  split.storage.reset(new std::uint64_t[n]);
  split.scratch.reset(new std::uint64_t[n]);
  std::uint64_t* keys = split.storage.get();
  std::size_t next_positive = 0, next_negative = split.positives;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(y_score[i])) {
      throw InvalidArgument(std::string(function) + ": y_score[" + std::to_string(i) + "] is " +
                            (std::isnan(y_score[i]) ? "NaN" : "infinite"));
    }
    keys[y_true[i] == 1 ? next_positive++ : next_negative++] = order_key(y_score[i]);
  }
  std::uint64_t* scratch = split.scratch.get();
  // Sequential on purpose: both sorts together take ~15 ms for 1M scores, less than an OpenMP
  // team costs on a busy machine.
  split.positive = radix_sort(keys, scratch, split.positives);
  split.negative = radix_sort(keys + split.positives, scratch + split.positives, split.negatives);
  return split;
}

/// Calls visit(key, tp_in_group, fp_in_group) for each distinct score, highest first.
template <class Visit>
void for_each_threshold(const SplitScores& split, Visit visit) {
  std::size_t i = split.positives, j = split.negatives;
  while (i > 0 || j > 0) {
    std::uint64_t top = 0;
    if (i > 0) top = split.positive[i - 1];
    if (j > 0) top = std::max(top, split.negative[j - 1]);
    std::int64_t tp = 0, fp = 0;
    while (i > 0 && split.positive[i - 1] == top) --i, ++tp;
    while (j > 0 && split.negative[j - 1] == top) --j, ++fp;
    visit(top, tp, fp);
  }
}

}  // namespace

double roc_auc_score(Span<const int> y_true, Span<const double> y_score) {
  const SplitScores split = split_and_sort("roc_auc_score", y_true, y_score);
  // 2 * area * P * N = sum over groups of fp_g * (2 * tp_above + tp_g).
  uint128 twice_area = 0;
  std::uint64_t tp_above = 0;
  for_each_threshold(split, [&](std::uint64_t, std::int64_t tp, std::int64_t fp) {
    twice_area += static_cast<uint128>(fp) * (2 * tp_above + static_cast<std::uint64_t>(tp));
    tp_above += static_cast<std::uint64_t>(tp);
  });
  // One rounding of the exact ratio: with both integers below 2^53 a double division is exact
  // up to its rounding (a long double quotient rounded again to double would round twice).
  const uint128 twice_pairs = static_cast<uint128>(2 * split.positives) * split.negatives;
  constexpr uint128 kExactInDouble = uint128{1} << 53;
  if (twice_area < kExactInDouble && twice_pairs < kExactInDouble) {
    return static_cast<double>(twice_area) / static_cast<double>(twice_pairs);
  }
  return static_cast<double>(static_cast<long double>(twice_area) /
                             static_cast<long double>(twice_pairs));
}

RocCurve roc_curve(Span<const int> y_true, Span<const double> y_score, bool drop_intermediate) {
  const SplitScores split = split_and_sort("roc_curve", y_true, y_score);
  const double p = static_cast<double>(split.positives), q = static_cast<double>(split.negatives);
  RocCurve curve;
  // Points stream out highest threshold first; sklearn keeps the ends and every point where the
  // curve bends (non-zero second difference), so a point is decided when its successor arrives.
  struct Point {
    std::int64_t tp, fp;
    double threshold;
  };
  Point before{0, 0, 0.0}, current{0, 0, 0.0};
  std::size_t seen = 0;
  std::int64_t tp_total = 0, fp_total = 0;
  const auto emit = [&](const Point& point) {
    if (curve.fpr.empty()) {  // the (0, 0) point above the highest score
      curve.fpr.push_back(0.0);
      curve.tpr.push_back(0.0);
      curve.thresholds.push_back(point.threshold + 1.0);
    }
    curve.fpr.push_back(static_cast<double>(point.fp) / q);
    curve.tpr.push_back(static_cast<double>(point.tp) / p);
    curve.thresholds.push_back(point.threshold);
  };
  for_each_threshold(split, [&](std::uint64_t key, std::int64_t tp, std::int64_t fp) {
    tp_total += tp;
    fp_total += fp;
    const Point next{tp_total, fp_total, from_key(key)};
    if (seen == 1) {
      emit(current);  // the first point is always kept
    } else if (seen >= 2) {
      const bool bends =
          next.fp - 2 * current.fp + before.fp != 0 || next.tp - 2 * current.tp + before.tp != 0;
      if (!drop_intermediate || bends) emit(current);
    }
    before = current;
    current = next;
    ++seen;
  });
  emit(current);  // the last point is always kept
  return curve;
}

PrecisionRecallCurve precision_recall_curve(Span<const int> y_true, Span<const double> y_score) {
  const SplitScores split =
      split_and_sort("precision_recall_curve", y_true, y_score, "precision-recall curve");
  PrecisionRecallCurve curve;
  std::int64_t tp_total = 0, fp_total = 0;
  const double positives = static_cast<double>(split.positives);
  // Highest threshold first, then reversed: sklearn returns recall decreasing.
  for_each_threshold(split, [&](std::uint64_t key, std::int64_t tp, std::int64_t fp) {
    tp_total += tp;
    fp_total += fp;
    curve.precision.push_back(static_cast<double>(tp_total) /
                              static_cast<double>(tp_total + fp_total));
    curve.recall.push_back(static_cast<double>(tp_total) / positives);
    curve.thresholds.push_back(from_key(key));
  });
  std::reverse(curve.precision.begin(), curve.precision.end());
  std::reverse(curve.recall.begin(), curve.recall.end());
  std::reverse(curve.thresholds.begin(), curve.thresholds.end());
  curve.precision.push_back(1.0);
  curve.recall.push_back(0.0);
  return curve;
}

}  // namespace claimlens
