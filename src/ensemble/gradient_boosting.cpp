#include "claimlens/ensemble/gradient_boosting.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "claimlens/metrics/binary.hpp"
#include "claimlens/random.hpp"
#include "claimlens/threads.hpp"
#include "fit_support.hpp"
#include "json_util.hpp"
#include "quantize.hpp"
#include "tree_builder.hpp"

namespace claimlens {

using namespace ensemble_detail;  // NOLINT: private helpers of this module
using nlohmann::json;

namespace {

// Every margin the model can give must stay finite (+inf - inf is NaN). Returns `bound` plus the
// tree's largest leaf magnitude: a bound on |margin| over all inputs; InvalidArgument when a node
// value is not finite or the bound passes 1e300 (a huge learning_rate, or a Newton step on a
// near-zero hessian without reg_lambda).
double check_diverged(const Tree& tree, int round, double bound) {
  double largest = 0.0;
  for (const TreeNode& node : tree.nodes()) {
    const double v = node.value;
    if (!std::isfinite(v) || (node.is_leaf() && std::fabs(v) > 1e300)) {
      largest = std::numeric_limits<double>::infinity();
      break;
    }
    if (node.is_leaf()) largest = std::max(largest, std::fabs(v));
  }
  if (!(bound + largest <= 1e300)) {
    throw InvalidArgument("GradientBoostingClassifier.fit: the boosting diverged at round " +
                          std::to_string(round) +
                          " (leaf values past 1e300: margins would overflow); lower "
                          "learning_rate, or raise reg_lambda or min_child_weight");
  }
  return bound + largest;
}

constexpr const char* kFormat = "claimlens.gradient_boosting";
constexpr int kVersion = 1;

double sigmoid(double m) {
  return 1.0 / (1.0 + std::exp(-m));
}

// XGBoost's split gain and leaf weight on (gradient, hessian, count) statistics.
struct BoostPolicy {
  int max_depth = 6;  // 0: unlimited
  double min_child_weight = 1.0, lambda = 1.0, alpha = 0.0, gamma = 0.0, eta = 0.3;

  double threshold_l1(double g) const {
    if (g > alpha) return g - alpha;
    if (g < -alpha) return g + alpha;
    return 0.0;
  }
  bool can_split(const Stats& s, int depth) const {
    return (max_depth == 0 || depth < max_depth) && s.n >= 2;
  }
  bool valid_child(const Stats& c) const {
    return c.n > 0.5 && c.b >= min_child_weight && c.b > 0.0;
  }
  double score(const Stats& s) const {
    if (s.b < min_child_weight || s.b <= 0.0) return 0.0;
    const double g = threshold_l1(s.a);
    return g * g / (s.b + lambda);
  }
  bool accept(double gain) const { return gain > 1e-6 && gain >= gamma; }  // kRtEps, min_split_loss
  double leaf_value(const Stats& s) const {
    if (s.b < min_child_weight || s.b <= 0.0) return 0.0;
    return -threshold_l1(s.a) / (s.b + lambda) * eta;
  }
  double cover(const Stats& s) const { return s.b; }
};

// Logistic loss gradient and hessian at margin m, given e = exp(-m).
Stats boost_stats(double e, double y) {
  const double p = 1.0 / (1.0 + e);
  return Stats{p - y, std::max(p * (1.0 - p), 1e-16), 1.0};
}

// After a tree grown on every row: each leaf's rows (a range of the partitioned buffer) get the
// leaf's factor. One thread: the buffer order scatters rows, and threads writing neighbouring
// rows would fight over cache lines.
void update_leaf_rows(const std::vector<LeafRange>& leaves, const std::vector<double>& node_factor,
                      const std::uint32_t* buffer, double* expm) {
  for (const auto& leaf : leaves) {
    const double f = node_factor[static_cast<std::size_t>(leaf.node)];
    for (std::size_t k = leaf.begin; k < leaf.end; ++k) expm[buffer[k]] *= f;
  }
}

// A round's tree from the rows' float statistics, or (use_quantized_grad) from their integer
// levels, its node values then renewed from the float statistics (quant_train_renew_leaf).
class Grower {
 public:
  // n_rows: the rows fitted (their levels' sums must fit in int32).
  // comm and first_row: distributed training (quantized only), the shard's first global row.
  Grower(const BinnedMatrix& X, const GradientBoostingParams& p, std::size_t n_rows,
         Communicator* comm, std::uint64_t first_row)
      : p_(p), comm_(comm), first_row_(first_row) {
    if (p.use_quantized_grad && n_rows > max_quantized_rows(p.num_grad_quant_bins)) {
      throw InvalidArgument("GradientBoostingClassifier.fit: params.num_grad_quant_bins = " +
                            std::to_string(p.num_grad_quant_bins) + " allows at most " +
                            std::to_string(max_quantized_rows(p.num_grad_quant_bins)) +
                            " rows, not " + std::to_string(n_rows) +
                            " (int32 histogram sums); lower it or set use_quantized_grad false");
    }
    if (p.use_quantized_grad) {
      quantized_.emplace(X);
      levels_.resize(X.num_rows());
    } else {
      float_.emplace(X);
    }
  }

