// Additivity on every row of the seed's test split (tests/fixtures/ensemble_claim_*.json, made
// by tests/fixtures/scripts/ensemble_claim.py): the seed's forest and booster, the booster on
// NaN-injected data; the same bits whatever the thread count and row by row; the table and
// quadrature leaves and the classic reference agree.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "ensemble/support.hpp"

using namespace claimlens;
using namespace claimlens::testing;
using nlohmann::json;

namespace {

const json& reference() {
  static const json j = json::parse(read_text_file(fixture_path("ensemble_claim_reference.json")));
  return j;
}

const LabeledMatrix& train() {
  static const LabeledMatrix m = load_claim_matrix("ensemble_claim_train.json");
  return m;
}

const LabeledMatrix& test() {
  static const LabeledMatrix m = load_claim_matrix("ensemble_claim_test.json");
  return m;
}

// Every row of v explained by explain_row equals the batch, bit for bit.
void check_rows_match_batch(const TreeShapExplainer& e, const RowMatrix& X, const ShapValues& v) {
  auto ws = e.make_workspace();
  std::vector<double> row(e.width());
  for (Eigen::Index r = 0; r < X.rows(); r += 97) {
    const RowAdditivity a = e.explain_row(X.data() + r * X.cols(), row.data(), ws);
    const auto at = static_cast<std::size_t>(r);
    CHECK(a.output == v.output[at]);
    CHECK(a.residual == v.residual[at]);
    CHECK(std::equal(row.begin(), row.end(), v.values.begin() + at * e.width()));
  }
}

}  // namespace

TEST_CASE("real data: the seed's forest is additive on every test row", "[explain][real]") {
  auto params = RandomForestParams::from_json(reference()["forest_params"]);
  params.n_jobs = -1;
  RandomForestClassifier rf(params);
  rf.fit(train().X, train().y);
  const TreeShapExplainer e = tree_shap(rf);
  const ShapValues v = e.explain(test().X, 2);
  REQUIRE(v.rows == 3817);
  REQUIRE(v.width() == 26);
  const std::vector<double> p = rf.predict_proba(test().X);
  for (std::size_t r = 0; r < v.rows; ++r) CHECK(v.output[r] == p[r]);  // P(claim), same bits
  INFO("largest additivity residual " << v.max_residual());
  CHECK(v.max_residual() < 1e-9);
  const ShapValues one = e.explain(test().X, 1);
  CHECK(one.values == v.values);  // the same bits on 1 and 2 threads
  check_rows_match_batch(e, test().X, v);
  // Every leaf by quadrature (no tables) agrees to 1e-12.
  TreeShapOptions quadrature;
  quadrature.max_table_bytes = 0;
  const ShapValues q = tree_shap(rf, quadrature).explain(test().X, 2);
  double most = 0.0;
  for (std::size_t i = 0; i < q.values.size(); ++i) {
    most = std::max(most, std::fabs(q.values[i] - v.values[i]));
  }
  CHECK(most <= 1e-12);
}

TEST_CASE("real data: the seed's booster is additive on every test row", "[explain][real]") {
  for (const bool nans : {false, true}) {
    LabeledMatrix tr = train(), te = test();
    if (nans) {
      inject_nans(tr.X, reference()["nan_rule"]);
      inject_nans(te.X, reference()["nan_rule"]);
    }
    auto params = GradientBoostingParams::from_json(reference()["boost_params"]);
    params.n_jobs = -1;
    GradientBoostingClassifier gb(params);
    gb.fit(tr.X, tr.y);
    const TreeShapExplainer e = tree_shap(gb);
    const ShapValues v = e.explain(te.X, 2);
    const std::vector<double> margin =
        gb.decision_function(te.X.data(), v.rows, static_cast<std::size_t>(te.X.cols()));
    double worst = 0.0;
    for (std::size_t r = 0; r < v.rows; ++r) {
      CHECK(v.output[r] == margin[r]);
      worst = std::max(worst, v.residual[r] / std::max(1.0, std::fabs(margin[r])));
    }
    INFO("NaN " << nans << ": largest relative additivity residual " << worst);
    CHECK(worst < 1e-6);
    CHECK(e.explain(te.X, 1).values == v.values);
    check_rows_match_batch(e, te.X, v);
    // The classic reference (depth 4: short paths, where it is accurate) agrees to 1e-12.
    std::vector<std::vector<TreeNode>> nodes;
    for (const Tree& t : gb.trees()) nodes.push_back(t.nodes());
    double most = 0.0;
    for (std::size_t r = 0; r < v.rows; r += 7) {
      std::vector<double> phi(25, 0.0);
      for (const auto& t : nodes) {
        tree_shap_reference(t, SplitCompare::Double, te.X.data() + r * 25, phi.data());
      }
      for (std::size_t j = 0; j < 25; ++j) most = std::max(most, std::fabs(phi[j] - v.at(r, j)));
    }
    CHECK(most <= 1e-12);
  }
}
