// explain_text.hpp.
#include "explain_text.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "model_support.hpp"

namespace claimlens::cli {

namespace {

// A name with a space (an n-gram) quoted, so "media claim" reads as one feature.
std::string shown(const std::string& name) {
  return name.find(' ') == std::string::npos ? name : "\"" + name + "\"";
}

// Four decimals in text (the JSON keeps every digit).
std::string signed_number(double v) {
  return (v >= 0 ? "+" : "") + format_fixed(v, 4);
}

}  // namespace

std::vector<Part> top_parts(const std::vector<std::string>& names, const double* values,
                            std::size_t top) {
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(values[a]) > std::fabs(values[b]);
  });
  if (top > 0 && top < order.size()) order.resize(top);
  std::vector<Part> out;
  for (const std::size_t j : order) out.push_back({names[j], values[j]});
  return out;
}

std::string parts_text(const std::vector<Part>& parts) {
  std::string out;
  for (const Part& p : parts)
    out += (out.empty() ? "" : ", ") + shown(p.name) + " " + signed_number(p.value);
  return out;
}

}  // namespace claimlens::cli
