// Latency of the C ABI's claim classifier (issue 6): one record per claimlens_classifier_predict
// call, text features included, and batch throughput over the test rows; the cost of one record
// by model type and class (issue 22: the forest champion's deep trees cost more for some
// records than for others); one record's exact
// explanation per claimlens_classifier_explain call (issue 17), for the seed's booster and its
// forest; beside XGBoost's C API
// predicting one dense row (XGBoosterPredictFromDense) with the same shape of model, 300 trees of
// depth 4 on the same 25 features, when libxgboost is found at build time.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/pipeline/claim_features.hpp"
#include "claimlens/random.hpp"

#ifdef CLAIMLENS_HAVE_XGBOOST
#include <xgboost/c_api.h>
#endif

namespace {

constexpr std::size_t kSingleRecords = 300;  // the single-record cases cycle through these

void check(claimlens_status status, const char* what) {
  if (status != CLAIMLENS_OK) {
    throw std::runtime_error(std::string(what) + ": " + claimlens_last_error());
  }
}

// A claim classifier trained through the C ABI on the real data with the seed grid's best
// parameters for `algorithm` (grid none, random_state 0).
claimlens_classifier* train_classifier(const std::string& algorithm) {
  claimlens_frame* videos = nullptr;
  check(claimlens_frame_read_csv(claimlens::bench::real_csv().c_str(), &videos), "read_csv");
  const std::string options =
      "{\"algorithm\": \"" + algorithm + "\", \"grid\": \"none\", \"random_state\": 0}";
  claimlens_classifier* clf = nullptr;
  const claimlens_status s = claimlens_classifier_train(videos, options.c_str(), &clf);
  claimlens_frame_free(videos);
  check(s, "classifier_train");
  return clf;
}

// The real data's complete rows as C records (strings owned here), the test rows of the
// classifier's 60/20/20 split, and the classifier trained on it (gradient boosting, grid none).
struct Setup {
  claimlens::DataFrame frame;
  std::vector<std::string> text, verified, ban;
  std::vector<claimlens_video> all;
  std::vector<claimlens_video> test;
  std::vector<std::size_t> test_rows, train_rows;
  std::vector<std::size_t> claims, opinions;  // indices into `all` by claim_status
  claimlens_classifier* clf = nullptr;

