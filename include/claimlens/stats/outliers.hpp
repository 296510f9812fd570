// Tukey's IQR fences: values below Q1 - k IQR or above Q3 + k IQR are outliers (k = 1.5). The
// seed analysis caps video_like_count and video_comment_count at their upper fence.
#pragma once

#include <cstddef>
#include <vector>

#include "claimlens/span.hpp"
#include "claimlens/stats/descriptive.hpp"

namespace claimlens::stats {

struct IqrFences {
  double q1 = 0, q3 = 0, iqr = 0;
  double lower = 0;  // q1 - k iqr
  double upper = 0;  // q3 + k iqr
};

/// Quartiles with numpy's linear method (pandas' Series.quantile) over the non-NaN values.
/// InvalidArgument when no value is left or k is negative or not finite.
IqrFences iqr_fences(Span<const double> x, double k = 1.5, NanPolicy nan = NanPolicy::Omit);

enum class Tail { Lower, Upper, Both };

/// Number of values outside the fences on the given tail(s) (strictly beyond; NaN never counts).
std::size_t count_outliers(Span<const double> x, const IqrFences& fences, Tail tail = Tail::Both);

/// A copy of x with values beyond the fence(s) replaced by the fence (pandas'
/// `df.loc[df[c] > upper, c] = upper`); NaN stays NaN.
std::vector<double> cap_outliers(Span<const double> x, const IqrFences& fences, Tail tail);
/// The same, in place.
void cap_outliers_inplace(Span<double> x, const IqrFences& fences, Tail tail);

}  // namespace claimlens::stats