  // Grows on buffer's rows (in ascending id order; reordered by the partitions).
  Tree grow(const BoostPolicy& policy, const BuildConfig& config, const std::vector<Stats>& stats,
            std::vector<std::uint32_t>& buffer, int round) {
    if (float_) return float_->build(policy, config, stats.data(), buffer.data(), buffer.size(), 0);
    const QuantScales scale =
        quantize_stats(stats.data(), buffer.data(), buffer.size(), p_.num_grad_quant_bins,
                       p_.random_state, round, config.n_threads, levels_.data(), comm_, first_row_);
    Tree tree = quantized_->build(QuantizedPolicy<BoostPolicy>{policy, scale}, config,
                                  levels_.data(), buffer.data(), buffer.size(), 0);
    if (p_.quant_train_renew_leaf) {
      renew_node_values(policy, quantized_->leaf_ranges(), buffer.data(), stats.data(), scale,
                        comm_, tree);
    }
    return tree;
  }
  const std::vector<LeafRange>& leaf_ranges() const {
    return float_ ? float_->leaf_ranges() : quantized_->leaf_ranges();
  }
  const std::vector<std::int32_t>& left_bins() const {
    return float_ ? float_->left_bins() : quantized_->left_bins();
  }

 private:
  const GradientBoostingParams& p_;
  Communicator* comm_;
  std::uint64_t first_row_;
  std::optional<TreeBuilder> float_;
  std::optional<BasicTreeBuilder<QStats>> quantized_;
  std::vector<QStats> levels_;  // per row id: this round's levels
};

// log(1 + exp(x)) without overflow.
double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}

// Early stopping: a stratified validation split of the fit's rows (their own random stream), the
// validation margins updated round by round, and the round of the lowest mean log loss.
class EarlyStopper {
 public:
  // Moves validation_fraction of each class of `ids` (rounded, at least one row of each class
  // left to train on) into the validation rows.
  EarlyStopper(const GradientBoostingParams& p, std::vector<std::uint32_t>& ids,
               Span<const double> y)
      : y_(y), patience_(p.n_iter_no_change), tol_(p.tol) {
    Random rng(derive_seed(p.random_state, kValidationStream));
    std::vector<char> held(ids.size(), 0);
    for (double label : {0.0, 1.0}) {
      std::vector<std::size_t> of_class;
      for (std::size_t i = 0; i < ids.size(); ++i) {
        if (y[ids[i]] == label) of_class.push_back(i);
      }
      const auto want = static_cast<std::size_t>(
          std::floor(p.validation_fraction * static_cast<double>(of_class.size()) + 0.5));
      const std::size_t k = std::min(want, of_class.size() > 0 ? of_class.size() - 1 : 0);
      for (std::size_t t = 0; t < k; ++t) {  // partial Fisher-Yates
        std::swap(of_class[t], of_class[t + rng.uniform_int(of_class.size() - t)]);
        held[of_class[t]] = 1;
      }
    }
    std::vector<std::uint32_t> train;
    for (std::size_t i = 0; i < ids.size(); ++i) (held[i] ? rows_ : train).push_back(ids[i]);
    if (rows_.empty()) {
      throw InvalidArgument(
          "params.validation_fraction leaves no validation row for early "
          "stopping among " +
          std::to_string(ids.size()) + " rows (each class keeps at least one row to train on)");
    }
    ids = std::move(train);
  }

