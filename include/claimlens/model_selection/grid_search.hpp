// Exhaustive cross-validated search over a parameter grid, like scikit-learn's GridSearchCV,
// for the tree ensembles (or any estimator of the same shape, see GridSearchCV below).
//
// The feature matrix is binned ONCE and shared by every fold and parameter combination; the
// (combination x fold) fits run in parallel with OpenMP, each estimator single-threaded, and the
// results do not depend on the thread count.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/json_document.hpp"

#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// scikit-learn's ParameterGrid: `grid` is an object {key: [values...]} or an array of such
/// objects (their expansions are concatenated). Keys are taken in sorted order and the last key
/// varies fastest. InvalidArgument (naming the key) when a value is not a non-empty array or the
/// grid is not an object/array of objects. An empty object yields one empty combination.
std::vector<nlohmann::json> expand_param_grid(const nlohmann::json& grid);

/// (train rows, test rows) of one fold, both ascending.
using Fold = std::pair<std::vector<std::size_t>, std::vector<std::size_t>>;
/// scikit-learn's StratifiedKFold(n_splits, shuffle=False) folds (model_selection/split.hpp) for
/// 0/1 labels, identical sample for sample. InvalidArgument when n_splits < 2, labels are not
/// 0/1, y holds one class, or a class has fewer than n_splits members (a fold would miss it,
/// making ROC AUC undefined).
std::vector<Fold> stratified_kfold(Span<const double> y, int n_splits);

/// Binary scoring metrics of the search (scikit-learn names: "accuracy", "precision",
/// "recall", "f1", "roc_auc"), computed by metrics/ (BinaryCounts, roc_auc_score): the positive
/// class is 1, the predicted class is the library's one rule (predicts_positive in
/// claimlens/metrics/binary.hpp: P(y=1) > 0.5), precision and F1 are 0 when undefined (sklearn's
/// zero_division default), ROC AUC averages tied scores.
enum class Metric { Accuracy, Precision, Recall, F1, RocAuc };
Metric metric_from_name(const std::string& name);  // InvalidArgument for an unknown name
const char* metric_name(Metric metric);
/// Each metric of `metrics` for labels y_true[i] (0.0 or 1.0) and probabilities proba[i].
std::vector<double> score_binary(Span<const double> y_true, Span<const double> proba,
                                 const std::vector<Metric>& metrics);

/// One metric's results across the grid (cv_results_' split<k>_test_<m>, mean_test_<m>, ...).
struct MetricResults {
  std::string name;
  std::vector<std::vector<double>> split_scores;  // [combination][fold]
  std::vector<double> mean;                       // mean over folds
  std::vector<double> std;                        // population std over folds (numpy's ddof=0)
  std::vector<int> rank;                          // 1 = best; ties share the lowest rank
};

/// Like scikit-learn's cv_results_.
struct CvResults {
  std::vector<nlohmann::json> params;  // one grid combination per entry
  std::vector<MetricResults> metrics;  // in the order of GridSearchOptions::scoring
  std::vector<double> mean_fit_time, std_fit_time, mean_score_time, std_score_time;  // seconds

  CvResults() = default;
  CvResults(const CvResults&) = default;
  CvResults(CvResults&&) noexcept = default;
  CvResults& operator=(const CvResults&) = default;
  CvResults& operator=(CvResults&&) noexcept = default;
  ~CvResults() { dispose_json(params); }  // no allocation (claimlens/json_document.hpp)

  std::size_t size() const { return params.size(); }
  /// The results of one metric (InvalidArgument if it was not scored).
  const MetricResults& metric(const std::string& name) const;
  /// Column-wise like pandas.DataFrame(cv_results_): {"params": [...], "mean_test_recall":
  /// [...], "split0_test_recall": [...], "rank_test_recall": [...], "mean_fit_time": [...], ...}.
  nlohmann::json to_json() const;
};

struct GridSearchOptions {
  int cv = 5;  // StratifiedKFold(cv) folds unless fit() gets explicit folds
  std::vector<std::string> scoring = {"accuracy", "precision", "recall", "f1", "roc_auc"};
  std::string refit = "recall";  // metric that picks the best combination; "" = no refit
  int n_jobs =
      -1;  // threads for the search (claimlens/threads.hpp: 0 or -1 = all); estimators use 1
  /// Called with the fraction of work done (0..1] after each fit, from worker threads but never
  /// concurrently. Optional.
  std::function<void(double)> progress;
};

