// Private UTF-8 decoding, Python-compatible character classes and the word tokenizer of the text
// module. A header so the hot loops in count_vectorizer.cpp inline the ASCII fast paths.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "claimlens/utf8.hpp"

namespace claimlens::text_detail {

// Strict decoding is core's (claimlens/utf8.hpp), shared with the CSV reader.
using claimlens::decode_utf8;
using claimlens::kInvalidUtf8;

/// Appends cp as UTF-8 to a byte buffer (std::string or FixedTokenBuffer).
template <class Buffer>
inline void append_utf8(Buffer& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Table lookups for code points >= 0x80 (unicode.cpp, from the generated unicode_tables.hpp).
bool is_word_slow(std::uint32_t cp);
bool is_case_ignorable_slow(std::uint32_t cp);
bool is_cased_slow(std::uint32_t cp);
/// str.lower() of one code point >= 0x80 out of context: writes 1..3 code points, returns count.
int lower_slow(std::uint32_t cp, std::uint32_t out[3]);

// Per-ASCII-byte flags, filled once from the same tables.
enum : std::uint8_t { kWord = 1, kCaseIgnorable = 2, kCased = 4 };
const std::array<std::uint8_t, 128>& ascii_flags();

/// re's Unicode \w: str.isalnum() or '_'.
inline bool is_word(std::uint32_t cp) {
  return cp < 0x80 ? (ascii_flags()[cp] & kWord) != 0 : is_word_slow(cp);
}
inline bool is_case_ignorable(std::uint32_t cp) {
  return cp < 0x80 ? (ascii_flags()[cp] & kCaseIgnorable) != 0 : is_case_ignorable_slow(cp);
}
/// Cased (meaningful for code points that are not case-ignorable).
inline bool is_cased(std::uint32_t cp) {
  return cp < 0x80 ? (ascii_flags()[cp] & kCased) != 0 : is_cased_slow(cp);
}

inline constexpr std::uint32_t kCapitalSigma = 0x3A3;

/// Python's final-sigma rule (handle_capital_sigma): a capital sigma lowers to U+03C2 when a
/// cased letter precedes it (skipping case-ignorables: `after_cased`) and none follows it
/// (again skipping case-ignorables) from byte `next_pos` on.
bool sigma_is_final(std::string_view s, std::size_t next_pos, bool after_cased);

/// A token buffer of N bytes on the stack for allocation-free tokenizing: bytes past N are
/// dropped but still counted, so `overflowed()` tells that the view holds only a prefix.
template <std::size_t N>
class FixedTokenBuffer {
 public:
  void push_back(char c) {
    if (length_ < N) bytes_[length_] = c;
    ++length_;
  }
  void clear() { length_ = 0; }
  const char* data() const { return bytes_; }
  std::size_t size() const { return length_ < N ? length_ : N; }
  bool overflowed() const { return length_ > N; }

 private:
  char bytes_[N];
  std::size_t length_ = 0;
};

/// Streams the tokens of `(?u)\b\w\w+\b` over `text` (after Python str.lower() when `lowercase`):
/// calls on_token(std::string_view bytes) for each run of >= 2 word characters. The bytes live
/// in `scratch` (std::string, or a FixedTokenBuffer) until the next call. Returns the byte
/// offset of invalid UTF-8, or npos.
template <class Buffer, class OnToken>
std::size_t for_each_token(std::string_view text, bool lowercase, Buffer& scratch,
                           OnToken&& on_token) {
  scratch.clear();
  std::size_t run = 0;  // code points in the current word run
  bool after_cased = false;
  auto feed = [&](std::uint32_t cp) {
    if (is_word(cp)) {
      append_utf8(scratch, cp);
      ++run;
    } else {
      if (run >= 2) on_token(std::string_view(scratch.data(), scratch.size()));
      scratch.clear();
      run = 0;
    }
  };
  const auto& flags = ascii_flags();
  std::size_t pos = 0;
  const std::size_t n = text.size();
  while (pos < n) {
    const auto byte = static_cast<unsigned char>(text[pos]);
    if (byte < 0x80) {  // ASCII fast path: one byte, one code point
      ++pos;
      const std::uint8_t f = flags[byte];
      if (lowercase && !(f & kCaseIgnorable)) after_cased = (f & kCased) != 0;
      if (f & kWord) {
        scratch.push_back(
            static_cast<char>(lowercase && byte >= 'A' && byte <= 'Z' ? byte + 32 : byte));
        ++run;
      } else {
        if (run >= 2) on_token(std::string_view(scratch.data(), scratch.size()));
        scratch.clear();
        run = 0;
      }
      continue;
    }
    const std::size_t start = pos;
    const std::uint32_t cp = decode_utf8(text, pos);
    if (cp == kInvalidUtf8) return start;
    if (!lowercase) {
      feed(cp);
      continue;
    }
    std::uint32_t low[3];
    int count = 1;
    if (cp == kCapitalSigma) {
      low[0] = sigma_is_final(text, pos, after_cased) ? 0x3C2 : 0x3C3;
    } else {
      count = lower_slow(cp, low);
    }
    if (!is_case_ignorable(cp)) after_cased = is_cased(cp);
    for (int i = 0; i < count; ++i) feed(low[i]);
  }
  if (run >= 2) on_token(std::string_view(scratch.data(), scratch.size()));
  return std::string_view::npos;
}

}  // namespace claimlens::text_detail
