#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;

namespace {

// y = 1 exactly when x0 > 5; x1 is noise.
void pure_split_data(RowMatrix& X, std::vector<double>& y, std::size_t n = 200) {
  Random rng(42);
  X.resize(static_cast<Eigen::Index>(n), 2);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    X(r, 0) = static_cast<double>(i % 11);
    X(r, 1) = rng.uniform();
    y[i] = X(r, 0) > 5 ? 1.0 : 0.0;
  }
}

// A noisier problem: P(y = 1) grows with x0 + x1, four features.
void noisy_data(RowMatrix& X, std::vector<double>& y, std::size_t n, std::uint64_t seed) {
  Random rng(seed);
  X.resize(static_cast<Eigen::Index>(n), 4);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (Eigen::Index c = 0; c < 4; ++c) X(r, c) = rng.normal();
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-2.0 * (X(r, 0) + X(r, 1)))) ? 1.0 : 0.0;
  }
}

RandomForestParams small_forest() {
  RandomForestParams p;
  p.n_estimators = 20;
  p.random_state = 7;
  return p;
}

}  // namespace

TEST_CASE("forest: one tree without sampling finds a pure split", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  pure_split_data(X, y);
  RandomForestParams p;
  p.n_estimators = 1;
  p.bootstrap = false;
  p.max_features.kind = RandomForestParams::MaxFeatures::Kind::All;
  RandomForestClassifier rf(p);
  rf.fit(X, y);
  const Tree& t = rf.trees().at(0);
  REQUIRE(t.size() == 3);
  CHECK(t.nodes()[0].feature == 0);
  CHECK(t.nodes()[0].threshold == 6.0);  // x < 6 goes left: the first value of class 1
  CHECK(t.nodes()[1].value == 0.0);
  CHECK(t.nodes()[2].value == 1.0);
  const double low[2] = {5.0, 0.5}, high[2] = {6.0, 0.5};
  CHECK(rf.predict_proba_row(low) == 0.0);
  CHECK(rf.predict_proba_row(high) == 1.0);
  const auto imp = rf.feature_importances();
  CHECK(imp[0] == Approx(1.0));
  CHECK(imp[1] == Approx(0.0));
}

TEST_CASE("forest: depth limit and min_samples_leaf are honoured", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 500, 1);
  RandomForestParams p = small_forest();
  p.max_depth = 3;
  RandomForestClassifier rf(p);
  rf.fit(X, y);
  for (const Tree& t : rf.trees()) CHECK(t.depth() <= 3);

  p.max_depth.reset();
  p.min_samples_leaf = 25;
  p.bootstrap = false;
  RandomForestClassifier leafy(p);
  leafy.fit(X, y);
  // Count training rows per leaf by routing them through the first tree.
  const Tree& t = leafy.trees()[0];
  std::vector<int> per_node(t.size(), 0);
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    std::int32_t i = 0;
    while (!t.nodes()[static_cast<std::size_t>(i)].is_leaf()) {
      const auto& n = t.nodes()[static_cast<std::size_t>(i)];
      i = X(r, n.feature) < n.threshold ? n.left : n.right;
    }
    ++per_node[static_cast<std::size_t>(i)];
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t.nodes()[i].is_leaf()) CHECK(per_node[i] >= 25);
  }
  // Unlimited depth with leaves of one sample fits the training data.
  RandomForestParams deep = small_forest();
  deep.bootstrap = false;
  deep.max_features.kind = RandomForestParams::MaxFeatures::Kind::All;
  RandomForestClassifier full(deep);
  full.fit(X, y);
  const auto pred = full.predict(X);
  int errors = 0;
  for (std::size_t i = 0; i < y.size(); ++i) errors += pred[i] != static_cast<int>(y[i]);
  CHECK(errors == 0);
}

TEST_CASE("forest: same seed gives the same model whatever n_jobs", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 400, 2);
  RandomForestParams p = small_forest();
  p.max_features.kind = RandomForestParams::MaxFeatures::Kind::Fraction;
  p.max_features.value = 0.5;
  p.max_samples.kind = RandomForestParams::MaxSamples::Kind::Fraction;
  p.max_samples.value = 0.7;
  p.n_jobs = 1;
  RandomForestClassifier a(p);
  a.fit(X, y);
  p.n_jobs = 2;
  RandomForestClassifier b(p);
  b.fit(X, y);
  CHECK(a.to_json()["trees"] == b.to_json()["trees"]);
  CHECK(a.predict_proba(X) == b.predict_proba(X));
  p.random_state = 8;
  RandomForestClassifier c(p);
  c.fit(X, y);
  CHECK(a.predict_proba(X) != c.predict_proba(X));
}

