// Pearson and Spearman correlation, pairwise-complete like pandas' Series.corr / DataFrame.corr
// (a row counts for a pair of columns when both values are present), and average ranks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"
#include "claimlens/stats/descriptive.hpp"

namespace claimlens::stats {

enum class CorrMethod { Pearson, Spearman };
const char* corr_method_name(CorrMethod method);          // "pearson", "spearman"
CorrMethod corr_method_from_name(std::string_view name);  // InvalidArgument otherwise

/// Average ranks 1..n (ties share the mean of their positions, scipy.stats.rankdata's "average"
/// and pandas' rank()); NaN keeps rank NaN (pandas' na_option="keep").
std::vector<double> rankdata(Span<const double> x);

/// Pearson's r over the rows where both x and y are present (NanPolicy::Raise refuses NaN
/// instead). InvalidArgument on a length mismatch, fewer than 2 complete rows or a constant input.
double pearson(Span<const double> x, Span<const double> y, NanPolicy nan = NanPolicy::Omit);
/// Spearman's rho: Pearson's r of the average ranks of the complete rows.
double spearman(Span<const double> x, Span<const double> y, NanPolicy nan = NanPolicy::Omit);
double corr(Span<const double> x, Span<const double> y, CorrMethod method = CorrMethod::Pearson,
            NanPolicy nan = NanPolicy::Omit);

/// Correlation matrix of several equal-length columns, each pair over its complete rows (pandas'
/// DataFrame.corr). `names` (optional, one per column) label columns in error messages.
/// InvalidArgument when a pair has fewer than 2 complete rows or a column is constant over them.
RowMatrix corr_matrix(const std::vector<Span<const double>>& columns,
                      CorrMethod method = CorrMethod::Pearson,
                      const std::vector<std::string>& names = {});

}  // namespace claimlens::stats
