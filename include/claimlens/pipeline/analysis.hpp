// The whole seed analysis of a TikTok-schema frame in one call (`claimlens analyze`): inspect,
// EDA, Welch's t-test of views by verified status, the verified-status logistic regression, the
// claim classifier and the calibration of its probabilities with an operating point. A plain result
// struct: printers (CLI) and renderers (HTML report) read it; the raw-data charts are drawn from
// the DataFrame itself, so it is not copied in here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/calibration/operating_point.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/metrics/calibration.hpp"
#include "claimlens/metrics/ranking.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/verified_logit.hpp"
#include "claimlens/regression/logit.hpp"
#include "claimlens/stats/frame.hpp"

namespace claimlens {

struct AnalysisOptions {
  /// random_state of the logistic regression's upsampling/split and of the classifier's split,
  /// CV folds and forests (0: verified_logit's and ClaimClassifier's default).
  std::uint64_t seed = 0;
  int threads = -1;  // classifier threads; -1 or 0 = all cores
  /// Called with a step name ("inspect", "eda", "hypothesis_test", "logistic_regression",
  /// "claim_classifier", "calibration", or the classifier's own sub-steps) and the fraction of it
  /// done.
  std::function<void(const std::string& step, double fraction)> progress;
  bool train_classifier = true;  // false: steps 5 and 6 skipped (classifier, calibration empty)
  bool seed_grid = true;         // false: fit the seed grids' best parameters without searching
};

/// The five engagement counts, in the dataset's column order.
const std::vector<std::string>& engagement_columns();

/// Step 1: shape, info, describe, nulls, duplicates, class balance.
struct Inspection {
  std::size_t rows = 0, columns = 0;
  std::size_t rows_after_dropna = 0;  // rows with no null cell
  std::size_t duplicate_rows = 0;     // pandas' duplicated().sum()
  std::vector<std::string> column_names;
  std::vector<std::string> dtypes;       // pandas' names: int64, float64, object, bool
  std::vector<std::size_t> null_counts;  // per column, in column order
  std::string info;                      // df.info() text
  Description describe;                  // df.describe()
  ValueCounts claim_balance;             // claim_status.value_counts()
  ValueCounts verified_balance;          // verified_status.value_counts()
  ValueCounts ban_balance;               // author_ban_status.value_counts()
};

/// Count, mean and median of `columns` per group of `keys` (rows with a null key or value left
/// out, as the seed's groupby on the dropna'd frame). Groups sorted by key, as pandas.
struct GroupSummary {
  std::vector<std::string> keys;                 // e.g. {"claim_status"}
  std::vector<std::vector<std::string>> groups;  // each group's key values
  std::vector<std::size_t> sizes;                // rows per group
  std::vector<std::string> columns;
  RowMatrix mean, median;  // groups x columns
  /// {"keys", "columns", "groups": [{"key": {k: v}, "size", "mean": {col: v}, "median": {col: v}}]}
  nlohmann::json to_json() const;
  /// Key columns, "size", then "<column>_mean" and "<column>_median" per column (for printing).
  DataFrame to_frame() const;
};

/// Outliers of one count column (complete rows): Tukey's fences (Q3 + 1.5 IQR) and the seed's
/// EDA threshold (median + 1.5 IQR).
struct OutlierSummary {
  std::string column;
  double q1 = 0, median = 0, q3 = 0, iqr = 0;
  double upper_fence = 0;             // q3 + 1.5 iqr
  std::size_t above_upper_fence = 0;  // strictly above
  double median_threshold = 0;        // median + 1.5 iqr
  std::size_t above_median_threshold = 0;
};

/// Step 2 (on the complete rows, as the seed after dropna).
struct Eda {
  GroupSummary by_claim_status, by_verified_status, by_author_ban_status;
  /// claim_status x author_ban_status (the seed's ban-by-claim table).
  GroupSummary by_claim_and_ban;
  /// likes_per_view, comments_per_view, shares_per_view by claim_status x author_ban_status.
  GroupSummary engagement_per_view;
  std::vector<OutlierSummary> outliers;  // one per engagement column
  GroupSummary text_length_by_claim;     // column "text_length" (characters, as str.len())
  stats::ContingencyTable ban_by_claim;  // rows author_ban_status, columns claim_status
  stats::ChiSquareResult ban_by_claim_chi2;
  stats::CorrelationMatrix correlation;  // Pearson, numeric columns + text_length
};

/// Step 3: Welch's t-test of video_view_count, "not verified" vs "verified".
struct HypothesisTest {
  std::string test = "welch_t";
  std::string value_column = "video_view_count", group_column = "verified_status";
  std::string group_a = "not verified", group_b = "verified";
  double mean_a = 0, mean_b = 0;
  std::size_t n_a = 0, n_b = 0;
  double t = 0, df = 0, p_value = 0;
  double alpha = 0.05;
  bool reject_null = false;  // p_value < alpha
};

/// One row of the logistic regression's inference table.
struct CoefficientRow {
  std::string name;  // "intercept" first, then the design columns
  double coef = 0, std_err = 0, z = 0, p_value = 0, ci_low = 0, ci_high = 0;  // 95% Wald
};

/// Step 4: the seed's verified_status logistic regression (verified_logit) and its inference
/// table (Wald standard errors from the fitted model's Hessian on its training design).
struct LogisticAnalysis {
  VerifiedLogitResult result;
  std::vector<CoefficientRow> coefficients;
};

/// How well one set of probabilities of the test split is calibrated (ECE and the reliability
/// diagram over the same kCalibrationBins uniform bins).
struct ProbabilityQuality {
  double brier_score = 0, ece = 0, log_loss = 0;
  CalibrationCurve curve;  // calibration_curve(y, p, kCalibrationBins, Uniform)
};

/// Step 6 (with a classifier): the champion's probabilities made actionable (docs/calibration.md).
/// An isotonic calibrator (on the probability, the default score for isotonic) is fitted on the
/// champion's probabilities of the validation split; a threshold reaching the target precision is
/// chosen on the calibrated validation probabilities; the test split, which neither saw, measures
/// both. No model is trained: the classifier scores the two splits once.
struct CalibrationAnalysis {
  static constexpr int kCalibrationBins = 10;
  static constexpr double kTargetPrecision = 0.99;
  CalibrationMethod method = CalibrationMethod::Isotonic;
  std::size_t validation_rows = 0, test_rows = 0;
  Calibrator calibrator;
  ProbabilityQuality raw, calibrated;  // on the test split
  PrecisionRecallCurve test_curve;     // of the calibrated test probabilities
  /// Chosen on the calibrated validation probabilities for precision >= kTargetPrecision, with
  /// its bootstrap (1000 resamples of the validation rows, seed = the analysis seed); empty when
  /// no threshold reaches the target, `operating_point_error` then says why.
  std::optional<OperatingPoint> operating_point;
  std::string operating_point_error;
  /// The same threshold on the calibrated test probabilities: the counts, precision and recall
  /// it gives there and their bootstrap over the test rows (same options).
  std::optional<OperatingPoint> test_point;

