// Data locations for the benchmark programs; benchmarks/peers.py sets these for both sides.
#pragma once

#include <cstdlib>
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

}  // namespace claimlens::bench
