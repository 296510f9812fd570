// Strict UTF-8 decoding (Python's bytes.decode('utf-8')), in core so that the CSV reader, the
// text module and the C ABI's record checks refuse exactly the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace claimlens {

inline constexpr std::uint32_t kInvalidUtf8 = 0xFFFFFFFFu;

/// Decodes one code point at `pos` and advances it. Strict like Python's bytes.decode('utf-8'):
/// overlongs, surrogates, values past U+10FFFF and truncated sequences give kInvalidUtf8 (pos
/// is then left at the start of the bad sequence).
inline std::uint32_t decode_utf8(std::string_view s, std::size_t& pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const unsigned c0 = p[pos];
  if (c0 < 0x80) {
    ++pos;
    return c0;
  }
  auto ok = [&](std::size_t i, unsigned lo, unsigned hi) {
    return i < n && p[i] >= lo && p[i] <= hi;
  };
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (!ok(pos + 1, 0x80, 0xBF)) return kInvalidUtf8;
    const std::uint32_t cp = ((c0 & 0x1Fu) << 6) | (p[pos + 1] & 0x3Fu);
    pos += 2;
    return cp;
  }
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    const unsigned lo = c0 == 0xE0 ? 0xA0 : 0x80;  // E0 80..9F would be overlong
    const unsigned hi = c0 == 0xED ? 0x9F : 0xBF;  // ED A0..BF would be a surrogate
    if (!ok(pos + 1, lo, hi) || !ok(pos + 2, 0x80, 0xBF)) return kInvalidUtf8;
    const std::uint32_t cp =
        ((c0 & 0x0Fu) << 12) | ((p[pos + 1] & 0x3Fu) << 6) | (p[pos + 2] & 0x3Fu);
    pos += 3;
    return cp;
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    const unsigned lo = c0 == 0xF0 ? 0x90 : 0x80;
    const unsigned hi = c0 == 0xF4 ? 0x8F : 0xBF;
    if (!ok(pos + 1, lo, hi) || !ok(pos + 2, 0x80, 0xBF) || !ok(pos + 3, 0x80, 0xBF)) {
      return kInvalidUtf8;
    }
    const std::uint32_t cp = ((c0 & 0x07u) << 18) | ((p[pos + 1] & 0x3Fu) << 12) |
                             ((p[pos + 2] & 0x3Fu) << 6) | (p[pos + 3] & 0x3Fu);
    pos += 4;
    return cp;
  }
  return kInvalidUtf8;
}

/// The byte offset of the first invalid sequence in `text`, or npos when it is valid UTF-8.
/// ASCII runs are skipped eight bytes at a time.
inline std::size_t invalid_utf8_offset(std::string_view text) {
  std::size_t pos = 0;
  const std::size_t n = text.size();
  while (pos < n) {
    if (pos + 8 <= n) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + pos, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        pos += 8;
        continue;
      }
    }
    const std::size_t start = pos;
    if (decode_utf8(text, pos) == kInvalidUtf8) return start;
  }
  return std::string_view::npos;
}

}  // namespace claimlens