  /// {"method", "score", "fitted_on", "evaluated_on", "validation_rows", "test_rows", "n_bins",
  /// "strategy", "calibrator", "raw", "calibrated", "precision_recall_curve", "operating_point"}
  /// (docs/analyze-json.md).
  nlohmann::json to_json() const;
};

struct StepTiming {
  std::string step;
  double seconds = 0;
};

struct Analysis {
  Inspection inspection;
  Eda eda;
  HypothesisTest hypothesis_test;
  LogisticAnalysis logistic_regression;
  std::optional<ClaimClassifier> classifier;       // empty when not trained
  std::optional<CalibrationAnalysis> calibration;  // with the classifier
  std::vector<StepTiming> timings;                 // per step, in run order
  double total_seconds = 0;
  std::uint64_t seed = 0;

  /// The --json document (docs/analyze-json.md lists every key).
  nlohmann::json to_json() const;
  /// The readable summary `claimlens analyze` prints: one section per step, tables laid out as
  /// pandas prints frames.
  std::string to_string() const;
};

/// Step 6 on its own: `classifier`, trained on `videos` with random_state `seed` (its split is
/// remade from them), calibrated and measured as CalibrationAnalysis says. InvalidArgument
/// (prefixed "calibration: ") when the calibrator cannot be fitted.
CalibrationAnalysis calibrate_classifier(const ClaimClassifier& classifier, const DataFrame& videos,
                                         std::uint64_t seed);

/// Runs the six steps. SchemaError naming a missing or mistyped column of the TikTok schema;
/// InvalidArgument when too few complete rows or a single class leave a step undefined (or the
/// champion gives every validation row the same probability, which no calibrator can map).
Analysis run_analysis(const DataFrame& videos, const AnalysisOptions& options = {});

}  // namespace claimlens