  void start(double base_margin) { margin_.assign(rows_.size(), base_margin); }

  // Adds the round's tree to the validation margins; true when the last n_iter_no_change rounds
  // brought no gain of more than tol.
  bool after_round(const Tree& tree, const std::vector<std::int32_t>& left_bins,
                   const BinnedMatrix& X, int round) {
    double loss = 0.0;
    for (std::size_t k = 0; k < rows_.size(); ++k) {
      margin_[k] += predict_binned(tree, left_bins, X, rows_[k]);
      loss += softplus(y_[rows_[k]] > 0.5 ? -margin_[k] : margin_[k]);
    }
    loss /= static_cast<double>(rows_.size());
    if (loss < best_loss_ - tol_) {
      best_loss_ = loss;
      best_round_ = round;
    }
    return round - best_round_ >= patience_;
  }

  // Rounds kept: up to the best one.
  std::size_t rounds() const { return static_cast<std::size_t>(best_round_ + 1); }

 private:
  static constexpr std::uint64_t kValidationStream = (std::uint64_t{1} << 63) + 17;
  Span<const double> y_;
  int patience_;
  double tol_;
  std::vector<std::uint32_t> rows_;
  std::vector<double> margin_;
  double best_loss_ = std::numeric_limits<double>::infinity();
  int best_round_ = -1;
};

}  // namespace

GradientBoostingClassifier::GradientBoostingClassifier(GradientBoostingParams params)
    : params_(std::move(params)) {
  params_.validate();
}

