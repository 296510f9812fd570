// The global operator new/delete replacements of test_faults (see alloc_hook.hpp). Memory comes
// from malloc/aligned_alloc and goes back through free, so AddressSanitizer's leak checker still
// sees every block.
#include "faults/alloc_hook.hpp"

#include <cstdlib>
#include <new>

namespace {

// Per thread: OpenMP workers and Catch2 never see an armed counter.
thread_local bool armed = false;
thread_local bool injected = false;
thread_local std::size_t countdown = 0;
thread_local std::size_t counted = 0;

/// True when this allocation is the one to fail.
bool should_fail() noexcept {
  if (!armed) return false;
  ++counted;
  if (injected || --countdown != 0) return false;
  injected = true;
  return true;
}

void* allocate(std::size_t size, std::size_t alignment) noexcept {
  if (should_fail()) return nullptr;
  if (size == 0) size = 1;
  if (alignment <= alignof(std::max_align_t)) return std::malloc(size);
  const std::size_t rounded = (size + alignment - 1) / alignment * alignment;
  return std::aligned_alloc(alignment, rounded);
}

void* allocate_or_throw(std::size_t size, std::size_t alignment) {
  void* p = allocate(size, alignment);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

}  // namespace

namespace claimlens::testing {

void arm_allocation_failure(std::size_t n) {
  countdown = n;
  counted = 0;
  injected = false;
  armed = n > 0;
}

bool disarm_allocation_failure() {
  armed = false;
  return injected;
}

std::size_t allocations_since_arm() {
  return counted;
}

}  // namespace claimlens::testing

void* operator new(std::size_t n) {
  return allocate_or_throw(n, alignof(std::max_align_t));
}
void* operator new[](std::size_t n) {
  return allocate_or_throw(n, alignof(std::max_align_t));
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocate(n, alignof(std::max_align_t));
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocate(n, alignof(std::max_align_t));
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate_or_throw(n, static_cast<std::size_t>(a));
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a));
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate(n, static_cast<std::size_t>(a));
}

void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete[](void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  std::free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  std::free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  std::free(p);
}
