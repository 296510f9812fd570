// metrics benchmarks on deterministic 1M-sample label / score vectors; benchmarks/peers/metrics.py
// builds the same vectors with numpy and times scikit-learn under the same case names.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "claimlens/metrics/metrics.hpp"

namespace {

constexpr std::size_t kN = 1000000;
constexpr std::int64_t kModulus = 2147483647;  // 2^31 - 1

struct Data {
  std::vector<int> y_true, y_pred, y_class;
  std::vector<double> score, score_tied, proba;
};

// The same formulas as make_data() in benchmarks/peers/metrics.py.
const Data& data() {
  static const Data d = [] {
    Data out;
    for (std::size_t k = 0; k < kN; ++k) {
      const auto i = static_cast<std::int64_t>(k);
      const std::int64_t lehmer = (i * 48271) % kModulus;
      const int y = (i * 16807) % 1009 < 400 ? 1 : 0;
      const double u = static_cast<double>(lehmer) / static_cast<double>(kModulus);
      out.y_true.push_back(y);
      out.score.push_back(u + 0.25 * y);
      out.score_tied.push_back(static_cast<double>(lehmer % 100 + 25 * y) / 100.0);
      out.proba.push_back(0.8 * u + 0.1 + 0.05 * y);
      out.y_pred.push_back(u + 0.25 * y >= 0.6 ? 1 : 0);
      out.y_class.push_back(static_cast<int>(lehmer % 3));
    }
    return out;
  }();
  return d;
}

void BM_roc_auc(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::roc_auc_score(d.y_true, d.score));
}

void BM_roc_auc_ties(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::roc_auc_score(d.y_true, d.score_tied));
}

void BM_roc_curve(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::roc_curve(d.y_true, d.score));
}

void BM_log_loss(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::log_loss(d.y_true, d.proba));
}

void BM_f1_binary(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::f1_score(d.y_true, d.y_pred));
}

void BM_confusion_matrix_3class(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) {
    benchmark::DoNotOptimize(claimlens::confusion_matrix(d.y_class, d.y_pred));
  }
}

void BM_classification_report(benchmark::State& state) {
  const auto& d = data();
  for (auto _ : state) {
    benchmark::DoNotOptimize(claimlens::classification_report(d.y_true, d.y_pred));
  }
}

}  // namespace

BENCHMARK(BM_roc_auc)->Name("roc_auc/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_roc_auc_ties)->Name("roc_auc/1M_ties")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_roc_curve)->Name("roc_curve/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_log_loss)->Name("log_loss/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_f1_binary)->Name("f1_binary/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_confusion_matrix_3class)
    ->Name("confusion_matrix/1M_3class")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_classification_report)
    ->Name("classification_report/1M")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
