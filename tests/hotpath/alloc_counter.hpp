// Counts heap allocations made by the calling thread inside an AllocationScope: this test binary
// replaces the global operator new/delete (every form) and interposes malloc and friends, so an
// allocation through the C++ runtime, Eigen or libc is seen alike.
#pragma once

#include <cstddef>

namespace claimlens::testing {

struct AllocationCounts {
  std::size_t operator_new = 0;  // calls of any global operator new / new[]
  std::size_t malloc = 0;        // malloc, calloc, realloc, aligned allocations
  std::size_t total() const { return operator_new + malloc; }
};

/// Counts this thread's allocations from construction to counts(); scopes do not nest.
class AllocationScope {
 public:
  AllocationScope();
  ~AllocationScope();
  AllocationScope(const AllocationScope&) = delete;
  AllocationScope& operator=(const AllocationScope&) = delete;
  /// The allocations so far (pausing the count while it is read).
  AllocationCounts counts() const;
};

}  // namespace claimlens::testing
