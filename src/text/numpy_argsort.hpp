// numpy's default argsort (kind='quicksort', an introsort) for int64 keys, reproduced step for
// step so that ties come out in numpy's order. CountVectorizer's max_features picks the top
// terms with (-tfs).argsort()[:limit]; an unstable sort breaks count ties in an order only this
// exact algorithm reproduces. Algorithm as in numpy 1.24 (numpy/core/src/npysort/quicksort.cpp,
// heapsort.cpp, BSD licence): median-of-3 quicksort, insertion sort on partitions of <= 16
// elements, heapsort once the depth limit 2*floor(log2(n)) is spent.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace claimlens::text_detail {

std::vector<std::size_t> numpy_argsort(const std::vector<std::int64_t>& keys);

}  // namespace claimlens::text_detail
