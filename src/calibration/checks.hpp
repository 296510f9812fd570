// Input checks shared by the calibration sources: every function of the module refuses bad
// scores and labels with the same messages.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "claimlens/span.hpp"

namespace claimlens::detail {

/// InvalidArgument "<who>: ..." unless scores and y are non-empty and of one size, y holds only
/// 0/1 and every score is finite (naming the first bad index). Returns the class counts
/// {negatives, positives}.
std::array<std::int64_t, 2> check_scores_labels(const char* who, Span<const double> scores,
                                                Span<const int> y);

/// check_scores_labels, then InvalidArgument unless both classes occur and the scores are not
/// all equal: what fitting a calibrator needs.
std::array<std::int64_t, 2> check_calibration_data(const char* who, Span<const double> scores,
                                                   Span<const int> y);

/// A double as JSON prints it (shortest round trip, locale-independent).
std::string shown_number(double value);

}  // namespace claimlens::detail
