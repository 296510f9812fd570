#include "checks.hpp"

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"

namespace claimlens::detail {

std::string shown_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return nlohmann::json(value).dump();
}

std::array<std::int64_t, 2> check_scores_labels(const char* who, Span<const double> scores,
                                                Span<const int> y) {
  const std::string prefix = std::string(who) + ": ";
  if (scores.empty()) throw InvalidArgument(prefix + "scores is empty");
  if (scores.size() != y.size()) {
    throw InvalidArgument(prefix + "scores has " + std::to_string(scores.size()) +
                          " values but y has " + std::to_string(y.size()));
  }
  std::array<std::int64_t, 2> counts = {0, 0};
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0 && y[i] != 1) {
      throw InvalidArgument(prefix + "y[" + std::to_string(i) + "] = " + std::to_string(y[i]) +
                            " is not a 0/1 label");
    }
    if (!std::isfinite(scores[i])) {
      throw InvalidArgument(prefix + "scores[" + std::to_string(i) + "] is " +
                            shown_number(scores[i]) + "; scores must be finite");
    }
    ++counts[static_cast<std::size_t>(y[i])];
  }
  return counts;
}

std::array<std::int64_t, 2> check_calibration_data(const char* who, Span<const double> scores,
                                                   Span<const int> y) {
  const auto counts = check_scores_labels(who, scores, y);
  const std::string prefix = std::string(who) + ": ";
  for (int label = 0; label < 2; ++label) {
    if (counts[static_cast<std::size_t>(label)] == 0) {
      throw InvalidArgument(prefix + "y holds only class " + std::to_string(1 - label) + " (" +
                            std::to_string(y.size()) +
                            " rows); a calibrator needs rows of both classes");
    }
  }
  for (double s : scores) {
    if (s != scores[0]) return counts;
  }
  throw InvalidArgument(prefix + "the " + std::to_string(scores.size()) +
                        " calibration scores are all equal (" + shown_number(scores[0]) +
                        "); a calibrator needs at least two distinct scores");
}

}  // namespace claimlens::detail
