// Random forest classifier (binary) with scikit-learn's parameters and predict_proba semantics,
// grown on histograms of a shared BinnedMatrix.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/ensemble/tree_prefix.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

template <class S>
class ParamTable;

/// scikit-learn's RandomForestClassifier parameters; the JSON keys are the member names.
struct RandomForestParams {
  enum class Criterion { Gini, Entropy };
  enum class ClassWeight { None, Balanced };
  /// max_features: "sqrt", "log2", null (all), a float in (0, 1] (fraction), an int >= 1 (count).
  struct MaxFeatures {
    enum class Kind { Sqrt, Log2, All, Fraction, Count } kind = Kind::Sqrt;
    double value = 0.0;  // the fraction or the count
  };
  /// max_samples: null (n rows), a float in (0, 1] (fraction of rows), an int >= 1 (count).
  struct MaxSamples {
    enum class Kind { All, Fraction, Count } kind = Kind::All;
    double value = 0.0;
  };

  int n_estimators = 100;
  Criterion criterion = Criterion::Gini;
  std::optional<int> max_depth;  // null = unlimited
  int min_samples_split = 2;
  int min_samples_leaf = 1;
  MaxFeatures max_features;
  bool bootstrap = true;
  MaxSamples max_samples;
  ClassWeight class_weight = ClassWeight::None;
  std::uint64_t random_state = 0;
  int n_jobs = 1;          // 0 or -1 = all cores (claimlens/threads.hpp)
  bool oob_score = false;  // compute the out-of-bag accuracy (needs bootstrap)
  int max_bin = 256;       // binning used by the RowMatrix fit overload

  /// Throws InvalidArgument naming the key for a value out of its domain.
  void validate() const;
  /// Missing keys keep their defaults; unknown keys, wrong types and bad values throw
  /// InvalidArgument naming the key.
  static RandomForestParams from_json(const nlohmann::json& j);
  /// The same at `r`'s path, raising `r`'s error (ModelFormatError inside a model document).
  static RandomForestParams from_json(const JsonReader& r);
  nlohmann::json to_json() const;
  /// The keys, types, domains, defaults and docs (claimlens/param_table.hpp).
  static const ParamTable<RandomForestParams>& table();
};

class RandomForestClassifier {
 public:
  /// The "model_type" of its model files (claimlens/io/model_file.hpp).
  static constexpr const char* kModelType = "random_forest";

  RandomForestClassifier() = default;
  explicit RandomForestClassifier(RandomForestParams params);

  const RandomForestParams& params() const { return params_; }

  /// Fits on the rows `rows` of a prebinned matrix; y has one 0/1 label per row of X (only the
  /// selected ones are read). Throws InvalidArgument on bad sizes, labels or row indices.
  RandomForestClassifier& fit(const BinnedMatrix& X, Span<const double> y,
                              Span<const std::size_t> rows);
  /// Bins X with params().max_bin and fits on every row.
  RandomForestClassifier& fit(const RowMatrix& X, Span<const double> y);
  /// Distributed training, a collective: every rank of `comm` passes its shard (X binned by
  /// BinnedMatrix::from_dense_distributed, and its labels) and gets the same model, bit for bit,
  /// whatever the rank count (SingleProcess included). Each tree's bootstrap gives every row a
  /// Poisson(max_samples / rows) multiplicity drawn by a hash of (random_state, tree, global row
  /// id) (the Poisson bootstrap of online bagging, Oza and Russell 2001), so ranks agree without
  /// sending rows; fit's multinomial draws are sequential, so the two fits differ. Node sums
  /// are integer counts (class weights are applied to the sums), exact in any order. Trees are
  /// grown one at a time, each node's histogram summed over the ranks. oob_score is refused.
  RandomForestClassifier& fit_distributed(const BinnedMatrix& X, Span<const double> y,
                                          Communicator& comm);

  bool is_fitted() const { return !trees_.empty(); }
  std::size_t n_features_in() const { return n_features_; }
  const std::vector<Tree>& trees() const { return trees_; }

  /// P(y = 1): the mean over trees of the leaf's class-1 frequency. Thread-safe.
  std::vector<double> predict_proba(const double* x, std::size_t rows, std::size_t cols) const;
  std::vector<double> predict_proba(const RowMatrix& X) const;
  /// One row of n_features_in() values, no allocation.
  double predict_proba_row(const double* row) const;
  /// P(y = 1) of `rows` rows of `cols` (= n_features_in()) values into out[rows]: one thread,
  /// no allocation, each value bit-identical to predict_proba_row (for latency-bound batches).
  void predict_proba_rows(const double* x, std::size_t rows, std::size_t cols, double* out) const;
  /// Class labels by the library's one rule (predicts_positive, claimlens/metrics/binary.hpp):
  /// 1 iff P(y = 1) > 0.5, so a tie goes to class 0 like sklearn's argmax.
  std::vector<int> predict(const RowMatrix& X) const;

  /// Mean decrease in impurity, normalized to sum to 1.
  std::vector<double> feature_importances() const;
  /// Out-of-bag accuracy (StateError unless fitted with oob_score=true).
  double oob_score() const;
  /// Out-of-bag P(y = 1) per fitted row (NaN for a row that was in every bootstrap sample).
  const std::vector<double>& oob_decision_function() const;

  nlohmann::json to_json() const;
  /// Validates the whole document; ModelFormatError on any inconsistency.
  static RandomForestClassifier from_json(const nlohmann::json& j);
  /// The same for a model document at `j`'s path (e.g. "model" inside a claim classifier):
  /// ModelFormatError naming the path of the value at fault.
  static RandomForestClassifier from_json(const JsonReader& j);

 private:
  void check_fitted(const char* what) const;

  RandomForestParams params_;
  std::size_t n_features_ = 0;
  std::vector<Tree> trees_;
  FlatForest flat_;  // inference copy of trees_
  std::optional<double> oob_score_;
  std::vector<double> oob_decision_;
};

namespace detail {

/// A forest's nodes split on their own rows and random stream alone (ensemble_detail's
/// TreeBuilder), so the tree grown with max_depth d is the deeper tree cut at d, and
/// min_samples_split acts only through max(min_samples_split, 2 * min_samples_leaf): members that
/// differ in n_estimators and max_depth, or in min_samples_split with the same such maximum,
/// share the fit of the largest n_estimators and max_depth (see TreePrefix).
template <>
struct TreePrefix<RandomForestClassifier> {
  static constexpr bool kEnabled = true;
  static void share_key(const RandomForestParams& p, nlohmann::json& key) {
    key.erase("max_depth");
    key["min_samples_split"] = std::max(p.min_samples_split, 2 * p.min_samples_leaf);
  }
  static TreeCut cut(const RandomForestParams& p) {
    return {p.n_estimators, p.max_depth ? *p.max_depth : 0};
  }
  static void widen(RandomForestParams& fit, const RandomForestParams& member) {
    fit.n_estimators = std::max(fit.n_estimators, member.n_estimators);
    if (fit.max_depth && (!member.max_depth || *member.max_depth > *fit.max_depth)) {
      fit.max_depth = member.max_depth;
    }
  }
  static void predict(const RandomForestClassifier& model, const double* row,
                      const std::vector<TreeCut>& cuts, double* out) {
    tree_prefix_outputs(model.trees(), row, cuts, out, [](double sum, std::size_t k) {
      return sum * (1.0 / static_cast<double>(k));  // as predict_proba_row scales
    });
  }
};

}  // namespace detail
}  // namespace claimlens
