// read_csv on the real file and on a one-million-row synth file; compare with
// benchmarks/peers/dataframe.py (pandas.read_csv on the same files).
#include <benchmark/benchmark.h>

#include <fstream>

#include "bench_support.hpp"
#include "claimlens/dataframe/dataframe.hpp"

namespace {

int64_t file_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<int64_t>(in.tellg()) : 0;
}

void read(benchmark::State& state, const std::string& path) {
  int64_t bytes = file_size(path);
  if (bytes == 0) {
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  for (auto _ : state) {
    claimlens::DataFrame frame = claimlens::read_csv(path);
    benchmark::DoNotOptimize(frame.num_rows());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_csv_read_real(benchmark::State& state) {
  read(state, claimlens::bench::real_csv());
}

void BM_csv_read_synth(benchmark::State& state) {
  std::string path;
  try {
    path = claimlens::bench::synth_csv();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  read(state, path);
}

void BM_describe_real(benchmark::State& state) {
  claimlens::DataFrame frame = claimlens::read_csv(claimlens::bench::real_csv());
  for (auto _ : state) {
    claimlens::Description d = frame.describe();
    benchmark::DoNotOptimize(d.columns.data());
  }
}

}  // namespace

BENCHMARK(BM_csv_read_real)->Name("csv_read/real")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_csv_read_synth)
    ->Name("csv_read/synth_1m")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_describe_real)->Name("describe/real")->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
