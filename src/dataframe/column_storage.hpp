// Internal: the buffers behind a Column.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string_view>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#include <type_traits>
#include <utility>

#include "claimlens/dataframe/column.hpp"

namespace claimlens::detail {

/// A growable array of trivially copyable values on malloc/realloc. glibc serves big blocks with
/// mmap and grows them with mremap, so appending to a large buffer never holds two copies of it
/// (std::vector would, briefly, at each doubling: the source of 2-3x peak memory when reading).
template <class T>
class PodBuffer {
  static_assert(std::is_trivially_copyable_v<T>, "PodBuffer holds plain values");

 public:
  PodBuffer() = default;
  ~PodBuffer() { std::free(data_); }
  PodBuffer(PodBuffer&& o) noexcept : data_(o.data_), size_(o.size_), capacity_(o.capacity_) {
    o.data_ = nullptr;
    o.size_ = o.capacity_ = 0;
  }
  PodBuffer& operator=(PodBuffer&& o) noexcept {
    if (this != &o) {
      std::free(data_);
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
      capacity_ = std::exchange(o.capacity_, 0);
    }
    return *this;
  }
  PodBuffer(const PodBuffer&) = delete;
  PodBuffer& operator=(const PodBuffer&) = delete;

  T* data() { return data_; }
  const T* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }

  void reserve(size_t n) {
    if (n <= capacity_) return;
    void* p = std::realloc(data_, n * sizeof(T));
    if (p == nullptr) throw std::bad_alloc();
    data_ = static_cast<T*>(p);
    capacity_ = n;
    advise_huge_pages();
  }
  void push_back(T value) {
    if (size_ == capacity_) grow(size_ + 1);
    data_[size_++] = value;
  }
  void append(const T* values, size_t n) {
    if (size_ + n > capacity_) grow(size_ + n);
    if (n) std::memcpy(data_ + size_, values, n * sizeof(T));
    size_ += n;
  }
  void resize(size_t n, T fill = T()) {
    if (n > capacity_) grow(n);
    for (size_t i = size_; i < n; ++i) data_[i] = fill;
    size_ = n;
  }
  /// No elements, the capacity kept.
  void clear() { size_ = 0; }
  /// Size without initializing new elements (for buffers about to be overwritten).
  void resize_uninitialized(size_t n) {
    if (n > capacity_) reserve(n);
    size_ = n;
  }
  /// Give back unused capacity (realloc shrinks in place).
  void shrink_to_fit() {
    if (capacity_ > size_ && size_ > 0) {
      void* p = std::realloc(data_, size_ * sizeof(T));
      if (p != nullptr) {
        data_ = static_cast<T*>(p);
        capacity_ = size_;
      }
    }
  }
  size_t capacity_bytes() const { return capacity_ * sizeof(T); }

 private:
  // Big buffers ask for transparent huge pages: first-touch page faults, not copying, dominate
  // the cost of filling fresh memory (512x fewer faults with 2 MiB pages).
  void advise_huge_pages() {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    constexpr uintptr_t kHuge = uintptr_t{1} << 21;
    const size_t bytes = capacity_ * sizeof(T);
    if (bytes < 4 * kHuge) return;
    uintptr_t begin = (reinterpret_cast<uintptr_t>(data_) + kHuge - 1) & ~(kHuge - 1);
    uintptr_t end = (reinterpret_cast<uintptr_t>(data_) + bytes) & ~(kHuge - 1);
    if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#endif
  }

  void grow(size_t need) {
    size_t cap = capacity_ < 16 ? 16 : capacity_ * 2;
    if (cap < need) cap = need;
    reserve(cap);
  }
  T* data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

struct ColumnStorage {
  DType dtype = DType::Float64;
  size_t size = 0;
  size_t null_count = 0;
  PodBuffer<int64_t> ints;
  PodBuffer<double> doubles;
  PodBuffer<uint8_t> bools;
  PodBuffer<uint64_t> offsets;  // strings: size + 1 entries
  PodBuffer<char> chars;
  PodBuffer<uint64_t> validity;  // empty = all valid
};

/// Marks row `row` (the one being appended) valid or null; the bitmap is created on the first null.
inline void set_validity(detail::ColumnStorage& s, size_t row, bool valid) {
  if (s.validity.empty()) {
    if (valid) return;
    s.validity.resize((row >> 6) + 1, ~uint64_t{0});
  }
  if ((row >> 6) >= s.validity.size()) s.validity.push_back(~uint64_t{0});
  uint64_t bit = uint64_t{1} << (row & 63);
  if (valid) {
    s.validity[row >> 6] |= bit;
  } else {
    s.validity[row >> 6] &= ~bit;
    ++s.null_count;
  }
}

// Appends of a valid value straight to a builder's storage: ColumnBuilder's appends without the
// call and the dtype check, for read_csv's inner loop (the caller knows the dtype).
inline void append_valid(ColumnStorage& s, int64_t value) {
  set_validity(s, s.size, true);
  s.ints.push_back(value);
  ++s.size;
}
inline void append_valid(ColumnStorage& s, double value) {  // not NaN (NaN is a null)
  set_validity(s, s.size, true);
  s.doubles.push_back(value);
  ++s.size;
}
inline void append_valid(ColumnStorage& s, std::string_view value) {
  set_validity(s, s.size, true);
  s.chars.append(value.data(), value.size());
  s.offsets.push_back(s.chars.size());
  ++s.size;
}

/// The storage behind a ColumnBuilder (a friend of it), for the appends above.
class ColumnBuilderAccess {
 public:
  static ColumnStorage& storage(ColumnBuilder& builder);
};

}  // namespace claimlens::detail
