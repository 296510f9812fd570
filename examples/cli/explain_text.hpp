// Shared by `explain` and `triage`: the largest contributions of an explained row, as text.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace claimlens::cli {

/// One contribution: a model feature's or an input column's name and its value.
struct Part {
  std::string name;
  double value;
};

/// The `top` parts of largest |value| (all when top is 0), largest first (ties by order).
std::vector<Part> top_parts(const std::vector<std::string>& names, const double* values,
                            std::size_t top);

/// "name +0.1234, \"media claim\" -0.0100": an n-gram quoted so it reads as one feature, four
/// decimals (the JSON output keeps every digit).
std::string parts_text(const std::vector<Part>& parts);

}  // namespace claimlens::cli
