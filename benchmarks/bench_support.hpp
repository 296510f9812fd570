// Data locations for the benchmark programs; benchmarks/peers.py sets these for both sides.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace claimlens::bench {

/// The real data set (CLAIMLENS_BENCH_REAL, default ../shared/data/tiktok_dataset.csv).
inline std::string real_csv() {
  const char* p = std::getenv("CLAIMLENS_BENCH_REAL");
  return p ? p : "../shared/data/tiktok_dataset.csv";
}

/// A one-million-row `claimlens synth` file (CLAIMLENS_BENCH_SYNTH); peers.py generates it.
inline std::string synth_csv() {
  const char* p = std::getenv("CLAIMLENS_BENCH_SYNTH");
  if (!p) throw std::runtime_error("set CLAIMLENS_BENCH_SYNTH to a synth file (peers.py does)");
  return p;
}

/// Resets the kernel's peak-RSS mark of this process (Linux: "5" into /proc/self/clear_refs), so
/// a later peak_rss_mib() measures from here on; false where that is not supported.
inline bool reset_peak_rss() {
  std::ofstream f("/proc/self/clear_refs");
  return static_cast<bool>(f << "5" << std::flush);
}

/// Peak resident set size (VmHWM) since the process started or the last reset, in MiB; -1 if
/// /proc/self/status cannot be read.
inline double peak_rss_mib() {
  std::ifstream f("/proc/self/status");
  std::string key;
  while (f >> key) {
    if (key == "VmHWM:") {
      double kib = 0;
      f >> kib;
      return kib / 1024.0;
    }
    f.ignore(1 << 20, '\n');
  }
  return -1.0;
}

/// The __array_interface__ JSON of a row-major float64 block, for XGBoost's C API peers
/// (XGBoosterPredictFromDense, as Python's inplace_predict passes a numpy array).
inline std::string array_interface(const double* data, std::size_t rows, std::size_t cols) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"data\": [%llu, true], \"shape\": [%zu, %zu], \"typestr\": \"<f8\", "
                "\"version\": 3}",
                static_cast<unsigned long long>(reinterpret_cast<std::uintptr_t>(data)), rows,
                cols);
  return buf;
}

}  // namespace claimlens::bench
