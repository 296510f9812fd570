// Out-of-fold calibration against scikit-learn's CalibratedClassifierCV(ensemble=False, cv=5)
// run end to end in tests/fixtures/scripts/sklearn_calibration.py with a one-feature centroid
// scorer, which this test refits exactly through the FoldScorer callback.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/calibration/out_of_fold.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pairwise_sum.hpp"
#include "support/calibration_fixture.hpp"

using Catch::Matchers::Contains;
using claimlens::CalibrationMethod;
using nlohmann::json;

namespace {

claimlens::OutOfFoldOptions folds(std::size_t n_splits) {
  claimlens::OutOfFoldOptions o;
  o.n_splits = n_splits;
  return o;
}

const json& block() {
  return claimlens::testing::calibration_fixture()["calibrated_cv"];
}

// The fixture's CentroidScorer: (x - (m1 + m0) / 2) (m1 - m0), m_k numpy means over class k.
struct Centroid {
  double m0 = 0, m1 = 0;

  static Centroid fit(const std::vector<double>& x, const std::vector<int>& y,
                      const std::vector<std::size_t>& rows) {
    std::vector<double> by_class[2];
    for (std::size_t r : rows) by_class[y[r]].push_back(x[r]);
    const auto mean = [](const std::vector<double>& v) {
      return claimlens::pairwise_sum(v.data(), v.size()) / static_cast<double>(v.size());
    };
    return {mean(by_class[0]), mean(by_class[1])};
  }
  double score(double x) const { return (x - (m1 + m0) / 2) * (m1 - m0); }
};

}  // namespace

TEST_CASE("out-of-fold calibration equals CalibratedClassifierCV(ensemble=False)") {
  const auto x = block()["x"].get<std::vector<double>>();
  const auto y = block()["y"].get<std::vector<int>>();
  std::vector<std::vector<std::size_t>> seen_tests;
  const claimlens::FoldScorer scorer = [&](const std::vector<std::size_t>& train,
                                           const std::vector<std::size_t>& test) {
    seen_tests.push_back(test);
    const Centroid model = Centroid::fit(x, y, train);
    std::vector<double> out;
    for (std::size_t r : test) out.push_back(model.score(x[r]));
    return out;
  };
  const auto oof = claimlens::out_of_fold_scores(y, scorer);
  // scikit-learn's StratifiedKFold(5) folds, and its cross_val_predict scores.
  CHECK(seen_tests == block()["test_folds"].get<std::vector<std::vector<std::size_t>>>());
  const auto expected = block()["oof_scores"].get<std::vector<double>>();
  REQUIRE(oof.size() == expected.size());
  for (std::size_t i = 0; i < oof.size(); ++i) CHECK(oof[i] == Approx(expected[i]).margin(1e-12));

  std::vector<std::size_t> all(x.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const Centroid final_model = Centroid::fit(x, y, all);  // fitted on every row afterwards
  const auto x_new = block()["x_new"].get<std::vector<double>>();
  std::vector<double> new_scores;
  for (double v : x_new) new_scores.push_back(final_model.score(v));

  const auto isotonic =
      claimlens::fit_calibrator_out_of_fold(CalibrationMethod::Isotonic, y, scorer);
  const auto iso_expected = block()["isotonic"].get<std::vector<double>>();
  const auto iso_p = isotonic.predict(new_scores);
  for (std::size_t i = 0; i < iso_p.size(); ++i) {
    CHECK(iso_p[i] == Approx(iso_expected[i]).margin(1e-12));
  }
  // scikit-learn's sigmoid stops BFGS near the optimum; ours is at it: probabilities within 1e-6.
  const auto sigmoid = claimlens::fit_calibrator_out_of_fold(CalibrationMethod::Sigmoid, y, scorer);
  const auto sig_expected = block()["sigmoid"].get<std::vector<double>>();
  const auto sig_p = sigmoid.predict(new_scores);
  for (std::size_t i = 0; i < sig_p.size(); ++i) {
    CHECK(sig_p[i] == Approx(sig_expected[i]).margin(1e-6));
  }
  REQUIRE(sigmoid.sigmoid() != nullptr);
  CHECK(claimlens::sigmoid_objective(oof, y, sigmoid.sigmoid()->a(), sigmoid.sigmoid()->b()) <=
        claimlens::sigmoid_objective(oof, y, block()["sigmoid_a"].get<double>(),
                                     block()["sigmoid_b"].get<double>()));
}

TEST_CASE("out-of-fold scores refuse too few rows per fold and bad scorers") {
  const std::vector<int> y = {0, 1, 0, 1, 0, 1, 0, 0, 1, 0};  // 4 positives
  const claimlens::FoldScorer constant = [](const std::vector<std::size_t>&,
                                            const std::vector<std::size_t>& test) {
    return std::vector<double>(test.size(), 0.5);
  };
  CHECK_NOTHROW(claimlens::out_of_fold_scores(y, constant, folds(4)));
  CHECK_THROWS_WITH(
      claimlens::out_of_fold_scores(y, constant, folds(5)),
      "out_of_fold_scores: n_splits = 5 folds need at least 5 rows of each class (every fold "
      "holds both classes, so at least 2 rows per fold); class 1 has 4 of 10 rows");
  CHECK_THROWS_WITH(claimlens::out_of_fold_scores(y, constant, folds(1)),
                    Contains("n_splits must be at least 2, not 1"));
  CHECK_THROWS_WITH(claimlens::out_of_fold_scores(std::vector<int>{}, constant),
                    Contains("y is empty"));
  CHECK_THROWS_WITH(claimlens::out_of_fold_scores(std::vector<int>{0, 1, 3}, constant, folds(2)),
                    Contains("y[2] = 3 is not a 0/1 label"));
  const claimlens::FoldScorer short_scorer = [](const std::vector<std::size_t>&,
                                                const std::vector<std::size_t>& test) {
    return std::vector<double>(test.size() - 1, 0.5);
  };
  CHECK_THROWS_WITH(claimlens::out_of_fold_scores(y, short_scorer, folds(2)),
                    Contains("fold 0: the scorer returned 4 scores for 5 test rows"));
  const claimlens::FoldScorer nan_scorer = [](const std::vector<std::size_t>&,
                                              const std::vector<std::size_t>& test) {
    std::vector<double> out(test.size(), 0.5);
    out[1] = NAN;
    return out;
  };
  CHECK_THROWS_WITH(claimlens::out_of_fold_scores(y, nan_scorer, folds(2)),
                    Contains("fold 0: the score of row") && Contains("is NaN"));
  // All-equal out-of-fold scores: the calibrator refuses them.
  CHECK_THROWS_WITH(
      claimlens::fit_calibrator_out_of_fold(CalibrationMethod::Isotonic, y, constant, folds(2)),
      Contains("calibration scores are all equal (0.5)"));
}

TEST_CASE("out-of-fold scores report their progress once per fold") {
  const std::vector<int> y = {0, 1, 0, 1, 0, 1, 0, 0, 1, 0};
  const claimlens::FoldScorer constant = [](const std::vector<std::size_t>&,
                                            const std::vector<std::size_t>& test) {
    return std::vector<double>(test.size(), 0.5);
  };
  std::vector<double> seen;
  claimlens::OutOfFoldOptions o = folds(4);
  o.progress = [&seen](double f) { seen.push_back(f); };
  claimlens::out_of_fold_scores(y, constant, o);
  CHECK(seen == std::vector<double>{0.25, 0.5, 0.75, 1.0});
}