GradientBoostingClassifier& GradientBoostingClassifier::fit(const RowMatrix& X,
                                                            Span<const double> y) {
  params_.validate();
  const BinnedMatrix binned = BinnedMatrix::from_dense(X, params_.max_bin, params_.random_state);
  std::vector<std::size_t> rows(binned.num_rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return fit(binned, y, rows);
}

namespace {

// A fit's result: the trees and the base score.
struct Boosted {
  std::vector<Tree> trees;
  double base = 0.0, base_margin = 0.0;
};

// The boosting rounds on rows `ids` of X (positives of `total` rows; with comm, over all
// ranks: this rank's rows start at global row first_row).
Boosted boost(const GradientBoostingParams& p, const BinnedMatrix& X, Span<const double> y,
              const std::vector<std::uint32_t>& ids, std::size_t positives, std::size_t total,
              EarlyStopper* stopper, Communicator* comm, std::uint64_t first_row) {
  const std::size_t n = ids.size(), F = X.num_features();
  double base = 0.0;
  if (p.base_score) {
    base = *p.base_score;
  } else {
    if (positives == 0 || positives == total) {
      throw InvalidArgument(
          "GradientBoostingClassifier.fit: y holds a single class; give base_score explicitly");
    }
    base = static_cast<double>(positives) / static_cast<double>(total);
  }
  const double base_margin = std::log(base / (1.0 - base));
  if (stopper) stopper->start(base_margin);
  BoostPolicy policy;
  policy.max_depth = p.max_depth;
  policy.min_child_weight = p.min_child_weight;
  policy.lambda = p.reg_lambda;
  policy.alpha = p.reg_alpha;
  policy.gamma = p.gamma;
  policy.eta = p.learning_rate;
  // n_jobs 0: the idle cores, looked at again every kRecheckRounds rounds (a few tens of
  // microseconds), since each round's many parallel regions suffer most from a core taken away.
  constexpr int kRecheckRounds = 32;
  int threads = resolve_idle_jobs(p.n_jobs);
  const auto n_cols = std::max<std::size_t>(
      1, static_cast<std::size_t>(std::round(p.colsample_bytree * static_cast<double>(F))));

  // Per row, e = exp(-margin): a leaf with value v multiplies it by exp(-v), one exp per leaf
  // instead of one per row and round; p = 1 / (1 + e) is the sigmoid of the margin.
  const long long nl = static_cast<long long>(n);
  std::vector<double> expm(X.num_rows(), 0.0);
  std::vector<Stats> row_stats(X.num_rows());
  const double e0 = std::exp(-base_margin);
  for (std::uint32_t r : ids) {
    expm[r] = e0;
    row_stats[r] = boost_stats(e0, y[r]);
  }
  std::vector<std::uint32_t> buffer;
  buffer.reserve(n);
  std::vector<int> all_features(F), feature_order;
  for (std::size_t f = 0; f < F; ++f) all_features[f] = static_cast<int>(f);
  Grower builder(X, p, total, comm, first_row);
  std::vector<Tree> trees;
  trees.reserve(static_cast<std::size_t>(p.n_estimators));
  std::vector<double> node_factor;
  double margin_bound = std::fabs(base_margin);
  for (int round = 0; round < p.n_estimators; ++round) {
    if (round > 0 && round % kRecheckRounds == 0) threads = resolve_idle_jobs(p.n_jobs);
    Random rng(derive_seed(p.random_state, static_cast<std::uint64_t>(round)));
    buffer.clear();
    if (p.subsample < 1.0) {  // XGBoost: each row kept with probability `subsample`
      for (std::size_t i = 0; i < n; ++i) {
        if (rng.uniform() < p.subsample) buffer.push_back(ids[i]);
      }
      if (buffer.empty()) buffer.push_back(ids[rng.uniform_int(n)]);
    } else {
      buffer.assign(ids.begin(), ids.end());
    }
    BuildConfig config;
    if (n_cols < F) {
      feature_order = all_features;
      for (std::size_t i = 0; i < n_cols; ++i) {  // partial Fisher-Yates
        std::swap(feature_order[i], feature_order[i + rng.uniform_int(F - i)]);
      }
      config.features.assign(feature_order.begin(),
                             feature_order.begin() + static_cast<std::ptrdiff_t>(n_cols));
      std::sort(config.features.begin(), config.features.end());
    } else {
      config.features = all_features;
    }
    config.max_visits = static_cast<int>(config.features.size());
    config.shuffle = false;
    config.n_threads = threads;
    config.comm = comm;
    Tree tree = builder.grow(policy, config, row_stats, buffer, round);
    margin_bound = check_diverged(tree, round, margin_bound);
    node_factor.assign(tree.size(), 1.0);
    for (std::size_t i = 0; i < tree.size(); ++i) {
      if (tree.nodes()[i].is_leaf()) node_factor[i] = std::exp(-tree.nodes()[i].value);
    }
    const bool last = round + 1 == p.n_estimators;  // its gradients are never used
    if (buffer.size() == n) {  // every row is in some leaf's range of the partitioned buffer
      update_leaf_rows(builder.leaf_ranges(), node_factor, buffer.data(), expm.data());
      if (!last) {  // fresh gradients, rows in id order (each thread its own stretch of rows)
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n > 4096)
        for (long long il = 0; il < nl; ++il) {
          const std::uint32_t r = ids[static_cast<std::size_t>(il)];
          row_stats[r] = boost_stats(expm[r], y[r]);
        }
      }
    } else {  // subsampled: walk the tree on the bins of every fitted row
      const std::vector<std::int32_t>& left_bins = builder.left_bins();
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1 && n > 4096)
      for (long long il = 0; il < nl; ++il) {
        const std::uint32_t r = ids[static_cast<std::size_t>(il)];
        expm[r] *= node_factor[leaf_binned(tree, left_bins, X, r)];
        row_stats[r] = boost_stats(expm[r], y[r]);
      }
    }
    const bool stop = stopper && stopper->after_round(tree, builder.left_bins(), X, round);
    trees.push_back(std::move(tree));
    if (stop) break;
  }
  if (stopper) trees.resize(stopper->rounds());
  return Boosted{std::move(trees), base, base_margin};
}

}  // namespace

