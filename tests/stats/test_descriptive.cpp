#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "stats_testing.hpp"

using namespace claimlens;
using namespace claimlens::stats;
using claimlens::testing::close;
using claimlens::testing::num;
using claimlens::testing::nums;
using claimlens::testing::stats_fixture;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("mean, variance and std skip NaN like pandas") {
  const std::vector<double> x{1.0, kNaN, 2.0, 4.0, kNaN, 5.0};
  CHECK(count(x) == 4);
  CHECK(sum(x) == 12.0);
  CHECK(mean(x) == 3.0);
  CHECK(variance(x, 0) == 2.5);
  CHECK(variance(x, 1) == Approx(10.0 / 3.0).epsilon(1e-15));
  CHECK(stddev(x, 0) == Approx(std::sqrt(2.5)).epsilon(1e-15));
  CHECK(sem(x) == Approx(std::sqrt(10.0 / 3.0) / 2.0).epsilon(1e-15));
  CHECK(min(x) == 1.0);
  CHECK(max(x) == 5.0);
  CHECK(dropna(x) == std::vector<double>{1.0, 2.0, 4.0, 5.0});
}

TEST_CASE("pairwise summation is more accurate than a running sum") {
  // 1e6 copies of 0.1: a left-to-right sum drifts by ~1e-6, the pairwise sum stays within 1e-9.
  const std::vector<double> x(1000000, 0.1);
  double naive = 0.0;
  for (double v : x) naive += v;
  CHECK(std::fabs(sum(x) - 100000.0) < 1e-9);
  CHECK(std::fabs(naive - 100000.0) > std::fabs(sum(x) - 100000.0));
  CHECK(mean(x) == Approx(0.1).epsilon(1e-14));
}

TEST_CASE("NanPolicy::Raise refuses NaN and names the index") {
  const std::vector<double> x{1.0, 2.0, kNaN};
  CHECK_THROWS_WITH(mean(x, NanPolicy::Raise),
                    "stats::mean: x has a NaN at index 2 and the NaN policy is Raise");
  CHECK_THROWS_AS(variance(x, 1, NanPolicy::Raise), InvalidArgument);
  CHECK_THROWS_AS(quantile(x, 0.5, QuantileMethod::Linear, NanPolicy::Raise), InvalidArgument);
  CHECK_THROWS_AS(median(x, NanPolicy::Raise), InvalidArgument);
  CHECK_THROWS_AS(skew(x, false, NanPolicy::Raise), InvalidArgument);
  CHECK_THROWS_AS(min(x, NanPolicy::Raise), InvalidArgument);
  CHECK_THROWS_AS(dropna(x, NanPolicy::Raise), InvalidArgument);
}

TEST_CASE("empty and too-short inputs are refused") {
  const std::vector<double> empty;
  const std::vector<double> all_nan{kNaN, kNaN};
  const std::vector<double> one{3.0};
  CHECK_THROWS_WITH(mean(empty), "stats::mean: x has 0 non-NaN value(s); at least 1 are needed");
  CHECK_THROWS_AS(mean(all_nan), InvalidArgument);
  CHECK_THROWS_WITH(variance(one, 1),
                    "stats::variance: x has 1 non-NaN value(s); at least 2 are needed");
  CHECK(variance(one, 0) == 0.0);
  CHECK_THROWS_WITH(variance(one, -1), "stats::variance: ddof must be >= 0, got -1");
  CHECK_THROWS_AS(min(empty), InvalidArgument);
  CHECK_THROWS_AS(max(all_nan), InvalidArgument);
  CHECK_THROWS_AS(median(empty), InvalidArgument);
  CHECK_THROWS_AS(quantile(all_nan, 0.5), InvalidArgument);
  CHECK_THROWS_AS(describe(empty), InvalidArgument);
  CHECK_THROWS_WITH(skew(std::vector<double>{1.0, 2.0}),
                    "stats::skew: x has 2 non-NaN value(s); at least 3 are needed");
  CHECK(sum(empty) == 0.0);
}

TEST_CASE("skew of a constant column is refused") {
  const std::vector<double> x{2.0, 2.0, 2.0, 2.0};
  CHECK_THROWS_WITH(skew(x), "stats::skew: x is constant (zero variance)");
  CHECK_THROWS_WITH(skew(x, true), "stats::skew: x is constant (zero variance)");
}

