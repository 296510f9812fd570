// `claimlens describe --data FILE`: a first look at a CSV, printed as pandas prints it.
#include <iostream>
#include <set>
#include <unordered_set>

#include "claimlens/dataframe/dataframe.hpp"
#include "command.hpp"

namespace claimlens::cli {
namespace {

constexpr size_t kMaxDistinct = 20;  // value counts only for low-cardinality text columns

const char* kUsage =
    "usage: claimlens describe --data FILE\n"
    "\n"
    "Reads a CSV file (header row required) and prints, as pandas prints them:\n"
    "  - its shape (rows, columns),\n"
    "  - df.info(): each column's non-null count and dtype,\n"
    "  - df.describe(): count, mean, std, min, quartiles and max of the numeric columns,\n"
    "  - value_counts() of every text column with at most 20 distinct values.\n"
    "\n"
    "options:\n"
    "  --data FILE   the CSV file to read\n"
    "  --help        this text\n"
    "\n"
    "Integer columns with missing values stay int64 (pandas shows them as float64); their\n"
    "statistics are the same. A malformed file is reported on one line as FILE:LINE:FIELD: "
    "reason,\n"
    "with exit code 2.\n";

bool few_distinct(const Column& c) {
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < c.size(); ++i) {
    if (c.is_null(i)) continue;
    seen.insert(c.string_at(i));
    if (seen.size() > kMaxDistinct) return false;
  }
  return !seen.empty();
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"data"}, {}});
  const std::string path = args.get("data");
  DataFrame frame = read_csv(path);
  std::string out = "shape: (" + std::to_string(frame.num_rows()) + ", " +
                    std::to_string(frame.num_columns()) + ")\n\n";
  out += frame.info() + "\n";
  bool numeric = false;
  for (DType d : frame.dtypes()) numeric = numeric || d == DType::Int64 || d == DType::Float64;
  if (numeric) out += frame.describe().to_string() + "\n";
  for (size_t i = 0; i < frame.num_columns(); ++i) {
    const Column& c = frame.column(i);
    if (c.dtype() != DType::String || !few_distinct(c)) continue;
    out += "\n" + frame.value_counts(frame.column_names()[i]).to_string() + "\n";
  }
  std::cout << out;
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"describe", "shape, column info, summary statistics and value counts of a CSV", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
