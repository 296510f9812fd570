// train_test_split (of row indices and of a frame), KFold and StratifiedKFold with scikit-learn's
// sizes and class allocation.
#include "claimlens/model_selection/split.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "claimlens/error.hpp"
#include "claimlens/random.hpp"

namespace claimlens {
namespace {

/// Dense class codes 0..k-1 in sorted label order (np.unique), with the count of each class.
template <class T>
std::vector<std::size_t> encode_sorted(Span<const T> labels, std::vector<std::size_t>& counts) {
  std::map<T, std::size_t> code;
  for (const T& v : labels) code.emplace(v, 0);
  std::size_t next = 0;
  for (auto& entry : code) entry.second = next++;
  counts.assign(code.size(), 0);
  std::vector<std::size_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    out[i] = code[labels[i]];
    ++counts[out[i]];
  }
  return out;
}

/// sklearn's _approximate_mode: the most likely per-class counts of n_draws drawn without
/// replacement; remainder ties are broken at random (here with our stream, sklearn with numpy's).
std::vector<std::size_t> approximate_mode(const std::vector<std::size_t>& counts,
                                          std::size_t n_draws, Random& rng) {
  const double total =
      static_cast<double>(std::accumulate(counts.begin(), counts.end(), std::size_t{0}));
  const std::size_t k = counts.size();
  std::vector<double> remainder(k);
  std::vector<std::size_t> floored(k);
  std::size_t assigned = 0;
  for (std::size_t i = 0; i < k; ++i) {
    const double continuous = static_cast<double>(counts[i]) / total * static_cast<double>(n_draws);
    floored[i] = static_cast<std::size_t>(std::floor(continuous));
    remainder[i] = continuous - std::floor(continuous);
    assigned += floored[i];
  }
  std::size_t need = n_draws - assigned;
  std::vector<double> values = remainder;
  std::sort(values.begin(), values.end(), std::greater<double>());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  for (double value : values) {
    if (need == 0) break;
    std::vector<std::size_t> inds;
    for (std::size_t i = 0; i < k; ++i) {
      if (remainder[i] == value) inds.push_back(i);
    }
    rng.shuffle(inds);  // a random subset of the tied classes, like rng.choice(replace=False)
    const std::size_t add_now = std::min(inds.size(), need);
    for (std::size_t j = 0; j < add_now; ++j) ++floored[inds[j]];
    need -= add_now;
  }
  return floored;
}

SplitIndices stratified_split(const std::vector<std::size_t>& codes,
                              const std::vector<std::size_t>& counts,
                              const TrainTestSplitOptions& options) {
  if (!options.shuffle) {
    throw InvalidArgument(
        "train_test_split: stratified splitting requires shuffle=true (as in scikit-learn)");
  }
  const auto [n_train, n_test] = train_test_sizes(codes.size(), options.test_size);
  for (std::size_t c = 0; c < counts.size(); ++c) {
    if (counts[c] < 2) {
      throw InvalidArgument(
          "train_test_split: the least populated class in the stratify labels has only 1 "
          "member, which is too few; every class needs at least 2");
    }
  }
  if (n_train < counts.size() || n_test < counts.size()) {
    throw InvalidArgument("train_test_split: train size " + std::to_string(n_train) +
                          " and test size " + std::to_string(n_test) +
                          " must both be at least the number of classes " +
                          std::to_string(counts.size()));
  }
  std::vector<std::vector<std::size_t>> members(counts.size());
  for (std::size_t i = 0; i < codes.size(); ++i) members[codes[i]].push_back(i);
  Random rng(options.seed);
  const std::vector<std::size_t> n_i = approximate_mode(counts, n_train, rng);
  std::vector<std::size_t> remaining(counts.size());
  for (std::size_t c = 0; c < counts.size(); ++c) remaining[c] = counts[c] - n_i[c];
  const std::vector<std::size_t> t_i = approximate_mode(remaining, n_test, rng);
  SplitIndices out;
  for (std::size_t c = 0; c < counts.size(); ++c) {
    rng.shuffle(members[c]);
    out.train.insert(out.train.end(), members[c].begin(), members[c].begin() + n_i[c]);
    out.test.insert(out.test.end(), members[c].begin() + n_i[c],
                    members[c].begin() + n_i[c] + t_i[c]);
  }
  rng.shuffle(out.train);
  rng.shuffle(out.test);
  return out;
}

void check_n_splits(std::size_t n_splits, const char* who) {
  if (n_splits < 2) {
    throw InvalidArgument(std::string(who) + ": n_splits must be at least 2, got " +
                          std::to_string(n_splits));
  }
}

void check_enough_samples(std::size_t n_splits, std::size_t n_samples, const char* who) {
  if (n_splits > n_samples) {
    throw InvalidArgument(
        std::string(who) + ": cannot have n_splits=" + std::to_string(n_splits) +
        " greater than the number of samples n_samples=" + std::to_string(n_samples));
  }
}

/// (train, test) from a fold number per sample; both ascending.
std::vector<SplitIndices> folds_from_assignment(const std::vector<std::size_t>& fold,
                                                std::size_t n_splits) {
  std::vector<SplitIndices> out(n_splits);
  for (std::size_t i = 0; i < fold.size(); ++i) {
    for (std::size_t f = 0; f < n_splits; ++f)
      (f == fold[i] ? out[f].test : out[f].train).push_back(i);
  }
  return out;
}

std::vector<std::int64_t> codes_of_strings(const std::vector<std::string>& labels) {
  std::vector<std::size_t> counts;
  const auto codes = encode_sorted(Span<const std::string>(labels), counts);
  return std::vector<std::int64_t>(codes.begin(), codes.end());
}

}  // namespace