TEST_CASE("skew matches pandas and scipy with NaN skipped") {
  const auto& f = stats_fixture()["synthetic"]["nan_skew"];
  const std::vector<double> x = nums(f["x"]);
  CHECK(close(skew(x), num(f["pandas"])));
  CHECK(close(skew(x, true), num(f["scipy"])));
  CHECK(close(mean(x), num(f["mean"]), 1e-15));
  CHECK(close(variance(x, 1), num(f["var1"]), 1e-15));
  CHECK(close(median(x), num(f["median"]), 0));
}

TEST_CASE("quantile rejects q outside [0, 1] and unknown method names") {
  const std::vector<double> x{1.0, 2.0, 3.0};
  CHECK_THROWS_WITH(quantile(x, 1.5), "stats::quantile: q must be in [0, 1], got 1.5");
  CHECK_THROWS_WITH(quantile(x, -0.25), "stats::quantile: q must be in [0, 1], got -0.25");
  CHECK_THROWS_AS(quantile(x, kNaN), InvalidArgument);
  const std::vector<double> qs{0.5, 2.0};
  CHECK_THROWS_AS(quantiles(x, qs), InvalidArgument);
  CHECK_THROWS_WITH(
      quantile_method_from_name("cubic"),
      Catch::Contains("unknown quantile method 'cubic'") && Catch::Contains("normal_unbiased"));
}

TEST_CASE("quantile method names round-trip") {
  for (const char* name :
       {"linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf", "averaged_inverted_cdf",
        "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
        "normal_unbiased"}) {
    CHECK(std::string(quantile_method_name(quantile_method_from_name(name))) == name);
  }
}

TEST_CASE("every numpy quantile method matches numpy on small samples") {
  for (const auto& c : stats_fixture()["synthetic"]["quantile_cases"]) {
    const std::vector<double> x = nums(c["x"]);
    const std::vector<double> qs = nums(c["qs"]);
    for (const auto& [name, expected] : c["methods"].items()) {
      const QuantileMethod method = quantile_method_from_name(name);
      const std::vector<double> got = quantiles(x, qs, method);
      const std::vector<double> want = nums(expected);
      for (std::size_t i = 0; i < qs.size(); ++i) {
        INFO("n=" << x.size() << " method=" << name << " q=" << qs[i]);
        CHECK(close(got[i], want[i], 1e-15));
        CHECK(close(quantile(x, qs[i], method), want[i], 1e-15));
      }
    }
    CHECK(median(x) == num(c["median"]));
  }
}

TEST_CASE("quantiles do not depend on input order or NaN placement") {
  std::vector<double> x;
  for (int i = 0; i < 1000; ++i) x.push_back(std::fmod(i * 7919.0, 1009.0) / 3.0);
  std::vector<double> with_nan = x;
  with_nan.insert(with_nan.begin() + 10, kNaN);
  with_nan.push_back(kNaN);
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  const std::vector<double> qs{0.0, 0.001, 0.25, 0.5, 0.5005, 0.75, 0.999, 1.0};
  const auto a = quantiles(x, qs);
  const auto b = quantiles(with_nan, qs);
  const auto c = quantiles(sorted, qs);
  CHECK(a == b);
  CHECK(a == c);
  CHECK(a.front() == sorted.front());
  CHECK(a.back() == sorted.back());
  CHECK(iqr(x) == a[5] - a[2]);
}

TEST_CASE("describe gives pandas' eight numbers") {
  const std::vector<double> x{4.0, kNaN, 1.0, 3.0, 2.0};
  const Summary s = describe(x);
  CHECK(s.count == 4);
  CHECK(s.mean == 2.5);
  CHECK(s.std == Approx(std::sqrt(5.0 / 3.0)).epsilon(1e-15));
  CHECK(s.min == 1.0);
  CHECK(s.q25 == 1.75);
  CHECK(s.q50 == 2.5);
  CHECK(s.q75 == 3.25);
  CHECK(s.max == 4.0);
  CHECK(std::isnan(describe(std::vector<double>{7.0}).std));
}
