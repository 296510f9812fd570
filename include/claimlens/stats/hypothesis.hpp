// Hypothesis tests as scipy.stats computes them: t-tests (scipy.stats.ttest_ind / ttest_1samp),
// Pearson's chi-square test of independence (scipy.stats.chi2_contingency) and the t-based
// confidence interval of a mean (scipy.stats.t.interval with the standard error). p-values come
// from Boost.Math's upper tails (cdf of the complement), so tiny p-values keep their digits.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"
#include "claimlens/stats/descriptive.hpp"

namespace claimlens::stats {

/// scipy's `alternative`: H1 is mean(a) != mean(b), mean(a) < mean(b) or mean(a) > mean(b).
enum class Alternative { TwoSided, Less, Greater };
const char* alternative_name(Alternative alternative);  // "two-sided", "less", "greater"
Alternative alternative_from_name(std::string_view name);

struct TTestResult {
  double statistic = 0;  // t
  double df = 0;         // degrees of freedom (Welch-Satterthwaite for unequal variances)
  double p_value = 0;
};

/// Two independent samples. equal_var=true is Student's pooled test (scipy's default),
/// equal_var=false is Welch's. NaN are dropped per sample (nan_policy="omit") or refused.
/// InvalidArgument when a sample has fewer than 2 values or both have zero variance.
TTestResult ttest_ind(Span<const double> a, Span<const double> b, bool equal_var = true,
                      Alternative alternative = Alternative::TwoSided,
                      NanPolicy nan = NanPolicy::Omit);
/// Welch's t-test: ttest_ind(a, b, false, alternative).
TTestResult welch_ttest(Span<const double> a, Span<const double> b,
                        Alternative alternative = Alternative::TwoSided,
                        NanPolicy nan = NanPolicy::Omit);
/// One-sample t-test of mean(a) against popmean. InvalidArgument when a has fewer than 2 values
/// or zero variance.
TTestResult ttest_1samp(Span<const double> a, double popmean,
                        Alternative alternative = Alternative::TwoSided,
                        NanPolicy nan = NanPolicy::Omit);

struct Interval {
  double low = 0, high = 0;
};
/// scipy.stats.t.interval(confidence, df, loc, scale): the central `confidence` range of a
/// Student t scaled by `scale` around `loc`. confidence in (0, 1), df > 0, scale > 0.
Interval t_interval(double confidence, double df, double loc, double scale);
/// Confidence interval of the mean of x: t_interval(confidence, n - 1, mean(x), sem(x)).
/// InvalidArgument with fewer than 2 values or a zero standard error.
Interval mean_confidence_interval(Span<const double> x, double confidence = 0.95,
                                  NanPolicy nan = NanPolicy::Omit);

/// A two-way frequency table (pandas.crosstab): rows and columns are the sorted distinct labels.
struct ContingencyTable {
  std::vector<std::string> row_labels;
  std::vector<std::string> col_labels;
  RowMatrix counts;  // counts(i, j) = rows with row label i and column label j
};
/// Cross-tabulates two equal-length label vectors (InvalidArgument on a length mismatch or no
/// rows).
ContingencyTable crosstab(Span<const std::string> rows, Span<const std::string> cols);
ContingencyTable crosstab(const std::vector<std::string_view>& rows,
                          const std::vector<std::string_view>& cols);

/// scipy's lambda_: Pearson's X^2 or the log-likelihood ratio G (G-test).
enum class ChiSquareStatistic { Pearson, LogLikelihood };

struct ChiSquareResult {
  double statistic = 0;
  double p_value = 0;
  std::size_t dof = 0;
  RowMatrix expected;  // row total * column total / grand total
};

/// scipy.stats.chi2_contingency: test of independence of a table of observed counts.
/// correction applies Yates' continuity correction when dof is 1 (2x2 tables), as scipy does by
/// default. InvalidArgument on an empty table, a negative or non-finite count, or a zero expected
/// frequency (a row or column summing to 0).
ChiSquareResult chi2_contingency(const RowMatrix& observed, bool correction = true,
                                 ChiSquareStatistic statistic = ChiSquareStatistic::Pearson);

}  // namespace claimlens::stats
