// stats benchmarks on deterministic 1M-value columns; benchmarks/peers/stats.py builds the same
// columns with numpy and times scipy / numpy / pandas under the same case names.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "claimlens/stats/stats.hpp"

namespace {

constexpr std::size_t kN = 1000000;
constexpr std::int64_t kModulus = 2147483647;  // 2^31 - 1

struct Columns {
  std::vector<double> x, y, z, w;
};

// The same formula as synth_columns() in benchmarks/peers/stats.py.
const Columns& columns() {
  static const Columns c = [] {
    Columns out;
    for (std::size_t k = 0; k < kN; ++k) {
      const auto i = static_cast<std::int64_t>(k);
      const double x = static_cast<double>((i * 2654435761LL) % (std::int64_t{1} << 32)) / 1000.0;
      const double noise = static_cast<double>((i * 69621) % kModulus) / 2000.0;
      const double z = static_cast<double>((i * 16807) % 1009);
      out.x.push_back(x);
      out.y.push_back(0.5 * x + noise);
      out.z.push_back(z);
      out.w.push_back(noise - 0.25 * z);
    }
    return out;
  }();
  return c;
}

const std::vector<double> kQs{0.01, 0.25, 0.5, 0.75, 0.99};

void BM_ttest_welch(benchmark::State& state) {
  const auto& c = columns();
  const claimlens::Span<const double> a(c.x.data(), kN / 2);
  const claimlens::Span<const double> b(c.y.data() + kN / 2, kN - kN / 2);
  benchmark::DoNotOptimize(
      claimlens::stats::welch_ttest(a, b));  // warm-up, as the peers' first run
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::stats::welch_ttest(a, b));
}

void BM_quantiles(benchmark::State& state) {
  const auto& c = columns();
  benchmark::DoNotOptimize(
      claimlens::stats::quantiles(c.x, kQs));  // warm-up, as the peers' first run
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::stats::quantiles(c.x, kQs));
}

void BM_median(benchmark::State& state) {
  const auto& c = columns();
  benchmark::DoNotOptimize(claimlens::stats::median(c.x));  // warm-up, as the peers' first run
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::stats::median(c.x));
}

void BM_pearson(benchmark::State& state) {
  const auto& c = columns();
  benchmark::DoNotOptimize(
      claimlens::stats::pearson(c.x, c.y));  // warm-up, as the peers' first run
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::stats::pearson(c.x, c.y));
}

void BM_spearman(benchmark::State& state) {
  const auto& c = columns();
  benchmark::DoNotOptimize(
      claimlens::stats::spearman(c.x, c.y));  // warm-up, as the peers' first run
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::stats::spearman(c.x, c.y));
}

void BM_corr_matrix(benchmark::State& state, claimlens::stats::CorrMethod method) {
  const auto& c = columns();
  const std::vector<claimlens::Span<const double>> cols{c.x, c.y, c.z, c.w};
  benchmark::DoNotOptimize(
      claimlens::stats::corr_matrix(cols, method));  // warm-up, as the peers' first run
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::stats::corr_matrix(cols, method));
}

}  // namespace

BENCHMARK(BM_ttest_welch)->Name("ttest_welch/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_quantiles)->Name("quantiles/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_quantiles)->Name("quantiles/1M_pandas")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_median)->Name("median/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_pearson)->Name("pearson/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_corr_matrix, pearson, claimlens::stats::CorrMethod::Pearson)
    ->Name("corr_pearson/1Mx4_pandas")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_spearman)->Name("spearman/1M")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_corr_matrix, spearman, claimlens::stats::CorrMethod::Spearman)
    ->Name("corr_spearman/1Mx4_pandas")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
