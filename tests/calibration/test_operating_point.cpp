// Operating points: a threshold case built by hand (ties, unreachable targets), the rule checked
// against brute force on tied random scores, the seeded bootstrap, JSON and the refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/calibration/operating_point.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"

using Catch::Matchers::Contains;
using claimlens::BootstrapOptions;
using claimlens::OperatingPoint;
using claimlens::OperatingTarget;
using nlohmann::json;

namespace {

// Scores with ties; by group from the top: 0.9 (1 tp, 1 fp), 0.8 (+3 tp), 0.7 (+1 fp),
// 0.6 (+1 tp, +1 fp), 0.3 (+1 tp), 0.1 (+1 fp). Six positives, four negatives.
const std::vector<double> kScores = {0.9, 0.9, 0.8, 0.8, 0.8, 0.7, 0.6, 0.6, 0.3, 0.1};
const std::vector<int> kLabels = {1, 0, 1, 1, 1, 0, 1, 0, 1, 0};
const BootstrapOptions kNoBootstrap{0, 0, 0.95};

OperatingPoint choose(OperatingTarget metric, double target,
                      const std::vector<double>& scores = kScores,
                      const std::vector<int>& y = kLabels) {
  return claimlens::choose_operating_point(scores, y, metric, target, kNoBootstrap);
}

}  // namespace

TEST_CASE("operating point by hand: ties, highest recall at a target precision") {
  auto p = choose(OperatingTarget::Precision, 0.8);
  CHECK(p.threshold == 0.7);  // auto-label scores > 0.7: the 0.9 and 0.8 groups
  CHECK(p.tp == 4);
  CHECK(p.fp == 1);
  CHECK(p.fn == 2);
  CHECK(p.tn == 3);
  CHECK(p.precision == 0.8);
  CHECK(p.recall == 4.0 / 6.0);
  CHECK(!p.bootstrap);
  CHECK(p.predicts_positive(0.8));
  CHECK_FALSE(p.predicts_positive(0.7));
  CHECK_FALSE(p.predicts_positive(NAN));
  // Precision 0.6: recall 1 twice (6/9 and 6/10): equal recall goes to the higher precision.
  p = choose(OperatingTarget::Precision, 0.6);
  CHECK(p.threshold == 0.1);
  CHECK(p.tp == 6);
  CHECK(p.fp == 3);
  // Target precision 1: no cut is pure (the top tie holds a negative).
  CHECK_THROWS_WITH(
      choose(OperatingTarget::Precision, 1.0),
      "choose_operating_point: the target precision 1.0 cannot be reached on these 10 "
      "held-out rows: the best precision reachable is 0.8 (threshold 0.7, recall "
      "0.6666666666666666)");
  CHECK_THROWS_WITH(choose(OperatingTarget::Precision, 0.81),
                    Contains("the best precision reachable is 0.8"));
}

TEST_CASE("operating point by hand: highest precision at a target recall, ties to recall") {
  auto p = choose(OperatingTarget::Recall, 0.8);
  CHECK(p.threshold == 0.1);  // recall 1 at 6/9 beats 5/6 recall at 5/8
  CHECK(p.precision == 6.0 / 9.0);
  CHECK(p.recall == 1.0);
  p = choose(OperatingTarget::Recall, 0.5);
  CHECK(p.threshold == 0.7);
  CHECK(p.precision == 0.8);
  // Every cut has precision 1/2: the highest recall wins, which takes every row; the threshold is
  // then just below the lowest score.
  const std::vector<double> s = {0.9, 0.9, 0.8, 0.8, 0.7, 0.7};
  const std::vector<int> y = {1, 0, 1, 0, 1, 0};
  p = choose(OperatingTarget::Recall, 0.3, s, y);
  CHECK(p.tp == 3);
  CHECK(p.threshold == std::nextafter(0.7, -std::numeric_limits<double>::infinity()));
  CHECK(p.predicts_positive(0.7));
  p = choose(OperatingTarget::Precision, 0.5, s, y);
  CHECK(p.tp == 3);
}

