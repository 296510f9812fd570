// Average ranks. Ranking is a sort; for large inputs an LSD radix sort on an order-preserving
// integer image of the doubles (6 passes of 11 bits, passes where every key shares the digit are
// skipped) is several times faster than a comparison sort.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "claimlens/stats/correlation.hpp"
#include "common.hpp"

namespace claimlens::stats {

namespace {

struct Item {
  std::uint64_t key;
  std::uint64_t index;
};

// Monotone map double -> uint64 (negative values reversed); NaN never reaches it.
std::uint64_t order_key(double v) {
  std::uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits >> 63) != 0 ? ~bits : bits | (std::uint64_t{1} << 63);
}

double key_value(std::uint64_t key) {
  const std::uint64_t bits = (key >> 63) != 0 ? key & ~(std::uint64_t{1} << 63) : ~key;
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

void radix_sort(std::vector<Item>& items) {
  constexpr int kBits = 11;
  constexpr int kPasses = 6;  // 6 * 11 >= 64
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  const std::size_t n = items.size();
  std::vector<std::array<std::size_t, kBuckets>> counts(kPasses);
  for (auto& c : counts) c.fill(0);
  for (const Item& it : items) {
    for (int p = 0; p < kPasses; ++p) ++counts[p][(it.key >> (p * kBits)) & (kBuckets - 1)];
  }
  std::vector<Item> buffer(n);
  Item* src = items.data();
  Item* dst = buffer.data();
  for (int p = 0; p < kPasses; ++p) {
    auto& c = counts[p];
    if (std::any_of(c.begin(), c.end(), [n](std::size_t k) { return k == n; })) continue;
    std::size_t offset = 0;
    for (auto& k : c) {
      const std::size_t size = k;
      k = offset;
      offset += size;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const Item& it = src[i];
      dst[c[(it.key >> (p * kBits)) & (kBuckets - 1)]++] = it;
    }
    std::swap(src, dst);
  }
  if (src != items.data()) std::copy(src, src + n, items.data());
}

}  // namespace

std::vector<double> rankdata(Span<const double> x) {
  std::vector<double> ranks(x.size(), std::numeric_limits<double>::quiet_NaN());
  std::vector<Item> items;
  items.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isnan(x[i])) items.push_back(Item{order_key(x[i]), i});
  }
  if (items.size() < 4096) {
    std::sort(items.begin(), items.end(),
              [](const Item& a, const Item& b) { return a.key < b.key; });
  } else {
    radix_sort(items);
  }
  // Runs of equal values (-0.0 and 0.0 are adjacent and equal) share their mean position.
  const std::size_t n = items.size();
  std::size_t start = 0;
  while (start < n) {
    const double value = key_value(items[start].key);
    std::size_t end = start + 1;
    while (end < n && key_value(items[end].key) == value) ++end;
    const double rank = static_cast<double>(start + 1 + end) / 2.0;
    for (std::size_t i = start; i < end; ++i) ranks[items[i].index] = rank;
    start = end;
  }
  return ranks;
}

}  // namespace claimlens::stats
