#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;

namespace {

void noisy_data(RowMatrix& X, std::vector<double>& y, std::size_t n, std::uint64_t seed) {
  Random rng(seed);
  X.resize(static_cast<Eigen::Index>(n), 4);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (Eigen::Index c = 0; c < 4; ++c) X(r, c) = rng.normal();
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-2.0 * (X(r, 0) - X(r, 2)))) ? 1.0 : 0.0;
  }
}

}  // namespace

TEST_CASE("boosting: a stump reproduces XGBoost's leaf weights", "[boosting]") {
  // x < 2 -> mostly 0, else mostly 1. One round, depth 1, lambda 1, eta 0.5, base 0.5:
  // g = p - y = +-0.5, h = 0.25; leaf = -eta * G / (H + lambda).
  RowMatrix X(8, 1);
  X << 0, 0, 1, 1, 2, 2, 3, 3;
  const std::vector<double> y = {0, 0, 0, 1, 1, 1, 1, 1};
  GradientBoostingParams p;
  p.n_estimators = 1;
  p.max_depth = 1;
  p.learning_rate = 0.5;
  p.min_child_weight = 0;
  p.base_score = 0.5;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  const Tree& t = gb.trees().at(0);
  REQUIRE(t.size() == 3);
  CHECK(t.nodes()[0].threshold == 2.0);
  const double left_g = 3 * 0.5 - 0.5, left_h = 4 * 0.25;  // rows 0..3: y = 0,0,0,1
  CHECK(t.nodes()[1].value == Approx(-0.5 * left_g / (left_h + 1.0)));
  CHECK(t.nodes()[2].value == Approx(-0.5 * -2.0 / (1.0 + 1.0)));
  const double gain = left_g * left_g / (left_h + 1) + 4.0 / 2.0 - 1.0 / 3.0;  // parent G=-1, H=2
  CHECK(t.nodes()[0].gain == Approx(gain));
  CHECK(t.nodes()[0].cover == Approx(2.0));
  const double row[1] = {3.0};
  CHECK(gb.predict_proba_row(row) == Approx(1.0 / (1.0 + std::exp(-0.5))));
}

TEST_CASE("boosting: base_score defaults to the label mean", "[boosting]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 300, 1);
  GradientBoostingParams p;
  p.n_estimators = 3;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  double mean = 0;
  for (double v : y) mean += v;
  mean /= static_cast<double>(y.size());
  CHECK(gb.base_score() == Approx(mean));
  CHECK(gb.base_margin() == Approx(std::log(mean / (1 - mean))));
  std::vector<double> ones(y.size(), 1.0);
  CHECK_THROWS_MATCHES(gb.fit(X, ones), InvalidArgument, MessageContains("single class"));
}

TEST_CASE("boosting: missing values go to the learned side", "[boosting]") {
  // Rows with NaN in x0 are all positive, like the large values: the split must send NaN right.
  const std::size_t n = 400;
  RowMatrix X(static_cast<Eigen::Index>(n), 2);
  std::vector<double> y(n);
  Random rng(3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    X(r, 1) = rng.uniform();
    if (i % 4 == 0) {
      X(r, 0) = std::nan("");
      y[i] = 1;
    } else {
      X(r, 0) = rng.uniform();
      y[i] = X(r, 0) > 0.5 ? 1 : 0;
    }
  }
  GradientBoostingParams p;
  p.n_estimators = 20;
  p.max_depth = 2;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  const Tree& t = gb.trees()[0];
  REQUIRE(t.nodes()[0].feature == 0);
  CHECK_FALSE(t.nodes()[0].default_left);
  const double missing[2] = {std::nan(""), 0.5}, low[2] = {0.1, 0.5};
  CHECK(gb.predict_proba_row(missing) > 0.9);
  CHECK(gb.predict_proba_row(low) < 0.1);
  // Flip: NaN rows negative -> default goes left with the small values.
  for (std::size_t i = 0; i < n; i += 4) y[i] = 0;
  gb.fit(X, y);
  CHECK(gb.trees()[0].nodes()[0].default_left);
  CHECK(gb.predict_proba_row(missing) < 0.1);
}

