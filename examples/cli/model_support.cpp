// Shared code of the generic model commands (see model_support.hpp).
#include "model_support.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "claimlens/error.hpp"
#include "command.hpp"

namespace claimlens::cli {

std::string target_column(const Model& model, const std::string& given) {
  if (!given.empty()) return given;
  std::string target = model.schema().target;
  if (target.empty()) {
    throw UsageError{std::string("this ") + model.model_type() +
                     " model was trained on a bare matrix and knows no label column: name it "
                     "with --target"};
  }
  return target;
}

DataFrame read_data(const std::string& path) {
  if (!std::ifstream(path)) throw IoError("cannot read data file '" + path + "'");
  return read_csv(path);
}

std::string format_number(double value) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, res.ptr);
}

std::string format_fixed(double value, int digits) {
  if (std::isnan(value)) return "nan";
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, digits);
  return std::string(buf, res.ptr);
}

std::string cell_text(const Column& c, std::size_t row) {
  switch (c.dtype()) {
    case DType::String:
      return std::string(c.string_at(row));
    case DType::Bool:
      return c.bool_at(row) ? "True" : "False";
    case DType::Int64:
      return std::to_string(c.int64_at(row));
    default:
      return format_number(c.float64_at(row));
  }
}

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
    if (item.empty()) throw UsageError{"option --" + option + " has an empty column name"};
    out.push_back(std::move(item));
    start = end + 1;
  }
  return out;
}

}  // namespace claimlens::cli
