// The claimlens side of benchmarks/platform_scale.py (issue 19, "Platform scale"): one process per
// measurement, one JSON line on stdout.
//
//   platform_fit fit FEATURES.csv PARAMS_JSON REPEATS PREDICT_ROWS
//     FEATURES.csv: header, then `claim,<features>` per row (platform_scale.py writes it). The
//     first 80% of the rows train (floor(rows * 8 / 10)), the rest test: the same split as the
//     peer. Fits Model::fit(PARAMS_JSON) REPEATS times (best wall time), then times predict_proba
//     on the first min(PREDICT_ROWS, rows) rows (best of REPEATS) and scores the test rows' ROC
//     AUC. Peak memory: the resident high-water mark over the fits, reset after loading (Linux
//     clear_refs), less the resident size then: what the fit adds to the loaded input.
//   platform_fit read_csv FILE.csv N_JOBS REPEATS
//     read_csv(FILE, n_jobs = N_JOBS): best wall time, the file's bytes and the frame's rows.
//
// Not a Google Benchmark program: platform_scale.py runs each side in its own process so that each
// has its own memory high-water mark and nothing is shared between the runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <limits>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/metrics/ranking.hpp"
#include "claimlens/model/model.hpp"

using namespace claimlens;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// A line of /proc/self/status ("VmRSS", "VmHWM") in MiB; -1 when it cannot be read.
double status_mib(const std::string& key) {
  std::ifstream f("/proc/self/status");
  std::string word;
  while (f >> word) {
    if (word == key + ":") {
      double kib = -1;
      f >> kib;
      return kib / 1024.0;
    }
    f.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return -1;
}

/// Resets the resident high-water mark (VmHWM) to the current resident size, after handing the
/// loader's freed heap back to the system: a fit reusing it would not show in the mark.
void reset_peak_rss() {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
  std::ofstream f("/proc/self/clear_refs");
  f << "5" << std::flush;
}

struct Features {
  RowMatrix X;
  std::vector<double> y;
};

/// The label (first column) and the features of platform_scale.py's CSV, read by read_csv.
Features load_features(const std::string& path) {
  const DataFrame frame = read_csv(path);
  Features out;
  out.y = frame.column(0).to_doubles();
  const std::size_t cols = frame.num_columns() - 1;
  out.X.resize(static_cast<Eigen::Index>(frame.num_rows()), static_cast<Eigen::Index>(cols));
  for (std::size_t c = 0; c < cols; ++c) {
    const std::vector<double> values = frame.column(c + 1).to_doubles();
    for (std::size_t r = 0; r < values.size(); ++r) {
      out.X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = values[r];
    }
  }
  return out;
}

/// The best wall time of `repeats` calls of `run`.
template <class Run>
double best_seconds(int repeats, Run run) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < repeats; ++i) {
    const Clock::time_point start = Clock::now();
    run();
    best = std::min(best, seconds_since(start));
  }
  return best;
}

nlohmann::json fit(const std::string& path, const nlohmann::json& params, int repeats,
                   std::size_t predict_rows) {
  const Features data = load_features(path);
  const std::size_t rows = data.y.size();
  const std::size_t cols = static_cast<std::size_t>(data.X.cols());
  const std::size_t train = rows * 8 / 10;
  const RowMatrix X_train = data.X.topRows(static_cast<Eigen::Index>(train));
  const std::vector<double> y_train(data.y.begin(), data.y.begin() + static_cast<long>(train));

  reset_peak_rss();
  const double rss_before = status_mib("VmRSS");
  std::optional<Model> model;
  const double fit_seconds =
      best_seconds(repeats, [&] { model.emplace(Model::fit(params, X_train, y_train)); });
  const double peak = status_mib("VmHWM");

  const std::size_t test = rows - train;
  std::vector<double> proba(test);
  model->predict_proba(data.X.data() + train * cols, test, cols, proba.data());
  std::vector<int> y_test;
  for (std::size_t r = train; r < rows; ++r) y_test.push_back(static_cast<int>(data.y[r]));
  const double auc = roc_auc_score(y_test, proba);

  const std::size_t batch = std::min(predict_rows, rows);
  std::vector<double> out(batch);
  const double predict_seconds =
      best_seconds(repeats, [&] { model->predict_proba(data.X.data(), batch, cols, out.data()); });
  return {{"rows", rows},
          {"train_rows", train},
          {"test_rows", test},
          {"fit_seconds", fit_seconds},
          {"predict_rows", batch},
          {"predict_seconds", predict_seconds},
          {"auc", auc},
          {"input_mib", static_cast<double>(train * cols * sizeof(double)) / (1 << 20)},
          {"rss_before_fit_mib", rss_before},
          {"peak_rss_mib", peak},
          {"fit_extra_mib", peak - rss_before}};
}

nlohmann::json read(const std::string& path, int n_jobs, int repeats) {
  CsvOptions options;
  options.n_jobs = n_jobs;
  std::size_t rows = 0;
  const double seconds = best_seconds(repeats, [&] { rows = read_csv(path, options).num_rows(); });
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  return {{"seconds", seconds}, {"bytes", static_cast<long long>(file.tellg())}, {"rows", rows}};
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    nlohmann::json out;
    if (args.size() == 5 && args[0] == "fit") {
      out = fit(args[1], nlohmann::json::parse(args[2]), std::stoi(args[3]),
                static_cast<std::size_t>(std::stoull(args[4])));
    } else if (args.size() == 4 && args[0] == "read_csv") {
      out = read(args[1], std::stoi(args[2]), std::stoi(args[3]));
    } else {
      std::fprintf(stderr,
                   "usage: platform_fit fit FEATURES.csv PARAMS_JSON REPEATS PREDICT_ROWS\n"
                   "       platform_fit read_csv FILE.csv N_JOBS REPEATS\n");
      return 2;
    }
    std::printf("%s\n", out.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "platform_fit: %s\n", e.what());
    return 1;
  }
  return 0;
}
