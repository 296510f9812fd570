// The estimator-independent parts of the grid search: ParameterGrid expansion, stratified folds,
// binary scores (from metrics/), the parallel (combination x fold) loop and cv_results_
// aggregation.
#include "claimlens/model_selection/grid_search.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <iterator>
#include <stdexcept>

#include "claimlens/error.hpp"
#include "claimlens/metrics/binary.hpp"
#include "claimlens/metrics/ranking.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/threads.hpp"

namespace claimlens {

std::vector<nlohmann::json> expand_param_grid(const nlohmann::json& grid) {
  if (grid.is_array()) {
    std::vector<nlohmann::json> all;
    for (std::size_t i = 0; i < grid.size(); ++i) {
      if (!grid[i].is_object()) {
        throw InvalidArgument("param_grid[" + std::to_string(i) +
                              "] must be an object of parameter lists, not " + grid[i].type_name());
      }
      auto part = expand_param_grid(grid[i]);
      all.insert(all.end(), std::make_move_iterator(part.begin()),
                 std::make_move_iterator(part.end()));  // moved: `part` dies holding nulls
    }
    return all;
  }
  if (!grid.is_object()) {
    throw InvalidArgument(std::string("param_grid must be an object {parameter: [values...]} or "
                                      "an array of them, not ") +
                          grid.type_name());
  }
  // nlohmann objects iterate in sorted key order, as ParameterGrid sorts its items.
  std::vector<std::pair<std::string, const nlohmann::json*>> axes;
  for (auto it = grid.begin(); it != grid.end(); ++it) {
    if (!it.value().is_array()) {
      throw InvalidArgument(
          "param_grid: the values of parameter '" + it.key() + "' must be a list, not " +
          it.value().type_name() + " " +
          it.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
          " (wrap a single value in a list)");
    }
    if (it.value().empty()) {
      throw InvalidArgument("param_grid: the list of parameter '" + it.key() +
                            "' is empty; it needs at least one value");
    }
    axes.emplace_back(it.key(), &it.value());
  }
  std::size_t total = 1;
  for (const auto& axis : axes) total *= axis.second->size();
  std::vector<nlohmann::json> combos;
  combos.reserve(total);
  std::vector<std::size_t> digit(axes.size(), 0);  // mixed-radix counter, last axis fastest
  for (std::size_t n = 0; n < total; ++n) {
    combos.push_back(nlohmann::json::object());  // filled in place (reserved: no reallocation)
    nlohmann::json& combo = combos.back();
    for (std::size_t a = 0; a < axes.size(); ++a)
      combo[axes[a].first] = (*axes[a].second)[digit[a]];
    for (std::size_t a = axes.size(); a-- > 0;) {
      if (++digit[a] < axes[a].second->size()) break;
      digit[a] = 0;
    }
  }
  return combos;
}

namespace {

void check_labels(Span<const double> y, const char* who) {
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0.0 && y[i] != 1.0) {
      throw InvalidArgument(std::string(who) + ": labels must be 0 or 1; y[" + std::to_string(i) +
                            "] = " + std::to_string(y[i]));
    }
  }
}

}  // namespace

std::vector<Fold> stratified_kfold(Span<const double> y, int n_splits) {
  const StratifiedKFold splitter(static_cast<std::size_t>(std::max(n_splits, 0)));
  check_labels(y, "StratifiedKFold");
  std::vector<std::int64_t> labels(y.size());
  bool seen[2] = {false, false};
  for (std::size_t i = 0; i < y.size(); ++i) {
    labels[i] = y[i] == 1.0 ? 1 : 0;
    seen[labels[i]] = true;
  }
  if (!(seen[0] && seen[1])) {
    throw InvalidArgument("StratifiedKFold: y holds a single class; every fold needs both");
  }
  std::vector<Fold> folds;
  for (SplitIndices& split : splitter.split(Span<const std::int64_t>(labels))) {
    folds.emplace_back(std::move(split.train), std::move(split.test));
  }
  return folds;
}

namespace {

// Each Metric's scikit-learn name and, but for RocAuc (which needs the scores), its BinaryCounts
// ratio, in the enum's order.
struct MetricEntry {
  const char* name;
  double (BinaryCounts::*from_counts)() const;
};
constexpr MetricEntry kMetrics[] = {{"accuracy", &BinaryCounts::accuracy},
                                    {"precision", &BinaryCounts::precision},
                                    {"recall", &BinaryCounts::recall},
                                    {"f1", &BinaryCounts::f1},
                                    {"roc_auc", nullptr}};
constexpr std::size_t kMetricCount = sizeof(kMetrics) / sizeof(kMetrics[0]);
static_assert(static_cast<std::size_t>(Metric::RocAuc) + 1 == kMetricCount,
              "kMetrics lists every Metric, in order");

}  // namespace

