// A one-split "stump" estimator with the ensemble interface, so grid search logic is tested on a
// model whose best parameters are known in advance.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/error.hpp"
#include "claimlens/span.hpp"

namespace claimlens::testing {

struct StumpParams {
  int feature = 0;         // the one feature the stump may split on
  double smoothing = 0.0;  // Laplace smoothing of leaf frequencies
  int n_jobs = 1;
  int max_bin = 256;
  std::uint64_t random_state = 0;  // the seed of the bins' sample (GridSearchCV bins by it)

  static StumpParams from_json(const nlohmann::json& j) {
    StumpParams p;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "feature" && it.value().is_number_integer()) {
        p.feature = it.value().get<int>();
      } else if (it.key() == "smoothing" && it.value().is_number()) {
        p.smoothing = it.value().get<double>();
      } else if (it.key() == "n_jobs" && it.value().is_number_integer()) {
        p.n_jobs = it.value().get<int>();
      } else if (it.key() == "max_bin" && it.value().is_number_integer()) {
        p.max_bin = it.value().get<int>();
      } else {
        throw InvalidArgument("stump: unknown or mistyped parameter '" + it.key() + "'");
      }
    }
    if (p.feature < 0) throw InvalidArgument("stump: feature must be >= 0");
    return p;
  }
  nlohmann::json to_json() const {
    return {
        {"feature", feature}, {"smoothing", smoothing}, {"n_jobs", n_jobs}, {"max_bin", max_bin}};
  }
};

class Stump {
 public:
  Stump() = default;
  explicit Stump(StumpParams p) : params_(p) {}
  const StumpParams& params() const { return params_; }

  /// Picks the bin boundary of params().feature with the fewest training errors.
  Stump& fit(const BinnedMatrix& X, Span<const double> y, Span<const std::size_t> rows) {
    const auto f = static_cast<std::size_t>(params_.feature);
    if (f >= X.num_features()) throw InvalidArgument("stump: feature out of range");
    const int bins = X.num_bins(f);
    std::vector<double> pos(static_cast<std::size_t>(bins) + 1, 0.0), all(pos.size(), 0.0);
    for (std::size_t r : rows) {
      const std::size_t b = X.bin(r, f);
      if (b >= all.size()) continue;  // missing values do not vote
      pos[b] += y[r];
      all[b] += 1.0;
    }
    double best_err = 1e300;
    for (int split = 1; split <= bins; ++split) {
      double lp = 0, ln = 0, rp = 0, rn = 0;
      for (int b = 0; b < bins; ++b) {
        (b < split ? lp : rp) += pos[static_cast<std::size_t>(b)];
        (b < split ? ln : rn) += all[static_cast<std::size_t>(b)];
      }
      const double err = std::min(lp, ln - lp) + std::min(rp, rn - rp);
      if (err < best_err) {
        best_err = err;
        threshold_ = split < bins ? X.cuts(f)[static_cast<std::size_t>(split - 1)] : 1e300;
        left_ = (lp + params_.smoothing) / (ln + 2 * params_.smoothing);
        right_ = rn > 0 ? (rp + params_.smoothing) / (rn + 2 * params_.smoothing) : left_;
      }
    }
    return *this;
  }
  double predict_proba_row(const double* row) const {
    return row[params_.feature] < threshold_ ? left_ : right_;
  }
  double threshold() const { return threshold_; }

 private:
  StumpParams params_;
  double threshold_ = 0.0, left_ = 0.5, right_ = 0.5;
};

}  // namespace claimlens::testing