TEST_CASE("boosting: max_depth, gamma and min_child_weight limit growth", "[boosting]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 500, 2);
  GradientBoostingParams p;
  p.n_estimators = 5;
  p.max_depth = 3;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  for (const Tree& t : gb.trees()) CHECK(t.depth() <= 3);
  p.gamma = 1e6;  // no split can pay for itself
  gb = GradientBoostingClassifier(p);
  gb.fit(X, y);
  for (const Tree& t : gb.trees()) CHECK(t.size() == 1);
  p.gamma = 0;
  p.min_child_weight = 30;
  gb = GradientBoostingClassifier(p);
  gb.fit(X, y);
  for (const Tree& t : gb.trees()) {
    for (const auto& node : t.nodes()) CHECK(node.cover >= 30);
  }
}

TEST_CASE("boosting: a diverging fit is refused, not left with overflowing margins", "[boosting]") {
  // fuzz finding 8: learning_rate 1.1e307 gave infinite leaves and NaN probabilities.
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 300, 4);
  GradientBoostingParams p;
  p.n_estimators = 6;
  p.max_depth = 3;
  p.learning_rate = 1.1e307;
  GradientBoostingClassifier gb(p);
  CHECK_THROWS_MATCHES(gb.fit(X, y), InvalidArgument, MessageContains("diverged at round"));
  CHECK_FALSE(gb.is_fitted());
}

TEST_CASE("boosting: bad inputs and row subsets are refused, naming the problem", "[boosting]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 100, 5);
  GradientBoostingParams p;
  p.n_estimators = 2;
  GradientBoostingClassifier gb(p);
  const auto binned = BinnedMatrix::from_dense(X);
  const std::vector<std::size_t> past{0, 100}, twice{3, 9, 3}, none;
  CHECK_THROWS_MATCHES(gb.fit(binned, y, past), InvalidArgument,
                       MessageContains("rows[1] = 100 is past the 100 rows of X"));
  CHECK_THROWS_MATCHES(gb.fit(binned, y, twice), InvalidArgument,
                       MessageContains("rows[2] repeats row 3"));
  CHECK_THROWS_MATCHES(gb.fit(binned, y, none), InvalidArgument, MessageContains("rows is empty"));
  const std::vector<double> short_y(10, 0.0);
  CHECK_THROWS_MATCHES(gb.fit(X, short_y), InvalidArgument,
                       MessageContains("y has 10 labels but X has 100 rows"));
  std::vector<double> bad_y = y;
  bad_y[7] = 0.5;
  CHECK_THROWS_MATCHES(gb.fit(X, bad_y), InvalidArgument, MessageContains("y[7] must be 0 or 1"));
  CHECK_THROWS_MATCHES(gb.fit(RowMatrix(0, 4), std::vector<double>{}), InvalidArgument,
                       MessageContains("the matrix is empty (0 x 4)"));
  CHECK_FALSE(gb.is_fitted());
  gb.fit(X, y);
  CHECK_THROWS_MATCHES(gb.predict_proba(RowMatrix::Zero(2, 5)), InvalidArgument,
                       MessageContains("X has 5 columns but the model was fitted on 4 features"));
}

TEST_CASE("boosting: deterministic across n_jobs, with subsampling", "[boosting]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 6000, 3);
  GradientBoostingParams p;
  p.n_estimators = 20;
  p.subsample = 0.8;
  p.colsample_bytree = 0.5;
  p.random_state = 11;
  p.n_jobs = 1;
  GradientBoostingClassifier a(p);
  a.fit(X, y);
  p.n_jobs = 2;
  GradientBoostingClassifier b(p);
  b.fit(X, y);
  CHECK(a.to_json()["trees"] == b.to_json()["trees"]);
  CHECK(a.predict_proba(X) == b.predict_proba(X));
  // colsample_bytree 0.5 of 4 features: each tree uses at most 2 features.
  for (const Tree& t : a.trees()) {
    std::vector<int> used(4, 0);
    for (const auto& node : t.nodes()) {
      if (!node.is_leaf()) used[static_cast<std::size_t>(node.feature)] = 1;
    }
    CHECK(used[0] + used[1] + used[2] + used[3] <= 2);
  }
}

