#include "common.hpp"

#include <algorithm>

#include "claimlens/error.hpp"

namespace claimlens::detail {

void check_label_pair(const char* function, Span<const int> y_true, Span<const int> y_pred) {
  if (y_true.empty()) throw InvalidArgument(std::string(function) + ": y_true is empty");
  if (y_true.size() != y_pred.size()) {
    throw InvalidArgument(std::string(function) + ": y_true has " + std::to_string(y_true.size()) +
                          " samples but y_pred has " + std::to_string(y_pred.size()));
  }
}

void check_binary_labels(const char* function, Span<const int> y_true, std::size_t size,
                         const char* values_name) {
  if (y_true.empty()) throw InvalidArgument(std::string(function) + ": y_true is empty");
  if (y_true.size() != size) {
    throw InvalidArgument(std::string(function) + ": y_true has " + std::to_string(y_true.size()) +
                          " samples but " + values_name + " has " + std::to_string(size));
  }
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    if (y_true[i] != 0 && y_true[i] != 1) {
      throw InvalidArgument(std::string(function) + ": y_true must hold binary labels 0/1, got " +
                            std::to_string(y_true[i]) + " at index " + std::to_string(i));
    }
  }
}

namespace {
constexpr long long kDenseRange = 1 << 20;
}

std::vector<int> unique_labels(Span<const int> a, Span<const int> b) {
  if (a.empty() && b.empty()) return {};
  int lo = a.empty() ? b[0] : a[0], hi = lo;
  for (int v : a) lo = std::min(lo, v), hi = std::max(hi, v);
  for (int v : b) lo = std::min(lo, v), hi = std::max(hi, v);
  std::vector<int> labels;
  if (static_cast<long long>(hi) - lo < kDenseRange) {
    std::vector<char> seen(static_cast<std::size_t>(static_cast<long long>(hi) - lo + 1), 0);
    for (int v : a) seen[static_cast<std::size_t>(static_cast<long long>(v) - lo)] = 1;
    for (int v : b) seen[static_cast<std::size_t>(static_cast<long long>(v) - lo)] = 1;
    for (std::size_t k = 0; k < seen.size(); ++k) {
      if (seen[k]) labels.push_back(static_cast<int>(lo + static_cast<long long>(k)));
    }
    return labels;
  }
  labels.assign(a.begin(), a.end());
  labels.insert(labels.end(), b.begin(), b.end());
  std::sort(labels.begin(), labels.end());
  labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
  return labels;
}

LabelIndex::LabelIndex(const std::vector<int>& labels) {
  if (labels.empty()) return;
  const auto [lo, hi] = std::minmax_element(labels.begin(), labels.end());
  if (static_cast<long long>(*hi) - *lo < kDenseRange) {
    min_ = *lo;
    table_.assign(static_cast<std::size_t>(static_cast<long long>(*hi) - *lo + 1), -1);
    for (std::size_t k = 0; k < labels.size(); ++k) {
      table_[static_cast<std::size_t>(labels[k] - min_)] = static_cast<int>(k);
    }
    return;
  }
  std::vector<std::size_t> order(labels.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(),
            [&](std::size_t x, std::size_t y) { return labels[x] < labels[y]; });
  for (std::size_t k : order) {
    sorted_.push_back(labels[k]);
    position_.push_back(k);
  }
}

long LabelIndex::search(int label) const {
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), label);
  if (it == sorted_.end() || *it != label) return -1;
  return static_cast<long>(position_[static_cast<std::size_t>(it - sorted_.begin())]);
}

}  // namespace claimlens::detail
