// Gradient boosting's early stopping: the rounds kept, "auto" by row count, the same model at
// any thread count, the parameters' errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;
using Json = nlohmann::json;

namespace {

// y ~ Bernoulli(sigmoid(2 x0 - x1)): a weak signal in noise, so many rounds overfit.
struct Noisy {
  RowMatrix X;
  std::vector<double> y;
};

Noisy noisy(std::size_t n, std::uint64_t seed) {
  Random rng(seed);
  Noisy d{RowMatrix(static_cast<Eigen::Index>(n), 5), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < 5; ++j) d.X(static_cast<Eigen::Index>(i), j) = rng.normal();
    const double m =
        2.0 * d.X(static_cast<Eigen::Index>(i), 0) - d.X(static_cast<Eigen::Index>(i), 1);
    d.y[i] = rng.uniform() < 1.0 / (1.0 + std::exp(-m)) ? 1.0 : 0.0;
  }
  return d;
}

GradientBoostingClassifier fit(const Noisy& d, Json params) {
  params.emplace("max_depth", 4);
  params.emplace("learning_rate", 0.3);
  return GradientBoostingClassifier(GradientBoostingParams::from_json(params)).fit(d.X, d.y);
}

}  // namespace

TEST_CASE("early stopping keeps the rounds up to the best validation loss") {
  const Noisy d = noisy(3000, 1);
  const auto off = fit(d, {{"n_estimators", 300}});
  CHECK(off.trees().size() == 300);
  const auto on = fit(d, {{"n_estimators", 300}, {"early_stopping", "on"}});
  // A weak signal: the validation loss bottoms out long before 300 rounds.
  CHECK(on.trees().size() < 100);
  CHECK(on.trees().size() >= 1);
  // Patience: with a larger n_iter_no_change the search goes on at least as far, and keeps the
  // same rounds when the best round stays the best.
  const auto patient =
      fit(d, {{"n_estimators", 300}, {"early_stopping", "on"}, {"n_iter_no_change", 50}});
  CHECK(patient.trees().size() >= on.trees().size());
  // A huge tol: no round is a gain after the first, so one round is kept.
  const auto strict = fit(d, {{"n_estimators", 300}, {"early_stopping", "on"}, {"tol", 1e9}});
  CHECK(strict.trees().size() == 1);
}

TEST_CASE("early stopping auto: on above 10,000 rows, off at or below") {
  GradientBoostingParams p;
  p.early_stopping = GradientBoostingParams::EarlyStopping::Auto;
  CHECK_FALSE(p.stops_early(kEarlyStoppingAutoRows));
  CHECK(p.stops_early(kEarlyStoppingAutoRows + 1));
  p.early_stopping = GradientBoostingParams::EarlyStopping::Off;
  CHECK_FALSE(p.stops_early(1000000));
  const Noisy small = noisy(2000, 2);
  CHECK(fit(small, {{"n_estimators", 150}, {"early_stopping", "auto"}}).trees().size() == 150);
  const Noisy large = noisy(12000, 3);
  CHECK(fit(large, {{"n_estimators", 150}, {"early_stopping", "auto"}}).trees().size() < 150);
}

TEST_CASE("early stopping: the same model at any thread count, and it round-trips") {
  const Noisy d = noisy(20000, 4);
  const Json params = {{"n_estimators", 200}, {"early_stopping", "on"}, {"subsample", 0.8}};
  Json one = params, two = params;
  one["n_jobs"] = 1;
  two["n_jobs"] = 2;
  const auto a = fit(d, one), b = fit(d, two);
  Json ja = a.to_json(), jb = b.to_json();
  ja["params"].erase("n_jobs");
  jb["params"].erase("n_jobs");
  CHECK(ja == jb);
  CHECK(ja["params"]["early_stopping"] == "on");
  const auto back = GradientBoostingClassifier::from_json(a.to_json());
  CHECK(back.trees().size() == a.trees().size());
  CHECK(back.predict_proba(d.X) == a.predict_proba(d.X));
}

TEST_CASE("early stopping: bad parameters and too few rows are refused, naming the key") {
  const Noisy d = noisy(200, 5);
  CHECK_THROWS_MATCHES(fit(d, {{"early_stopping", "maybe"}}), InvalidArgument,
                       MessageContains("params.early_stopping"));
  CHECK_THROWS_MATCHES(fit(d, {{"validation_fraction", 0.0}}), InvalidArgument,
                       MessageContains("params.validation_fraction"));
  CHECK_THROWS_MATCHES(fit(d, {{"validation_fraction", 1.0}}), InvalidArgument,
                       MessageContains("params.validation_fraction"));
  CHECK_THROWS_MATCHES(fit(d, {{"n_iter_no_change", 0}}), InvalidArgument,
                       MessageContains("params.n_iter_no_change"));
  CHECK_THROWS_MATCHES(fit(d, {{"tol", -1.0}}), InvalidArgument, MessageContains("params.tol"));
  // Three rows, one of a class: nothing can be held out.
  Noisy tiny = noisy(3, 6);
  tiny.y = {0.0, 1.0, 0.0};
  CHECK_THROWS_MATCHES(
      fit(tiny, {{"early_stopping", "on"}, {"validation_fraction", 0.1}}), InvalidArgument,
      MessageContains("params.validation_fraction leaves no validation row for early stopping"));
}