TEST_CASE("boosting: importances", "[boosting]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 1000, 4);
  GradientBoostingParams p;
  p.n_estimators = 30;
  p.max_depth = 3;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  for (auto type : {ImportanceType::Gain, ImportanceType::TotalGain, ImportanceType::Cover,
                    ImportanceType::TotalCover, ImportanceType::Weight}) {
    const auto imp = gb.feature_importances(type);
    double sum = 0;
    for (double v : imp) sum += v;
    CHECK(sum == Approx(1.0));
  }
  const auto gain = gb.feature_importances(ImportanceType::TotalGain);
  CHECK(gain[0] + gain[2] > 0.8);
}

TEST_CASE("boosting params: JSON round trip and rejections name the key", "[boosting][params]") {
  using nlohmann::json;
  const json j = {{"n_estimators", 300},   {"learning_rate", 0.1}, {"max_depth", 4},
                  {"min_child_weight", 5}, {"base_score", 0.4},    {"n_jobs", 2}};
  const auto p = GradientBoostingParams::from_json(j);
  CHECK(p.n_estimators == 300);
  CHECK(p.min_child_weight == 5.0);
  CHECK(*p.base_score == 0.4);
  CHECK(GradientBoostingParams::from_json(p.to_json()).to_json() == p.to_json());
  auto rejects = [](const json& bad, const std::string& text) {
    CHECK_THROWS_MATCHES(GradientBoostingParams::from_json(bad), InvalidArgument,
                         MessageContains(text));
  };
  rejects({{"eta", 0.1}}, "unknown key 'params.eta' (known: n_estimators, learning_rate");
  rejects({{"n_estimators", 0}}, "'params.n_estimators' must be from 1 to 100000, not 0");
  rejects({{"learning_rate", 0}}, "'params.learning_rate' must be > 0 (finite), not 0.0");
  rejects({{"learning_rate", "fast"}}, "'params.learning_rate' must be a number, not \"fast\"");
  rejects({{"max_depth", -2}}, "'params.max_depth' must be from 0 to 1024, not -2");
  rejects({{"max_depth", "8"}}, "'params.max_depth' must be an integer, not \"8\"");
  rejects({{"min_child_weight", -1}}, "'params.min_child_weight' must be >= 0 (finite)");
  rejects({{"reg_lambda", -0.5}}, "'params.reg_lambda' must be >= 0 (finite), not -0.5");
  rejects({{"subsample", 0}}, "'params.subsample' must be in (0, 1], not 0.0");
  rejects({{"colsample_bytree", 1.5}}, "'params.colsample_bytree' must be in (0, 1], not 1.5");
  rejects({{"base_score", 1.0}}, "'params.base_score' must be null or in (0, 1), not 1.0");
  rejects({{"max_bin", 1}}, "'params.max_bin' must be from 2 to 256, not 1");
  rejects({{"n_jobs", -3}}, "'params.n_jobs' must be >= -1, not -3");
  rejects(json::array(), "'params' must be an object");
  rejects({{"max_depth", 2.5}}, "'params.max_depth' must be an integer, not 2.5");
  rejects(
      {{"n_estimators", 3000000000LL}},
      "'params.n_estimators' must be an integer from -2147483648 to 2147483647, not 3000000000");
  // 2^64 - 1 would wrap to -1 ("all cores") if read as a signed integer.
  rejects({{"n_jobs", std::numeric_limits<std::uint64_t>::max()}},
          "'params.n_jobs' must be an integer from -2147483648 to 2147483647, not "
          "18446744073709551615");
  rejects({{"random_state", -1}}, "'params.random_state' must be a non-negative integer, not -1");
  rejects({{"random_state", "seed"}}, "'params.random_state' must be a non-negative integer");
  rejects({{"base_score", "half"}}, "'params.base_score' must be a number, not \"half\"");
  // n_jobs has one meaning everywhere (claimlens/threads.hpp): 0 and -1 are all cores.
  CHECK(GradientBoostingParams::from_json({{"n_jobs", 0}}).n_jobs == 0);
  CHECK(GradientBoostingParams::from_json({{"n_jobs", -1}}).n_jobs == -1);
  GradientBoostingParams nan_rate;
  nan_rate.learning_rate = std::nan("");
  CHECK_THROWS_MATCHES(nan_rate.validate(), InvalidArgument,
                       MessageContains("'params.learning_rate' must be > 0 (finite), not NaN"));
  CHECK_THROWS_MATCHES(GradientBoostingClassifier(nan_rate), InvalidArgument,
                       MessageContains("'params.learning_rate'"));
}