  Setup() {
    std::vector<std::string> columns = claimlens::claim_input_columns();
    columns.push_back("claim_status");
    frame = claimlens::read_csv(claimlens::bench::real_csv()).select(columns).dropna();
    const std::size_t n = frame.num_rows();
    const char* counts[] = {"video_duration_sec", "video_view_count",     "video_like_count",
                            "video_share_count",  "video_download_count", "video_comment_count"};
    for (std::size_t i = 0; i < n; ++i) {
      (frame.column("claim_status").string_at(i) == "claim" ? claims : opinions).push_back(i);
      text.emplace_back(frame.column("video_transcription_text").string_at(i));
      verified.emplace_back(frame.column("verified_status").string_at(i));
      ban.emplace_back(frame.column("author_ban_status").string_at(i));
    }
    for (std::size_t i = 0; i < n; ++i) {
      double v[6];
      for (int k = 0; k < 6; ++k) v[k] = frame.column(counts[k]).as_double(i);
      all.push_back(claimlens_video{sizeof(claimlens_video), text[i].c_str(), verified[i].c_str(),
                                    ban[i].c_str(), v[0], v[1], v[2], v[3], v[4], v[5]});
    }
    // The classifier's split (ClaimClassifier::train): the test side of the first
    // train_test_split(test_size=0.2) and the train side of the second (test_size=0.25).
    claimlens::TrainTestSplitOptions outer_options;
    outer_options.test_size = claimlens::TestSize::fraction(0.2);
    outer_options.seed = 0;
    const auto outer = claimlens::train_test_split(n, outer_options);
    claimlens::TrainTestSplitOptions inner_options;
    inner_options.test_size = claimlens::TestSize::fraction(0.25);
    inner_options.seed = claimlens::derive_seed(0, 1);
    const auto inner = claimlens::train_test_split(outer.train.size(), inner_options);
    test_rows = outer.test;
    for (std::size_t i : inner.train) train_rows.push_back(outer.train[i]);
    for (std::size_t r : test_rows) test.push_back(all[r]);

    clf = train_classifier("gradient_boosting");
  }
  ~Setup() { claimlens_classifier_free(clf); }
};

const Setup& setup() {
  static const Setup s;
  return s;
}

void single_record(benchmark::State& state) {
  const Setup& s = setup();
  double p = 0.0;
  std::size_t i = 0;
  for (auto _ : state) {
    if (claimlens_classifier_predict(s.clf, &s.all[i], 1, &p) != CLAIMLENS_OK) {
      state.SkipWithError(claimlens_last_error());
      break;
    }
    benchmark::DoNotOptimize(p);
    i = i + 1 == kSingleRecords ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(single_record)->Name("capi/single_record")->UseRealTime()->Unit(benchmark::kMicrosecond);

// The same, cycling through all 19,084 complete rows: a branch predictor cannot learn the tree
// paths of a few hundred records, so this is the pessimistic single-record figure.
void single_record_all_rows(benchmark::State& state) {
  const Setup& s = setup();
  double p = 0.0;
  std::size_t i = 0;
  for (auto _ : state) {
    if (claimlens_classifier_predict(s.clf, &s.all[i], 1, &p) != CLAIMLENS_OK) {
      state.SkipWithError(claimlens_last_error());
      break;
    }
    benchmark::DoNotOptimize(p);
    i = i + 1 == s.all.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(single_record_all_rows)
    ->Name("capi/single_record_all_rows")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void batch(benchmark::State& state) {
  const Setup& s = setup();
  std::vector<double> p(s.test.size());
  for (auto _ : state) {
    if (claimlens_classifier_predict(s.clf, s.test.data(), s.test.size(), p.data()) !=
        CLAIMLENS_OK) {
      state.SkipWithError(claimlens_last_error());
      break;
    }
    benchmark::DoNotOptimize(p.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * s.test.size()));
  state.counters["rows"] = static_cast<double>(s.test.size());
}
BENCHMARK(batch)->Name("capi/batch")->UseRealTime()->Unit(benchmark::kMillisecond);

// The seed's forest (grid none: the seed grid's best, 200 trees), trained on first use: only the
// forest's explanation case needs it.
struct ForestSetup {
  claimlens_classifier* clf;
  ForestSetup() : clf(train_classifier("random_forest")) {}
  ~ForestSetup() { claimlens_classifier_free(clf); }
};

const ForestSetup& forest_setup() {
  static const ForestSetup s;
  return s;
}

// One record per call by the seed's booster or forest, cycling through the first kSingleRecords
// complete rows of one class (claims or opinions) or through all complete rows: what a service
// that slices its input by class pays per record.
void single_record_by_class(benchmark::State& state, bool forest, int which) {
  const Setup& s = setup();
  const claimlens_classifier* clf = forest ? forest_setup().clf : s.clf;
  std::vector<const claimlens_video*> records;
  if (which == 2) {
    for (const claimlens_video& v : s.all) records.push_back(&v);
  } else {
    const std::vector<std::size_t>& rows = which == 0 ? s.claims : s.opinions;
    for (std::size_t k = 0; k < kSingleRecords && k < rows.size(); ++k) {
      records.push_back(&s.all[rows[k]]);
    }
  }
  double p = 0.0;
  std::size_t i = 0;
  for (auto _ : state) {
    if (claimlens_classifier_predict(clf, records[i], 1, &p) != CLAIMLENS_OK) {
      state.SkipWithError(claimlens_last_error());
      break;
    }
    benchmark::DoNotOptimize(p);
    i = i + 1 == records.size() ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK_CAPTURE(single_record_by_class, gbdt_claims, false, 0)
    ->Name("capi/single_record/gbdt/claims")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_record_by_class, gbdt_opinions, false, 1)
    ->Name("capi/single_record/gbdt/opinions")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_record_by_class, forest_claims, true, 0)
    ->Name("capi/single_record/forest/claims")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_record_by_class, forest_opinions, true, 1)
    ->Name("capi/single_record/forest/opinions")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(single_record_by_class, forest_all_rows, true, 2)
    ->Name("capi/single_record/forest/all_rows")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

// One record explained per call (its contributions, the bias and the additivity residual), by
// the seed's booster or its forest, cycling through the first kSingleRecords complete rows as
// capi/single_record does.
void explain_single_record(benchmark::State& state, bool forest) {
  const Setup& s = setup();
  const claimlens_classifier* clf = forest ? forest_setup().clf : s.clf;
  const claimlens_model* model = nullptr;
  std::size_t features = 0;
  check(claimlens_classifier_as_model(clf, &model), "classifier_as_model");
  check(claimlens_model_num_features(model, &features), "model_num_features");
  std::vector<double> out(features + 1);
  double residual = 0.0;
  std::size_t i = 0;
  for (auto _ : state) {
    if (claimlens_classifier_explain(clf, &s.all[i], 1, out.data(), out.size(), &residual, 1) !=
        CLAIMLENS_OK) {
      state.SkipWithError(claimlens_last_error());
      break;
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::DoNotOptimize(residual);
    i = i + 1 == kSingleRecords ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["features"] = static_cast<double>(features);
}
BENCHMARK_CAPTURE(explain_single_record, gbdt, false)
    ->Name("capi/explain_single_record/gbdt")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(explain_single_record, forest, true)
    ->Name("capi/explain_single_record/forest")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

#ifdef CLAIMLENS_HAVE_XGBOOST

void xgb_check(int rc, const char* what) {
  if (rc != 0) throw std::runtime_error(std::string(what) + ": " + XGBGetLastError());
}

// XGBoost's booster with the seed's boosting parameters (300 rounds, depth 4, eta 0.1,
// min_child_weight 5, hist), trained through its C API on the classifier's training features,
// and the test features as one dense float64 row-major block.
struct XgbSetup {
  BoosterHandle booster = nullptr;
  std::size_t cols = 0;
  std::vector<double> test_x;               // test rows x cols
  std::vector<std::string> row_interfaces;  // __array_interface__ of each single test row
  std::string batch_interface;

  XgbSetup() {
    const Setup& s = setup();
    claimlens::ClaimFeaturizer featurizer;
    const claimlens::DataFrame train = s.frame.take(s.train_rows);
    featurizer.fit(train);
    const claimlens::RowMatrix X = featurizer.transform(train);
    const claimlens::RowMatrix T = featurizer.transform(s.frame.take(s.test_rows));
    cols = static_cast<std::size_t>(X.cols());
    std::vector<float> xf(X.data(), X.data() + X.size());
    std::vector<float> y;
    const claimlens::Column& label = train.column("claim_status");
    for (std::size_t i = 0; i < train.num_rows(); ++i) {
      y.push_back(label.string_at(i) == "claim" ? 1.0f : 0.0f);
    }
    DMatrixHandle dtrain = nullptr;
    xgb_check(XGDMatrixCreateFromMat(xf.data(), static_cast<bst_ulong>(X.rows()),
                                     static_cast<bst_ulong>(cols), std::nanf(""), &dtrain),
              "XGDMatrixCreateFromMat");
    xgb_check(XGDMatrixSetFloatInfo(dtrain, "label", y.data(), y.size()), "set label");
    xgb_check(XGBoosterCreate(&dtrain, 1, &booster), "XGBoosterCreate");
    const char* params[][2] = {{"objective", "binary:logistic"},
                               {"tree_method", "hist"},
                               {"max_depth", "4"},
                               {"eta", "0.1"},
                               {"min_child_weight", "5"},
                               {"seed", "0"},
                               {"nthread", "1"}};
    for (const auto& p : params) xgb_check(XGBoosterSetParam(booster, p[0], p[1]), p[0]);
    for (int it = 0; it < 300; ++it) {
      xgb_check(XGBoosterUpdateOneIter(booster, it, dtrain), "XGBoosterUpdateOneIter");
    }
    XGDMatrixFree(dtrain);
    test_x.assign(T.data(), T.data() + T.size());
    for (std::size_t r = 0; r < kSingleRecords; ++r) {
      row_interfaces.push_back(
          claimlens::bench::array_interface(test_x.data() + r * cols, 1, cols));
    }
    batch_interface =
        claimlens::bench::array_interface(test_x.data(), static_cast<std::size_t>(T.rows()), cols);
  }
  ~XgbSetup() { XGBoosterFree(booster); }
};

// Made on first use and freed by main() before static destruction: XGBoosterFree run from a
// static destructor, after libxgboost's own statics are gone, crashes at exit.
std::unique_ptr<XgbSetup>& xgb_instance() {
  static std::unique_ptr<XgbSetup> instance;
  return instance;
}

const XgbSetup& xgb_setup() {
  auto& instance = xgb_instance();
  if (!instance) instance = std::make_unique<XgbSetup>();
  return *instance;
}

// Python's inplace_predict config (missing = NaN, value prediction, all trees).
constexpr const char* kPredictConfig =
    "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, "
    "\"strict_shape\": false, \"missing\": NaN, \"cache_id\": 0}";

void xgb_single_row(benchmark::State& state) {
  const XgbSetup& x = xgb_setup();
  std::size_t i = 0;
  for (auto _ : state) {
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    if (XGBoosterPredictFromDense(x.booster, x.row_interfaces[i].c_str(), kPredictConfig, nullptr,
                                  &shape, &dim, &result) != 0) {
      state.SkipWithError(XGBGetLastError());
      break;
    }
    benchmark::DoNotOptimize(result[0]);
    i = i + 1 == kSingleRecords ? 0 : i + 1;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(xgb_single_row)
    ->Name("xgboost_c/single_row_dense")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

void xgb_batch(benchmark::State& state) {
  const XgbSetup& x = xgb_setup();
  const std::size_t rows = x.test_x.size() / x.cols;
  for (auto _ : state) {
    const bst_ulong* shape = nullptr;
    bst_ulong dim = 0;
    const float* result = nullptr;
    if (XGBoosterPredictFromDense(x.booster, x.batch_interface.c_str(), kPredictConfig, nullptr,
                                  &shape, &dim, &result) != 0) {
      state.SkipWithError(XGBGetLastError());
      break;
    }
    benchmark::DoNotOptimize(result[0]);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * rows));
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(xgb_batch)->Name("xgboost_c/batch_dense")->UseRealTime()->Unit(benchmark::kMillisecond);

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