Metric metric_from_name(const std::string& name) {
  std::string known;
  for (std::size_t i = 0; i < kMetricCount; ++i) {
    if (name == kMetrics[i].name) return static_cast<Metric>(i);
    known += (i ? ", " : "") + std::string(kMetrics[i].name);
  }
  throw InvalidArgument("unknown scoring metric '" + name + "' (known: " + known + ")");
}

const char* metric_name(Metric metric) {
  const auto i = static_cast<std::size_t>(metric);
  return i < kMetricCount ? kMetrics[i].name : "?";
}

namespace detail {

std::vector<double> score_labels(Span<const int> y_true, Span<const double> proba,
                                 const std::vector<Metric>& metrics) {
  if (y_true.size() != proba.size()) {
    throw InvalidArgument("score_binary: y_true has " + std::to_string(y_true.size()) +
                          " entries but proba has " + std::to_string(proba.size()));
  }
  if (y_true.empty()) throw InvalidArgument("score_binary: no samples to score");
  const BinaryCounts counts = binary_counts(y_true, proba);
  std::vector<double> out;
  out.reserve(metrics.size());
  for (Metric m : metrics) {
    const auto from_counts = kMetrics[static_cast<std::size_t>(m)].from_counts;
    out.push_back(from_counts ? (counts.*from_counts)() : roc_auc_score(y_true, proba));
  }
  return out;
}

}  // namespace detail

std::vector<double> score_binary(Span<const double> y_true, Span<const double> proba,
                                 const std::vector<Metric>& metrics) {
  check_labels(y_true, "score_binary");
  std::vector<int> labels(y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) labels[i] = y_true[i] == 1.0 ? 1 : 0;
  return detail::score_labels(labels, proba, metrics);
}

const MetricResults& CvResults::metric(const std::string& name) const {
  for (const auto& m : metrics) {
    if (m.name == name) return m;
  }
  throw InvalidArgument("cv_results: metric '" + name + "' was not scored");
}

nlohmann::json CvResults::to_json() const {
  JsonDocument doc(nlohmann::json::object());  // disposed (claimlens/json_document.hpp)
  nlohmann::json& out = *doc;
  out["params"] = params;
  out["mean_fit_time"] = mean_fit_time;
  out["std_fit_time"] = std_fit_time;
  out["mean_score_time"] = mean_score_time;
  out["std_score_time"] = std_score_time;
  for (const auto& m : metrics) {
    const std::size_t folds = m.split_scores.empty() ? 0 : m.split_scores[0].size();
    for (std::size_t f = 0; f < folds; ++f) {
      nlohmann::json column = nlohmann::json::array();
      for (const auto& row : m.split_scores) column.push_back(row[f]);
      out["split" + std::to_string(f) + "_test_" + m.name] = std::move(column);
    }
    out["mean_test_" + m.name] = m.mean;
    out["std_test_" + m.name] = m.std;
    out["rank_test_" + m.name] = m.rank;
  }
  return std::move(out);
}

