// Random forest and gradient boosting on the seed's claim features, against scikit-learn and
// XGBoost (benchmarks/peers/ensemble.py writes the feature CSVs both sides use).
#include <benchmark/benchmark.h>

#include "bench_claim_features.hpp"
#include "bench_support.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"

namespace {

using claimlens::bench::boost_params;
using claimlens::bench::forest_params;
using claimlens::bench::test;
using claimlens::bench::train;
using Data = claimlens::bench::ClaimData;

void forest_fit(benchmark::State& state) {
  const Data& d = train();
  for (auto _ : state) {
    claimlens::RandomForestClassifier rf(forest_params());
    rf.fit(d.X, d.y);
    benchmark::DoNotOptimize(rf.trees().data());
  }
}

void gbdt_fit(benchmark::State& state) {
  const Data& d = train();
  // Peak memory of the fits with the input matrix resident, not of the CSV reading before
  // (benchmarks/scaling.py reads it; the peer measures the same way).
  const bool reset = claimlens::bench::reset_peak_rss();
  for (auto _ : state) {
    claimlens::GradientBoostingClassifier gb(boost_params());
    gb.fit(d.X, d.y);
    benchmark::DoNotOptimize(gb.trees().data());
  }
  if (reset) state.counters["peak_rss_mib"] = claimlens::bench::peak_rss_mib();
  state.counters["rows"] = static_cast<double>(d.X.rows());
}

void forest_predict(benchmark::State& state) {
  claimlens::RandomForestClassifier rf(forest_params());
  rf.fit(train().X, train().y);
  for (auto _ : state) benchmark::DoNotOptimize(rf.predict_proba(test().X));
}

void gbdt_predict(benchmark::State& state) {
  claimlens::GradientBoostingClassifier gb(boost_params());
  gb.fit(train().X, train().y);
  for (auto _ : state) benchmark::DoNotOptimize(gb.predict_proba(test().X));
}

}  // namespace

BENCHMARK(forest_fit)->Name("forest/fit_seed")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(gbdt_fit)->Name("gbdt/fit_seed")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(forest_predict)
    ->Name("forest/predict_test")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(gbdt_predict)->Name("gbdt/predict_test")->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
