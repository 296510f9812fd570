#include "common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <string>

#include "claimlens/error.hpp"

namespace claimlens::regression_detail {

void check_matrix(const RowMatrix& X, const char* what) {
  if (X.rows() == 0) throw InvalidArgument(std::string(what) + " has zero rows");
  if (X.cols() == 0) throw InvalidArgument(std::string(what) + " has zero columns");
  for (Eigen::Index r = 0; r < X.rows(); ++r) {
    for (Eigen::Index c = 0; c < X.cols(); ++c) {
      if (!std::isfinite(X(r, c))) {
        throw InvalidArgument(std::string(what) + " holds a non-finite value (" +
                              (std::isnan(X(r, c)) ? "NaN" : "inf") + ") at row " +
                              std::to_string(r) + ", column " + std::to_string(c));
      }
    }
  }
}

void check_vector(const Vector& v, Eigen::Index rows, const char* what) {
  if (v.size() != rows) {
    throw InvalidArgument(std::string(what) + " has " + std::to_string(v.size()) +
                          " entries but X has " + std::to_string(rows) + " rows");
  }
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    if (!std::isfinite(v[i])) {
      throw InvalidArgument(std::string(what) + " holds a non-finite value (" +
                            (std::isnan(v[i]) ? "NaN" : "inf") + ") at row " + std::to_string(i));
    }
  }
}

void check_binary(const Vector& y) {
  bool zero = false, one = false;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (y[i] == 0.0) {
      zero = true;
    } else if (y[i] == 1.0) {
      one = true;
    } else {
      throw InvalidArgument("y must hold binary 0/1 labels; row " + std::to_string(i) + " is " +
                            format_general(y[i], 17, false));
    }
  }
  if (!zero || !one) {
    throw InvalidArgument(std::string("y holds only class ") + (one ? "1" : "0") +
                          "; a binary fit needs samples of both classes");
  }
}

std::vector<std::string> parameter_names(const std::vector<std::string>& names,
                                         Eigen::Index columns, bool add_constant) {
  if (!names.empty() && static_cast<Eigen::Index>(names.size()) != columns) {
    throw InvalidArgument("names has " + std::to_string(names.size()) + " entries but X has " +
                          std::to_string(columns) + " columns");
  }
  std::vector<std::string> out;
  if (add_constant) out.push_back("const");
  for (Eigen::Index j = 0; j < columns; ++j) {
    out.push_back(names.empty() ? "x" + std::to_string(j + 1) : names[j]);
  }
  return out;
}

RowMatrix with_constant(const RowMatrix& X, bool add_constant) {
  if (!add_constant) return X;
  RowMatrix out(X.rows(), X.cols() + 1);
  out.col(0).setOnes();
  out.rightCols(X.cols()) = X;
  return out;
}

namespace {

std::string to_chars_string(double x, std::chars_format fmt, int precision) {
  char buf[512];
  auto res = std::to_chars(buf, buf + sizeof buf, x, fmt, precision);
  return std::string(buf, res.ptr);
}

std::string special(double x) {
  if (std::isnan(x)) return "nan";
  return x > 0 ? "inf" : "-inf";
}

}  // namespace

std::string format_fixed(double x, int precision) {
  if (!std::isfinite(x)) return special(x);
  return to_chars_string(x, std::chars_format::fixed, precision);
}

