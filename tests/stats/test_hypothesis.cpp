#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/stats/hypothesis.hpp"

using namespace claimlens;
using namespace claimlens::stats;

namespace {
const double kNaN = std::numeric_limits<double>::quiet_NaN();
}

TEST_CASE("t-test symmetry: swapping samples flips t and the one-sided tails") {
  const std::vector<double> a{5.1, 4.9, 6.2, 5.8, 6.0, 5.5, 5.3};
  const std::vector<double> b{4.1, 4.5, 3.9, 4.8, 5.0};
  for (bool equal_var : {true, false}) {
    const TTestResult ab = ttest_ind(a, b, equal_var);
    const TTestResult ba = ttest_ind(b, a, equal_var);
    CHECK(ab.statistic == -ba.statistic);
    CHECK(ab.df == ba.df);
    CHECK(ab.p_value == Approx(ba.p_value).epsilon(1e-14));
    const TTestResult less = ttest_ind(a, b, equal_var, Alternative::Less);
    const TTestResult greater = ttest_ind(a, b, equal_var, Alternative::Greater);
    CHECK(less.p_value + greater.p_value == Approx(1.0).epsilon(1e-14));
    CHECK(greater.p_value * 2 == Approx(ab.p_value).epsilon(1e-14));
  }
  CHECK(ttest_ind(a, b, true).df == 10.0);
  CHECK(welch_ttest(a, b).statistic == ttest_ind(a, b, false).statistic);
}

TEST_CASE("t-tests drop NaN per sample or refuse them") {
  const std::vector<double> a{5.1, kNaN, 4.9, 6.2, 5.8};
  const std::vector<double> a_clean{5.1, 4.9, 6.2, 5.8};
  const std::vector<double> b{4.1, 4.5, 3.9, kNaN};
  const std::vector<double> b_clean{4.1, 4.5, 3.9};
  CHECK(ttest_ind(a, b, false).p_value == ttest_ind(a_clean, b_clean, false).p_value);
  CHECK_THROWS_WITH(ttest_ind(a, b, false, Alternative::TwoSided, NanPolicy::Raise),
                    "stats::ttest_ind: a has a NaN at index 1 and the NaN policy is Raise");
  CHECK(ttest_1samp(a, 5.0).statistic == ttest_1samp(a_clean, 5.0).statistic);
}

TEST_CASE("t-tests refuse degenerate samples") {
  const std::vector<double> one{1.0};
  const std::vector<double> two{1.0, 2.0};
  const std::vector<double> flat{3.0, 3.0, 3.0};
  const std::vector<double> flat2{4.0, 4.0};
  CHECK_THROWS_WITH(ttest_ind(one, two),
                    "stats::ttest_ind: a has 1 non-NaN value(s); at least 2 are needed");
  CHECK_THROWS_WITH(ttest_ind(two, std::vector<double>{kNaN, 1.0}),
                    "stats::ttest_ind: b has 1 non-NaN value(s); at least 2 are needed");
  CHECK_THROWS_WITH(ttest_ind(flat, flat2, false),
                    "stats::ttest_ind: a and b both have zero variance; the t statistic is "
                    "undefined");
  CHECK_NOTHROW(ttest_ind(flat, two, false));  // one constant group is fine
  CHECK_THROWS_WITH(ttest_1samp(flat, 1.0),
                    "stats::ttest_1samp: a has zero variance; the t statistic is undefined");
  CHECK_THROWS_WITH(ttest_1samp(two, kNaN), "stats::ttest_1samp: popmean must be finite, got nan");
  CHECK_THROWS_AS(ttest_1samp(std::vector<double>{}, 0.0), InvalidArgument);
}

TEST_CASE("alternative names round-trip") {
  for (const char* name : {"two-sided", "less", "greater"}) {
    CHECK(std::string(alternative_name(alternative_from_name(name))) == name);
  }
  CHECK_THROWS_WITH(alternative_from_name("both"),
                    "stats::alternative_from_name: unknown alternative 'both' (valid: two-sided, "
                    "less, greater)");
}

TEST_CASE("tiny p-values keep their digits") {
  std::vector<double> a, b;
  for (int i = 0; i < 500; ++i) {
    a.push_back(1.5 + std::sin(i));
    b.push_back(std::cos(i));
  }
  const TTestResult r = ttest_ind(a, b, false);
  CHECK(r.p_value > 0.0);  // 1 - cdf would round to exactly 0
  CHECK(r.p_value < 1e-100);
  CHECK(r.statistic > 30);
}

