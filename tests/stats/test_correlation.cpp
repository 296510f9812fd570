#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/stats/correlation.hpp"
#include "stats_testing.hpp"

using namespace claimlens;
using namespace claimlens::stats;
using claimlens::testing::close;
using claimlens::testing::nums;
using claimlens::testing::stats_fixture;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("rankdata gives average ranks like pandas' rank()") {
  for (const auto& c : stats_fixture()["synthetic"]["rank_cases"]) {
    const std::vector<double> got = rankdata(nums(c["x"]));
    const std::vector<double> want = nums(c["ranks"]);
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) CHECK(close(got[i], want[i], 0));
  }
}

TEST_CASE("rankdata's radix path agrees with a comparison sort") {
  // Enough values for the radix sort, with negatives, ties and -0.0 / 0.0.
  std::vector<double> x;
  for (int i = 0; i < 20000; ++i) {
    const double v = std::fmod(i * 2654435761.0, 4001.0) - 2000.0;
    x.push_back(i % 97 == 0 ? -0.0 : v / 8.0);
  }
  x[5] = kNaN;
  const std::vector<double> ranks = rankdata(x);
  CHECK(std::isnan(ranks[5]));
  // Reference: rank of v = (#values < v) + (#values == v + 1) / 2.
  for (std::size_t i : {0u, 1u, 97u, 194u, 1234u, 19999u}) {
    double less = 0, equal = 0;
    for (double v : x) {
      if (std::isnan(v)) continue;
      less += v < x[i] ? 1 : 0;
      equal += v == x[i] ? 1 : 0;
    }
    CHECK(ranks[i] == less + (equal + 1) / 2);
  }
}

TEST_CASE("pearson and spearman on simple data") {
  const std::vector<double> x{1, 2, 3, 4, 5};
  const std::vector<double> y{2, 4, 6, 8, 10};
  const std::vector<double> z{1, 4, 9, 16, 25};
  CHECK(pearson(x, y) == 1.0);
  CHECK(spearman(x, z) == 1.0);
  CHECK(pearson(x, z) < 1.0);
  std::vector<double> rev(y.rbegin(), y.rend());
  CHECK(pearson(x, rev) == -1.0);
  CHECK(corr(x, z, CorrMethod::Spearman) == 1.0);
}

TEST_CASE("correlation refuses bad input with clear messages") {
  const std::vector<double> x{1, 2, 3};
  const std::vector<double> constant{4, 4, 4};
  const std::vector<double> shorter{1, 2};
  CHECK_THROWS_WITH(pearson(x, shorter), "stats::pearson: x and y differ in length (3 vs 2)");
  CHECK_THROWS_WITH(pearson(x, constant), "stats::pearson: y is constant over the complete rows");
  CHECK_THROWS_WITH(spearman(constant, x), "stats::spearman: x is constant over the complete rows");
  const std::vector<double> a{1, kNaN, 3};
  const std::vector<double> b{kNaN, 2, 5};
  CHECK_THROWS_WITH(pearson(a, b),
                    "stats::pearson: 1 complete row(s) for x and y; at least 2 are needed");
  CHECK_THROWS_WITH(pearson(a, x, NanPolicy::Raise),
                    "stats::pearson: x has a NaN at index 1 and the NaN policy is Raise");
  CHECK_THROWS_AS(pearson(std::vector<double>{}, std::vector<double>{}), InvalidArgument);
  CHECK_THROWS_WITH(corr_method_from_name("kendall"),
                    Catch::Contains("unknown correlation method 'kendall'"));
  CHECK(corr_method_from_name(corr_method_name(CorrMethod::Spearman)) == CorrMethod::Spearman);
}

TEST_CASE("corr_matrix refuses bad input naming the column") {
  const std::vector<double> x{1, 2, 3};
  const std::vector<double> constant{4, 4, 4};
  const std::vector<double> shorter{1, 2};
  CHECK_THROWS_WITH(corr_matrix({x, constant}, CorrMethod::Pearson, {"x", "k"}),
                    "stats::corr_matrix: column 'k' is constant over the complete rows");
  CHECK_THROWS_WITH(corr_matrix({x, shorter}),
                    "stats::corr_matrix: column 1 has 2 rows, column 0 has 3");
  CHECK_THROWS_WITH(corr_matrix({}), "stats::corr_matrix: no columns given");
  CHECK_THROWS_WITH(corr_matrix({x}, CorrMethod::Pearson, {"a", "b"}),
                    "stats::corr_matrix: names has 2 entries for 1 columns");
}

TEST_CASE("pairwise-complete correlation with NaN matches pandas' DataFrame.corr") {
  const auto& f = stats_fixture()["synthetic"]["nan_corr"];
  std::vector<std::vector<double>> data;
  std::vector<std::string> names;
  for (const auto& name : f["columns"]) {
    names.push_back(name.get<std::string>());
    data.push_back(nums(f["data"][names.back()]));
  }
  const std::vector<Span<const double>> columns(data.begin(), data.end());
  for (const char* method : {"pearson", "spearman"}) {
    const RowMatrix m = corr_matrix(columns, corr_method_from_name(method), names);
    for (std::size_t i = 0; i < names.size(); ++i) {
      for (std::size_t j = 0; j < names.size(); ++j) {
        INFO(method << " " << names[i] << " x " << names[j]);
        CHECK(close(m(i, j), claimlens::testing::num(f[method][i][j]), 1e-12, 1e-15));
        CHECK(close(corr(data[i], data[j], corr_method_from_name(method)), m(i, j), 0, 1e-15));
      }
    }
  }
}

TEST_CASE("corr_matrix is symmetric with a unit diagonal, also on the parallel path") {
  std::vector<std::vector<double>> data(4, std::vector<double>(60000));
  for (std::size_t i = 0; i < 60000; ++i) {
    const double t = static_cast<double>(i);
    data[0][i] = std::sin(t * 0.001);
    data[1][i] = std::fmod(t * 37.0, 101.0);
    data[2][i] = data[0][i] + 0.01 * data[1][i];
    data[3][i] = std::floor(std::cos(t) * 4);
  }
  const std::vector<Span<const double>> columns(data.begin(), data.end());
  for (CorrMethod method : {CorrMethod::Pearson, CorrMethod::Spearman}) {
    const RowMatrix m = corr_matrix(columns, method);
    for (int i = 0; i < 4; ++i) {
      CHECK(m(i, i) == 1.0);
      for (int j = 0; j < 4; ++j) {
        CHECK(m(i, j) == m(j, i));
        CHECK(m(i, j) == corr(data[i], data[j], method));
      }
    }
  }
}
