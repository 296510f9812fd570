// Random forest and gradient boosting on the seed's claim features, against scikit-learn and
// XGBoost (benchmarks/peers/ensemble.py writes the feature CSVs both sides use).
#include <benchmark/benchmark.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"

namespace {

struct Data {
  claimlens::RowMatrix X;
  std::vector<double> y;
};

// The peer's CSV: header, then `claim,<25 numeric features>` per row.
Data read_features(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("missing " + path +
                             " (run benchmarks/peers.py --only ensemble, which writes it)");
  }
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<double> values;
    const char* p = line.data();
    const char* end = p + line.size();
    while (p < end) {
      double v = 0;
      auto [next, ec] = std::from_chars(p, end, v);
      if (ec != std::errc()) throw std::runtime_error("bad number in " + path + ": " + line);
      values.push_back(v);
      p = next < end && *next == ',' ? next + 1 : next;
    }
    rows.push_back(std::move(values));
  }
  Data d;
  const auto cols = static_cast<Eigen::Index>(rows.at(0).size() - 1);
  d.X.resize(static_cast<Eigen::Index>(rows.size()), cols);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    d.y.push_back(rows[r][0]);
    for (Eigen::Index c = 0; c < cols; ++c) {
      d.X(static_cast<Eigen::Index>(r), c) = rows[r][static_cast<std::size_t>(c) + 1];
    }
  }
  return d;
}

std::string feature_dir() {
  const char* p = std::getenv("CLAIMLENS_BENCH_ENSEMBLE_DIR");
  return p ? p : "build/bench";
}

const Data& train() {
  static const Data d = read_features(feature_dir() + "/ensemble_claim_train.csv");
  return d;
}
const Data& test() {
  static const Data d = read_features(feature_dir() + "/ensemble_claim_test.csv");
  return d;
}

claimlens::RandomForestParams forest_params() {
  claimlens::RandomForestParams p;  // the seed's best grid-search parameters
  p.n_estimators = 200;
  p.max_features = {claimlens::RandomForestParams::MaxFeatures::Kind::Fraction, 0.6};
  p.max_samples = {claimlens::RandomForestParams::MaxSamples::Kind::Fraction, 0.7};
  p.random_state = 0;
  p.n_jobs = -1;
  return p;
}

claimlens::GradientBoostingParams boost_params() {
  claimlens::GradientBoostingParams p;
  p.learning_rate = 0.1;
  p.max_depth = 4;
  p.min_child_weight = 5;
  p.n_estimators = 300;
  p.n_jobs = -1;
  return p;
}

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
