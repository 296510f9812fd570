// The counting allocator behind alloc_counter.hpp. Counting is per thread (a trivially
// initialised thread_local of the executable, so reading it never allocates) and only inside a
// scope, so Catch2's own allocations outside it do not matter.
#include "alloc_counter.hpp"

#include <cstdlib>
#include <new>

extern "C" {
// glibc's own entry points, which the interposed malloc family below forwards to.
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* ptr, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);
void __libc_free(void* ptr);
}

namespace {

thread_local bool counting = false;
thread_local std::size_t new_calls = 0;
thread_local std::size_t malloc_calls = 0;

void* checked(void* p) {
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

void* new_bytes(std::size_t size) {
  if (counting) ++new_calls;
  return __libc_malloc(size == 0 ? 1 : size);
}

void* new_aligned(std::size_t size, std::align_val_t alignment) {
  if (counting) ++new_calls;
  return __libc_memalign(static_cast<std::size_t>(alignment), size == 0 ? 1 : size);
}

}  // namespace

namespace claimlens::testing {

AllocationScope::AllocationScope() {
  new_calls = 0;
  malloc_calls = 0;
  counting = true;
}

AllocationScope::~AllocationScope() {
  counting = false;
}

AllocationCounts AllocationScope::counts() const {
  const bool was = counting;
  counting = false;
  AllocationCounts c;
  c.operator_new = new_calls;
  c.malloc = malloc_calls;
  counting = was;
  return c;
}

}  // namespace claimlens::testing

// ---- operator new / delete ------------------------------------------------------------------

void* operator new(std::size_t size) {
  return checked(new_bytes(size));
}
void* operator new[](std::size_t size) {
  return checked(new_bytes(size));
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return new_bytes(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return new_bytes(size);
}
void* operator new(std::size_t size, std::align_val_t a) {
  return checked(new_aligned(size, a));
}
void* operator new[](std::size_t size, std::align_val_t a) {
  return checked(new_aligned(size, a));
}
void* operator new(std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return new_aligned(size, a);
}
void* operator new[](std::size_t size, std::align_val_t a, const std::nothrow_t&) noexcept {
  return new_aligned(size, a);
}
void operator delete(void* p) noexcept {
  __libc_free(p);
}
void operator delete[](void* p) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  __libc_free(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  __libc_free(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  __libc_free(p);
}

// ---- the malloc family (interposed for the whole process) -----------------------------------

extern "C" {

void* malloc(std::size_t size) noexcept {
  if (counting) ++malloc_calls;
  return __libc_malloc(size);
}

void* calloc(std::size_t count, std::size_t size) noexcept {
  if (counting) ++malloc_calls;
  return __libc_calloc(count, size);
}

void* realloc(void* ptr, std::size_t size) noexcept {
  if (counting) ++malloc_calls;
  return __libc_realloc(ptr, size);
}

void free(void* ptr) noexcept {
  __libc_free(ptr);
}

void* memalign(std::size_t alignment, std::size_t size) noexcept {
  if (counting) ++malloc_calls;
  return __libc_memalign(alignment, size);
}

void* aligned_alloc(std::size_t alignment, std::size_t size) noexcept {
  if (counting) ++malloc_calls;
  return __libc_memalign(alignment, size);
}

int posix_memalign(void** out, std::size_t alignment, std::size_t size) noexcept {
  if (counting) ++malloc_calls;
  if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0) return 22;  // EINVAL
  void* p = __libc_memalign(alignment, size);
  if (p == nullptr) return 12;  // ENOMEM
  *out = p;
  return 0;
}

}  // extern "C"
