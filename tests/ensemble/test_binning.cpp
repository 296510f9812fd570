#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/error.hpp"
#include "support.hpp"

using claimlens::BinnedMatrix;
using claimlens::testing::MessageContains;

TEST_CASE("binning gives each distinct value its own bin when they fit", "[binning]") {
  // Column 0: values 3, 1, 2, 1 ; column 1: constant 7 with one NaN.
  const double nan = std::nan("");
  const std::vector<double> x = {3, 7, 1, 7, 2, nan, 1, 7};
  const auto m = BinnedMatrix::from_dense(x.data(), 4, 2, 256);
  REQUIRE(m.num_rows() == 4);
  REQUIRE(m.num_features() == 2);
  REQUIRE(m.num_bins(0) == 3);
  CHECK(m.cuts(0)[0] == 2.0);  // bin 0 = [.., 2), bin 1 = [2, 3), bin 2 = [3, sentinel)
  CHECK(m.cuts(0)[1] == 3.0);
  CHECK(m.cuts(0)[2] > 3.0);
  CHECK(m.bin(0, 0) == 2);
  CHECK(m.bin(1, 0) == 0);
  CHECK(m.bin(2, 0) == 1);
  CHECK(m.bin(3, 0) == 0);
  CHECK(m.num_bins(1) == 1);
  CHECK(m.bin(2, 1) == BinnedMatrix::kMissingBin);
  CHECK(m.bin(0, 1) == 0);
  CHECK(m.min_cut(0) < 1.0);
  // Raw values map consistently: unseen large values go to the last bin, NaN to missing.
  CHECK(m.bin_of(0, 2.5) == 1);
  CHECK(m.bin_of(0, 1000.0) == 2);
  CHECK(m.bin_of(0, -5.0) == 0);
  CHECK(m.bin_of(0, nan) == BinnedMatrix::kMissingBin);
}

TEST_CASE("binning caps the bins with quantiles", "[binning]") {
  std::vector<double> x(1000);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>((i * 7919) % 1000);
  const auto m = BinnedMatrix::from_dense(x.data(), 1000, 1, 16);
  REQUIRE(m.num_bins(0) <= 16);
  REQUIRE(m.num_bins(0) >= 15);
  // Bins are balanced: no bin holds more than twice its share.
  std::vector<int> counts(static_cast<std::size_t>(m.num_bins(0)), 0);
  for (std::size_t r = 0; r < 1000; ++r) {
    const auto b = m.bin(r, 0);
    REQUIRE(b < m.num_bins(0));
    ++counts[b];
    // Each value satisfies the bin's bounds.
    CHECK(x[r] < m.cuts(0)[b]);
    if (b > 0) CHECK(x[r] >= m.cuts(0)[b - 1]);
  }
  for (int c : counts) CHECK(c <= 2 * 1000 / m.num_bins(0));
  // max_bin 256 still leaves bin 255 for missing values.
  const auto wide = BinnedMatrix::from_dense(x.data(), 1000, 1, 256);
  CHECK(wide.num_bins(0) == BinnedMatrix::kMaxValueBins);
}

TEST_CASE("binning an all-missing column", "[binning]") {
  const double nan = std::nan("");
  const std::vector<double> x = {nan, 1, nan, 2};
  const auto m = BinnedMatrix::from_dense(x.data(), 2, 2);
  CHECK(m.num_bins(0) == 0);
  CHECK(m.bin(0, 0) == BinnedMatrix::kMissingBin);
  CHECK(m.bin(1, 0) == BinnedMatrix::kMissingBin);
}

TEST_CASE("binning rejects bad input", "[binning]") {
  const std::vector<double> x = {1, 2, std::numeric_limits<double>::infinity(), 4};
  CHECK_THROWS_MATCHES(BinnedMatrix::from_dense(x.data(), 2, 2), claimlens::InvalidArgument,
                       MessageContains("infinite value at row 1, column 0"));
  const std::vector<double> ok = {1, 2, 3, 4};
  CHECK_THROWS_MATCHES(BinnedMatrix::from_dense(ok.data(), 2, 2, 1), claimlens::InvalidArgument,
                       MessageContains("max_bin"));
  CHECK_THROWS_MATCHES(BinnedMatrix::from_dense(ok.data(), 2, 2, 257), claimlens::InvalidArgument,
                       MessageContains("max_bin"));
  CHECK_THROWS_MATCHES(BinnedMatrix::from_dense(ok.data(), 0, 2), claimlens::InvalidArgument,
                       MessageContains("empty"));
  CHECK_THROWS_MATCHES(BinnedMatrix::from_dense(nullptr, 2, 2), claimlens::InvalidArgument,
                       MessageContains("null"));
}

TEST_CASE("binning: a value's bin is the number of cuts at or below it", "[binning]") {
  // Columns with 1 to 255 distinct values: bin_of's search against std::upper_bound.
  for (const int distinct : {1, 2, 3, 7, 16, 100, 254, 255, 400}) {
    std::vector<double> x;
    for (int i = 0; i < 1000; ++i) x.push_back(static_cast<double>((i * 7919) % distinct) * 0.5);
    const auto m = BinnedMatrix::from_dense(x.data(), x.size(), 1);
    const std::vector<double>& cuts = m.cuts(0);
    for (double v = -1.0; v < 0.5 * distinct + 1.0; v += 0.25) {
      INFO(distinct << " distinct values, v = " << v);
      const auto expected = std::min<std::size_t>(
          static_cast<std::size_t>(std::upper_bound(cuts.begin(), cuts.end(), v) - cuts.begin()),
          cuts.size() - 1);
      REQUIRE(m.bin_of(0, v) == expected);
    }
    CHECK(m.bin_of(0, std::nan("")) == BinnedMatrix::kMissingBin);
  }
}
