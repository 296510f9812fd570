// Table lookups behind unicode_internal.hpp and the public helpers of text/unicode.hpp.
#include "claimlens/text/unicode.hpp"

#include <algorithm>
#include <iterator>

#include "claimlens/error.hpp"
#include "unicode_internal.hpp"
#include "unicode_tables.hpp"

namespace claimlens {
namespace text_detail {
namespace {

template <std::size_t N>
bool in_ranges(const CodeRange (&ranges)[N], std::uint32_t cp) {
  // First range whose last >= cp; cp is inside if that range starts at or before it.
  const CodeRange* it =
      std::lower_bound(std::begin(ranges), std::end(ranges), cp,
                       [](const CodeRange& r, std::uint32_t value) { return r.last < value; });
  return it != std::end(ranges) && it->first <= cp;
}

std::array<std::uint8_t, 128> make_ascii_flags() {
  std::array<std::uint8_t, 128> flags{};
  for (std::uint32_t c = 0; c < 128; ++c) {
    std::uint8_t f = 0;
    if (in_ranges(kWordRanges, c)) f |= kWord;
    if (in_ranges(kCaseIgnorableRanges, c)) f |= kCaseIgnorable;
    if (in_ranges(kCasedRanges, c)) f |= kCased;
    flags[c] = f;
  }
  return flags;
}

[[noreturn]] void throw_bad_utf8(std::size_t offset) {
  throw InvalidArgument("text is not valid UTF-8: invalid byte sequence at byte offset " +
                        std::to_string(offset));
}

}  // namespace

const std::array<std::uint8_t, 128>& ascii_flags() {
  static const std::array<std::uint8_t, 128> flags = make_ascii_flags();
  return flags;
}

bool is_word_slow(std::uint32_t cp) {
  return in_ranges(kWordRanges, cp);
}
bool is_case_ignorable_slow(std::uint32_t cp) {
  return in_ranges(kCaseIgnorableRanges, cp);
}
bool is_cased_slow(std::uint32_t cp) {
  return in_ranges(kCasedRanges, cp);
}

int lower_slow(std::uint32_t cp, std::uint32_t out[3]) {
  const LowerEntry* it =
      std::lower_bound(std::begin(kLowerMap), std::end(kLowerMap), cp,
                       [](const LowerEntry& e, std::uint32_t value) { return e.from < value; });
  if (it == std::end(kLowerMap) || it->from != cp) {
    out[0] = cp;
    return 1;
  }
  for (int i = 0; i < it->count; ++i) out[i] = it->to[i];
  return it->count;
}

bool sigma_is_final(std::string_view s, std::size_t next_pos, bool after_cased) {
  if (!after_cased) return false;
  std::size_t pos = next_pos;
  while (pos < s.size()) {
    const std::uint32_t cp = decode_utf8(s, pos);
    if (cp == kInvalidUtf8) return true;  // the caller reports the bad bytes when it gets there
    if (!is_case_ignorable(cp)) return !is_cased(cp);
  }
  return true;
}

}  // namespace text_detail

using namespace text_detail;

std::size_t text_length(std::string_view text) {
  std::size_t count = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
    } else if (decode_utf8(text, pos) == kInvalidUtf8) {
      throw_bad_utf8(pos);
    }
    ++count;
  }
  return count;
}

std::string to_lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool after_cased = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t start = pos;
    const std::uint32_t cp = decode_utf8(text, pos);
    if (cp == kInvalidUtf8) throw_bad_utf8(start);
    if (cp == kCapitalSigma) {
      append_utf8(out, sigma_is_final(text, pos, after_cased) ? 0x3C2 : 0x3C3);
    } else if (cp < 0x80) {
      out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    } else {
      std::uint32_t low[3];
      const int count = lower_slow(cp, low);
      for (int i = 0; i < count; ++i) append_utf8(out, low[i]);
    }
    if (!is_case_ignorable(cp)) after_cased = is_cased(cp);
  }
  return out;
}

std::vector<std::string> word_tokens(std::string_view text) {
  std::vector<std::string> tokens;
  std::string scratch;
  const std::size_t bad = for_each_token(
      text, false, scratch, [&](std::string_view token) { tokens.emplace_back(token); });
  if (bad != std::string_view::npos) throw_bad_utf8(bad);
  return tokens;
}

const std::vector<std::string>& english_stop_words() {
  static const std::vector<std::string> words(std::begin(kEnglishStopWords),
                                              std::end(kEnglishStopWords));
  return words;
}

const char* unicode_version() {
  return kUnicodeVersion;
}

}  // namespace claimlens
