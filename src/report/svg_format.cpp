// Text escaping, locale-independent number formatting, text width estimates and colours of the
// chart primitives.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

#include "claimlens/error.hpp"
#include "svg.hpp"

namespace claimlens::report::svg {
namespace {

// Wide enough for any double in fixed notation with 17 decimals (1e308 has 309 digits).
constexpr std::size_t kNumberBuffer = 400;

std::string non_finite(double value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "inf" : "-inf";
}

// "-0", "-0.00": a negative sign over digits that are all zero is dropped.
void drop_negative_zero(std::string& s) {
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("0.", 1) == std::string::npos) {
    s.erase(0, 1);
  }
}

void trim_trailing_zeros(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
}

// Number of UTF-8 continuation-free code points; invalid bytes count as one each.
template <class F>
void for_each_code_point(std::string_view text, F&& f) {
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80         ? 1
                      : (c >> 5) == 6  ? 2
                      : (c >> 4) == 14 ? 3
                      : (c >> 3) == 30 ? 4
                                       : 1;
    len = std::min(len, text.size() - i);
    f(text.substr(i, len));
    i += len;
  }
}

// Advance widths in em of a typical sans-serif (DejaVu Sans is among the widest), rounded up.
double char_em(std::string_view cp) {
  if (cp.size() > 1) return 0.75;  // non-ASCII: accented letters, symbols, CJK is wider still
  const char c = cp[0];
  if (c >= '0' && c <= '9') return 0.64;
  if (c == 'i' || c == 'l' || c == 'j' || c == '.' || c == ',' || c == ':' || c == ';' ||
      c == '\'' || c == '|' || c == '!' || c == ' ')
    return 0.34;
  if (c == 'm' || c == 'w' || c == 'M' || c == 'W' || c == '%' || c == '@') return 0.95;
  if (c == 'f' || c == 't' || c == 'r' || c == '(' || c == ')' || c == '[' || c == ']' || c == '-')
    return 0.42;
  if (c >= 'A' && c <= 'Z') return 0.74;
  return 0.62;
}

struct Rgb {
  double r, g, b;
};

std::string to_hex(const Rgb& c) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "#";
  for (double v : {c.r, c.g, c.b}) {
    const int i = std::clamp(static_cast<int>(std::lround(v)), 0, 255);
    out += kDigits[i >> 4];
    out += kDigits[i & 15];
  }
  return out;
}

template <std::size_t N>
std::string ramp(const std::array<Rgb, N>& stops, double t) {
  if (std::isnan(t)) t = 0.5;
  t = std::clamp(t, 0.0, 1.0) * static_cast<double>(N - 1);
  const std::size_t i = std::min(static_cast<std::size_t>(t), N - 2);
  const double f = t - static_cast<double>(i);
  const Rgb& a = stops[i];
  const Rgb& b = stops[i + 1];
  return to_hex({a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f});
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += "\xEF\xBF\xBD";  // U+FFFD: XML forbids these characters
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string format_fixed(double value, int decimals) {
  if (decimals < 0 || decimals > 17) {
    throw InvalidArgument("format_fixed: decimals must be in 0..17, got " +
                          std::to_string(decimals));
  }
  if (!std::isfinite(value)) return non_finite(value);
  std::array<char, kNumberBuffer> buf{};
  const auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, decimals);
  std::string s(buf.data(), r.ptr);
  drop_negative_zero(s);
  return s;
}

std::string format_grouped(double value, int decimals) {
  std::string s = format_fixed(value, decimals);
  if (!std::isfinite(value)) return s;
  const std::size_t start = s[0] == '-' ? 1 : 0;
  std::size_t end = s.find('.');
  if (end == std::string::npos) end = s.size();
  for (std::size_t i = end; i > start + 3; i -= 3) s.insert(i - 3, 1, ',');
  return s;
}

std::string format_compact(double value) {
  if (!std::isfinite(value)) return non_finite(value);
  static constexpr std::array<const char*, 4> kSuffix = {"", "k", "M", "B"};
  std::size_t level = 0;
  double m = value;
  while (level + 1 < kSuffix.size() && std::fabs(m) >= 1000.0) {
    m /= 1000.0;
    ++level;
  }
  for (;;) {
    const double a = std::fabs(m);
    const int digits = a == 0 ? 0 : static_cast<int>(std::floor(std::log10(a)));
    const int decimals = std::clamp(3 - digits, 0, 6);
    std::string s = format_fixed(m, decimals);
    trim_trailing_zeros(s);
    drop_negative_zero(s);
    // 999,950 rounds to "1000k": move up to the next suffix instead.
    double shown = 0;
    std::from_chars(s.data(), s.data() + s.size(), shown);
    shown = std::fabs(shown);
    if (shown >= 1000.0 && level + 1 < kSuffix.size()) {
      m /= 1000.0;
      ++level;
      continue;
    }
    return s + kSuffix[level];
  }
}

std::string format_shortest(double value) {
  if (!std::isfinite(value)) return non_finite(value);
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  std::string s(buf.data(), r.ptr);
  drop_negative_zero(s);
  return s;
}

std::string format_p_value(double p) {
  if (!std::isfinite(p)) return non_finite(p);
  if (p == 0.0) return "0";
  if (std::fabs(p) >= 1e-4) return format_fixed(p, 4);
  std::array<char, 64> buf{};
  const auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), p, std::chars_format::scientific, 1);
  return std::string(buf.data(), r.ptr);
}

double text_width(std::string_view text, double font_size) {
  double em = 0;
  for_each_code_point(text, [&](std::string_view cp) { em += char_em(cp); });
  return em * font_size;
}

std::string truncate_to_width(std::string_view text, double font_size, double max_width) {
  if (text_width(text, font_size) <= max_width) return std::string(text);
  const double ellipsis = 0.75 * font_size;
  std::string out;
  double width = 0;
  bool full = false;
  for_each_code_point(text, [&](std::string_view cp) {
    if (full) return;
    const double w = char_em(cp) * font_size;
    if (width + w + ellipsis > max_width) {
      full = true;
      return;
    }
    width += w;
    out += cp;
  });
  return out + "\xE2\x80\xA6";  // U+2026
}

std::string palette_color(std::size_t index) {
  // Okabe & Ito (2008), "Color Universal Design": distinguishable with colour-vision deficiency.
  static constexpr std::array<const char*, 8> kPalette = {
      "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442", "#000000"};
  return kPalette[index % kPalette.size()];
}

std::string diverging_color(double t) {
  // ColorBrewer RdBu stops (Brewer, colorbrewer2.org), blue for -1 and red for +1.
  static constexpr std::array<Rgb, 5> kStops = {Rgb{33, 102, 172}, Rgb{146, 197, 222},
                                                Rgb{247, 247, 247}, Rgb{244, 165, 130},
                                                Rgb{178, 24, 43}};
  return ramp(kStops, t);
}

std::string sequential_color(double t) {
  // ColorBrewer Blues stops.
  static constexpr std::array<Rgb, 4> kStops = {Rgb{247, 251, 255}, Rgb{198, 219, 239},
                                                Rgb{66, 146, 198}, Rgb{8, 48, 107}};
  return ramp(kStops, t);
}

}  // namespace claimlens::report::svg
