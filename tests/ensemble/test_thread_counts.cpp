// The saved model does not depend on the thread count, on data large enough that the histogram
// builder sums nodes in several fixed row blocks (16,384 rows each; the root here has 5), splits
// blocks and features between threads, and partitions large nodes in parallel.
#include <catch2/catch.hpp>

#include <omp.h>
#include <cstdint>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/io/model_file.hpp"
#include "support.hpp"

using namespace claimlens;

namespace {

constexpr std::size_t kRows = 80000;

// n_jobs = -1 takes OpenMP's default thread count, set here: unlike n_jobs = 3, it is not capped
// at the number of cores, and the saved parameters are the same for every count.
template <class Model, class Params>
std::vector<std::vector<std::uint8_t>> saved_at_1_2_3_threads(const Params& params,
                                                              const RowMatrix& X,
                                                              const std::vector<double>& y) {
  const int before = omp_get_max_threads();
  std::vector<std::vector<std::uint8_t>> saved;
  for (int threads : {1, 2, 3}) {
    omp_set_num_threads(threads);
    Model m(params);
    m.fit(X, y);
    saved.push_back(io::save_model_buffer(m, io::ModelEncoding::Cbor));
  }
  omp_set_num_threads(before);
  return saved;
}

// The saved model at 1 thread, after checking that 2 and 3 threads save the same bytes.
template <class Model, class Params>
std::vector<std::uint8_t> same_at_1_2_3_threads(const Params& params, const RowMatrix& X,
                                                const std::vector<double>& y) {
  const auto saved = saved_at_1_2_3_threads<Model>(params, X, y);
  CHECK(saved[0] == saved[1]);
  CHECK(saved[0] == saved[2]);
  return saved[0];
}

}  // namespace

TEST_CASE("boosting: byte-identical saved models at 1, 2 and 3 threads on 80,000 rows",
          "[boosting][threads]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, kRows, 21);
  GradientBoostingParams p;
  p.n_estimators = 8;
  p.max_depth = 6;
  p.n_jobs = -1;
  const auto saved = same_at_1_2_3_threads<GradientBoostingClassifier>(p, X, y);
  // With row subsampling and column sampling too (nodes of other sizes, other block counts).
  p.subsample = 0.7;
  p.colsample_bytree = 0.75;
  p.random_state = 5;
  const auto sampled = same_at_1_2_3_threads<GradientBoostingClassifier>(p, X, y);
  CHECK(sampled != saved);
  // The fit learns: the label depends on columns 0, 2, 3, 6 and 7.
  GradientBoostingClassifier m(p);
  m.fit(X, y);
  CHECK(testing::roc_auc(y, m.predict_proba(X)) > 0.75);
}

// Quantized training sums integer levels: a bin's sum is exact, so it is the same in any order
// of rows, blocks and threads (the block order that the float path relies on is not needed);
// the levels hash (random_state, round, row id), so no draw depends on how rows are shared out.
TEST_CASE("quantized boosting: byte-identical saved models at 1, 2 and 3 threads",
          "[boosting][quantized][threads]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, kRows, 23);
  GradientBoostingParams p;
  p.n_estimators = 8;
  p.max_depth = 6;
  p.n_jobs = -1;
  p.use_quantized_grad = true;
  for (const bool renew : {true, false}) {
    p.quant_train_renew_leaf = renew;
    same_at_1_2_3_threads<GradientBoostingClassifier>(p, X, y);
  }
  p.subsample = 0.7;
  p.colsample_bytree = 0.75;
  p.num_grad_quant_bins = 16;
  p.random_state = 9;
  same_at_1_2_3_threads<GradientBoostingClassifier>(p, X, y);
}

TEST_CASE("forest: byte-identical saved models at 1, 2 and 3 threads on 80,000 rows",
          "[forest][threads]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, kRows, 22);
  for (Eigen::Index r = 0; r < X.rows(); ++r) {  // the forest does not take NaN
    if (std::isnan(X(r, 7))) X(r, 7) = -1.0;
  }
  RandomForestParams p;
  p.n_estimators = 3;
  p.max_depth = 9;
  p.max_features.kind = RandomForestParams::MaxFeatures::Kind::Fraction;
  p.max_features.value = 0.6;
  p.max_samples.kind = RandomForestParams::MaxSamples::Kind::Fraction;
  p.max_samples.value = 0.7;
  p.random_state = 8;
  p.n_jobs = -1;
  same_at_1_2_3_threads<RandomForestClassifier>(p, X, y);
}