GradientBoostingClassifier& GradientBoostingClassifier::fit(const BinnedMatrix& X,
                                                            Span<const double> y,
                                                            Span<const std::size_t> rows) {
  params_.validate();
  std::size_t positives = 0;
  std::vector<std::uint32_t> ids =
      check_fit_inputs("GradientBoostingClassifier.fit", X, y, rows, positives);
  std::optional<EarlyStopper> stopper;
  if (params_.stops_early(ids.size())) {
    stopper.emplace(params_, ids, y);
    positives = static_cast<std::size_t>(
        std::count_if(ids.begin(), ids.end(), [&](std::uint32_t r) { return y[r] > 0.5; }));
  }
  Boosted b =
      boost(params_, X, y, ids, positives, ids.size(), stopper ? &*stopper : nullptr, nullptr, 0);
  set_fitted(std::move(b.trees), b.base, b.base_margin, X.num_features());
  return *this;
}

GradientBoostingClassifier& GradientBoostingClassifier::fit_distributed(const BinnedMatrix& X,
                                                                        Span<const double> y,
                                                                        Communicator& comm) {
  params_.validate();
  const char* what = "GradientBoostingClassifier.fit_distributed";
  if (!params_.use_quantized_grad) {
    throw InvalidArgument(std::string(what) +
                          ": needs params.use_quantized_grad = true (integer histograms are "
                          "summed exactly across ranks; float sums depend on the rank count)");
  }
  if (params_.subsample < 1.0 || params_.stops_early(std::numeric_limits<std::size_t>::max())) {
    throw InvalidArgument(std::string(what) +
                          ": params.subsample < 1 and early stopping are not supported in "
                          "distributed training (they draw rows in sequence)");
  }
  std::size_t positives = 0;
  RowShard shard;
  const std::vector<std::uint32_t> ids = check_shard(what, X, y, comm, positives, shard);
  Boosted b = boost(params_, X, y, ids, positives, static_cast<std::size_t>(shard.total_rows),
                    nullptr, &comm, shard.first_row);
  set_fitted(std::move(b.trees), b.base, b.base_margin, X.num_features());
  return *this;
}

void GradientBoostingClassifier::set_fitted(std::vector<Tree> trees, double base,
                                            double base_margin, std::size_t n_features) {
  trees_ = std::move(trees);
  flat_ = FlatForest(trees_);
  n_features_ = n_features;
  base_score_ = base;
  base_margin_ = base_margin;
  fitted_ = true;
}

void GradientBoostingClassifier::check_fitted(const char* what) const {
  if (!fitted_) {
    throw StateError(std::string("GradientBoostingClassifier.") + what +
                     ": the model is not fitted");
  }
}

std::vector<double> GradientBoostingClassifier::decision_function(const double* x, std::size_t rows,
                                                                  std::size_t cols) const {
  check_fitted("decision_function");
  check_predict_inputs("GradientBoostingClassifier.predict_proba", x, rows, cols, n_features_);
  std::vector<double> out(rows);
  flat_.sum_rows(x, rows, cols, params_.n_jobs, out.data());
  for (double& v : out) v += base_margin_;
  return out;
}