// printf's %g rule: scientific if the exponent is < -4 or >= precision, else fixed; %#g keeps the
// trailing zeros and the decimal point.
std::string format_general(double x, int precision, bool keep_zeros) {
  if (!std::isfinite(x)) return special(x);
  if (precision == 0) precision = 1;
  std::string sci = to_chars_string(x, std::chars_format::scientific, precision - 1);
  int exponent = std::stoi(sci.substr(sci.find('e') + 1));
  std::string out;
  if (exponent < -4 || exponent >= precision) {
    out = sci;
  } else {
    out = to_chars_string(x, std::chars_format::fixed, precision - 1 - exponent);
  }
  if (keep_zeros) {
    if (out.find('.') == std::string::npos) {
      size_t e = out.find('e');
      out.insert(e == std::string::npos ? out.size() : e, ".");
    }
    return out;
  }
  size_t e = out.find('e');
  std::string mantissa = out.substr(0, e == std::string::npos ? out.size() : e);
  std::string tail = e == std::string::npos ? "" : out.substr(e);
  if (mantissa.find('.') != std::string::npos) {
    while (mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  return mantissa + tail;
}

std::string pad_left(const std::string& s, size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string forg(double x, int prec) {
  const bool sci = std::abs(x) >= 1e4 || std::abs(x) < 1e-4;  // so 0 prints as "0", as statsmodels
  size_t width = prec == 3 ? 9 : 10;
  return pad_left(sci ? format_general(x, prec, false) : format_fixed(x, prec), width);
}

namespace {

std::string today(const char* fmt) {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  // %a/%b are locale dependent; spell them out for a stable "C" layout.
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (fmt[0] == 'd') {
    std::string s = std::string(days[tm.tm_wday]) + ", " + (tm.tm_mday < 10 ? "0" : "") +
                    std::to_string(tm.tm_mday) + " " + months[tm.tm_mon] + " " +
                    std::to_string(tm.tm_year + 1900);
    return s;
  }
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

}  // namespace

std::string summary_header(const std::string& title, const std::vector<SummaryPair>& left,
                           const std::vector<SummaryPair>& right) {
  const size_t width = 78;
  std::string out = pad_right(pad_left(title, (width + title.size() + 1) / 2), width) + "\n";
  out += std::string(width, '=') + "\n";
  std::vector<SummaryPair> l = left, r = right;
  for (auto* side : {&l, &r}) {
    for (auto& p : *side) {
      if (p.value == "<date>") p.value = today("date");
      if (p.value == "<time>") p.value = today("time");
    }
  }
  size_t rows = std::max(l.size(), r.size());
  for (size_t i = 0; i < rows; ++i) {
    // statsmodels' layout: label + right-aligned value in 37 columns, 3 spaces, then 38 columns.
    std::string a = i < l.size() ? l[i].label + pad_left(l[i].value, 37 - l[i].label.size()) : "";
    std::string b = i < r.size() ? r[i].label + pad_left(r[i].value, 38 - r[i].label.size()) : "";
    out += pad_right(a, 37) + "   " + pad_right(b, 38) + "\n";
  }
  return out;
}

std::string summary_params(const std::vector<std::string>& names, const Vector& params,
                           const Vector& bse, const Vector& stat, const Vector& pvalues,
                           const Vector& low, const Vector& high, const char* stat_name,
                           const char* p_name, bool closing_rule) {
  // statsmodels' layout: the stub is as wide as the longest name (at least 10, so the table spans
  // 78 columns), then columns of 11, 11, 11, 11, 12 and 12 characters.
  size_t stub = 10;
  for (const auto& n : names) stub = std::max(stub, n.size());
  const size_t width = stub + 68;
  std::string out = std::string(width, '=') + "\n";
  out += std::string(stub, ' ') + pad_left("coef", 11) + pad_left("std err", 11) +
         pad_left(stat_name, 11) + pad_left(p_name, 11) + pad_left("[0.025", 12) +
         pad_left("0.975]", 12) + "\n";
  out += std::string(width, '-') + "\n";
  for (size_t i = 0; i < names.size(); ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    out += pad_right(names[i], stub) + pad_left(forg(params[k], 4), 11) +
           pad_left(forg(bse[k], 3), 11) + pad_left(forg(stat[k], 3), 11) +
           pad_left(format_fixed(pvalues[k], 3), 11) + pad_left(forg(low[k], 3), 12) +
           pad_left(forg(high[k], 3), 12) + "\n";
  }
  if (closing_rule) out += std::string(width, '=') + "\n";
  return out;
}

}  // namespace claimlens::regression_detail
