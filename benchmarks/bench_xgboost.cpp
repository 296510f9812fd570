// An imported XGBoost booster (the committed 300-round depth-4 model trained by XGBoost 1.7.4 on
// the seed's claim features, tests/fixtures/xgboost/claim_d4_300.ubj) predicting the 3,817 test
// rows, in a batch and one row at a time; beside XGBoost's own C API on the same file and rows
// (XGBoosterPredictFromDense) when libxgboost is found at build time. The Python peer
// (benchmarks/peers/xgboost.py) times Booster.inplace_predict on the same file and rows.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_support.hpp"
#include "claimlens.h"
#include "claimlens/io/atomic_file.hpp"
#include "claimlens/xgboost/booster.hpp"

#ifdef CLAIMLENS_HAVE_XGBOOST
#include <xgboost/c_api.h>
#endif

namespace {

std::string fixture(const std::string& name) {
  return std::string(CLAIMLENS_SOURCE_DIR) + "/tests/fixtures/" + name;
}

// ensemble_claim_test.json (integer or digit columns) as a row-major matrix.
struct Rows {
  std::vector<double> x;
  std::size_t rows = 0, cols = 0;
};

const Rows& test_rows() {
  static const Rows r = [] {
    const auto j =
        nlohmann::json::parse(claimlens::io::read_file(fixture("ensemble_claim_test.json")));
    Rows out;
    out.rows = j.at("rows").get<std::size_t>();
    const auto& columns = j.at("columns");
    out.cols = columns.size();
    out.x.resize(out.rows * out.cols);
    for (std::size_t c = 0; c < out.cols; ++c) {
      const auto& col = columns[c];
      for (std::size_t i = 0; i < out.rows; ++i) {
        out.x[i * out.cols + c] = col.contains("digits")
                                      ? col["digits"].get_ref<const std::string&>()[i] - '0'
                                      : col["values"][i].get<double>();
      }
    }
    return out;
  }();
  return r;
}

const std::string kModel = "xgboost/claim_d4_300.ubj";

const claimlens::XGBoostBooster& booster() {
  static const claimlens::XGBoostBooster b = claimlens::XGBoostBooster::load(fixture(kModel));
  return b;
}

void load(benchmark::State& state) {
  const std::string bytes = claimlens::io::read_file(fixture(kModel));
  const claimlens::Span<const std::uint8_t> span(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  for (auto _ : state) benchmark::DoNotOptimize(claimlens::XGBoostBooster::load(span).num_trees());
}
BENCHMARK(load)->Name("xgboost/load_ubj")->UseRealTime()->Unit(benchmark::kMillisecond);

void batch(benchmark::State& state) {
  const Rows& r = test_rows();
  claimlens::XGBoostBooster b = booster();
  b.set_n_jobs(static_cast<int>(state.range(0)));
  std::vector<double> out(r.rows);
  for (auto _ : state) {
    b.predict_proba(r.x.data(), r.rows, r.cols, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.rows));
}
BENCHMARK(batch)
    ->Name("xgboost/import_batch")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void single_row(benchmark::State& state) {
  const Rows& r = test_rows();
  const claimlens::XGBoostBooster& b = booster();
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(b.predict_proba_row(r.x.data() + i * r.cols));
    i = i + 1 == r.rows ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(single_row)
    ->Name("xgboost/import_single_row")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// The same row through the C ABI: the file loaded by claimlens_model_load (recognised by content)
// and one row per claimlens_model_predict_proba call, as a service would call it.
void capi_single_row(benchmark::State& state) {
  const Rows& r = test_rows();
  claimlens_model* model = nullptr;
  if (claimlens_model_load(fixture("xgboost/claim_d4_300.ubj").c_str(), &model) != CLAIMLENS_OK) {
    state.SkipWithError(claimlens_last_error());
    return;
  }
  std::size_t i = 0;
  double p = 0.0;
  for (auto _ : state) {
    claimlens_model_predict_proba(model, r.x.data() + i * r.cols, 1, r.cols, &p);
    benchmark::DoNotOptimize(p);
    i = i + 1 == r.rows ? 0 : i + 1;
  }
  claimlens_model_free(model);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(capi_single_row)
    ->Name("xgboost/capi_single_row")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

#ifdef CLAIMLENS_HAVE_XGBOOST

// XGBoost's C API on the same model file, one thread, Python's inplace_predict configuration.
struct Xgb {
  BoosterHandle booster = nullptr;
  std::vector<std::string> row_interfaces;
  std::string batch_interface;

  Xgb() {
    const Rows& r = test_rows();
    if (XGBoosterCreate(nullptr, 0, &booster) != 0 ||
        XGBoosterLoadModel(booster, fixture(kModel).c_str()) != 0 ||
        XGBoosterSetParam(booster, "nthread", "1") != 0) {
      throw std::runtime_error(XGBGetLastError());
    }
    for (std::size_t i = 0; i < r.rows; ++i) {
      row_interfaces.push_back(
          claimlens::bench::array_interface(r.x.data() + i * r.cols, 1, r.cols));
    }
    batch_interface = claimlens::bench::array_interface(r.x.data(), r.rows, r.cols);
  }
  ~Xgb() { XGBoosterFree(booster); }
};

// Freed by main() before static destruction (XGBoosterFree after libxgboost's statics crashes).
std::unique_ptr<Xgb>& xgb_instance() {
  static std::unique_ptr<Xgb> instance;
  return instance;
}
const Xgb& xgb() {
  if (!xgb_instance()) xgb_instance() = std::make_unique<Xgb>();
  return *xgb_instance();
}

constexpr const char* kPredictConfig =
    "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
    "\"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}";

void xgb_predict(benchmark::State& state, const std::string& interface) {
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  if (XGBoosterPredictFromDense(xgb().booster, interface.c_str(), kPredictConfig, nullptr, &shape,
                                &dim, &result) != 0) {
    state.SkipWithError(XGBGetLastError());
    return;
  }
  benchmark::DoNotOptimize(result[0]);
}

void xgb_single_row(benchmark::State& state) {
  const Xgb& x = xgb();
  std::size_t i = 0;
  for (auto _ : state) {
    xgb_predict(state, x.row_interfaces[i]);
    i = i + 1 == x.row_interfaces.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(xgb_single_row)
    ->Name("xgboost_c/import_single_row_dense")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void xgb_batch(benchmark::State& state) {
  const Xgb& x = xgb();
  for (auto _ : state) xgb_predict(state, x.batch_interface);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * test_rows().rows));
}
BENCHMARK(xgb_batch)
    ->Name("xgboost_c/import_batch_dense")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

#endif  // CLAIMLENS_HAVE_XGBOOST

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
#ifdef CLAIMLENS_HAVE_XGBOOST
  xgb_instance().reset();
#endif
  return 0;
}
