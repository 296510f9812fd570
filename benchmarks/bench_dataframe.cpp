// read_csv on the real file and on a one-million-row synth file (all cores, and one thread);
// compare with
// benchmarks/peers/dataframe.py (pandas.read_csv on the same files). With fast-cpp-csv-parser
// (Debian's libfccp-dev, found by benchmarks/CMakeLists.txt only), csv_read_fccp/* reads the same
// files with its io::CSVReader into typed columns: the reader claimlens' own scanner replaced.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>
#ifdef CLAIMLENS_HAVE_FCCP
#include <libfccp/csv.h>
#endif

#include "bench_support.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"

namespace {

int64_t file_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  return in ? static_cast<int64_t>(in.tellg()) : 0;
}

void read(benchmark::State& state, const std::string& path, int n_jobs = 0) {
  int64_t bytes = file_size(path);
  if (bytes == 0) {
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  claimlens::CsvOptions options;
  options.n_jobs = n_jobs;
  for (auto _ : state) {
    claimlens::DataFrame frame = claimlens::read_csv(path, options);
    benchmark::DoNotOptimize(frame.num_rows());
  }
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_csv_read_real(benchmark::State& state) {
  read(state, claimlens::bench::real_csv());
}

void read_synth(benchmark::State& state, int n_jobs) {
  std::string path;
  try {
    path = claimlens::bench::synth_csv();
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  read(state, path, n_jobs);
}

// All cores (read_csv's default), and one thread: the per-core figure.
void BM_csv_read_synth(benchmark::State& state) {
  read_synth(state, 0);
}
void BM_csv_read_synth_1thread(benchmark::State& state) {
  read_synth(state, 1);
}

#ifdef CLAIMLENS_HAVE_FCCP
/// The tiktok_dataset.csv schema (the synth file's too) as fccp needs it: column count and types
/// fixed at compile time. fccp knows no missing values: its integer parser throws on the real
/// file's "#N/A" counts (pandas' null tokens), so the counts are read as text and converted here,
/// a null (any of pandas' tokens, as read_csv) kept as a cleared `valid` flag.
struct FccpColumns {
  std::vector<std::int64_t> row, video_id, duration;
  std::vector<std::string> claim_status, text, verified, ban;
  std::vector<std::int64_t> counts[5];
  std::vector<bool> valid[5];
};

void push_count(const char* field, std::vector<std::int64_t>& values, std::vector<bool>& valid) {
  const auto& nulls = claimlens::default_na_values();
  const bool null = std::binary_search(nulls.begin(), nulls.end(), std::string(field));
  values.push_back(null ? 0 : std::strtoll(field, nullptr, 10));
  valid.push_back(!null);
}

std::size_t read_fccp(const std::string& path) {
  io::CSVReader<12, io::trim_chars<>, io::double_quote_escape<',', '"'>> in(path);
  in.read_header(io::ignore_no_column, "#", "claim_status", "video_id", "video_duration_sec",
                 "video_transcription_text", "verified_status", "author_ban_status",
                 "video_view_count", "video_like_count", "video_share_count",
                 "video_download_count", "video_comment_count");
  FccpColumns c;
  std::int64_t n, id, duration;
  std::string claim, text, verified, ban;
  const char* count[5];
  while (in.read_row(n, claim, id, duration, text, verified, ban, count[0], count[1], count[2],
                     count[3], count[4])) {
    c.row.push_back(n);
    c.claim_status.push_back(claim);
    c.video_id.push_back(id);
    c.duration.push_back(duration);
    c.text.push_back(text);
    c.verified.push_back(verified);
    c.ban.push_back(ban);
    for (int k = 0; k < 5; ++k) push_count(count[k], c.counts[k], c.valid[k]);
  }
  return c.row.size();
}

void read_with_fccp(benchmark::State& state, const std::string& path) {
  const int64_t bytes = file_size(path);
  if (bytes == 0) {
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  // Both readers must see the same rows, or the comparison means nothing.
  const std::size_t ours = claimlens::read_csv(path).num_rows();
  if (read_fccp(path) != ours) {
    state.SkipWithError("fccp and read_csv disagree on the number of rows");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(read_fccp(path));
  state.SetBytesProcessed(state.iterations() * bytes);
}

void BM_csv_read_fccp_real(benchmark::State& state) {
  read_with_fccp(state, claimlens::bench::real_csv());
}

void BM_csv_read_fccp_synth(benchmark::State& state) {
  try {
    read_with_fccp(state, claimlens::bench::synth_csv());
  } catch (const std::runtime_error& e) {
    state.SkipWithError(e.what());
  }
}
#endif

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
BENCHMARK(BM_csv_read_synth_1thread)
    ->Name("csv_read/synth_1m_1thread")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
#ifdef CLAIMLENS_HAVE_FCCP
BENCHMARK(BM_csv_read_fccp_real)
    ->Name("csv_read_fccp/real")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_csv_read_fccp_synth)
    ->Name("csv_read_fccp/synth_1m")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
#endif
BENCHMARK(BM_describe_real)->Name("describe/real")->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
