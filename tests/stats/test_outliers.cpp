#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/stats/outliers.hpp"

using namespace claimlens;
using namespace claimlens::stats;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("IQR fences, counts and caps") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 100, -50, kNaN};
  const IqrFences f = iqr_fences(x);
  CHECK(f.q1 == quantile(x, 0.25));
  CHECK(f.q3 == quantile(x, 0.75));
  CHECK(f.iqr == f.q3 - f.q1);
  CHECK(f.upper == f.q3 + 1.5 * f.iqr);
  CHECK(f.lower == f.q1 - 1.5 * f.iqr);
  CHECK(count_outliers(x, f) == 2);
  CHECK(count_outliers(x, f, Tail::Upper) == 1);
  CHECK(count_outliers(x, f, Tail::Lower) == 1);
  const std::vector<double> up = cap_outliers(x, f, Tail::Upper);
  CHECK(up[8] == f.upper);
  CHECK(up[9] == -50);
  CHECK(std::isnan(up[10]));
  const std::vector<double> both = cap_outliers(x, f, Tail::Both);
  CHECK(both[9] == f.lower);
  CHECK(both[0] == 1);
  std::vector<double> in_place = x;
  cap_outliers_inplace(in_place, f, Tail::Lower);
  CHECK(in_place[9] == f.lower);
  CHECK(in_place[8] == 100);
  CHECK(iqr_fences(x, 0.0).upper == f.q3);
}

TEST_CASE("IQR fences refuse bad input") {
  CHECK_THROWS_WITH(iqr_fences(std::vector<double>{1, 2}, -1.0),
                    "stats::iqr_fences: k must be finite and >= 0, got -1");
  CHECK_THROWS_AS(iqr_fences(std::vector<double>{}), InvalidArgument);
  CHECK_THROWS_AS(iqr_fences(std::vector<double>{kNaN}), InvalidArgument);
  CHECK_THROWS_AS(iqr_fences(std::vector<double>{1, kNaN}, 1.5, NanPolicy::Raise), InvalidArgument);
}
