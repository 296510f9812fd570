// TreeSHAP against brute-force Shapley values (every feature subset, the path-dependent value
// function computed independently): random trees, a tree that splits twice on one feature, rows
// with missing values, trained forests and boosters; the table and polynomial leaves and the
// classic reference all agree to 1e-12.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "claimlens/random.hpp"
#include "shap_support.hpp"

using namespace claimlens;
using namespace claimlens::testing;

namespace {

constexpr double kTol = 1e-12;

using Trees = std::vector<std::vector<TreeNode>>;

TreeShapOptions without_tables() {
  TreeShapOptions o;
  o.max_table_bytes = 0;
  return o;
}

// The explainer (tables, then polynomials only) and the classic reference against brute force.
void check_against_brute_force(const Trees& trees, std::size_t n, const std::vector<double>& row,
                               TreeShapOutput output, SplitCompare compare) {
  const std::vector<double> expected =
      brute_force_shap(trees, n, row.data(), output.scale, output.base, compare);
  std::vector<double> classic(n + 1, 0.0);
  double bias = 0.0;
  for (const auto& t : trees) bias += tree_shap_reference(t, compare, row.data(), classic.data());
  for (std::size_t j = 0; j < n; ++j) classic[j] *= output.scale;
  classic[n] = output.base + output.scale * bias;
  for (const TreeShapOptions& options : {TreeShapOptions{}, without_tables()}) {
    const auto e = TreeShapExplainer::from_nodes(trees, n, compare, output, "test", options);
    auto ws = e.make_workspace();
    std::vector<double> got(n + 1);
    const RowAdditivity a = e.explain_row(row.data(), got.data(), ws);
    for (std::size_t j = 0; j <= n; ++j) {
      INFO("feature " << j << " tables " << (options.max_table_bytes > 0));
      CHECK(std::fabs(got[j] - expected[j]) <= kTol);
      CHECK(std::fabs(classic[j] - expected[j]) <= kTol);
    }
    CHECK(a.residual <= kTol);
    // The output is the model's: base + scale * the reached leaves.
    double leaves = 0.0;
    for (const auto& t : trees) {
      std::int32_t i = 0;
      while (!t[static_cast<std::size_t>(i)].is_leaf()) {
        const TreeNode& node = t[static_cast<std::size_t>(i)];
        i = test_goes_left(node, row[static_cast<std::size_t>(node.feature)], compare) ? node.left
                                                                                       : node.right;
      }
      leaves += t[static_cast<std::size_t>(i)].value;
    }
    CHECK(a.output == output.base + output.scale * leaves);
  }
}

// One tree splitting on x0 at three depths (twice on one path), x1 and x2 once, x3 never.
std::vector<TreeNode> twice_on_one_feature() {
  auto split = [](std::int32_t f, double thr, bool dl, double cover, std::int32_t l) {
    TreeNode n;
    n.feature = f;
    n.threshold = thr;
    n.default_left = dl;
    n.cover = cover;
    n.left = l;
    n.right = l + 1;
    return n;
  };
  auto leaf = [](double value, double cover) {
    TreeNode n;
    n.value = value;
    n.cover = cover;
    return n;
  };
  return {split(0, 0.5, true, 100, 1),
          split(1, 0.3, false, 60, 3),
          split(0, 0.8, false, 40, 5),
          split(0, 0.2, true, 20, 7),
          leaf(0.4, 40),
          leaf(-0.3, 15),
          split(2, 0.5, true, 25, 9),
          leaf(1.0, 5),
          leaf(0.1, 15),
          leaf(0.7, 10),
          leaf(-0.9, 15)};
}

}  // namespace

TEST_CASE("tree shap: a tree splitting twice on one feature, rows with NaN", "[explain]") {
  const Trees trees{twice_on_one_feature()};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (double x0 : {0.1, 0.3, 0.6, 0.9, nan}) {
    for (double x1 : {0.1, 0.5, nan}) {
      for (double x2 : {0.2, 0.7, nan}) {
        const std::vector<double> row{x0, x1, x2, 0.5};
        INFO("row " << x0 << ", " << x1 << ", " << x2);
        check_against_brute_force(trees, 4, row, TreeShapOutput{}, SplitCompare::Double);
      }
    }
  }
}

TEST_CASE("tree shap: random ensembles on 10 features equal brute force", "[explain]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    Random rng(seed);
    const int depth = 2 + static_cast<int>(seed % 6);  // 2 .. 7 levels
    Trees trees;
    for (int t = 0; t < 3; ++t) trees.push_back(random_tree(rng, depth, 8));
    const TreeShapOutput output{seed % 2 ? 1.0 / 3.0 : 1.0, seed % 2 ? 0.0 : -0.7,
                                seed % 2 ? ShapScale::Probability : ShapScale::Margin};
    const SplitCompare compare = seed % 3 == 0 ? SplitCompare::Float32 : SplitCompare::Double;
    for (int r = 0; r < 8; ++r) {
      INFO("seed " << seed << " row " << r);
      check_against_brute_force(trees, 10, random_row(rng, 10, 0.2), output, compare);
    }
  }
}

