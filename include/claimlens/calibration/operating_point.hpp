// Operating points: the decision threshold that reaches a target precision (or recall) on
// held-out scores with the highest recall (precision) there, and a seeded bootstrap interval for
// the precision and recall achieved at it. docs/calibration.md describes the rule.
//
// The decision rule is the library's (claimlens/metrics/binary.hpp), with the threshold in
// place of 0.5: class 1 iff score > threshold (NaN is class 0). The threshold chosen is a
// held-out score, the highest one left below the line, so "score > threshold" auto-labels
// exactly the held-out rows the precision and recall were counted on.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "claimlens/json_reader.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// Which rate the target constrains.
enum class OperatingTarget {
  Precision,  ///< precision >= target, then the highest recall
  Recall,     ///< recall >= target, then the highest precision
};
const char* operating_target_name(OperatingTarget metric);  ///< "precision" / "recall"
/// "precision" or "recall"; InvalidArgument naming `argument` otherwise.
OperatingTarget operating_target_from_name(std::string_view name,
                                           const char* argument = "target_metric");

/// The bootstrap: n_resamples resamples of the held-out rows (with replacement, n of n), each
/// drawn from its own stream derive_seed(seed, index), so the result depends on the seed only.
struct BootstrapOptions {
  int n_resamples = 1000;  ///< 0: no bootstrap; else 1 to 1000000
  std::uint64_t seed = 0;
  double confidence = 0.95;  ///< in (0, 1): the central interval's coverage
};

/// A closed interval [lower, upper].
struct Interval {
  double lower = 0.0, upper = 0.0;
};

/// Percentile intervals of the precision and recall at a fixed threshold over bootstrap
/// resamples: numpy's linear percentiles at (1 - confidence) / 2 and (1 + confidence) / 2 of the
/// resamples where the rate is defined (a resample without predicted positives has no precision,
/// one without positive rows no recall; the counts say how many were used).
struct BootstrapIntervals {
  int n_resamples = 0;
  std::uint64_t seed = 0;
  double confidence = 0.95;
  Interval precision, recall;
  int precision_resamples = 0;  ///< resamples with a defined precision
  int recall_resamples = 0;     ///< resamples with a defined recall
};

/// A chosen threshold and what it achieved on the held-out rows.
struct OperatingPoint {
  OperatingTarget target_metric = OperatingTarget::Precision;
  double target = 1.0;     ///< in (0, 1]
  double threshold = 0.5;  ///< class 1 iff score > threshold
  double precision = 0.0;  ///< tp / (tp + fp) on the held-out rows
  double recall = 0.0;     ///< tp / (tp + fn)
  std::int64_t tp = 0, fp = 0, fn = 0, tn = 0;
  std::optional<BootstrapIntervals> bootstrap;

  /// The decision: score > threshold (NaN: false).
  bool predicts_positive(double score) const { return score > threshold; }

  /// {"target_metric", "target", "threshold", "precision", "recall", "tp", "fp", "fn", "tn",
  /// "bootstrap": null or {"n_resamples", "seed", "confidence", "precision": [lower, upper],
  /// "recall": [lower, upper], "precision_resamples", "recall_resamples"}}.
  nlohmann::json to_json() const;
  /// A saved operating point (ModelFormatError naming the key path at fault).
  static OperatingPoint from_json(const nlohmann::json& j);
  /// Errors follow j's source and name paths under j's.
  static OperatingPoint from_json(const JsonReader& j);
};

/// The threshold reaching `target` for `metric` on held-out scores (finite) and 0/1 labels.
/// Candidates are "score > s" for every distinct score s, and "every row" (the threshold then is
/// the largest double below the lowest score). Precision target: among candidates with
/// precision >= target, the highest recall, then (equal recall) the highest precision. Recall
/// target: among candidates with recall >= target, the highest precision, then the highest
/// recall. Then bootstrap_precision_recall at the threshold unless bootstrap.n_resamples is 0.
/// InvalidArgument: target outside (0, 1] (naming the metric), mismatched or empty inputs, a
/// label not 0/1, a score not finite (naming its index), no positive row, and a target that no
/// threshold reaches (naming the best precision reachable, its threshold and recall).
OperatingPoint choose_operating_point(Span<const double> scores, Span<const int> y,
                                      OperatingTarget metric, double target,
                                      const BootstrapOptions& bootstrap = {});

/// The bootstrap intervals of precision and recall at a given threshold (see BootstrapIntervals).
/// InvalidArgument for the input errors above, n_resamples outside 1..1000000 or confidence
/// outside (0, 1); when no resample has a defined precision (or recall) the interval is [0, 0]
/// with precision_resamples (recall_resamples) 0.
BootstrapIntervals bootstrap_precision_recall(Span<const double> scores, Span<const int> y,
                                              double threshold,
                                              const BootstrapOptions& options = {});

}  // namespace claimlens