TEST_CASE("operating point equals brute force over every threshold on tied random scores") {
  claimlens::Random rng(7);
  for (int round = 0; round < 40; ++round) {
    const std::size_t n = 20 + rng.uniform_int(200);
    std::vector<double> s(n);
    std::vector<int> y(n);
    for (std::size_t i = 0; i < n; ++i) {
      s[i] = std::round(rng.uniform() * 20) / 20;  // at most 21 distinct scores
      y[i] = rng.uniform() < 0.2 + 0.7 * s[i] ? 1 : 0;
    }
    y[0] = 1;
    // Brute force: every threshold among the scores and below them all.
    std::vector<double> thresholds = s;
    thresholds.push_back(-1.0);
    for (auto metric : {OperatingTarget::Precision, OperatingTarget::Recall}) {
      const double target = 0.3 + 0.6 * rng.uniform();
      double best_primary = -1, best_secondary = -1;
      for (double t : thresholds) {
        std::int64_t tp = 0, fp = 0, pos = 0;
        for (std::size_t i = 0; i < n; ++i) {
          pos += y[i];
          if (s[i] > t) (y[i] ? tp : fp) += 1;
        }
        if (tp + fp == 0) continue;
        const double precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
        const double recall = static_cast<double>(tp) / static_cast<double>(pos);
        const bool ok =
            metric == OperatingTarget::Precision ? precision >= target : recall >= target;
        const double primary = metric == OperatingTarget::Precision ? recall : precision;
        const double secondary = metric == OperatingTarget::Precision ? precision : recall;
        if (ok &&
            (primary > best_primary || (primary == best_primary && secondary > best_secondary))) {
          best_primary = primary;
          best_secondary = secondary;
        }
      }
      INFO("round " << round << " target " << target);
      if (best_primary < 0) {
        CHECK_THROWS_WITH(choose(metric, target, s, y), Contains("cannot be reached"));
        continue;
      }
      const auto p = choose(metric, target, s, y);
      CHECK((metric == OperatingTarget::Precision ? p.recall : p.precision) == best_primary);
      CHECK((metric == OperatingTarget::Precision ? p.precision : p.recall) == best_secondary);
    }
  }
}

TEST_CASE("bootstrap intervals: seeded, reproducible, around the point estimate") {
  std::vector<double> s;
  std::vector<int> y;
  claimlens::Random rng(11);
  for (int i = 0; i < 600; ++i) {
    s.push_back(rng.uniform());
    y.push_back(rng.uniform() < s.back() ? 1 : 0);
  }
  const BootstrapOptions options{400, 2026, 0.9};
  const auto p = claimlens::choose_operating_point(s, y, OperatingTarget::Precision, 0.8, options);
  REQUIRE(p.bootstrap);
  const auto& b = *p.bootstrap;
  CHECK(b.n_resamples == 400);
  CHECK(b.seed == 2026);
  CHECK(b.precision_resamples == 400);
  CHECK(b.recall_resamples == 400);
  CHECK(b.precision.lower < p.precision);
  CHECK(p.precision < b.precision.upper);
  CHECK(b.recall.lower < p.recall);
  CHECK(p.recall < b.recall.upper);
  CHECK(b.precision.upper - b.precision.lower < 0.2);
  const auto again = claimlens::bootstrap_precision_recall(s, y, p.threshold, options);
  CHECK(again.precision.lower == b.precision.lower);
  CHECK(again.recall.upper == b.recall.upper);
  const auto other = claimlens::bootstrap_precision_recall(s, y, p.threshold, {400, 2027, 0.9});
  CHECK(other.precision.lower != b.precision.lower);
  // A wider confidence gives a wider interval from the same resamples.
  const auto wide = claimlens::bootstrap_precision_recall(s, y, p.threshold, {400, 2026, 0.99});
  CHECK(wide.precision.lower <= b.precision.lower);
  CHECK(wide.precision.upper >= b.precision.upper);
  // A threshold above every score predicts nothing: no resample has a precision.
  const auto none = claimlens::bootstrap_precision_recall(s, y, 2.0, options);
  CHECK(none.precision_resamples == 0);
  CHECK(none.recall.upper == 0.0);
}

