// A replacement of every global operator new/new[] (plain, nothrow, aligned) for test_faults that
// fails the n-th allocation once armed: the throwing forms throw std::bad_alloc, the nothrow forms
// return nullptr. Only the arming thread's allocations are counted, so a stray allocation of the
// test framework on another thread cannot move the failure point.
#pragma once

#include <cstddef>

namespace claimlens::testing {

/// Fails the n-th operator new (n >= 1) made by this thread from now on; later ones succeed.
void arm_allocation_failure(std::size_t n);
/// Stops counting; returns true when the armed failure was injected.
bool disarm_allocation_failure();
/// Allocations made by this thread since the last arm (failed one included).
std::size_t allocations_since_arm();

/// RAII: disarms on scope exit (also when a CHECK throws).
class AllocationFailure {
 public:
  explicit AllocationFailure(std::size_t n) { arm_allocation_failure(n); }
  AllocationFailure(const AllocationFailure&) = delete;
  AllocationFailure& operator=(const AllocationFailure&) = delete;
  ~AllocationFailure() { disarm(); }
  bool disarm() {
    if (!armed_) return injected_;
    armed_ = false;
    injected_ = disarm_allocation_failure();
    return injected_;
  }

 private:
  bool armed_ = true;
  bool injected_ = false;
};

}  // namespace claimlens::testing
