// Isotonic and Platt calibration against scikit-learn 1.2 on the cases of
// tests/fixtures/sklearn_calibration.json (tests/fixtures/scripts/sklearn_calibration.py): the
// isotonic thresholds and predictions to 1e-12; Platt's parameters at an objective no worse than
// scikit-learn's _sigmoid_calibration and within 1e-6 of the optimum found independently in
// 50-digit arithmetic, with a gradient ~0; JSON round trips; the refusals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/calibration/calibrators.hpp"
#include "claimlens/error.hpp"
#include "support/calibration_fixture.hpp"

using Catch::Matchers::Contains;
using claimlens::CalibrationMethod;
using claimlens::Calibrator;
using claimlens::IsotonicCalibrator;
using claimlens::SigmoidCalibrator;
using nlohmann::json;

namespace {

const json& fixture() {
  return claimlens::testing::calibration_fixture();
}

using claimlens::testing::check_close;

}  // namespace

TEST_CASE("isotonic calibration equals sklearn's IsotonicRegression(out_of_bounds='clip')") {
  REQUIRE(fixture()["cases"].size() >= 5);
  for (const auto& c : fixture()["cases"]) {
    const std::string name = c["name"].get<std::string>();
    INFO("case " << name);
    const auto scores = c["scores"].get<std::vector<double>>();
    const auto y = c["y"].get<std::vector<int>>();
    const json& expected = c["isotonic"];
    const auto iso = IsotonicCalibrator::fit(scores, y);
    check_close(iso.x_thresholds(), expected["x_thresholds"], 0.0, "x_thresholds");
    check_close(iso.y_thresholds(), expected["y_thresholds"], 1e-12, "y_thresholds");
    check_close(iso.predict(scores), expected["predict_scores"], 1e-12, "predict(scores)");
    const auto grid = expected["grid"].get<std::vector<double>>();
    check_close(iso.predict(grid), expected["predict_grid"], 1e-12, "predict(grid)");
  }
}

TEST_CASE("isotonic calibration: ties averaged, x closer than 1e-15 merged, clipping") {
  const json* hand = nullptr;
  for (const auto& c : fixture()["cases"]) {
    if (c["name"] == "hand_ties") hand = &c;
  }
  REQUIRE(hand != nullptr);
  const auto iso = IsotonicCalibrator::fit((*hand)["scores"].get<std::vector<double>>(),
                                           (*hand)["y"].get<std::vector<int>>());
  // 0.7, 0.7 + 4e-16 and 0.7 + 8e-16 are one point; 0.7 + 1.2e-15 is not (sklearn's rule).
  const auto& x = iso.x_thresholds();
  CHECK(std::count_if(x.begin(), x.end(), [](double v) { return std::abs(v - 0.7) < 1e-12; }) == 2);
  CHECK(iso.predict(-5.0) == iso.y_thresholds().front());
  CHECK(iso.predict(5.0) == iso.y_thresholds().back());
  CHECK(std::isnan(iso.predict(NAN)));
  // Pool-adjacent-violators by hand: [1, 3, 2, 2, 4] with weights [1, 1, 1, 2, 1].
  const auto pooled = claimlens::isotonic_regression(std::vector<double>{1, 3, 2, 2, 4},
                                                     std::vector<double>{1, 1, 1, 2, 1});
  CHECK(pooled == std::vector<double>{1, 2.25, 2.25, 2.25, 4});
}

