// Mostly-constant and mostly-missing features (their histograms come from exception rows) keep
// the fit deterministic across thread counts, and the allocation-free batch scoring gives the
// single-row bits.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;

using claimlens::testing::sparse_data;

TEST_CASE("boosting: sparse and missing features, the same model whatever n_jobs", "[boosting]") {
  RowMatrix X;
  std::vector<double> y;
  sparse_data(X, y, 12000, 5);
  GradientBoostingParams p;
  p.n_estimators = 15;
  p.max_depth = 5;
  p.min_child_weight = 0.5;
  p.random_state = 2;
  std::vector<nlohmann::json> trees;
  std::vector<std::vector<double>> proba;
  for (int jobs : {1, 2, 3}) {
    p.n_jobs = jobs;
    GradientBoostingClassifier m(p);
    m.fit(X, y);
    trees.push_back(m.to_json()["trees"]);
    proba.push_back(m.predict_proba(X));
  }
  CHECK(trees[0] == trees[1]);
  CHECK(trees[0] == trees[2]);
  CHECK(proba[0] == proba[1]);
  CHECK(proba[0] == proba[2]);
  // The sparse columns carry signal: some split uses them.
  GradientBoostingClassifier m(p);
  m.fit(X, y);
  const auto imp = m.feature_importances(ImportanceType::Weight);
  CHECK(imp[2] > 0.0);
  CHECK(imp[3] > 0.0);
}

TEST_CASE("forest: sparse and missing features, the same model whatever n_jobs", "[forest]") {
  RowMatrix X;
  std::vector<double> y;
  sparse_data(X, y, 8000, 9);
  for (std::size_t r = 0; r < 8000; ++r) {  // the forest does not take NaN: impute the column
    const auto i = static_cast<Eigen::Index>(r);
    if (std::isnan(X(i, 7))) X(i, 7) = 0.0;
  }
  RandomForestParams p;
  p.n_estimators = 6;
  p.random_state = 4;
  p.n_jobs = 1;
  RandomForestClassifier a(p);
  a.fit(X, y);
  p.n_jobs = 2;
  RandomForestClassifier b(p);
  b.fit(X, y);
  CHECK(a.to_json()["trees"] == b.to_json()["trees"]);
}

TEST_CASE("predict_proba_rows gives predict_proba_row's bits and checks its inputs", "[predict]") {
  RowMatrix X;
  std::vector<double> y;
  sparse_data(X, y, 3000, 13);
  GradientBoostingParams gp;
  gp.n_estimators = 40;
  GradientBoostingClassifier gb(gp);
  std::vector<double> out(3000, -1.0);
  CHECK_THROWS_MATCHES(gb.predict_proba_rows(X.data(), 3000, 8, out.data()), StateError,
                       MessageContains("not fitted"));
  gb.fit(X, y);
  RowMatrix Xf = X;  // the forest takes no NaN
  for (Eigen::Index r = 0; r < Xf.rows(); ++r) {
    if (std::isnan(Xf(r, 7))) Xf(r, 7) = -1.0;
  }
  RandomForestParams fp;
  fp.n_estimators = 30;
  RandomForestClassifier rf(fp);
  rf.fit(Xf, y);

  // 3000 rows: many 64-row blocks and a partial one.
  gb.predict_proba_rows(X.data(), 3000, 8, out.data());
  std::size_t mismatches = 0;
  for (std::size_t r = 0; r < 3000; ++r) {
    mismatches += out[r] != gb.predict_proba_row(X.data() + r * 8);
  }
  CHECK(mismatches == 0);
  CHECK(out == gb.predict_proba(X));
  rf.predict_proba_rows(Xf.data(), 3000, 8, out.data());
  for (std::size_t r = 0; r < 3000; ++r) {
    mismatches += out[r] != rf.predict_proba_row(Xf.data() + r * 8);
  }
  CHECK(mismatches == 0);
  CHECK(out == rf.predict_proba(Xf));

  // Zero rows write nothing; wrong width and null pointers are named.
  gb.predict_proba_rows(nullptr, 0, 8, nullptr);
  CHECK_THROWS_MATCHES(gb.predict_proba_rows(X.data(), 2, 7, out.data()), InvalidArgument,
                       MessageContains("X has 7 columns but the model was fitted on 8"));
  CHECK_THROWS_MATCHES(rf.predict_proba_rows(Xf.data(), 2, 9, out.data()), InvalidArgument,
                       MessageContains("X has 9 columns but the model was fitted on 8"));
  CHECK_THROWS_MATCHES(gb.predict_proba_rows(X.data(), 2, 8, nullptr), InvalidArgument,
                       MessageContains("out is null"));
  CHECK_THROWS_MATCHES(rf.predict_proba_rows(nullptr, 2, 8, out.data()), InvalidArgument,
                       MessageContains("x is null"));
}
