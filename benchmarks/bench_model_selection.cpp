// Grid searches of the seed analysis on its 11,450 training rows x 25 claim features, the same
// file the peer (benchmarks/peers/model_selection.py) writes and searches with GridSearchCV.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "bench_support.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/model_selection/grid_search.hpp"

namespace {

using json = nlohmann::json;

struct TrainSet {
  claimlens::RowMatrix X;
  std::vector<double> y;
};

/// build/bench/grid_seed_train.csv (CLAIMLENS_BENCH_GRID_TRAIN): features + "claim_status".
const TrainSet& train_set() {
  static const TrainSet set = [] {
    const char* env = std::getenv("CLAIMLENS_BENCH_GRID_TRAIN");
    const auto frame = claimlens::read_csv(env ? env : "build/bench/grid_seed_train.csv");
    TrainSet s;
    s.y = frame.column("claim_status").to_doubles();
    const std::size_t cols = frame.num_columns() - 1;
    s.X.resize(static_cast<Eigen::Index>(frame.num_rows()), static_cast<Eigen::Index>(cols));
    std::size_t c = 0;
    for (const auto& name : frame.column_names()) {
      if (name == "claim_status") continue;
      const auto values = frame.column(name).to_doubles();
      for (std::size_t r = 0; r < values.size(); ++r) {
        s.X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = values[r];
      }
      ++c;
    }
    return s;
  }();
  return set;
}

template <class Estimator>
void run_search(benchmark::State& state, const json& grid) {
  const TrainSet* data = nullptr;
  try {
    data = &train_set();
  } catch (const std::exception& e) {
    state.SkipWithError(
        (std::string("no training file (run benchmarks/peers.py): ") + e.what()).c_str());
    return;
  }
  claimlens::GridSearchOptions options;
  options.refit = "recall";
  options.n_jobs = -1;
  double best = 0.0;
  for (auto _ : state) {
    claimlens::GridSearchCV<Estimator> search(grid, options, json{{"random_state", 0}});
    search.fit(data->X, data->y);
    best = search.best_score();
    benchmark::DoNotOptimize(best);
  }
  state.counters["best_recall"] = best;
}

void BM_grid_forest_seed(benchmark::State& state) {
  run_search<claimlens::RandomForestClassifier>(state, json{{"max_depth", {5, 7, nullptr}},
                                                            {"max_features", {0.3, 0.6}},
                                                            {"max_samples", {0.7}},
                                                            {"min_samples_leaf", {1, 2}},
                                                            {"min_samples_split", {2, 3}},
                                                            {"n_estimators", {75, 100, 200}}});
}

void BM_grid_gbdt_seed(benchmark::State& state) {
  run_search<claimlens::GradientBoostingClassifier>(state, json{{"max_depth", {4, 8, 12}},
                                                                {"min_child_weight", {3, 5}},
                                                                {"learning_rate", {0.01, 0.1}},
                                                                {"n_estimators", {300, 500}}});
}

}  // namespace

// One iteration each: a search takes seconds, more than Google Benchmark's minimum time.
// (Iterations()/Repetitions() would change the reported names that peers.py pairs.)
BENCHMARK(BM_grid_forest_seed)
    ->Name("grid/forest_seed")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_grid_gbdt_seed)->Name("grid/gbdt_seed")->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