TEST_CASE("Platt scaling reaches the optimum: no worse than sklearn, within 1e-6 of the optimum") {
  for (const auto& c : fixture()["cases"]) {
    const std::string name = c["name"].get<std::string>();
    INFO("case " << name);
    const auto scores = c["scores"].get<std::vector<double>>();
    const auto y = c["y"].get<std::vector<int>>();
    const json& sk = c["platt"];
    const json& opt = sk["optimum"];
    const auto platt = SigmoidCalibrator::fit(scores, y);
    const double mine = claimlens::sigmoid_objective(scores, y, platt.a(), platt.b());
    const double theirs =
        claimlens::sigmoid_objective(scores, y, sk["a"].get<double>(), sk["b"].get<double>());
    const double best = opt["objective"].get<double>();
    INFO("objective: ours " << mine << ", sklearn " << theirs << " (its own "
                            << sk["objective"].get<double>() << "), optimum " << best);
    CHECK(platt.report().converged);
    CHECK(platt.report().objective == mine);
    CHECK(mine <= theirs + 1e-13 * std::max(1.0, theirs));  // no worse, to summation rounding
    CHECK(std::abs(mine - best) <= 1e-6);
    CHECK(std::abs(mine - best) <= 1e-11 * std::max(1.0, best));  // in fact, to rounding
    CHECK(platt.a() == Approx(opt["a"].get<double>()).epsilon(1e-7));
    CHECK(platt.b() == Approx(opt["b"].get<double>()).epsilon(1e-7).margin(1e-9));
    // The gradient vanishes: against the sizes of its terms, sum |s_i| and n.
    double gradient[2];
    claimlens::sigmoid_gradient(scores, y, platt.a(), platt.b(), gradient);
    double scale = 0.0;
    for (double s : scores) scale += std::abs(s);
    INFO("gradient " << gradient[0] << ", " << gradient[1]);
    CHECK(std::abs(gradient[0]) <= 1e-9 * std::max(1.0, scale));
    CHECK(std::abs(gradient[1]) <= 1e-9 * static_cast<double>(scores.size()));
    // Calibrated probabilities: 1 / (1 + exp(a s + b)), increasing in the score here (a < 0).
    CHECK(platt.a() < 0);
    CHECK(platt.predict(scores[0]) ==
          Approx(1.0 / (1.0 + std::exp(platt.a() * scores[0] + platt.b()))).epsilon(1e-15));
  }
}

TEST_CASE("Platt scaling is stable far from zero and passes NaN through") {
  const SigmoidCalibrator steep(-50.0, 1.0);
  CHECK(steep.predict(1e6) == 1.0);
  CHECK(steep.predict(-1e6) == 0.0);
  CHECK(steep.predict(1e300) == 1.0);
  CHECK(std::isnan(steep.predict(NAN)));
  CHECK(steep.predict(0.02) == Approx(0.5));
  CHECK_THROWS_WITH(SigmoidCalibrator(NAN, 0.0), Contains("a and b must be finite"));
}

TEST_CASE("probability_logit: finite log-odds of clipped probabilities") {
  CHECK(claimlens::probability_logit(0.5) == 0.0);
  CHECK(claimlens::probability_logit(0.8) == Approx(std::log(4.0)));
  CHECK(claimlens::probability_logit(0.0) == Approx(-36.0436533891).epsilon(1e-9));
  CHECK(claimlens::probability_logit(1.0) == Approx(36.0436533891).epsilon(1e-9));
  CHECK(std::isnan(claimlens::probability_logit(NAN)));
}

