// TreeSHAP explanations of boosters and the seed's forest on the seed's 3,817 test rows, against
// XGBoost's pred_contribs (benchmarks/peers/explain.py: the same parameters, data and thread
// count), and single-row latency.
#include <benchmark/benchmark.h>

#include <vector>

#include "bench_claim_features.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/explain/tree_shap.hpp"

namespace {

using claimlens::bench::test;
using claimlens::bench::train;

// The seed's booster (300 rounds, depth 4) or the deeper one (100 rounds, depth 8).
const claimlens::GradientBoostingClassifier& booster(int depth) {
  static const auto fit = [](int d) {
    claimlens::GradientBoostingParams p = claimlens::bench::boost_params();
    p.max_depth = d;
    p.n_estimators = d == 4 ? 300 : 100;
    claimlens::GradientBoostingClassifier gb(p);
    gb.fit(train().X, train().y);
    return gb;
  };
  static const claimlens::GradientBoostingClassifier d4 = fit(4), d8 = fit(8);
  return depth == 4 ? d4 : d8;
}

const claimlens::RandomForestClassifier& forest() {
  static const claimlens::RandomForestClassifier rf = [] {
    claimlens::RandomForestClassifier m(claimlens::bench::forest_params());
    m.fit(train().X, train().y);
    return m;
  }();
  return rf;
}

// Batch: every test row, on `threads` threads (0: all cores).
void explain_batch(benchmark::State& state, const claimlens::TreeShapExplainer& e, int threads) {
  for (auto _ : state) benchmark::DoNotOptimize(e.explain(test().X, threads).values.data());
  state.counters["rows"] = static_cast<double>(test().X.rows());
  state.counters["table_kib"] = static_cast<double>(e.table_bytes()) / 1024.0;
}

void gbdt_d4(benchmark::State& s, int threads) {
  explain_batch(s, claimlens::tree_shap(booster(4)), threads);
}
void gbdt_d8(benchmark::State& s, int threads) {
  explain_batch(s, claimlens::tree_shap(booster(8)), threads);
}
void forest_batch(benchmark::State& s, int threads) {
  explain_batch(s, claimlens::tree_shap(forest()), threads);
}

// One row at a time (the C ABI's single-record path without its featurization), cycling over
// the test rows; the time is per row.
void explain_rows(benchmark::State& state, const claimlens::TreeShapExplainer& e) {
  auto ws = e.make_workspace();
  std::vector<double> out(e.width());
  const auto& X = test().X;
  Eigen::Index r = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(e.explain_row(X.data() + r * X.cols(), out.data(), ws));
    r = (r + 1) % X.rows();
  }
}

void gbdt_d4_row(benchmark::State& s) {
  explain_rows(s, claimlens::tree_shap(booster(4)));
}
void forest_row(benchmark::State& s) {
  explain_rows(s, claimlens::tree_shap(forest()));
}

// The classic algorithm (claimlens' reference implementation) on the same booster, one thread.
void gbdt_d4_classic(benchmark::State& state) {
  std::vector<std::vector<claimlens::TreeNode>> trees;
  for (const auto& t : booster(4).trees()) trees.push_back(t.nodes());
  const auto& X = test().X;
  std::vector<double> phi(static_cast<std::size_t>(X.cols()));
  for (auto _ : state) {
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
      for (const auto& t : trees) {
        claimlens::tree_shap_reference(t, claimlens::SplitCompare::Double, X.data() + r * X.cols(),
                                       phi.data());
      }
    }
    benchmark::DoNotOptimize(phi.data());
  }
}

}  // namespace

BENCHMARK_CAPTURE(gbdt_d4, 1, 1)
    ->Name("explain/gbdt_d4_test")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(gbdt_d4, all, 0)
    ->Name("explain/gbdt_d4_test_all_cores")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(gbdt_d8, 1, 1)
    ->Name("explain/gbdt_d8_test")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(gbdt_d8, all, 0)
    ->Name("explain/gbdt_d8_test_all_cores")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(forest_batch, 1, 1)
    ->Name("explain/forest_test")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(gbdt_d4_classic)
    ->Name("explain/gbdt_d4_test_classic")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(gbdt_d4_row)->Name("explain/gbdt_d4_row")->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(forest_row)->Name("explain/forest_row")->UseRealTime()->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
