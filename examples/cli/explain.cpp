// `claimlens explain`: why a model scored rows of a CSV as it did: per row, the largest exact
// Shapley contributions by model feature and by input column (docs/explanations.md).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <numeric>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"
#include "command.hpp"
#include "explain_text.hpp"
#include "model_support.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens explain --model M --data FILE [--rows LIST] [--top K] [--json]\n"
    "\n"
    "Explains the model's score of FILE's rows: for each row, the output (P(positive) for a\n"
    "random forest, the margin, i.e. log-odds, for boosting, XGBoost and logistic regression),\n"
    "the bias (the model's expected output) and the K features that moved it most, as exact\n"
    "Shapley values that add up with the bias to the output; then the same grouped by input\n"
    "column (a claim classifier's n-grams and text length under video_transcription_text, a\n"
    "pipeline's one-hot and n-gram features under their column). The additivity residual\n"
    "|sum - output| is printed with each row.\n"
    "\n"
    "options:\n"
    "  --model M     any model file claimlens saves, or an XGBoost model file\n"
    "  --data FILE   the rows to explain (the columns the model reads, as for predict)\n"
    "  --rows LIST   which rows: numbers and ranges, \"1,5,10-20\" (1 = the first record after\n"
    "                the header; default every row)\n"
    "  --top K       contributions shown per row, largest |value| first (default 5; 0 = all)\n"
    "  --json        one JSON document instead of text: scale, expected_value, feature_names,\n"
    "                feature_groups, and per row its output, residual, top features and groups\n"
    "  --help        this text\n"
    "\n"
    "A row the model cannot score (a claim classifier's row with an empty cell it reads) is\n"
    "reported as not explained.\n";

std::size_t row_number(const std::string& text, std::size_t rows) {
  long long v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 1) {
    throw UsageError{"option --rows: '" + text + "' is not a row number (1, 2, ...)"};
  }
  if (static_cast<unsigned long long>(v) > rows) {
    throw UsageError{"option --rows: row " + text + " is past the data's " + std::to_string(rows) +
                     " rows"};
  }
  return static_cast<std::size_t>(v - 1);
}

// "1,5,10-20" -> 0-based indices in the order given.
std::vector<std::size_t> parse_rows(const std::string& text, std::size_t rows) {
  std::vector<std::size_t> out;
  for (const std::string& item : split_list(text, "rows")) {
    const auto dash = item.find('-');
    if (dash == std::string::npos) {
      out.push_back(row_number(item, rows));
      continue;
    }
    const std::size_t a = row_number(item.substr(0, dash), rows);
    const std::size_t b = row_number(item.substr(dash + 1), rows);
    if (b < a) throw UsageError{"option --rows: range '" + item + "' ends before it starts"};
    for (std::size_t i = a; i <= b; ++i) out.push_back(i);
  }
  return out;
}

nlohmann::json parts_json(const std::vector<Part>& parts, const char* key) {
  nlohmann::json out = nlohmann::json::array();
  for (const Part& p : parts) out.push_back({{key, p.name}, {"value", p.value}});
  return out;
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "rows", "top"}, {"json"}});
  const long long top = args.get_int("top", 5);
  if (top < 0) throw UsageError{"option --top must be 0 (all) or more"};
  const Model model = load_model(args.get("model"));
  const DataFrame data = read_data(args.get("data"));
  std::vector<std::size_t> rows(data.num_rows());
  std::iota(rows.begin(), rows.end(), 0);
  if (args.has("rows")) rows = parse_rows(args.get("rows"), data.num_rows());
  const ShapValues v = model.explain(data.take(rows));
  const std::vector<std::string> names = model.feature_names();
  const FeatureGroups groups = model.groups();
  const char* scale = shap_scale_name(v.scale);
  const double bias = model.expected_value();
  const auto k = static_cast<std::size_t>(top);

  nlohmann::json doc = {{"model_type", model.model_type()},
                        {"scale", scale},
                        {"expected_value", bias},
                        {"feature_names", names},
                        {"feature_groups", model.feature_groups()},
                        {"rows", nlohmann::json::array()}};
  if (!args.has("json")) {
    std::cout << model.model_type() << " model, " << scale << " scale, bias (expected value) "
              << format_number(bias) << "\n";
  }
  std::vector<double> grouped(groups.names.size());
  for (std::size_t i = 0; i < v.rows; ++i) {
    const double* row = v.values.data() + i * v.width();
    const std::size_t number = rows[i] + 1;
    if (std::isnan(v.residual[i])) {
      if (args.has("json")) {
        doc["rows"].push_back({{"row", number}, {"explained", false}});
      } else {
        std::cout << "row " << number << ": not explained (an empty cell the model reads)\n";
      }
      continue;
    }
    groups.sum(row, grouped.data());
    const auto features = top_parts(names, row, k);
    const auto columns = top_parts(groups.names, grouped.data(), k);
    if (args.has("json")) {
      doc["rows"].push_back({{"row", number},
                             {"explained", true},
                             {"output", v.output[i]},
                             {"residual", v.residual[i]},
                             {"features", parts_json(features, "feature")},
                             {"groups", parts_json(columns, "group")}});
      continue;
    }
    std::cout << "row " << number << ": " << scale << " " << format_fixed(v.output[i], 4)
              << " (residual " << format_number(v.residual[i]) << ")\n"
              << "  features: " << parts_text(features) << "\n"
              << "  columns:  " << parts_text(columns) << "\n";
  }
  if (args.has("json")) std::cout << doc.dump(2) << "\n";
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"explain", "why a model scored rows as it did: exact Shapley contributions per row", kUsage,
     run});

}  // namespace
}  // namespace claimlens::cli