std::vector<double> GradientBoostingClassifier::predict_proba(const double* x, std::size_t rows,
                                                              std::size_t cols) const {
  std::vector<double> out = decision_function(x, rows, cols);
  for (double& v : out) v = sigmoid(v);
  return out;
}

std::vector<double> GradientBoostingClassifier::predict_proba(const RowMatrix& X) const {
  return predict_proba(X.data(), static_cast<std::size_t>(X.rows()),
                       static_cast<std::size_t>(X.cols()));
}

double GradientBoostingClassifier::predict_proba_row(const double* row) const {
  check_fitted("predict_proba_row");
  double m = base_margin_;
  m += flat_.sum_row(row);
  return sigmoid(m);
}

void GradientBoostingClassifier::predict_proba_rows(const double* x, std::size_t rows,
                                                    std::size_t cols, double* out) const {
  check_fitted("predict_proba_rows");
  check_predict_inputs("GradientBoostingClassifier.predict_proba_rows", x, rows, cols, n_features_);
  if (rows > 0 && out == nullptr) {
    throw InvalidArgument("GradientBoostingClassifier.predict_proba_rows: out is null");
  }
  flat_.sum_rows(x, rows, cols, out);
  // base + sum, as predict_proba_row adds them: the same bits.
  for (std::size_t r = 0; r < rows; ++r) out[r] = sigmoid(base_margin_ + out[r]);
}

std::vector<int> GradientBoostingClassifier::predict(const RowMatrix& X) const {
  return predicted_classes(predict_proba(X));  // the one rule of metrics/binary.hpp
}

std::vector<double> GradientBoostingClassifier::feature_importances(ImportanceType type) const {
  check_fitted("feature_importances");
  std::vector<double> weight(n_features_, 0.0), gain(n_features_, 0.0), cover(n_features_, 0.0);
  for (const Tree& t : trees_) {
    for (const TreeNode& node : t.nodes()) {
      if (node.is_leaf()) continue;
      const auto f = static_cast<std::size_t>(node.feature);
      weight[f] += 1.0;
      gain[f] += std::max(node.gain, 0.0);  // negative only in a foreign file: counts as 0
      cover[f] += std::max(node.cover, 0.0);
    }
  }
  std::vector<double> out(n_features_, 0.0);
  for (std::size_t f = 0; f < n_features_; ++f) {
    switch (type) {
      case ImportanceType::Weight:
        out[f] = weight[f];
        break;
      case ImportanceType::TotalGain:
        out[f] = gain[f];
        break;
      case ImportanceType::TotalCover:
        out[f] = cover[f];
        break;
      case ImportanceType::Gain:
        out[f] = weight[f] > 0 ? gain[f] / weight[f] : 0.0;
        break;
      case ImportanceType::Cover:
        out[f] = weight[f] > 0 ? cover[f] / weight[f] : 0.0;
        break;
    }
  }
  normalize_to_sum_one(out);
  return out;
}

json GradientBoostingClassifier::to_json() const {
  check_fitted("to_json");
  JsonDocument doc = ensemble_document(kFormat, kVersion, n_features_, params_, trees_);
  (*doc)["base_score"] = base_score_;
  return std::move(*doc);
}

GradientBoostingClassifier GradientBoostingClassifier::from_json(const json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

GradientBoostingClassifier GradientBoostingClassifier::from_json(const JsonReader& j) {
  GradientBoostingClassifier m;
  read_ensemble_document(j, kFormat, kVersion, m.params_, m.n_features_, m.trees_);
  const JsonReader base_score = j.at("base_score");
  m.base_score_ = base_score.finite();
  if (!(m.base_score_ > 0.0 && m.base_score_ < 1.0)) {
    base_score.fail_value("must be a probability in (0, 1)");
  }
  m.base_margin_ = std::log(m.base_score_ / (1.0 - m.base_score_));
  m.flat_ = FlatForest(m.trees_);
  m.fitted_ = true;
  return m;
}

}  // namespace claimlens