namespace detail {
/// The metric values of one (combination, fold) fit and its fit / score seconds.
struct FoldOutcome {
  std::vector<double> scores;
  double fit_seconds = 0.0;
  double score_seconds = 0.0;
};
/// The type-erased core shared by every GridSearchCV<E>. Combinations are partitioned into
/// `groups` that share one fit per fold; task(group, fold) returns one outcome per member of the
/// group, in order. Tasks run in parallel (n_jobs threads) and each writes only its own slots,
/// so the results do not depend on the thread count. Then aggregates into cv_results_.
CvResults run_grid(std::vector<nlohmann::json> params, std::size_t n_folds,
                   const std::vector<std::string>& names,
                   const std::vector<std::vector<std::size_t>>& groups, int n_jobs,
                   const std::function<std::vector<FoldOutcome>(std::size_t, std::size_t)>& task,
                   const std::function<void(double)>& progress, std::size_t extra_work_units);
/// score_binary for 0/1 integer labels, copying neither array (the search's hot path).
std::vector<double> score_labels(Span<const int> y_true, Span<const double> proba,
                                 const std::vector<Metric>& metrics);
/// Index of the best combination for `metric` (first one with rank 1).
std::size_t best_index(const CvResults& results, const std::string& metric);
/// Checks options (cv >= 2, known scoring names, refit among them); returns the metrics.
std::vector<Metric> check_options(const GridSearchOptions& options);
/// Checks X / y shapes and 0/1 labels.
void check_xy(const RowMatrix& X, Span<const double> y);
/// Checks that folds are non-empty with row indices below `rows`.
void check_folds(const std::vector<Fold>& folds, std::size_t rows);
}  // namespace detail

/// GridSearchCV over an estimator E with the shape of the library's tree ensembles:
///   - `using Params = decltype(E().params())` (decayed) with `static Params from_json(json)`
///     rejecting unknown keys, `to_json()`, and `int n_jobs`, `int max_bin`,
///     `std::uint64_t random_state` (seeds the bins' row sample) members;
///   - `explicit E(Params)`, `fit(const BinnedMatrix&, Span<const double> y, Span<const size_t>)`
///     and a thread-safe `double predict_proba_row(const double* row) const`.
/// RandomForestClassifier and GradientBoostingClassifier qualify (instantiated once in src/, see
/// grid_search_models.hpp). A model that can score several combinations from one fit specializes
/// detail::TreePrefix (claimlens/ensemble/tree_prefix.hpp) beside its class.
template <class Estimator>
class GridSearchCV {
 public:
  using Params = std::decay_t<decltype(std::declval<const Estimator&>().params())>;

  /// `param_grid` as for expand_param_grid; `base_params` (a JSON object) holds the parameters
  /// every combination shares (e.g. random_state). All combinations are parsed and validated
  /// here: InvalidArgument naming the combination and key for unknown keys or bad values.
  explicit GridSearchCV(const nlohmann::json& param_grid, GridSearchOptions options = {},
                        const nlohmann::json& base_params = nlohmann::json::object());
  GridSearchCV(const GridSearchCV&) = default;
  GridSearchCV(GridSearchCV&&) = default;
  GridSearchCV& operator=(const GridSearchCV&) = default;
  GridSearchCV& operator=(GridSearchCV&&) = default;
  ~GridSearchCV() { dispose_json(combos_); }  // no allocation (claimlens/json_document.hpp)

  /// Cross-validates every combination on StratifiedKFold(options.cv) folds of (X, y) and, when
  /// options.refit names a metric, refits the best combination on all rows.
  GridSearchCV& fit(const RowMatrix& X, Span<const double> y);
  /// Same with caller-chosen folds (train, test row indices into X).
  GridSearchCV& fit(const RowMatrix& X, Span<const double> y, const std::vector<Fold>& folds);

  const std::vector<nlohmann::json>& candidates() const { return combos_; }
  /// Number of model fits per fold: combinations that differ only in n_estimators share one fit
  /// for the tree ensembles, and for the forest also those that differ in max_depth or in an
  /// ineffective min_samples_split (see detail::TreePrefix).
  std::size_t fits_per_fold() const { return groups_.size(); }
  const CvResults& cv_results() const;
  std::size_t best_index() const;
  const nlohmann::json& best_params() const;
  double best_score() const;
  const Estimator& best_estimator() const;  // StateError when refit was disabled

 private:
  void check_fitted(const char* what) const;

  GridSearchOptions options_;
  std::vector<Metric> metrics_;
  std::vector<nlohmann::json> combos_;            // grid combinations (keys of the grid only)
  std::vector<Params> params_;                    // base + combination, parsed
  std::vector<std::vector<std::size_t>> groups_;  // combinations sharing one fit
  bool fitted_ = false;
  CvResults results_;
  std::size_t best_index_ = 0;
  bool has_best_estimator_ = false;
  Estimator best_estimator_;
};

}  // namespace claimlens

#include "claimlens/model_selection/grid_search_impl.hpp"
#include "claimlens/model_selection/grid_search_models.hpp"