namespace detail {

std::vector<Metric> check_options(const GridSearchOptions& options) {
  if (options.cv < 2) {
    throw InvalidArgument("GridSearchCV: cv must be at least 2, got " + std::to_string(options.cv));
  }
  if (!valid_n_jobs(options.n_jobs)) {
    throw InvalidArgument("GridSearchCV: n_jobs must be >= -1 (0 or -1 = all cores), got " +
                          std::to_string(options.n_jobs));
  }
  if (options.scoring.empty()) throw InvalidArgument("GridSearchCV: scoring is empty");
  std::vector<Metric> metrics;
  for (const auto& name : options.scoring) {
    if (std::count(options.scoring.begin(), options.scoring.end(), name) > 1) {
      throw InvalidArgument("GridSearchCV: scoring lists '" + name + "' twice");
    }
    metrics.push_back(metric_from_name(name));
  }
  if (!options.refit.empty() && std::find(options.scoring.begin(), options.scoring.end(),
                                          options.refit) == options.scoring.end()) {
    throw InvalidArgument("GridSearchCV: refit metric '" + options.refit +
                          "' is not among the scoring metrics");
  }
  return metrics;
}

void check_xy(const RowMatrix& X, Span<const double> y) {
  if (X.rows() == 0 || X.cols() == 0) throw InvalidArgument("GridSearchCV: X is empty");
  if (static_cast<std::size_t>(X.rows()) != y.size()) {
    throw InvalidArgument("GridSearchCV: X has " + std::to_string(X.rows()) + " rows but y has " +
                          std::to_string(y.size()) + " labels");
  }
  check_labels(y, "GridSearchCV");
}

void check_folds(const std::vector<Fold>& folds, std::size_t rows) {
  if (folds.size() < 2) throw InvalidArgument("GridSearchCV: needs at least 2 folds");
  for (std::size_t f = 0; f < folds.size(); ++f) {
    if (folds[f].first.empty() || folds[f].second.empty()) {
      throw InvalidArgument("GridSearchCV: fold " + std::to_string(f) +
                            " has an empty train or test set");
    }
    for (const auto* part : {&folds[f].first, &folds[f].second}) {
      for (std::size_t r : *part) {
        if (r >= rows) {
          throw InvalidArgument("GridSearchCV: fold " + std::to_string(f) + " uses row " +
                                std::to_string(r) + " but X has " + std::to_string(rows) + " rows");
        }
      }
    }
  }
}

namespace {

void mean_std(const std::vector<double>& values, double& mean, double& std) {
  double sum = 0.0;
  for (double v : values) sum += v;
  mean = sum / static_cast<double>(values.size());
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  std = std::sqrt(squares / static_cast<double>(values.size()));
}

/// scipy's rankdata(-means, method="min"); NaN ranks after every number, as sklearn does.
std::vector<int> rank_descending(const std::vector<double>& means) {
  std::vector<int> rank(means.size());
  for (std::size_t i = 0; i < means.size(); ++i) {
    int better = 0;
    for (std::size_t j = 0; j < means.size(); ++j) {
      const bool j_nan = std::isnan(means[j]), i_nan = std::isnan(means[i]);
      better += (!j_nan && (i_nan || means[j] > means[i]));
    }
    rank[i] = better + 1;
  }
  return rank;
}

}  // namespace

CvResults run_grid(std::vector<nlohmann::json> params, std::size_t n_folds,
                   const std::vector<std::string>& names,
                   const std::vector<std::vector<std::size_t>>& groups, int n_jobs,
                   const std::function<std::vector<FoldOutcome>(std::size_t, std::size_t)>& task,
                   const std::function<void(double)>& progress, std::size_t extra_work_units) {
  const std::size_t n_combos = params.size();
  const std::size_t n_tasks = groups.size() * n_folds;
  std::vector<FoldOutcome> outcomes(n_combos * n_folds);  // [combination][fold]
  std::vector<std::exception_ptr> errors(n_tasks);
  std::atomic<bool> failed{false};
  std::size_t done = 0;
  const double total = static_cast<double>(n_combos * n_folds + extra_work_units);
  const int threads = resolve_idle_jobs(n_jobs);  // n_jobs 0: the idle cores
  // Every task writes only its own slots, so the results do not depend on scheduling.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::ptrdiff_t t = 0; t < static_cast<std::ptrdiff_t>(n_tasks); ++t) {
    if (failed.load(std::memory_order_relaxed)) continue;
    const auto index = static_cast<std::size_t>(t);
    const std::vector<std::size_t>& members = groups[index / n_folds];
    const std::size_t fold = index % n_folds;
    try {
      std::vector<FoldOutcome> result = task(index / n_folds, fold);
      if (result.size() != members.size()) {
        throw std::logic_error("grid search task returned the wrong number of outcomes");
      }
      for (std::size_t m = 0; m < members.size(); ++m) {
        if (result[m].scores.size() != names.size()) {
          throw std::logic_error("grid search task returned the wrong number of scores");
        }
        outcomes[members[m] * n_folds + fold] = std::move(result[m]);
      }
    } catch (...) {
      errors[index] = std::current_exception();
      failed.store(true, std::memory_order_relaxed);
      continue;
    }
    if (progress) {
#pragma omp critical(claimlens_grid_progress)
      {
        // An exception must not leave the critical section: keep it for the caller.
        try {
          done += members.size();
          progress(static_cast<double>(done) / total);
        } catch (...) {
          errors[index] = std::current_exception();
          failed.store(true, std::memory_order_relaxed);
        }
      }
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }

  CvResults results;
  results.params = std::move(params);
  results.metrics.resize(names.size());
  for (std::size_t m = 0; m < names.size(); ++m) {
    MetricResults& r = results.metrics[m];
    r.name = names[m];
    r.split_scores.assign(n_combos, std::vector<double>(n_folds));
    r.mean.resize(n_combos);
    r.std.resize(n_combos);
    for (std::size_t c = 0; c < n_combos; ++c) {
      for (std::size_t f = 0; f < n_folds; ++f) {
        r.split_scores[c][f] = outcomes[c * n_folds + f].scores.at(m);
      }
      mean_std(r.split_scores[c], r.mean[c], r.std[c]);
    }
    r.rank = rank_descending(r.mean);
  }
  for (std::size_t c = 0; c < n_combos; ++c) {
    std::vector<double> fit(n_folds), score(n_folds);
    for (std::size_t f = 0; f < n_folds; ++f) {
      fit[f] = outcomes[c * n_folds + f].fit_seconds;
      score[f] = outcomes[c * n_folds + f].score_seconds;
    }
    double mean = 0, std = 0;
    mean_std(fit, mean, std);
    results.mean_fit_time.push_back(mean);
    results.std_fit_time.push_back(std);
    mean_std(score, mean, std);
    results.mean_score_time.push_back(mean);
    results.std_score_time.push_back(std);
  }
  return results;
}

std::size_t best_index(const CvResults& results, const std::string& metric) {
  const auto& rank = results.metric(metric).rank;
  return static_cast<std::size_t>(std::min_element(rank.begin(), rank.end()) - rank.begin());
}

}  // namespace detail
}  // namespace claimlens
