// claimlens/accurate_sum.hpp on small cases with known answers: compensation, offsets, missing
// and non-finite values, the overflow fallback, antisymmetry of mean_difference. (Large hard
// samples against exact rationals: tests/stats/test_exact_moments.cpp.)
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/accurate_sum.hpp"

using namespace claimlens;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

CentralMoments moments(const std::vector<double>& x) {
  return central_moments(x.data(), x.size());
}

}  // namespace

TEST_CASE(
    "two_sum gives the exact rounding error and CompensatedSum keeps what a plain sum loses") {
  double err;
  CHECK(two_sum(1e16, 1.0, err) == 1e16);
  CHECK(err == 1.0);
  CompensatedSum s;
  for (double v : {1e16, 1.0, -1e16, 1.0}) s.add(v);
  CHECK(s.value() == 2.0);  // a plain loop gives 1 (the first 1 is lost)
  CompensatedSum inf;
  inf.add(kInf);
  inf.add(1.0);
  CHECK(inf.value() == kInf);  // the compensation is NaN: the plain sum is the answer
}

TEST_CASE("accurate_sums: blocks, lanes and the tail add up every term once") {
  for (std::size_t n : {0, 1, 7, 8, 9, 127, 128, 129, 1000, 1031}) {
    CompensatedSum out[2];
    accurate_sums<2>(
        n,
        [](std::size_t i, double(&t)[2]) {
          t[0] = static_cast<double>(i);
          t[1] = 1.0;
        },
        out);
    INFO("n = " << n);
    CHECK(out[0].value() == static_cast<double>(n) * (static_cast<double>(n) - 1) / 2);
    CHECK(out[1].value() == static_cast<double>(n));
  }
}

TEST_CASE("central_moments: an offset costs no digits") {
  const std::vector<double> base{1.5, -0.25, 3.0, 0.75, 2.0};
  for (double offset : {0.0, 1e6, 1e9, 1e12, -1e12}) {
    std::vector<double> x;
    for (double v : base) x.push_back(offset + v);  // exact: the values are multiples of 1/4
    const CentralMoments m = moments(x);
    INFO("offset " << offset);
    CHECK(m.count == 5);
    CHECK(m.mean_minus(offset) == Approx(1.4).epsilon(1e-15));  // 7 / 5, not the offset's ulp
    CHECK(m.m2 == Approx(6.075).epsilon(1e-15));
    CHECK(m.variance(1) == Approx(6.075 / 4).epsilon(1e-15));
  }
}

TEST_CASE("central_moments: equal values have a variance of exactly 0") {
  const CentralMoments m = moments(std::vector<double>(1000, 1e9 + 0.1));
  CHECK(m.mean == 1e9 + 0.1);
  CHECK(m.m2 == 0.0);
}

TEST_CASE("central_moments: NaN is missing, infinities and empty samples as numpy") {
  const CentralMoments skip = moments({kNaN, 1, 2, kNaN, 3, 4});
  CHECK(skip.count == 4);
  CHECK(skip.mean == 2.5);
  CHECK(skip.m2 == 5.0);
  const CentralMoments none = moments({kNaN, kNaN});
  CHECK(none.count == 0);
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.m2));
  CHECK(moments({}).count == 0);
  const CentralMoments inf = moments({1, kInf, 2});
  CHECK(inf.mean == kInf);
  CHECK(std::isnan(inf.m2));
  CHECK(std::isnan(moments({kInf, -kInf, 1}).mean));
  CHECK(moments({kNaN, kInf, 1}).mean == kInf);
}

TEST_CASE("central_moments: values near the largest double do not overflow once shifted") {
  // 1e308 - (-1e308) overflows: the mean falls back to the unshifted sum, as numpy's.
  const CentralMoments m = moments({1e308, -1e308, 1e308});
  CHECK(m.mean == Approx(1e308 / 3).epsilon(1e-15));
  CHECK(m.m2 == kInf);  // the squares overflow, as numpy's var
}

TEST_CASE("mean_difference is exact beyond the means' last digit and antisymmetric") {
  // The means differ by 2^-14, half the ulp of 1e12: each mean alone rounds it away.
  const std::vector<double> a{1e12, 1e12 + std::ldexp(1.0, -13)};
  const std::vector<double> b{1e12, 1e12};
  const CentralMoments ma = moments(a), mb = moments(b);
  CHECK(mean_difference(ma, mb) == std::ldexp(1.0, -14));
  CHECK(mean_difference(mb, ma) == -mean_difference(ma, mb));
  // Means that round to one double and still differ.
  const std::vector<double> c{1e12, 1e12, 1e12 + std::ldexp(1.0, -13)};
  const CentralMoments mc = moments(c);
  CHECK(mean_difference(mc, mb) == Approx(std::ldexp(1.0, -13) / 3).epsilon(1e-15));
}

TEST_CASE("co_moments: pairwise complete rows and exact cross sums under an offset") {
  const std::vector<double> x{1e12 + 1, 1e12 + 2, kNaN, 1e12 + 3, 1e12 + 4};
  const std::vector<double> y{-1e9 + 2, -1e9 + 4, 5.0, kNaN, -1e9 + 8};
  const CoMoments m = co_moments(
      x.size(), [&](std::size_t i) { return x[i]; }, [&](std::size_t i) { return y[i]; });
  // Complete rows: x = 1, 2, 4 and y = 2, 4, 8 (offsets removed): means 7/3 and 14/3.
  CHECK(m.count == 3);
  CHECK(m.sxx == Approx(14.0 / 3).epsilon(1e-15));
  CHECK(m.syy == Approx(56.0 / 3).epsilon(1e-15));
  CHECK(m.sxy == Approx(28.0 / 3).epsilon(1e-15));
}