TEST_CASE("operating points round-trip through JSON and saved ones are checked by key path") {
  const auto p = claimlens::choose_operating_point(kScores, kLabels, OperatingTarget::Recall, 0.5,
                                                   {50, 3, 0.95});
  const json saved = json::parse(p.to_json().dump());
  const auto loaded = OperatingPoint::from_json(saved);
  CHECK(loaded.to_json() == p.to_json());
  CHECK(loaded.threshold == p.threshold);
  REQUIRE(loaded.bootstrap);
  CHECK(loaded.bootstrap->precision.lower == p.bootstrap->precision.lower);
  const auto without = choose(OperatingTarget::Precision, 0.8);
  CHECK(OperatingPoint::from_json(without.to_json()).bootstrap == std::nullopt);

  const auto broken = [&](const std::string& key, const json& value) {
    json j = saved;
    if (key.find('.') == std::string::npos) {
      j[key] = value;
    } else {
      j["bootstrap"][key.substr(key.find('.') + 1)] = value;
    }
    OperatingPoint::from_json(j);
  };
  CHECK_THROWS_AS(broken("target", 1.5), claimlens::ModelFormatError);
  CHECK_THROWS_WITH(broken("target", 1.5), Contains("'target' must be in (0, 1]"));
  CHECK_THROWS_WITH(broken("target_metric", "f1"), Contains("'target_metric'"));
  CHECK_THROWS_WITH(broken("threshold", "high"), Contains("'threshold'"));
  CHECK_THROWS_WITH(broken("tp", -1), Contains("'tp'"));
  CHECK_THROWS_WITH(broken("bootstrap.precision", json::array({0.9, 0.1})),
                    Contains("'bootstrap.precision' must have lower <= upper"));
  CHECK_THROWS_WITH(broken("bootstrap.confidence", 1.0), Contains("'bootstrap.confidence'"));
  CHECK_THROWS_WITH(broken("bootstrap.recall_resamples", 51),
                    Contains("'bootstrap.recall_resamples'"));
  CHECK_THROWS_WITH(broken("extra", 1), Contains("extra"));
}

TEST_CASE("operating points refuse bad targets and bad held-out data, naming them") {
  CHECK_THROWS_WITH(choose(OperatingTarget::Precision, 1.5),
                    "choose_operating_point: the target precision must be in (0, 1], not 1.5");
  CHECK_THROWS_WITH(choose(OperatingTarget::Precision, 0.0),
                    Contains("the target precision must be in (0, 1], not 0.0"));
  CHECK_THROWS_WITH(choose(OperatingTarget::Recall, NAN),
                    Contains("the target recall must be in (0, 1], not NaN"));
  CHECK_THROWS_WITH(choose(OperatingTarget::Precision, 0.5, {0.1, 0.2}, {0, 1, 1}),
                    "choose_operating_point: scores has 2 values but y has 3");
  CHECK_THROWS_WITH(choose(OperatingTarget::Precision, 0.5, {0.1, NAN, 0.3}, {0, 1, 1}),
                    "choose_operating_point: scores[1] is NaN; scores must be finite");
  CHECK_THROWS_WITH(choose(OperatingTarget::Recall, 0.5, {0.1, 0.2}, {0, 0}),
                    Contains("y holds no positive row"));
  CHECK_THROWS_WITH(claimlens::choose_operating_point(kScores, kLabels, OperatingTarget::Recall,
                                                      0.5, {-1, 0, 0.95}),
                    Contains("n_resamples must be from 0 to 1000000, not -1"));
  CHECK_THROWS_WITH(claimlens::bootstrap_precision_recall(kScores, kLabels, 0.5, {0, 0, 0.95}),
                    Contains("n_resamples must be from 1 to 1000000, not 0"));
  CHECK_THROWS_WITH(claimlens::bootstrap_precision_recall(kScores, kLabels, 0.5, {10, 0, 1.0}),
                    Contains("confidence must be in (0, 1), not 1.0"));
  CHECK_THROWS_WITH(claimlens::operating_target_from_name("f1", "--target"),
                    "--target must be \"precision\" or \"recall\", not \"f1\"");
}