std::pair<std::size_t, std::size_t> train_test_sizes(std::size_t n_samples,
                                                     const TestSize& test_size) {
  if (n_samples == 0) throw InvalidArgument("train_test_split: no samples to split");
  const double v = test_size.value();
  std::size_t n_test = 0;
  if (test_size.is_fraction()) {
    if (!(v > 0.0 && v < 1.0)) {
      throw InvalidArgument("train_test_split: test_size=" + std::to_string(v) +
                            " should be a fraction in the (0, 1) range");
    }
    n_test = static_cast<std::size_t>(std::ceil(v * static_cast<double>(n_samples)));
  } else {
    n_test = static_cast<std::size_t>(v);
    if (n_test == 0 || n_test >= n_samples) {
      throw InvalidArgument("train_test_split: test_size=" + std::to_string(n_test) +
                            " should be positive and smaller than the number of samples " +
                            std::to_string(n_samples));
    }
  }
  if (n_test >= n_samples) {
    throw InvalidArgument("train_test_split: with n_samples=" + std::to_string(n_samples) +
                          " and test_size=" + std::to_string(v) +
                          ", the resulting train set would be empty");
  }
  return {n_samples - n_test, n_test};
}

SplitIndices train_test_split(std::size_t n_samples, const TrainTestSplitOptions& options) {
  const auto [n_train, n_test] = train_test_sizes(n_samples, options.test_size);
  std::vector<std::size_t> order;
  if (options.shuffle) {
    Random rng(options.seed);
    order = rng.permutation(n_samples);
  } else {
    order.resize(n_samples);
    std::iota(order.begin(), order.end(), std::size_t{0});
  }
  SplitIndices out;
  if (options.shuffle) {  // sklearn's ShuffleSplit: test first, then train, from one permutation
    out.test.assign(order.begin(), order.begin() + n_test);
    out.train.assign(order.begin() + n_test, order.end());
  } else {
    out.train.assign(order.begin(), order.begin() + n_train);
    out.test.assign(order.begin() + n_train, order.end());
  }
  return out;
}

SplitIndices train_test_split_stratified(Span<const std::int64_t> labels,
                                         const TrainTestSplitOptions& options) {
  std::vector<std::size_t> counts;
  const auto codes = encode_sorted(labels, counts);
  return stratified_split(codes, counts, options);
}

SplitIndices train_test_split_stratified(const std::vector<std::string>& labels,
                                         const TrainTestSplitOptions& options) {
  std::vector<std::size_t> counts;
  const auto codes = encode_sorted(Span<const std::string>(labels), counts);
  return stratified_split(codes, counts, options);
}

KFold::KFold(std::size_t n_splits, bool shuffle, std::uint64_t seed)
    : n_splits_(n_splits), shuffle_(shuffle), seed_(seed) {
  check_n_splits(n_splits, "KFold");
}

