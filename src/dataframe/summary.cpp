// Numeric reductions and pandas-style text formatting.
#include "summary.hpp"

#include "claimlens/accurate_sum.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace claimlens::detail {

double nan_mean(const std::vector<double>& values) {
  return central_moments(values.data(), values.size()).mean;  // NaN when no value is present
}

double nan_std(const std::vector<double>& values, int ddof) {
  const CentralMoments m = central_moments(values.data(), values.size());
  if (m.count <= static_cast<size_t>(ddof)) return std::nan("");
  return std::sqrt(m.variance(ddof));
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::nan("");
  // numpy: virtual index n*q + (1 + q*(1-1-1)) - 1, then _lerp with its t >= 0.5 branch.
  double n = static_cast<double>(sorted.size());
  double virtual_index = n * q + (1.0 + q * (1.0 - 1.0 - 1.0)) - 1.0;
  double lo_f = std::floor(virtual_index);
  double gamma = virtual_index - lo_f;
  size_t last = sorted.size() - 1;
  size_t lo = lo_f < 0 ? 0 : std::min(static_cast<size_t>(lo_f), last);
  size_t hi = std::min(lo + 1, last);
  double a = sorted[lo], b = sorted[hi];
  double diff = b - a;
  return gamma >= 0.5 ? b - diff * (1.0 - gamma) : a + diff * gamma;
}

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

namespace {

std::string format_fixed_or_sci(double v, bool scientific) {
  if (std::isinf(v)) return v > 0 ? " inf" : "-inf";
  char buf[400];
  auto r = std::to_chars(buf, buf + sizeof buf, v,
                         scientific ? std::chars_format::scientific : std::chars_format::fixed, 6);
  std::string s(buf, r.ptr);
  return s[0] == '-' ? s : " " + s;
}

// pandas' _trim_zeros_float: drop trailing zeros equally from every "d.ddd" value while all
// of them end in 0, keeping one digit after the point.
void trim_zeros(std::vector<std::string>& values) {
  auto is_decimal = [](const std::string& x) {
    size_t i = 0;
    while (i < x.size() && x[i] == ' ') ++i;
    if (i < x.size() && (x[i] == '+' || x[i] == '-')) ++i;
    size_t digits = 0;
    while (i < x.size() && x[i] >= '0' && x[i] <= '9') ++i, ++digits;
    if (digits == 0 || i >= x.size() || x[i] != '.') return false;
    ++i;
    while (i < x.size() && x[i] >= '0' && x[i] <= '9') ++i;
    return i == x.size();
  };
  for (;;) {
    bool any = false, all_zero = true;
    for (const auto& x : values) {
      if (!is_decimal(x)) continue;
      any = true;
      if (x.back() != '0') all_zero = false;
    }
    if (!any || !all_zero) break;
    for (auto& x : values) {
      if (is_decimal(x)) x.pop_back();
    }
  }
  for (auto& x : values) {
    if (is_decimal(x) && x.back() == '.') x.push_back('0');
  }
}

}  // namespace

std::vector<std::string> format_float_column(const std::vector<double>& values,
                                             const std::vector<bool>& valid) {
  auto render = [&](bool scientific) {
    std::vector<std::string> out(values.size());
    for (size_t i = 0; i < values.size(); ++i) {
      bool null = (!valid.empty() && !valid[i]) || std::isnan(values[i]);
      out[i] = null ? "NaN" : format_fixed_or_sci(values[i], scientific);
    }
    trim_zeros(out);
    return out;
  };
  std::vector<std::string> out = render(false);
  size_t max_len = 0;
  for (const auto& s : out) max_len = std::max(max_len, s.size());
  bool large = false, small = false;
  for (size_t i = 0; i < values.size(); ++i) {
    if ((!valid.empty() && !valid[i]) || std::isnan(values[i])) continue;
    double a = std::fabs(values[i]);
    if (a > 1e6) large = true;
    if (a < 1e-6 && a > 0) small = true;
  }
  if (small || (max_len > 6 + 6 && large)) out = render(true);
  return out;
}

std::string format_table(const std::vector<std::string>& index_labels,
                         const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& cells) {
  const size_t rows = index_labels.size();
  std::vector<std::vector<std::string>> cols;  // each: header + rows, padded to one width
  auto pad_left = [](const std::string& s, size_t w) {
    size_t n = display_width(s);
    return n >= w ? s : std::string(w - n, ' ') + s;
  };
  auto pad_right = [](const std::string& s, size_t w) {
    size_t n = display_width(s);
    return n >= w ? s : s + std::string(w - n, ' ');
  };
  size_t index_width = 0;
  for (const auto& l : index_labels) index_width = std::max(index_width, display_width(l));
  std::vector<std::string> index_col{std::string(index_width, ' ')};
  for (const auto& l : index_labels) index_col.push_back(pad_right(l, index_width));
  for (size_t c = 0; c < headers.size(); ++c) {
    size_t w = display_width(headers[c]);
    for (const auto& v : cells[c]) w = std::max(w, display_width(v));
    std::vector<std::string> col{pad_left(headers[c], w)};
    for (size_t r = 0; r < rows; ++r) col.push_back(pad_left(cells[c][r], w));
    cols.push_back(std::move(col));
  }
  std::string out;
  for (size_t r = 0; r <= rows; ++r) {
    out += index_col[r];
    for (const auto& col : cols) out += " " + col[r];
    if (r < rows) out += "\n";
  }
  return out;
}

}  // namespace claimlens::detail
