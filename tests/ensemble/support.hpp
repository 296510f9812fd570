// Shared helpers of the ensemble tests: fixture matrices and a local ROC AUC.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "claimlens/matrix.hpp"
#include "claimlens/random.hpp"
#include "support/paths.hpp"

namespace claimlens::testing {

/// Matches an exception whose what() contains `text` (use with CHECK_THROWS_MATCHES).
class MessageContains : public Catch::MatcherBase<std::exception> {
 public:
  explicit MessageContains(std::string text) : text_(std::move(text)) {}
  bool match(const std::exception& e) const override {
    return std::string(e.what()).find(text_) != std::string::npos;
  }
  std::string describe() const override { return "message contains \"" + text_ + "\""; }

 private:
  std::string text_;
};

struct LabeledMatrix {
  RowMatrix X;
  std::vector<double> y;
  std::vector<std::string> names;
};

/// Reads a matrix written by tests/fixtures/scripts/ensemble_claim.py (integer or digit columns).
inline LabeledMatrix load_claim_matrix(const std::string& fixture) {
  const auto j = nlohmann::json::parse(read_text_file(fixture_path(fixture)));
  const auto rows = j.at("rows").get<std::size_t>();
  const auto& columns = j.at("columns");
  LabeledMatrix m;
  m.X.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const auto& col = columns[c];
    m.names.push_back(col.at("name").get<std::string>());
    if (col.contains("digits")) {
      const auto digits = col.at("digits").get<std::string>();
      for (std::size_t r = 0; r < rows; ++r) {
        m.X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = digits.at(r) - '0';
      }
    } else {
      const auto& values = col.at("values");
      for (std::size_t r = 0; r < rows; ++r) {
        m.X(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) =
            values.at(r).get<double>();
      }
    }
  }
  const auto y = j.at("y").get<std::string>();
  for (char ch : y) m.y.push_back(ch - '0');
  return m;
}

/// The fixture's NaN rule: (row * 31 + col * 17) % 11 == 0 in the first `below` columns.
inline void inject_nans(RowMatrix& X, const nlohmann::json& rule) {
  const long mod = rule.at("modulus"), rf = rule.at("row_factor"), cf = rule.at("col_factor"),
             below = rule.at("columns_below");
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    for (Eigen::Index c = 0; c < std::min<Eigen::Index>(below, X.cols()); ++c) {
      if ((r * rf + c * cf) % mod == 0) X(r, c) = std::nan("");
    }
  }
}

/// ROC AUC with ties counted as one half (Mann-Whitney), like sklearn's roc_auc_score.
inline double roc_auc(const std::vector<double>& y, const std::vector<double>& score) {
  std::vector<std::size_t> order(y.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return score[a] < score[b]; });
  double rank_sum = 0.0, positives = 0.0;
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    const double mid_rank = (static_cast<double>(i) + static_cast<double>(j) + 1.0) / 2.0;
    for (std::size_t k = i; k < j; ++k) {
      if (y[order[k]] == 1.0) {
        rank_sum += mid_rank;
        positives += 1.0;
      }
    }
    i = j;
  }
  const double negatives = static_cast<double>(y.size()) - positives;
  return (rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives);
}

// Two dense columns, four sparse 0/1 columns, a mostly-zero count and a mostly-NaN column; the
// label depends on dense and sparse columns so splits use both kinds.
inline void sparse_data(RowMatrix& X, std::vector<double>& y, std::size_t n, std::uint64_t seed) {
  Random rng(seed);
  X.resize(static_cast<Eigen::Index>(n), 8);
  y.resize(n);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    X(r, 0) = rng.normal();
    X(r, 1) = rng.normal();
    for (Eigen::Index c = 2; c < 6; ++c) X(r, c) = rng.uniform() < 0.05 ? 1.0 : 0.0;
    X(r, 6) = rng.uniform() < 0.9 ? 0.0 : static_cast<double>(rng.uniform_int(40));
    X(r, 7) = rng.uniform() < 0.7 ? nan : rng.normal();
    const double z = X(r, 0) + 2.0 * X(r, 2) - 2.0 * X(r, 3) + 0.05 * X(r, 6) +
                     (std::isnan(X(r, 7)) ? 0.5 : X(r, 7));
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-2.0 * z)) ? 1.0 : 0.0;
  }
}

}  // namespace claimlens::testing
