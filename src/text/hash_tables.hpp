// Open-addressing tables behind CountVectorizer: interned tokens (bytes -> dense id) and n-grams
// (token-id sequences -> dense id). Keys live in flat arenas; no per-token std::string.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "claimlens/span.hpp"

namespace claimlens::text_detail {

inline std::uint64_t mix64(std::uint64_t z) {  // SplitMix64 finalizer
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

inline std::uint64_t hash_bytes(std::string_view s) {
  const char* p = s.data();
  const std::size_t n = s.size();
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
    h ^= h >> 32;
  }
  if (i < n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
  }
  return mix64(h);
}

inline std::uint64_t hash_ids(const std::uint32_t* ids, std::size_t n) {
  std::uint64_t h = 0xC2B2AE3D27D4EB4FULL + n;
  for (std::size_t i = 0; i < n; ++i) h = (h ^ ids[i]) * 0x9E3779B97F4A7C15ULL;
  return mix64(h);
}

/// Linear-probing index from hash to entry number; entries themselves live in the owner.
class SlotIndex {
 public:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;

  std::size_t size() const { return hashes_.size(); }

  /// The entry with hash h for which same(entry) holds, or kNone.
  template <class Same>
  std::uint32_t find(std::uint64_t h, Same&& same) const {
    if (slots_.empty()) return kNone;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t s = h & mask;; s = (s + 1) & mask) {
      const std::uint32_t e = slots_[s];
      if (e == kNone) return kNone;
      if (hashes_[e] == h && same(e)) return e;
    }
  }

  /// Registers entry number size() with hash h (the caller checked it is new).
  std::uint32_t add(std::uint64_t h) {
    if ((hashes_.size() + 1) * 2 > slots_.size()) grow();
    const auto e = static_cast<std::uint32_t>(hashes_.size());
    hashes_.push_back(h);
    place(e);
    return e;
  }

 private:
  void place(std::uint32_t e) {
    const std::size_t mask = slots_.size() - 1;
    std::size_t s = hashes_[e] & mask;
    while (slots_[s] != kNone) s = (s + 1) & mask;
    slots_[s] = e;
  }
  void grow() {
    slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, kNone);
    for (std::uint32_t e = 0; e < hashes_.size(); ++e) place(e);
  }
  std::vector<std::uint32_t> slots_;
  std::vector<std::uint64_t> hashes_;
};

/// Interned byte strings -> ids 0, 1, 2... in order of first insertion.
class TokenTable {
 public:
  static constexpr std::uint32_t kNone = SlotIndex::kNone;

  std::size_t size() const { return index_.size(); }
  std::string_view at(std::uint32_t id) const {
    return std::string_view(bytes_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  std::uint32_t find(std::string_view key) const { return find(key, hash_bytes(key)); }
  std::uint32_t find(std::string_view key, std::uint64_t h) const {
    return index_.find(h, [&](std::uint32_t e) { return at(e) == key; });
  }
  /// Id of key, inserting it if new; `inserted` tells which.
  std::uint32_t intern(std::string_view key, bool& inserted) {
    const std::uint64_t h = hash_bytes(key);
    std::uint32_t id = find(key, h);
    inserted = id == kNone;
    if (inserted) {
      bytes_.append(key.data(), key.size());
      offsets_.push_back(static_cast<std::uint32_t>(bytes_.size()));
      id = index_.add(h);
    }
    return id;
  }

 private:
  SlotIndex index_;
  std::string bytes_;
  std::vector<std::uint32_t> offsets_{0};
};

/// Token-id sequences (n-grams) -> ids 0, 1, 2... in order of first insertion.
class NgramTable {
 public:
  static constexpr std::uint32_t kNone = SlotIndex::kNone;

  std::size_t size() const { return index_.size(); }
  Span<const std::uint32_t> at(std::uint32_t id) const {
    return Span<const std::uint32_t>(ids_.data() + offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  std::uint32_t find(const std::uint32_t* ids, std::size_t n, std::uint64_t h) const {
    return index_.find(h, [&](std::uint32_t e) {
      const std::size_t begin = offsets_[e];
      return offsets_[e + 1] - begin == n &&
             std::memcmp(ids_.data() + begin, ids, n * sizeof(std::uint32_t)) == 0;
    });
  }
  std::uint32_t find(const std::uint32_t* ids, std::size_t n) const {
    return find(ids, n, hash_ids(ids, n));
  }
  std::uint32_t intern(const std::uint32_t* ids, std::size_t n) {
    const std::uint64_t h = hash_ids(ids, n);
    std::uint32_t id = find(ids, n, h);
    if (id == kNone) {
      ids_.insert(ids_.end(), ids, ids + n);
      offsets_.push_back(static_cast<std::uint32_t>(ids_.size()));
      id = index_.add(h);
    }
    return id;
  }

 private:
  SlotIndex index_;
  std::vector<std::uint32_t> ids_;
  std::vector<std::uint32_t> offsets_{0};
};

}  // namespace claimlens::text_detail
