// What the explainers refuse, and the messages that say why: wrong widths, null input, trees
// without covers or whose covers do not add up, malformed trees, unfitted models.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "claimlens/random.hpp"
#include "ensemble/support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;

namespace {

// root: x0 < 0.5 -> leaves 1 (cover 30), 2 (cover 70).
std::vector<TreeNode> stump() {
  std::vector<TreeNode> n(3);
  n[0].feature = 0;
  n[0].threshold = 0.5;
  n[0].left = 1;
  n[0].right = 2;
  n[0].cover = 100;
  n[1].value = -1;
  n[1].cover = 30;
  n[2].value = 2;
  n[2].cover = 70;
  return n;
}

TreeShapExplainer build(const std::vector<std::vector<TreeNode>>& trees) {
  return TreeShapExplainer::from_nodes(trees, 2, SplitCompare::Double, {}, "Booster");
}

GradientBoostingClassifier small_booster() {
  Random rng(5);
  RowMatrix X(200, 3);
  std::vector<double> y(200);
  for (Eigen::Index r = 0; r < 200; ++r) {
    for (Eigen::Index c = 0; c < 3; ++c) X(r, c) = rng.normal();
    y[static_cast<std::size_t>(r)] = X(r, 0) + 0.5 * rng.normal() > 0 ? 1.0 : 0.0;
  }
  GradientBoostingParams p;
  p.n_estimators = 3;
  p.max_depth = 2;
  GradientBoostingClassifier gb(p);
  gb.fit(X, y);
  return gb;
}

}  // namespace

TEST_CASE("explain: a matrix of the wrong width or a null one is refused", "[explain][bad]") {
  const TreeShapExplainer e = build({stump()});
  const std::vector<double> x(9, 0.0);
  CHECK_THROWS_MATCHES(e.explain(x.data(), 3, 3), InvalidArgument,
                       MessageContains("TreeShapExplainer.explain: X has 3 columns but the model "
                                       "has 2 features"));
  CHECK_THROWS_MATCHES(e.explain(nullptr, 3, 2), InvalidArgument,
                       MessageContains("TreeShapExplainer.explain: X is null"));
  CHECK_THROWS_MATCHES(e.explain(x.data(), 3, 2, -2), InvalidArgument,
                       MessageContains("n_threads -2 is below -1"));
  CHECK(e.explain(nullptr, 0, 2).rows == 0);  // no rows: nothing to read
  TreeShapExplainer::Workspace foreign;       // not made by make_workspace()
  std::vector<double> out(3);
  CHECK_THROWS_MATCHES(e.explain_row(x.data(), out.data(), foreign), InvalidArgument,
                       MessageContains("the workspace is too small for this explainer"));
}

TEST_CASE("explain: trees without covers are refused, naming the tree", "[explain][bad]") {
  auto bare = stump();
  for (TreeNode& n : bare) n.cover = 0.0;
  CHECK_THROWS_MATCHES(build({stump(), bare}), StateError,
                       MessageContains("Booster: tree 1 has no covers (every node's cover is 0)"));
  auto one_zero = stump();
  one_zero[2].cover = 0.0;
  one_zero[0].cover = 30.0;
  CHECK_THROWS_MATCHES(build({one_zero}), StateError,
                       MessageContains("Booster: tree 0 node 2 has cover 0: covers must be finite "
                                       "and above 0"));
  auto negative = stump();
  negative[1].cover = -30.0;
  CHECK_THROWS_MATCHES(build({negative}), StateError,
                       MessageContains("Booster: tree 0 node 1 has cover -30"));
  auto uneven = stump();
  uneven[0].cover = 150.0;
  CHECK_THROWS_MATCHES(build({stump(), stump(), uneven}), StateError,
                       MessageContains("Booster: tree 2 node 0: its children's covers 30 + 70 do "
                                       "not add up to its cover 150"));
  auto rounded = stump();
  rounded[0].cover = 100.00001;  // float32-like rounding is within the tolerance
  CHECK_NOTHROW(build({rounded}));
  // A model whose file lost its covers: refused when explained, not when loaded.
  nlohmann::json doc = small_booster().to_json();
  for (auto& tree : doc["trees"]) {
    for (auto& c : tree["cover"]) c = 0.0;
  }
  const auto loaded = GradientBoostingClassifier::from_json(doc);
  CHECK_THROWS_MATCHES(tree_shap(loaded), StateError,
                       MessageContains("GradientBoostingClassifier: tree 0 has no covers"));
}

TEST_CASE("explain: malformed trees are refused, naming the tree and node", "[explain][bad]") {
  auto out_of_range = stump();
  out_of_range[0].right = 7;
  CHECK_THROWS_MATCHES(build({out_of_range}), InvalidArgument,
                       MessageContains("Booster: tree 0 node 0: child 7 is not a node index in "
                                       "[0, 3)"));
  auto feature = stump();
  feature[0].feature = 2;
  CHECK_THROWS_MATCHES(build({feature}), InvalidArgument,
                       MessageContains("Booster: tree 0 node 0: split feature 2 is not below the "
                                       "model's 2 features"));
  auto cycle = stump();
  cycle[0].left = 0;
  CHECK_THROWS_MATCHES(build({cycle}), InvalidArgument,
                       MessageContains("Booster: tree 0 node 0 is reached twice"));
  auto lost = stump();
  lost.push_back(lost[1]);
  CHECK_THROWS_MATCHES(build({lost}), InvalidArgument,
                       MessageContains("Booster: tree 0 node 3 is not reached from the root"));
  auto nan_leaf = stump();
  nan_leaf[2].value = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_MATCHES(build({nan_leaf}), InvalidArgument,
                       MessageContains("Booster: tree 0 node 2: leaf value nan is not finite"));
  CHECK_THROWS_MATCHES(build({{}}), InvalidArgument,
                       MessageContains("Booster: tree 0 has no nodes"));
}

TEST_CASE("explain: unfitted ensembles are refused", "[explain][bad]") {
  CHECK_THROWS_MATCHES(tree_shap(RandomForestClassifier()), StateError,
                       MessageContains("RandomForestClassifier.explain: the model is not fitted"));
  CHECK_THROWS_MATCHES(tree_shap(GradientBoostingClassifier()), StateError,
                       MessageContains("GradientBoostingClassifier.explain: the model is not "
                                       "fitted"));
}