std::vector<SplitIndices> KFold::split(std::size_t n_samples) const {
  check_enough_samples(n_splits_, n_samples, "KFold");
  std::vector<std::size_t> order(n_samples);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (shuffle_) Random(seed_).shuffle(order);
  std::vector<std::size_t> fold(n_samples);
  std::size_t start = 0;
  for (std::size_t f = 0; f < n_splits_; ++f) {
    const std::size_t size = n_samples / n_splits_ + (f < n_samples % n_splits_ ? 1 : 0);
    for (std::size_t j = start; j < start + size; ++j) fold[order[j]] = f;
    start += size;
  }
  return folds_from_assignment(fold, n_splits_);
}

StratifiedKFold::StratifiedKFold(std::size_t n_splits, bool shuffle, std::uint64_t seed)
    : n_splits_(n_splits), shuffle_(shuffle), seed_(seed) {
  check_n_splits(n_splits, "StratifiedKFold");
}

std::vector<std::size_t> StratifiedKFold::test_folds(Span<const std::int64_t> labels) const {
  check_enough_samples(n_splits_, labels.size(), "StratifiedKFold");
  // Classes numbered by first appearance, as sklearn re-encodes them.
  std::map<std::int64_t, std::size_t> first_seen;
  std::vector<std::size_t> y(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    y[i] = first_seen.emplace(labels[i], first_seen.size()).first->second;
  }
  const std::size_t k = first_seen.size();
  std::vector<std::size_t> counts(k, 0);
  for (std::size_t c : y) ++counts[c];
  for (const auto& [label, c] : first_seen) {
    if (counts[c] < n_splits_) {
      throw InvalidArgument("StratifiedKFold: n_splits=" + std::to_string(n_splits_) +
                            " cannot be greater than the number of members in each class; "
                            "class " +
                            std::to_string(label) + " has only " + std::to_string(counts[c]));
    }
  }
  // allocation[f][c]: members of class c in fold f = bincount(sorted(y)[f::n_splits]).
  std::vector<std::size_t> sorted = y;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::vector<std::size_t>> allocation(n_splits_, std::vector<std::size_t>(k, 0));
  for (std::size_t i = 0; i < sorted.size(); ++i) ++allocation[i % n_splits_][sorted[i]];
  Random rng(seed_);
  std::vector<std::size_t> fold(labels.size());
  for (std::size_t c = 0; c < k; ++c) {
    std::vector<std::size_t> folds_for_class;
    for (std::size_t f = 0; f < n_splits_; ++f)
      folds_for_class.insert(folds_for_class.end(), allocation[f][c], f);
    if (shuffle_) rng.shuffle(folds_for_class);
    std::size_t next = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      if (y[i] == c) fold[i] = folds_for_class[next++];
    }
  }
  return fold;
}

std::vector<SplitIndices> StratifiedKFold::split(Span<const std::int64_t> labels) const {
  return folds_from_assignment(test_folds(labels), n_splits_);
}

std::vector<SplitIndices> StratifiedKFold::split(const std::vector<std::string>& labels) const {
  // Any injective coding works: folds depend on first-appearance order only.
  const auto codes = codes_of_strings(labels);
  return split(Span<const std::int64_t>(codes));
}

std::pair<DataFrame, DataFrame> train_test_split(const DataFrame& frame,
                                                 const TrainTestSplitOptions& options,
                                                 const std::string& stratify) {
  SplitIndices split;
  if (stratify.empty()) {
    split = train_test_split(frame.num_rows(), options);
  } else {
    const Column& labels = frame.column(stratify);
    if (labels.null_count() > 0) {
      throw InvalidArgument("train_test_split: stratify column '" + stratify + "' has " +
                            std::to_string(labels.null_count()) + " missing values");
    }
    if (labels.dtype() == DType::String) {
      split = train_test_split_stratified(labels.to_strings(), options);
    } else if (labels.dtype() == DType::Int64 || labels.dtype() == DType::Bool) {
      std::vector<std::int64_t> codes(labels.size());
      for (std::size_t i = 0; i < codes.size(); ++i) {
        codes[i] = labels.dtype() == DType::Int64 ? labels.int64_at(i) : labels.bool_at(i);
      }
      split = train_test_split_stratified(Span<const std::int64_t>(codes), options);
    } else {
      throw SchemaError("train_test_split: stratify column '" + stratify +
                        "' must be string, int64 or bool, not " + dtype_name(labels.dtype()));
    }
  }
  return {frame.take(split.train), frame.take(split.test)};
}

}  // namespace claimlens
