// CountVectorizer on the real transcriptions, split as the seed analysis splits them (60/20/20):
// fit on train, transform validation and test; and Python len() over every transcription.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_support.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/text/count_vectorizer.hpp"
#include "claimlens/text/unicode.hpp"

namespace {

struct Splits {
  std::vector<std::string> all, train, val, test;
};

const Splits& splits() {
  static const Splits s = [] {
    Splits out;
    const claimlens::DataFrame df = claimlens::read_csv(claimlens::bench::real_csv()).dropna();
    out.all = df.column("video_transcription_text").to_strings();
    using claimlens::TestSize;
    const auto outer =
        claimlens::train_test_split(out.all.size(), {TestSize::fraction(0.2), true, 0});
    const auto inner =
        claimlens::train_test_split(outer.train.size(), {TestSize::fraction(0.25), true, 0});
    for (auto i : outer.test) out.test.push_back(out.all[i]);
    for (auto i : inner.train) out.train.push_back(out.all[outer.train[i]]);
    for (auto i : inner.test) out.val.push_back(out.all[outer.train[i]]);
    return out;
  }();
  return s;
}

void vectorizer_seed_splits(benchmark::State& state) {
  const Splits& s = splits();
  claimlens::CountVectorizerOptions options;
  options.ngram_range = {2, 3};
  options.max_features = 15;
  options.stop_words = claimlens::StopWords::english();
  for (auto _ : state) {
    claimlens::CountVectorizer vectorizer(options);
    auto train = vectorizer.fit_transform(s.train);
    auto val = vectorizer.transform(s.val);
    auto test = vectorizer.transform(s.test);
    benchmark::DoNotOptimize(train.nnz() + val.nnz() + test.nnz());
  }
}
BENCHMARK(vectorizer_seed_splits)
    ->Name("vectorizer/seed_splits")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void text_length_real(benchmark::State& state) {
  const Splits& s = splits();
  for (auto _ : state) {
    std::vector<std::size_t> lengths(s.all.size());
    for (std::size_t i = 0; i < s.all.size(); ++i) lengths[i] = claimlens::text_length(s.all[i]);
    benchmark::DoNotOptimize(lengths.data());
  }
}
BENCHMARK(text_length_real)->Name("text_length/real")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