TEST_CASE("confidence intervals: nesting and bad arguments") {
  const std::vector<double> x{2.0, 4.0, 4.0, 5.0, 7.0, 9.0};
  const Interval i90 = mean_confidence_interval(x, 0.90);
  const Interval i99 = mean_confidence_interval(x, 0.99);
  CHECK(i99.low < i90.low);
  CHECK(i90.high < i99.high);
  CHECK((i90.low + i90.high) / 2 == Approx(31.0 / 6.0).epsilon(1e-14));
  CHECK_THROWS_WITH(mean_confidence_interval(x, 1.0),
                    "stats::mean_confidence_interval: confidence must be in (0, 1), got 1");
  CHECK_THROWS_WITH(t_interval(0.95, 0.0, 1.0, 1.0), "stats::t_interval: df must be > 0, got 0");
  CHECK_THROWS_WITH(t_interval(0.95, 3.0, 1.0, -2.0),
                    "stats::t_interval: scale must be finite and > 0, got -2");
  CHECK_THROWS_AS(t_interval(kNaN, 3.0, 1.0, 1.0), InvalidArgument);
  CHECK_THROWS_WITH(mean_confidence_interval(std::vector<double>{3.0, 3.0}),
                    "stats::mean_confidence_interval: x has zero variance (standard error 0)");
}

TEST_CASE("crosstab sorts labels and counts pairs") {
  const std::vector<std::string> rows{"b", "a", "b", "b", "c"};
  const std::vector<std::string> cols{"y", "x", "x", "y", "y"};
  const ContingencyTable t = crosstab(rows, cols);
  CHECK(t.row_labels == std::vector<std::string>{"a", "b", "c"});
  CHECK(t.col_labels == std::vector<std::string>{"x", "y"});
  CHECK(t.counts(0, 0) == 1);
  CHECK(t.counts(0, 1) == 0);
  CHECK(t.counts(1, 0) == 1);
  CHECK(t.counts(1, 1) == 2);
  CHECK(t.counts(2, 1) == 1);
  const std::vector<std::string_view> rv(rows.begin(), rows.end());
  const std::vector<std::string_view> cv(cols.begin(), cols.end());
  CHECK(crosstab(rv, cv).counts == t.counts);
  CHECK_THROWS_WITH(crosstab(rows, std::vector<std::string>{"x"}),
                    "stats::crosstab: rows and cols differ in length (5 vs 1)");
  CHECK_THROWS_WITH(crosstab(std::vector<std::string>{}, std::vector<std::string>{}),
                    "stats::crosstab: rows and cols are empty");
}

TEST_CASE("chi2_contingency refuses bad tables") {
  RowMatrix negative(2, 2);
  negative << 1, -2, 3, 4;
  CHECK_THROWS_WITH(chi2_contingency(negative),
                    "stats::chi2_contingency: observed(0, 1) = -2; counts must be finite and >= 0");
  RowMatrix zero_row(2, 2);
  zero_row << 0, 0, 3, 4;
  CHECK_THROWS_WITH(chi2_contingency(zero_row),
                    "stats::chi2_contingency: the expected frequency at (0, 0) is zero (a row or "
                    "column of observed sums to 0)");
  CHECK_THROWS_WITH(chi2_contingency(RowMatrix(0, 3)),
                    "stats::chi2_contingency: observed is empty");
  RowMatrix nan_cell(1, 2);
  nan_cell << 1, kNaN;
  CHECK_THROWS_AS(chi2_contingency(nan_cell), InvalidArgument);
}

TEST_CASE("chi2_contingency: one row means no degrees of freedom, Yates only for dof 1") {
  RowMatrix row(1, 3);
  row << 4, 5, 6;
  const ChiSquareResult r = chi2_contingency(row);
  CHECK(r.dof == 0);
  CHECK(r.statistic == 0.0);
  CHECK(r.p_value == 1.0);
  RowMatrix t(2, 2);
  t << 10, 20, 30, 40;
  const ChiSquareResult corrected = chi2_contingency(t, true);
  const ChiSquareResult plain = chi2_contingency(t, false);
  CHECK(corrected.statistic < plain.statistic);
  CHECK(corrected.expected == plain.expected);
  CHECK(corrected.expected(0, 0) == 30.0 * 40.0 / 100.0);
}