TEST_CASE("forest: importances sum to one and find the informative features", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 1000, 3);
  RandomForestParams p = small_forest();
  p.criterion = RandomForestParams::Criterion::Entropy;
  RandomForestClassifier rf(p);
  rf.fit(X, y);
  const auto imp = rf.feature_importances();
  double sum = 0;
  for (double v : imp) sum += v;
  CHECK(sum == Approx(1.0));
  CHECK(imp[0] + imp[1] > imp[2] + imp[3]);
}

TEST_CASE("forest: out-of-bag score and balanced class weights", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 600, 4);
  RandomForestParams p = small_forest();
  p.n_estimators = 40;
  p.oob_score = true;
  p.class_weight = RandomForestParams::ClassWeight::Balanced;
  RandomForestClassifier rf(p);
  rf.fit(X, y);
  const double oob = rf.oob_score();
  CHECK(oob > 0.6);  // the Bayes rate of this problem is about 0.8
  CHECK(oob < 1.0);
  CHECK(rf.oob_decision_function().size() == y.size());
  RandomForestClassifier no_oob(small_forest());
  no_oob.fit(X, y);
  CHECK_THROWS_MATCHES(no_oob.oob_score(), StateError, MessageContains("oob_score = true"));
}

TEST_CASE("forest: fit on a row subset of a shared binned matrix", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  noisy_data(X, y, 300, 5);
  const auto binned = BinnedMatrix::from_dense(X);
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < 300; i += 2) rows.push_back(i);
  RandomForestClassifier a(small_forest());
  a.fit(binned, y, rows);
  // Same as fitting on the rows themselves when the binning is the same.
  RowMatrix half(150, 4);
  std::vector<double> yh;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    half.row(static_cast<Eigen::Index>(i)) = X.row(static_cast<Eigen::Index>(rows[i]));
    yh.push_back(y[rows[i]]);
  }
  CHECK(a.predict_proba(half).size() == 150);
  std::vector<std::size_t> bad = {0, 300};
  CHECK_THROWS_MATCHES(a.fit(binned, y, bad), InvalidArgument, MessageContains("rows[1] = 300"));
  std::vector<std::size_t> twice = {4, 7, 4};
  CHECK_THROWS_MATCHES(a.fit(binned, y, twice), InvalidArgument,
                       MessageContains("rows[2] repeats row 4"));
  std::vector<std::size_t> none;
  CHECK_THROWS_MATCHES(a.fit(binned, y, none), InvalidArgument, MessageContains("rows is empty"));
}

TEST_CASE("forest: bad inputs are rejected", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  pure_split_data(X, y, 50);
  RandomForestClassifier rf(small_forest());
  CHECK_THROWS_MATCHES(rf.predict_proba(X), StateError, MessageContains("not fitted"));
  std::vector<double> short_y(10, 0.0);
  CHECK_THROWS_MATCHES(rf.fit(X, short_y), InvalidArgument, MessageContains("y has 10 labels"));
  std::vector<double> bad_y = y;
  bad_y[3] = 2.0;
  CHECK_THROWS_MATCHES(rf.fit(X, bad_y), InvalidArgument, MessageContains("y[3] must be 0 or 1"));
  bad_y[3] = std::nan("");
  CHECK_THROWS_MATCHES(rf.fit(X, bad_y), InvalidArgument, MessageContains("y[3]"));
  rf.fit(X, y);
  RowMatrix wide(2, 3);
  wide.setZero();
  CHECK_THROWS_MATCHES(rf.predict_proba(wide), InvalidArgument, MessageContains("3 columns"));
  RandomForestParams p = small_forest();
  p.max_features.kind = RandomForestParams::MaxFeatures::Kind::Count;
  p.max_features.value = 5;
  RandomForestClassifier too_many(p);
  CHECK_THROWS_MATCHES(too_many.fit(X, y), InvalidArgument, MessageContains("max_features = 5"));
}

