// The seed's claim features as benchmarks/peers/ensemble.py writes them (CSV files both sides
// read), and the seed's ensemble parameters: shared by bench_ensemble and bench_explain.
#pragma once

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/matrix.hpp"

namespace claimlens::bench {

struct ClaimData {
  claimlens::RowMatrix X;
  std::vector<double> y;
};

// The peer's CSV: header, then `claim,<25 numeric features>` per row.
inline ClaimData read_features(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("missing " + path +
                             " (run benchmarks/peers.py --only ensemble, which writes it)");
  }
  std::string line;
  std::getline(in, line);
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<double> values;
    const char* p = line.data();
    const char* end = p + line.size();
    while (p < end) {
      double v = 0;
      auto [next, ec] = std::from_chars(p, end, v);
      if (ec != std::errc()) throw std::runtime_error("bad number in " + path + ": " + line);
      values.push_back(v);
      p = next < end && *next == ',' ? next + 1 : next;
    }
    rows.push_back(std::move(values));
  }
  ClaimData d;
  const auto cols = static_cast<Eigen::Index>(rows.at(0).size() - 1);
  d.X.resize(static_cast<Eigen::Index>(rows.size()), cols);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    d.y.push_back(rows[r][0]);
    for (Eigen::Index c = 0; c < cols; ++c) {
      d.X(static_cast<Eigen::Index>(r), c) = rows[r][static_cast<std::size_t>(c) + 1];
    }
  }
  return d;
}

inline std::string feature_dir() {
  const char* p = std::getenv("CLAIMLENS_BENCH_ENSEMBLE_DIR");
  return p ? p : "build/bench";
}

inline const ClaimData& train() {
  static const ClaimData d = read_features(feature_dir() + "/ensemble_claim_train.csv");
  return d;
}
inline const ClaimData& test() {
  static const ClaimData d = read_features(feature_dir() + "/ensemble_claim_test.csv");
  return d;
}

inline claimlens::RandomForestParams forest_params() {
  claimlens::RandomForestParams p;  // the seed's best grid-search parameters
  p.n_estimators = 200;
  p.max_features = {claimlens::RandomForestParams::MaxFeatures::Kind::Fraction, 0.6};
  p.max_samples = {claimlens::RandomForestParams::MaxSamples::Kind::Fraction, 0.7};
  p.random_state = 0;
  p.n_jobs = -1;
  return p;
}

inline claimlens::GradientBoostingParams boost_params() {
  claimlens::GradientBoostingParams p;
  p.learning_rate = 0.1;
  p.max_depth = 4;
  p.min_child_weight = 5;
  p.n_estimators = 300;
  p.n_jobs = -1;
  return p;
}

}  // namespace claimlens::bench
