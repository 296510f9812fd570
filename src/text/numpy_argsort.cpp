#include "numpy_argsort.hpp"

#include <utility>

namespace claimlens::text_detail {
namespace {

using Index = std::ptrdiff_t;
constexpr Index kSmallPartition = 15;  // numpy's SMALL_QUICKSORT: pr - pl above this partitions

int floor_log2(std::size_t n) {
  int bits = 0;
  while (n > 1) {
    n >>= 1;
    ++bits;
  }
  return bits;
}

// Heapsort of idx[0..n) by keys (1-based heap indexing as numpy's aheapsort).
void heap_argsort(const std::int64_t* keys, std::size_t* idx, Index n) {
  std::size_t* a = idx - 1;
  auto sift = [&](Index i, Index size, std::size_t held) {
    for (Index j = i << 1; j <= size;) {
      if (j < size && keys[a[j]] < keys[a[j + 1]]) ++j;
      if (!(keys[held] < keys[a[j]])) break;
      a[i] = a[j];
      i = j;
      j += j;
    }
    a[i] = held;
  };
  for (Index l = n >> 1; l > 0; --l) sift(l, n, a[l]);
  while (n > 1) {
    const std::size_t held = a[n];
    a[n] = a[1];
    --n;
    sift(1, n, held);
  }
}

void insertion_argsort(const std::int64_t* keys, std::size_t* pl, std::size_t* pr) {
  for (std::size_t* pi = pl + 1; pi <= pr; ++pi) {
    const std::size_t held = *pi;
    const std::int64_t key = keys[held];
    std::size_t* pj = pi;
    while (pj > pl && key < keys[*(pj - 1)]) {
      *pj = *(pj - 1);
      --pj;
    }
    *pj = held;
  }
}

// One median-of-3 partition of [pl, pr]; returns the pivot's final place.
std::size_t* partition(const std::int64_t* keys, std::size_t* pl, std::size_t* pr) {
  std::size_t* pm = pl + ((pr - pl) >> 1);
  if (keys[*pm] < keys[*pl]) std::swap(*pm, *pl);
  if (keys[*pr] < keys[*pm]) std::swap(*pr, *pm);
  if (keys[*pm] < keys[*pl]) std::swap(*pm, *pl);
  const std::int64_t pivot = keys[*pm];
  std::size_t* pi = pl;
  std::size_t* pj = pr - 1;
  std::swap(*pm, *pj);
  for (;;) {
    do ++pi;
    while (keys[*pi] < pivot);
    do --pj;
    while (pivot < keys[*pj]);
    if (pi >= pj) break;
    std::swap(*pi, *pj);
  }
  std::swap(*pi, *(pr - 1));
  return pi;
}

}  // namespace

std::vector<std::size_t> numpy_argsort(const std::vector<std::int64_t>& keys) {
  const std::size_t n = keys.size();
  std::vector<std::size_t> idx(n);
  for (std::size_t i = 0; i < n; ++i) idx[i] = i;
  if (n < 2) return idx;
  const std::int64_t* v = keys.data();
  struct Pending {
    std::size_t* pl;
    std::size_t* pr;
    int depth;
  };
  std::vector<Pending> stack;
  std::size_t* pl = idx.data();
  std::size_t* pr = idx.data() + n - 1;
  int depth = floor_log2(n) * 2;
  for (;;) {
    if (depth < 0) {
      heap_argsort(v, pl, pr - pl + 1);
    } else {
      while (pr - pl > kSmallPartition) {
        std::size_t* pi = partition(v, pl, pr);
        // Continue with the smaller side, defer the larger one (numpy's order).
        if (pi - pl < pr - pi) {
          stack.push_back({pi + 1, pr, --depth});
          pr = pi - 1;
        } else {
          stack.push_back({pl, pi - 1, --depth});
          pl = pi + 1;
        }
      }
      insertion_argsort(v, pl, pr);
    }
    if (stack.empty()) break;
    pl = stack.back().pl;
    pr = stack.back().pr;
    depth = stack.back().depth;
    stack.pop_back();
  }
  return idx;
}

}  // namespace claimlens::text_detail