TEST_CASE("forest params: JSON round trip and rejections name the key", "[forest][params]") {
  using nlohmann::json;
  const json j = {{"n_estimators", 50},  {"criterion", "entropy"}, {"max_depth", nullptr},
                  {"max_features", 0.6}, {"max_samples", 0.7},     {"class_weight", "balanced"},
                  {"random_state", 3},   {"n_jobs", -1},           {"min_samples_leaf", 2}};
  const auto p = RandomForestParams::from_json(j);
  CHECK(p.n_estimators == 50);
  CHECK(p.criterion == RandomForestParams::Criterion::Entropy);
  CHECK(!p.max_depth);
  CHECK(p.max_features.kind == RandomForestParams::MaxFeatures::Kind::Fraction);
  CHECK(p.max_samples.value == 0.7);
  CHECK(RandomForestParams::from_json(p.to_json()).to_json() == p.to_json());
  CHECK(RandomForestParams::from_json({{"max_features", 3}}).max_features.kind ==
        RandomForestParams::MaxFeatures::Kind::Count);

  auto rejects = [](const json& bad, const std::string& text) {
    CHECK_THROWS_MATCHES(RandomForestParams::from_json(bad), InvalidArgument,
                         MessageContains(text));
  };
  rejects({{"n_trees", 3}}, "unknown key 'params.n_trees' (known: n_estimators, criterion");
  rejects({{"n_estimators", 0}}, "'params.n_estimators' must be from 1 to 100000, not 0");
  rejects({{"n_estimators", "10"}}, "'params.n_estimators' must be an integer, not \"10\"");
  rejects({{"max_depth", -1}}, "'params.max_depth' must be null or from 1 to 1024, not -1");
  rejects({{"max_depth", "8"}}, "'params.max_depth' must be an integer, not \"8\"");
  rejects({{"max_depth", 2.5}}, "'params.max_depth' must be an integer, not 2.5");
  rejects({{"criterion", "mse"}},
          "'params.criterion' must be one of \"gini\", \"entropy\", not \"mse\"");
  rejects({{"max_features", 1.5}}, "'params.max_features' must be \"sqrt\", \"log2\"");
  rejects({{"max_features", "half"}},
          "'params.max_features' must be \"sqrt\", \"log2\", null (all), a fraction in (0, 1] or a "
          "count >= 1, not \"half\"");
  rejects({{"max_features", 0}}, "'params.max_features' must be");
  rejects({{"max_samples", 0.0}}, "'params.max_samples' must be null (all rows)");
  rejects({{"bootstrap", false}, {"max_samples", 0.5}},
          "'params.max_samples' cannot be set when bootstrap is false");
  rejects({{"min_samples_split", 1}}, "'params.min_samples_split' must be >= 2, not 1");
  rejects({{"min_samples_leaf", 0}}, "'params.min_samples_leaf' must be >= 1, not 0");
  rejects({{"class_weight", "balanced_subsample"}},
          "'params.class_weight' must be one of null, \"balanced\", not \"balanced_subsample\"");
  rejects({{"random_state", -1}}, "'params.random_state' must be a non-negative integer, not -1");
  rejects({{"n_jobs", -2}}, "'params.n_jobs' must be >= -1, not -2");
  rejects({{"bootstrap", 1}}, "'params.bootstrap' must be a boolean, not 1");
  rejects({{"bootstrap", false}, {"oob_score", true}}, "'params.oob_score' needs bootstrap = true");
  rejects(json::array(), "'params' must be an object, not []");
  rejects({{"criterion", 3}}, "'params.criterion' must be one of \"gini\", \"entropy\", not 3");
  rejects({{"n_jobs", std::numeric_limits<std::uint64_t>::max()}},
          "'params.n_jobs' must be an integer from -2147483648 to 2147483647, not "
          "18446744073709551615");
  rejects({{"min_samples_leaf", -3000000000LL}},
          "'params.min_samples_leaf' must be an integer from -2147483648");
  rejects({{"max_samples", "all"}},
          "'params.max_samples' must be null (all rows), a fraction in (0, 1] or a count >= 1, not "
          "\"all\"");
  // n_jobs has one meaning everywhere (claimlens/threads.hpp): 0 and -1 are all cores.
  CHECK(RandomForestParams::from_json({{"n_jobs", 0}}).n_jobs == 0);
  CHECK(RandomForestParams::from_json({{"n_jobs", -1}}).n_jobs == -1);
  RandomForestParams in_cpp;
  in_cpp.n_jobs = -2;
  CHECK_THROWS_MATCHES(in_cpp.validate(), InvalidArgument, MessageContains("'params.n_jobs'"));
  CHECK_THROWS_MATCHES(RandomForestClassifier(in_cpp), InvalidArgument,
                       MessageContains("'params.n_jobs' must be >= -1"));
}
