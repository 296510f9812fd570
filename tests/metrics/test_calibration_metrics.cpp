// Brier score, log loss, calibration_curve and ECE against scikit-learn 1.2 / numpy on the cases
// of tests/fixtures/sklearn_calibration.json (tests/fixtures/scripts/sklearn_calibration.py),
// plus the refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/metrics/metrics.hpp"
#include "support/calibration_fixture.hpp"

using claimlens::CalibrationStrategy;
using nlohmann::json;

namespace {

using claimlens::testing::calibration_fixture;

constexpr double kTol = 1e-12;

void check_vector(const std::vector<double>& actual, const json& expected,
                  const std::string& what) {
  claimlens::testing::check_close(actual, expected, kTol, what);
}

// Every metric of one block (probabilities p with labels y).
void check_metrics(const std::vector<int>& y, const std::vector<double>& p, const json& block,
                   const std::string& name) {
  INFO(name);
  CHECK(std::abs(claimlens::brier_score_loss(y, p) - block["brier"].get<double>()) <= kTol);
  CHECK(std::abs(claimlens::log_loss(y, p) - block["log_loss"].get<double>()) <= kTol);
  for (const auto& c : block["curves"]) {
    const auto strategy =
        claimlens::calibration_strategy_from_name(c["strategy"].get<std::string>());
    const int n_bins = c["n_bins"].get<int>();
    const auto curve = claimlens::calibration_curve(y, p, n_bins, strategy);
    const std::string what = c["strategy"].get<std::string>() + " n_bins=" + std::to_string(n_bins);
    check_vector(curve.prob_true, c["prob_true"], what + " prob_true");
    check_vector(curve.prob_pred, c["prob_pred"], what + " prob_pred");
    REQUIRE(curve.edges.size() == static_cast<std::size_t>(n_bins) + 1);
    std::int64_t total = 0;
    for (auto k : curve.count) total += k;
    CHECK(total == static_cast<std::int64_t>(y.size()));
  }
  for (const auto& e : block["ece"]) {
    const auto strategy =
        claimlens::calibration_strategy_from_name(e["strategy"].get<std::string>());
    const double ece =
        claimlens::expected_calibration_error(y, p, e["n_bins"].get<int>(), strategy);
    INFO(e["strategy"].get<std::string>() << " n_bins=" << e["n_bins"] << " ece " << ece);
    CHECK(std::abs(ece - e["value"].get<double>()) <= kTol);
  }
}

}  // namespace

TEST_CASE("calibration metrics: Brier, log loss, calibration_curve and ECE match sklearn/numpy") {
  int blocks = 0;
  for (const auto& c : calibration_fixture()["cases"]) {
    const auto y = c["y"].get<std::vector<int>>();
    const std::string name = c["name"].get<std::string>();
    if (c.contains("metrics")) {
      check_metrics(y, c["scores"].get<std::vector<double>>(), c["metrics"], name);
      ++blocks;
    }
    // The isotonic-calibrated probabilities: many ties, exact 0 and 1.
    const auto calibrated = c["isotonic"]["predict_scores"].get<std::vector<double>>();
    check_metrics(y, calibrated, c["isotonic_metrics"], name + " (isotonic)");
    ++blocks;
  }
  CHECK(blocks >= 8);
}

TEST_CASE("calibration_curve: bin edges and which bins are dropped, by hand") {
  // scikit-learn's docstring example.
  const std::vector<int> y = {0, 0, 0, 0, 1, 1, 1, 1, 1};
  const std::vector<double> p = {0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0};
  const auto curve = claimlens::calibration_curve(y, p, 3);
  CHECK(curve.prob_true == std::vector<double>{0.0, 0.5, 1.0});
  CHECK(curve.prob_pred[0] == Approx(0.2));
  CHECK(curve.prob_pred[1] == Approx(0.525));
  CHECK(curve.prob_pred[2] == Approx(0.85));
  // A probability on an inner edge (0.5 with 2 bins) goes to the lower bin; empty bins vanish.
  const std::vector<int> y2 = {0, 1, 1};
  const std::vector<double> p2 = {0.5, 0.5, 0.5};
  const auto two = claimlens::calibration_curve(y2, p2, 2);
  REQUIRE(two.count == std::vector<std::int64_t>{3});
  CHECK(two.prob_pred == std::vector<double>{0.5});
  const auto five = claimlens::calibration_curve(y2, p2, 5, CalibrationStrategy::Quantile);
  CHECK(five.edges == std::vector<double>(6, 0.5));  // repeated quantile edges, as numpy's
  CHECK(five.count == std::vector<std::int64_t>{3});
  // ECE of a perfectly calibrated bin is 0; of a constant 0.5 against all-ones it is 0.5.
  CHECK(claimlens::expected_calibration_error(std::vector<int>{1, 1},
                                              std::vector<double>{0.5, 0.5}) == 0.5);
}

TEST_CASE("calibration metrics refuse bad input, naming it") {
  const std::vector<int> y = {0, 1, 1};
  const std::vector<double> p = {0.1, 0.7, 0.9};
  using Catch::Matchers::Contains;
  CHECK_THROWS_WITH(claimlens::brier_score_loss(y, std::vector<double>{0.1, 0.2}),
                    Contains("y_true has 3 samples but y_prob has 2"));
  CHECK_THROWS_WITH(claimlens::calibration_curve(y, std::vector<double>{0.1, NAN, 0.2}),
                    Contains("y_prob[1]") && Contains("not a probability in [0, 1]"));
  CHECK_THROWS_WITH(claimlens::brier_score_loss(y, std::vector<double>{0.1, 1.5, 0.2}),
                    Contains("y_prob[1] = 1.5"));
  CHECK_THROWS_WITH(claimlens::calibration_curve(std::vector<int>{0, 2, 1}, p),
                    Contains("binary labels 0/1, got 2 at index 1"));
  CHECK_THROWS_WITH(claimlens::calibration_curve(y, p, 0), Contains("n_bins must be at least 1"));
  CHECK_THROWS_WITH(
      claimlens::expected_calibration_error(std::vector<int>{}, std::vector<double>{}),
      Contains("y_true is empty"));
  CHECK_THROWS_WITH(claimlens::calibration_strategy_from_name("kmeans"),
                    "strategy must be \"uniform\" or \"quantile\", not \"kmeans\"");
  CHECK_THROWS_AS(claimlens::brier_score_loss(y, std::vector<double>{0.1, -0.1, 0.2}),
                  claimlens::InvalidArgument);
}