TEST_CASE("calibrators round-trip through JSON and saved calibrators are checked by key path") {
  const auto& c = fixture()["cases"][0];
  const auto scores = c["scores"].get<std::vector<double>>();
  const auto y = c["y"].get<std::vector<int>>();
  for (auto method : {CalibrationMethod::Sigmoid, CalibrationMethod::Isotonic}) {
    const Calibrator fitted = Calibrator::fit(method, scores, y);
    const json saved = json::parse(fitted.to_json().dump());
    const Calibrator loaded = Calibrator::from_json(saved);
    CHECK(loaded.method() == method);
    CHECK(loaded.predict(scores) == fitted.predict(scores));
    CHECK(loaded.to_json() == fitted.to_json());
  }
  const auto bad = [](const std::string& text) { Calibrator::from_json(json::parse(text)); };
  CHECK_THROWS_AS(bad(R"({"method": "platt"})"), claimlens::ModelFormatError);
  CHECK_THROWS_WITH(bad(R"({"method": "platt"})"), Contains("'method'"));
  CHECK_THROWS_WITH(bad(R"({"method": "sigmoid", "a": 1})"), Contains("'b'"));
  CHECK_THROWS_WITH(
      bad(R"({"method": "sigmoid", "a": "x", "b": 0, "iterations": 1, "converged": true,
              "objective": 1})"),
      Contains("'a'"));
  CHECK_THROWS_WITH(bad(R"({"method": "isotonic", "x_thresholds": [0, 1], "y_thresholds": [0]})"),
                    Contains("'y_thresholds'"));
  CHECK_THROWS_WITH(
      bad(R"({"method": "isotonic", "x_thresholds": [0, 0.5, 0.4], "y_thresholds": [0, 0.5, 1]})"),
      Contains("'x_thresholds[2]'") && Contains("greater than the threshold before it"));
  CHECK_THROWS_WITH(
      bad(R"({"method": "isotonic", "x_thresholds": [0, 1], "y_thresholds": [0.5, 0.2]})"),
      Contains("'y_thresholds[1]'"));
  CHECK_THROWS_WITH(
      bad(R"({"method": "isotonic", "x_thresholds": [0, 1], "y_thresholds": [0, 1.5]})"),
      Contains("'y_thresholds[1]'") && Contains("[0, 1]"));
  CHECK_THROWS_WITH(
      bad(R"({"method": "isotonic", "x_thresholds": [0], "y_thresholds": [0], "extra": 1})"),
      Contains("extra"));
  CHECK_THROWS_WITH(claimlens::calibration_method_from_name("beta", "--method"),
                    "--method must be \"sigmoid\" or \"isotonic\", not \"beta\"");
}

TEST_CASE("calibrators refuse bad calibration data, naming it") {
  const std::vector<double> s = {0.1, 0.4, 0.35, 0.8};
  const std::vector<int> y = {0, 0, 1, 1};
  for (auto method : {CalibrationMethod::Sigmoid, CalibrationMethod::Isotonic}) {
    const std::string who =
        method == CalibrationMethod::Sigmoid ? "sigmoid calibration: " : "isotonic calibration: ";
    const auto fit = [method](const std::vector<double>& scores, const std::vector<int>& labels) {
      Calibrator::fit(method, scores, labels);
    };
    CHECK_THROWS_WITH(fit(s, std::vector<int>{0, 0, 0, 0}),
                      who +
                          "y holds only class 0 (4 rows); a calibrator needs rows of both "
                          "classes");
    CHECK_THROWS_WITH(fit(s, std::vector<int>{1, 1, 1, 1}), Contains("y holds only class 1"));
    CHECK_THROWS_WITH(fit(std::vector<double>(4, 0.25), y),
                      who +
                          "the 4 calibration scores are all equal (0.25); a calibrator needs "
                          "at least two distinct scores");
    CHECK_THROWS_WITH(fit(s, std::vector<int>{0, 1, 1}), who + "scores has 4 values but y has 3");
    CHECK_THROWS_WITH(fit(std::vector<double>{0.1, NAN, 0.3, 0.2}, y),
                      who + "scores[1] is NaN; scores must be finite");
    CHECK_THROWS_WITH(fit(std::vector<double>{0.1, 0.2, INFINITY, 0.2}, y),
                      Contains("scores[2] is inf"));
    CHECK_THROWS_WITH(fit(s, std::vector<int>{0, 2, 1, 1}), Contains("y[1] = 2 is not a 0/1"));
    CHECK_THROWS_WITH(fit(std::vector<double>{}, std::vector<int>{}), who + "scores is empty");
  }
  CHECK_THROWS_WITH(IsotonicCalibrator({0.0, 1.0}, {0.0}), Contains("x_thresholds has 2 values"));
}
