#include "claimlens/ensemble/random_forest.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <optional>

#include "claimlens/metrics/binary.hpp"
#include "claimlens/random.hpp"
#include "claimlens/threads.hpp"
#include "fit_support.hpp"
#include "json_util.hpp"
#include "tree_builder.hpp"

namespace claimlens {

using namespace ensemble_detail;  // NOLINT: private helpers of this module
using nlohmann::json;

namespace {

constexpr const char* kFormat = "claimlens.random_forest";
constexpr int kVersion = 1;

// Row statistics (weighted positives, weight, 1); scores are weighted impurity "purities" so
// that score(L) + score(R) - score(P) is sklearn's weighted impurity decrease.
struct ForestPolicy {
  bool entropy = false;
  int max_depth = 0;  // <= 0: unlimited
  double min_split = 2;
  double min_leaf = 1;

  bool can_split(const Stats& s, int depth) const {
    if (max_depth > 0 && depth >= max_depth) return false;
    if (s.n < min_split || s.n < 2 * min_leaf) return false;
    const double tol = 1e-12 * s.b;  // pure node (sklearn: impurity <= EPSILON)
    return s.a > tol && s.b - s.a > tol;
  }
  bool valid_child(const Stats& c) const { return c.n >= min_leaf; }
  double score(const Stats& s) const {
    if (s.b <= 0) return 0.0;
    const double pos = std::max(s.a, 0.0), neg = std::max(s.b - s.a, 0.0);
    if (!entropy) return (pos * pos + neg * neg) / s.b;
    double r = 0.0;
    if (pos > 0) r += pos * std::log2(pos / s.b);
    if (neg > 0) r += neg * std::log2(neg / s.b);
    return r;
  }
  bool accept(double) const { return true; }  // sklearn keeps zero-improvement splits
  double cover(const Stats& s) const { return s.b; }
  // Clamped: a child's sums come from its parent's minus its sibling's, so a pure node's a can
  // exceed b by an ulp, and a leaf above 1 would make the saved model unloadable (found by
  // fuzz_train_params, tests/fuzz/regressions/train_params/).
  double leaf_value(const Stats& s) const {
    return s.b > 0 ? std::min(std::max(s.a, 0.0) / s.b, 1.0) : 0.0;
  }
};

int resolve_max_features(const RandomForestParams& p, std::size_t n_features) {
  using MF = RandomForestParams::MaxFeatures::Kind;
  const double f = static_cast<double>(n_features);
  switch (p.max_features.kind) {
    case MF::Sqrt:
      return std::max(1, static_cast<int>(std::sqrt(f)));
    case MF::Log2:
      return std::max(1, static_cast<int>(std::log2(f)));
    case MF::All:
      return static_cast<int>(n_features);
    case MF::Fraction:
      return std::max(1, static_cast<int>(p.max_features.value * f));
    case MF::Count:
      if (p.max_features.value > f) {
        throw InvalidArgument("RandomForestClassifier: max_features = " +
                              std::to_string(static_cast<long long>(p.max_features.value)) +
                              " exceeds the " + std::to_string(n_features) + " features");
      }
      return static_cast<int>(p.max_features.value);
  }
  return static_cast<int>(n_features);
}

std::size_t resolve_max_samples(const RandomForestParams& p, std::size_t n) {
  using MS = RandomForestParams::MaxSamples::Kind;
  switch (p.max_samples.kind) {
    case MS::All:
      return n;
    case MS::Fraction:
      return std::max<std::size_t>(
          1, static_cast<std::size_t>(std::round(static_cast<double>(n) * p.max_samples.value)));
    case MS::Count:
      if (p.max_samples.value > static_cast<double>(n)) {
        throw InvalidArgument("RandomForestClassifier: max_samples = " +
                              std::to_string(static_cast<long long>(p.max_samples.value)) +
                              " exceeds the " + std::to_string(n) + " fitted rows");
      }
      return static_cast<std::size_t>(p.max_samples.value);
  }
  return n;
}

// Per-tree bootstrap multiplicities over the fitted rows (all 1 without bootstrap).
void draw_counts(const RandomForestParams& p, std::size_t tree, std::size_t n, std::size_t n_draws,
                 std::vector<std::uint32_t>& counts) {
  if (!p.bootstrap) {
    counts.assign(n, 1);
    return;
  }
  counts.assign(n, 0);
  Random rng(derive_seed(p.random_state, 2 * tree));
  for (std::size_t i = 0; i < n_draws; ++i) ++counts[rng.uniform_int(n)];
}

}  // namespace

RandomForestClassifier::RandomForestClassifier(RandomForestParams params)
    : params_(std::move(params)) {
  params_.validate();
}

RandomForestClassifier& RandomForestClassifier::fit(const RowMatrix& X, Span<const double> y) {
  params_.validate();
  const BinnedMatrix binned = BinnedMatrix::from_dense(X, params_.max_bin, params_.random_state);
  std::vector<std::size_t> rows(binned.num_rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return fit(binned, y, rows);
}

RandomForestClassifier& RandomForestClassifier::fit(const BinnedMatrix& X, Span<const double> y,
                                                    Span<const std::size_t> rows) {
  params_.validate();
  std::size_t positives = 0;
  const std::vector<std::uint32_t> ids =
      check_fit_inputs("RandomForestClassifier.fit", X, y, rows, positives);
  const std::size_t n = ids.size(), F = X.num_features();
  const int max_visits = resolve_max_features(params_, F);
  const std::size_t n_draws = resolve_max_samples(params_, n);
  double w_pos = 1.0, w_neg = 1.0;  // class_weight="balanced": n / (2 * n_c) from the full y
  if (params_.class_weight == RandomForestParams::ClassWeight::Balanced && positives > 0 &&
      positives < n) {
    w_pos = static_cast<double>(n) / (2.0 * static_cast<double>(positives));
    w_neg = static_cast<double>(n) / (2.0 * static_cast<double>(n - positives));
  }
  ForestPolicy policy;
  policy.entropy = params_.criterion == RandomForestParams::Criterion::Entropy;
  policy.max_depth = params_.max_depth ? *params_.max_depth : 0;
  policy.min_split = params_.min_samples_split;
  policy.min_leaf = params_.min_samples_leaf;
  BuildConfig config;
  for (std::size_t f = 0; f < F; ++f) config.features.push_back(static_cast<int>(f));
  config.max_visits = max_visits;
  config.shuffle = max_visits < static_cast<int>(F);
  config.n_threads = 1;

  const std::size_t T = static_cast<std::size_t>(params_.n_estimators);
  std::vector<Tree> trees(T);
  std::vector<std::vector<std::int32_t>> left_bins(params_.oob_score ? T : 0);
  const int threads = resolve_idle_jobs(params_.n_jobs);  // n_jobs 0: the idle cores
  // An exception must not leave an OpenMP region (that is std::terminate, found by tests/faults):
  // each thread and tree keeps its own, later trees are skipped, the first is rethrown after.
  std::vector<std::exception_ptr> errors(T + static_cast<std::size_t>(threads));
  std::atomic<bool> failed{false};
#pragma omp parallel num_threads(threads) if (threads > 1)
  {
    std::optional<TreeBuilder> builder;
    std::vector<Stats> row_stats;
    std::vector<std::uint32_t> counts, buffer;
    try {
      builder.emplace(X);
      row_stats.resize(X.num_rows());
      buffer.reserve(n);
    } catch (...) {
      errors[T + static_cast<std::size_t>(omp_get_thread_num())] = std::current_exception();
      failed = true;
    }
#pragma omp for schedule(dynamic, 1)
    for (long long tl = 0; tl < static_cast<long long>(T); ++tl) {
      if (failed.load(std::memory_order_relaxed)) continue;  // every thread reaches the loop
      const auto t = static_cast<std::size_t>(tl);
      try {
        draw_counts(params_, t, n, n_draws, counts);
        buffer.clear();
        for (std::size_t i = 0; i < n; ++i) {
          if (counts[i] == 0) continue;
          const std::uint32_t r = ids[i];
          const double w = counts[i] * (y[r] == 1.0 ? w_pos : w_neg);
          row_stats[r] = Stats{y[r] == 1.0 ? w : 0.0, w, 1.0};
          buffer.push_back(r);
        }
        trees[t] = builder->build(policy, config, row_stats.data(), buffer.data(), buffer.size(),
                                  derive_seed(params_.random_state, 2 * t + 1));
        if (params_.oob_score) left_bins[t] = builder->left_bins();
      } catch (...) {
        errors[t] = std::current_exception();
        failed = true;
      }
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  trees_ = std::move(trees);
  flat_ = FlatForest(trees_);
  n_features_ = F;
  oob_score_.reset();
  oob_decision_.clear();
  if (!params_.oob_score) return *this;

  // Out-of-bag: average each row's prediction over the trees that did not draw it.
  std::vector<std::vector<std::uint8_t>> in_bag(T);
  std::vector<std::uint32_t> counts;
  for (std::size_t t = 0; t < T; ++t) {
    draw_counts(params_, t, n, n_draws, counts);
    in_bag[t].resize(n);
    for (std::size_t i = 0; i < n; ++i) in_bag[t][i] = counts[i] > 0;
  }
  oob_decision_.assign(n, std::numeric_limits<double>::quiet_NaN());
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (long long il = 0; il < static_cast<long long>(n); ++il) {
    const auto i = static_cast<std::size_t>(il);
    double sum = 0.0;
    std::size_t k = 0;
    for (std::size_t t = 0; t < T; ++t) {
      if (in_bag[t][i]) continue;
      sum += predict_binned(trees_[t], left_bins[t], X, ids[i]);
      ++k;
    }
    if (k > 0) oob_decision_[i] = sum / static_cast<double>(k);
  }
  std::size_t scored = 0, correct = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(oob_decision_[i])) continue;
    ++scored;
    correct += static_cast<double>(predicted_class(oob_decision_[i])) == y[ids[i]];
  }
  oob_score_ = scored ? static_cast<double>(correct) / static_cast<double>(scored)
                      : std::numeric_limits<double>::quiet_NaN();
  return *this;
}

namespace {

// ForestPolicy on integer counts (positive draws, draws, rows): class weights applied to the
// sums, so the sums themselves stay exact whatever order the ranks add them in.
struct CountPolicy {
  const ForestPolicy& base;
  double w_pos = 1.0, w_neg = 1.0;

  Stats real(const Stats& s) const {
    const double pos = s.a * w_pos;
    return Stats{pos, pos + (s.b - s.a) * w_neg, s.n};
  }
  bool can_split(const Stats& s, int depth) const { return base.can_split(real(s), depth); }
  bool valid_child(const Stats& c) const { return base.valid_child(real(c)); }
  double score(const Stats& s) const { return base.score(real(s)); }
  bool accept(double gain) const { return base.accept(gain); }
  double leaf_value(const Stats& s) const { return base.leaf_value(real(s)); }
  double cover(const Stats& s) const { return base.cover(real(s)); }
};

// A Poisson(rate) draw from the uniform u in [0, 1), by inversion (rate <= 1 in practice:
// a handful of steps).
std::uint32_t poisson_draw(double rate, double u) {
  double p = std::exp(-rate), cumulative = p;
  std::uint32_t k = 0;
  while (u >= cumulative && k < 64) {
    ++k;
    p *= rate / k;
    cumulative += p;
  }
  return k;
}

}  // namespace

RandomForestClassifier& RandomForestClassifier::fit_distributed(const BinnedMatrix& X,
                                                                Span<const double> y,
                                                                Communicator& comm) {
  params_.validate();
  const char* what = "RandomForestClassifier.fit_distributed";
  if (params_.oob_score) {
    throw InvalidArgument(std::string(what) +
                          ": params.oob_score is not supported in "
                          "distributed training");
  }
  std::size_t positives = 0;
  RowShard shard;
  const std::vector<std::uint32_t> ids = check_shard(what, X, y, comm, positives, shard);
  const auto n = static_cast<std::size_t>(shard.total_rows);
  const std::size_t F = X.num_features();
  const int max_visits = resolve_max_features(params_, F);
  const double rate = static_cast<double>(resolve_max_samples(params_, n)) / static_cast<double>(n);
  ForestPolicy base;
  base.entropy = params_.criterion == RandomForestParams::Criterion::Entropy;
  base.max_depth = params_.max_depth ? *params_.max_depth : 0;
  base.min_split = params_.min_samples_split;
  base.min_leaf = params_.min_samples_leaf;
  CountPolicy policy{base};
  if (params_.class_weight == RandomForestParams::ClassWeight::Balanced && positives > 0 &&
      positives < n) {
    policy.w_pos = static_cast<double>(n) / (2.0 * static_cast<double>(positives));
    policy.w_neg = static_cast<double>(n) / (2.0 * static_cast<double>(n - positives));
  }
  BuildConfig config;
  for (std::size_t f = 0; f < F; ++f) config.features.push_back(static_cast<int>(f));
  config.max_visits = max_visits;
  config.shuffle = max_visits < static_cast<int>(F);
  config.n_threads = resolve_n_jobs(params_.n_jobs);
  config.comm = &comm;
  TreeBuilder builder(X);
  std::vector<Stats> row_stats(X.num_rows());
  std::vector<std::uint32_t> buffer;
  std::vector<Tree> trees;
  for (int t = 0; t < params_.n_estimators; ++t) {
    const auto tu = static_cast<std::uint64_t>(t);
    const std::uint64_t key = derive_seed(params_.random_state, 2 * tu);
    buffer.clear();
    for (std::uint32_t r : ids) {
      std::uint32_t c = 1;
      if (params_.bootstrap) {
        const std::uint64_t bits = derive_seed(key, shard.first_row + r);
        c = poisson_draw(rate, static_cast<double>(bits >> 11) * 0x1p-53);
      }
      if (c == 0) continue;
      row_stats[r] = Stats{y[r] == 1.0 ? double(c) : 0.0, double(c), 1.0};
      buffer.push_back(r);
    }
    trees.push_back(builder.build(policy, config, row_stats.data(), buffer.data(), buffer.size(),
                                  derive_seed(params_.random_state, 2 * tu + 1)));
  }
  trees_ = std::move(trees);
  flat_ = FlatForest(trees_);
  n_features_ = F;
  oob_score_.reset();
  oob_decision_.clear();
  return *this;
}

void RandomForestClassifier::check_fitted(const char* what) const {
  if (!is_fitted()) {
    throw StateError(std::string("RandomForestClassifier.") + what + ": the model is not fitted");
  }
}

std::vector<double> RandomForestClassifier::predict_proba(const double* x, std::size_t rows,
                                                          std::size_t cols) const {
  check_fitted("predict_proba");
  check_predict_inputs("RandomForestClassifier.predict_proba", x, rows, cols, n_features_);
  std::vector<double> out(rows);
  flat_.sum_rows(x, rows, cols, params_.n_jobs, out.data());
  const double inv = 1.0 / static_cast<double>(trees_.size());
  for (double& v : out) v *= inv;
  return out;
}

std::vector<double> RandomForestClassifier::predict_proba(const RowMatrix& X) const {
  return predict_proba(X.data(), static_cast<std::size_t>(X.rows()),
                       static_cast<std::size_t>(X.cols()));
}

double RandomForestClassifier::predict_proba_row(const double* row) const {
  check_fitted("predict_proba_row");
  // Scaled as predict_proba scales a batch, so one row gives the batch's bits exactly.
  return flat_.sum_row(row) * (1.0 / static_cast<double>(trees_.size()));
}

std::vector<int> RandomForestClassifier::predict(const RowMatrix& X) const {
  return predicted_classes(predict_proba(X));  // the one rule of metrics/binary.hpp
}

std::vector<double> RandomForestClassifier::feature_importances() const {
  check_fitted("feature_importances");
  // sklearn: each tree's impurity decreases normalized to 1, averaged, normalized again.
  std::vector<double> total(n_features_, 0.0), per_tree(n_features_);
  for (const Tree& t : trees_) {
    if (t.size() <= 1) continue;
    std::fill(per_tree.begin(), per_tree.end(), 0.0);
    double sum = 0.0;
    for (const TreeNode& node : t.nodes()) {
      if (node.is_leaf()) continue;
      // A fit's impurity decreases are >= 0; a loaded file may hold a negative one (found by
      // fuzz_model_load: -5e-159), which counts as 0 so importances stay >= 0.
      const double gain = std::max(node.gain, 0.0);
      per_tree[static_cast<std::size_t>(node.feature)] += gain;
      sum += gain;
    }
    if (sum <= 0) continue;
    for (std::size_t f = 0; f < n_features_; ++f) total[f] += per_tree[f] / sum;
  }
  normalize_to_sum_one(total);
  return total;
}

double RandomForestClassifier::oob_score() const {
  check_fitted("oob_score");
  if (!oob_score_) {
    throw StateError("RandomForestClassifier.oob_score: fit with oob_score = true to compute it");
  }
  return *oob_score_;
}

const std::vector<double>& RandomForestClassifier::oob_decision_function() const {
  check_fitted("oob_decision_function");
  if (!oob_score_) {
    throw StateError(
        "RandomForestClassifier.oob_decision_function: fit with oob_score = true to compute it");
  }
  return oob_decision_;
}

json RandomForestClassifier::to_json() const {
  check_fitted("to_json");
  JsonDocument doc = ensemble_document(kFormat, kVersion, n_features_, params_, trees_);
  if (oob_score_ && std::isfinite(*oob_score_)) (*doc)["oob_score"] = *oob_score_;
  return std::move(*doc);
}

RandomForestClassifier RandomForestClassifier::from_json(const json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

RandomForestClassifier RandomForestClassifier::from_json(const JsonReader& j) {
  RandomForestClassifier m;
  read_ensemble_document(j, kFormat, kVersion, m.params_, m.n_features_, m.trees_);
  for (std::size_t i = 0; i < m.trees_.size(); ++i) {
    const auto& nodes = m.trees_[i].nodes();
    for (std::size_t k = 0; k < nodes.size(); ++k) {
      if (nodes[k].is_leaf() && !(nodes[k].value >= 0.0 && nodes[k].value <= 1.0)) {
        j.at("trees").at(i).at("value").at(k).fail_value(
            "must be a probability in [0, 1] (a forest leaf)");
      }
    }
  }
  if (const auto oob = j.find("oob_score")) m.oob_score_ = oob->finite();
  m.flat_ = FlatForest(m.trees_);
  return m;
}

}  // namespace claimlens