TEST_CASE("tree shap: a feature never split on gets exactly 0", "[explain]") {
  Random rng(7);
  Trees trees;
  for (int t = 0; t < 5; ++t) trees.push_back(random_tree(rng, 6, 6));  // features 6..9 unused
  for (const TreeShapOptions& options : {TreeShapOptions{}, without_tables()}) {
    const auto e = TreeShapExplainer::from_nodes(trees, 10, SplitCompare::Double, {}, "t", options);
    const RowMatrix X = [&] {
      RowMatrix m(50, 10);
      for (Eigen::Index r = 0; r < m.rows(); ++r) {
        const auto row = random_row(rng, 10, 0.1);
        for (Eigen::Index c = 0; c < 10; ++c) m(r, c) = row[static_cast<std::size_t>(c)];
      }
      return m;
    }();
    const ShapValues v = e.explain(X);
    for (std::size_t r = 0; r < v.rows; ++r) {
      for (std::size_t j = 6; j < 10; ++j) CHECK(v.at(r, j) == 0.0);
    }
  }
}

TEST_CASE("tree shap: paths over 64 distinct features stay exact and additive", "[explain]") {
  // A chain: split k on feature k sends values below 0.5 to a leaf, the rest on down. The
  // Shapley values of a chain have a closed form only by brute force, so: additivity, dummies,
  // the polynomial of a shorter chain (64 features, masks) equal to the long one's (steps)
  // where they coincide, and brute force on a 10-split chain through the same code path.
  auto chain = [](int splits) {
    std::vector<TreeNode> nodes(static_cast<std::size_t>(2 * splits + 1));
    double cover = 1e6;
    for (int k = 0; k < splits; ++k) {
      TreeNode& s = nodes[static_cast<std::size_t>(2 * k)];
      s.feature = k;
      s.threshold = 0.5;
      s.cover = cover;
      s.left = 2 * k + 1;
      s.right = 2 * k + 2;
      nodes[static_cast<std::size_t>(2 * k + 1)].value = 0.01 * k;
      nodes[static_cast<std::size_t>(2 * k + 1)].cover = cover * 0.1;
      cover -= cover * 0.1;
    }
    nodes.back().cover = cover;
    nodes.back().value = 5.0;
    return nodes;
  };
  const auto e = TreeShapExplainer::from_nodes({chain(70)}, 72, SplitCompare::Double, {}, "chain");
  auto ws = e.make_workspace();
  for (double x : {0.9, 0.1}) {
    std::vector<double> row(72, x), out(73);
    row[40] = 0.1;  // leaves the chain at split 40 (for x = 0.9)
    const RowAdditivity a = e.explain_row(row.data(), out.data(), ws);
    CHECK(a.residual <= 1e-12);
    CHECK(out[70] == 0.0);
    CHECK(out[71] == 0.0);
  }
  // The steps (the long paths' way of finding a leaf's followed features) against brute force,
  // forced on trees that fit the masks.
  TreeShapOptions steps;
  steps.steps_only = true;
  Random rng(11);
  const Trees trees{random_tree(rng, 7, 8), random_tree(rng, 5, 8)};
  for (int r = 0; r < 20; ++r) {
    const auto row = random_row(rng, 10, 0.2);
    const auto expected = brute_force_shap(trees, 10, row.data(), 1.0, 0.0, SplitCompare::Double);
    const auto s = TreeShapExplainer::from_nodes(trees, 10, SplitCompare::Double, {}, "t", steps);
    auto sws = s.make_workspace();
    std::vector<double> got(11);
    s.explain_row(row.data(), got.data(), sws);
    for (std::size_t j = 0; j <= 10; ++j) CHECK(std::fabs(got[j] - expected[j]) <= kTol);
  }
}

namespace {

// Eight dense columns, two sparse ones; NaN in columns 0 and 8.
void synthetic(RowMatrix& X, std::vector<double>& y, std::size_t n, std::uint64_t seed) {
  Random rng(seed);
  X.resize(static_cast<Eigen::Index>(n), 10);
  y.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (Eigen::Index c = 0; c < 8; ++c) X(r, c) = rng.normal();
    X(r, 8) = rng.uniform() < 0.2 ? 1.0 : 0.0;
    X(r, 9) = static_cast<double>(rng.uniform_int(4));
    const double z = X(r, 0) - X(r, 1) + 0.5 * X(r, 2) * X(r, 3) + X(r, 8) - 0.3 * X(r, 9);
    y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-2.0 * z)) ? 1.0 : 0.0;
    if (rng.uniform() < 0.1) X(r, 0) = std::nan("");
    if (rng.uniform() < 0.1) X(r, 8) = std::nan("");
  }
}

