// predicted_classes and the binary confusion counts (claimlens/metrics/binary.hpp).
#include "claimlens/metrics/binary.hpp"

#include <string>

#include "claimlens/error.hpp"
#include "common.hpp"

namespace claimlens {

namespace {

double ratio(std::int64_t numerator, std::int64_t denominator) {
  return denominator > 0 ? static_cast<double>(numerator) / static_cast<double>(denominator) : 0.0;
}

}  // namespace

std::vector<int> predicted_classes(Span<const double> proba) {
  std::vector<int> out(proba.size());
  for (std::size_t i = 0; i < proba.size(); ++i) out[i] = predicted_class(proba[i]);
  return out;
}

double BinaryCounts::accuracy() const {
  return ratio(tp + tn, total());
}
double BinaryCounts::precision() const {
  return ratio(tp, tp + fp);
}
double BinaryCounts::recall() const {
  return ratio(tp, tp + fn);
}
double BinaryCounts::f1() const {
  return tp > 0 ? ratio(2 * tp, 2 * tp + fp + fn) : 0.0;
}

BinaryCounts binary_counts(Span<const int> y_true, Span<const double> proba) {
  detail::check_binary_labels("binary_counts", y_true, proba.size(), "proba");
  // counts[2 * label + class]: the loop has no branch on the data.
  std::int64_t counts[4] = {0, 0, 0, 0};
  for (std::size_t i = 0; i < proba.size(); ++i) {
    if (!(proba[i] >= 0.0 && proba[i] <= 1.0)) {
      throw InvalidArgument("binary_counts: proba[" + std::to_string(i) +
                            "] is not a probability in [0, 1]");
    }
    ++counts[2 * y_true[i] + predicted_class(proba[i])];
  }
  BinaryCounts c;
  c.tn = counts[0];
  c.fp = counts[1];
  c.fn = counts[2];
  c.tp = counts[3];
  return c;
}

}  // namespace claimlens