Trees nodes_of(const std::vector<Tree>& trees) {
  Trees out;
  for (const Tree& t : trees) out.push_back(t.nodes());
  return out;
}

}  // namespace

TEST_CASE("tree shap: a trained forest equals brute force on the probability scale", "[explain]") {
  RowMatrix X;
  std::vector<double> y;
  synthetic(X, y, 400, 3);
  RandomForestParams p;
  p.n_estimators = 6;
  p.max_depth = 6;
  p.max_features = {RandomForestParams::MaxFeatures::Kind::Fraction, 0.7};
  RandomForestClassifier rf(p);
  rf.fit(X, y);
  const TreeShapExplainer e = tree_shap(rf);
  CHECK(e.scale() == ShapScale::Probability);
  auto ws = e.make_workspace();
  for (Eigen::Index r = 0; r < 25; ++r) {
    const double* row = X.data() + r * X.cols();
    const auto expected =
        brute_force_shap(nodes_of(rf.trees()), 10, row, 1.0 / 6.0, 0.0, SplitCompare::Double);
    std::vector<double> got(11);
    const RowAdditivity a = e.explain_row(row, got.data(), ws);
    for (std::size_t j = 0; j <= 10; ++j) CHECK(std::fabs(got[j] - expected[j]) <= kTol);
    CHECK(a.output == rf.predict_proba_row(row));  // bit for bit
    CHECK(a.residual <= 1e-15);
  }
}

TEST_CASE("tree shap: a trained booster equals brute force on the margin scale", "[explain]") {
  RowMatrix X;
  std::vector<double> y;
  synthetic(X, y, 400, 4);
  GradientBoostingParams p;
  p.n_estimators = 15;
  p.max_depth = 4;
  p.learning_rate = 0.3;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  const TreeShapExplainer e = tree_shap(gb);
  CHECK(e.scale() == ShapScale::Margin);
  const std::vector<double> margin = gb.decision_function(X.data(), 25, 10);
  auto ws = e.make_workspace();
  for (Eigen::Index r = 0; r < 25; ++r) {
    const double* row = X.data() + r * X.cols();
    const auto expected = brute_force_shap(nodes_of(gb.trees()), 10, row, 1.0, gb.base_margin(),
                                           SplitCompare::Double);
    std::vector<double> got(11);
    const RowAdditivity a = e.explain_row(row, got.data(), ws);
    for (std::size_t j = 0; j <= 10; ++j) CHECK(std::fabs(got[j] - expected[j]) <= kTol);
    CHECK(a.output == margin[static_cast<std::size_t>(r)]);  // bit for bit
    CHECK(a.residual <= 1e-12);
  }
}

TEST_CASE("tree shap: float32 splits compare as XGBoost predicts", "[explain]") {
  // x0 < 0.1: just below 0.1 goes left in double, but rounds to 0.1f in float32, which is not
  // below 0.1f: right. Values beyond float's range compare as infinities.
  std::vector<TreeNode> nodes(3);
  nodes[0].feature = 0;
  nodes[0].threshold = 0.1;
  nodes[0].left = 1;
  nodes[0].right = 2;
  nodes[0].cover = 10;
  nodes[1].value = -1.0;
  nodes[1].cover = 4;
  nodes[2].value = 1.0;
  nodes[2].cover = 6;
  const std::vector<double> below{0.1 - 1e-10};
  REQUIRE(static_cast<float>(below[0]) == static_cast<float>(0.1));
  const auto as_float = TreeShapExplainer::from_nodes({nodes}, 1, SplitCompare::Float32, {}, "f");
  const auto as_double = TreeShapExplainer::from_nodes({nodes}, 1, SplitCompare::Double, {}, "d");
  auto ws = as_float.make_workspace();
  std::vector<double> out(2);
  CHECK(as_float.explain_row(below.data(), out.data(), ws).output == 1.0);
  CHECK(out[0] == Approx(1.0 - 0.2));  // leaf 1 against the covers' mean 0.2
  std::vector<double> classic(1, 0.0);
  tree_shap_reference(nodes, SplitCompare::Float32, below.data(), classic.data());
  CHECK(classic[0] == Approx(out[0]));
  CHECK(as_double.explain_row(below.data(), out.data(), ws).output == -1.0);
  CHECK(out[0] == Approx(-1.0 - 0.2));
  CHECK(as_float.explain_row(std::vector<double>{1e300}.data(), out.data(), ws).output == 1.0);
  CHECK(as_float.explain_row(std::vector<double>{-1e300}.data(), out.data(), ws).output == -1.0);
}
