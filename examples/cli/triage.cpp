// `claimlens triage`: the reports in two queues, auto-label (P above the model's threshold) and
// review (the rest), each ranked by p(positive) x views, each report with its top reasons.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>

#include "claimlens/error.hpp"
#include "command.hpp"
#include "explain_text.hpp"
#include "model_support.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens triage --model M --data FILE --top K [--views COLUMN] [--id COLUMN]\n"
    "\n"
    "Splits FILE's rows into two queues by the model's decision threshold: \"auto-label\", the\n"
    "rows whose probability of the positive class (a claim) is above it (positive iff P >\n"
    "threshold; 0.5 unless the model holds an operating point, see `claimlens threshold`), and\n"
    "\"review\", the others, for people. Each queue is ranked by probability times the row's view\n"
    "count, highest first (ties in file order), and its top K printed, one line each: rank, row\n"
    "(1 = the first record after the header), probability, views, priority (probability x\n"
    "views), the id column and the start of the text column; under it, the report's three\n"
    "largest reasons: exact Shapley contributions of model features (a count, an n-gram such as\n"
    "\"media claim\") to the model's output, on its scale (docs/explanations.md).\n"
    "\n"
    "options:\n"
    "  --model M        any model file claimlens saves (`claimlens train`, `analyze --model`)\n"
    "  --data FILE      the reports to rank\n"
    "  --top K          how many lines to print per queue (K >= 1)\n"
    "  --views COLUMN   the numeric column of view counts (default video_view_count)\n"
    "  --id COLUMN      a column identifying each report (default video_id when present)\n"
    "  --help           this text\n"
    "\n"
    "Rows without a view count, or that the model cannot score, are not ranked (counted).\n";

constexpr std::size_t kExcerpt = 48;  // code points of text shown per line

// The first `limit` code points of UTF-8 text on one line ("..." when cut).
std::string excerpt(std::string_view text, std::size_t limit) {
  std::string out;
  std::size_t points = 0, i = 0;
  for (; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80 && points++ == limit) break;
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : text[i];
  }
  return i < text.size() ? out + "..." : out;
}

constexpr std::size_t kReasons = 3;  // contributions shown per report

// Per printed row (by row index), its top reasons as text; one note instead when the model
// cannot be explained (e.g. an imported booster without covers), so triage still ranks.
struct Reasons {
  std::vector<std::string> of_row;  // "" for rows not printed
  std::string unavailable;
};

Reasons reasons(const Model& model, const DataFrame& frame, const std::vector<std::size_t>& rows) {
  Reasons out;
  out.of_row.resize(frame.num_rows());
  if (rows.empty()) return out;
  try {
    const ShapValues v = model.explain(frame.take(rows));
    const std::vector<std::string> names = model.feature_names();
    const std::string scale = shap_scale_name(v.scale);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::vector<Part> top = top_parts(names, &v.values[r * v.width()], kReasons);
      out.of_row[rows[r]] = parts_text(top) + " (" + scale + ")";
    }
  } catch (const Error& e) {
    out.unavailable = std::string("no reasons: ") + e.what();
  }
  return out;
}

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "top", "views", "id"}, {}});
  const long long top = args.get_int("top");
  if (top < 1) throw UsageError{"option --top needs a number >= 1"};
  const Model model = load_model(args.get("model"));
  const ModelSchema schema = model.schema();
  const DataFrame frame = read_data(args.get("data"));
  const std::string views_name = args.get("views", "video_view_count");
  if (!frame.has_column(views_name)) {
    throw SchemaError("views column '" + views_name +
                      "' is not in the data (name the view counts with --views COLUMN)");
  }
  const Column& views = frame.column(views_name);
  if (views.dtype() == DType::String) {
    throw SchemaError("views column '" + views_name + "' holds text, not numbers");
  }
  std::string id_name = args.get("id", "video_id");
  if (args.has("id") && !frame.has_column(id_name)) {
    throw SchemaError("id column '" + id_name + "' is not in the data");
  }
  if (!frame.has_column(id_name)) id_name.clear();
  const auto& text_name = schema.text_column;
  const Column* text =
      text_name && frame.has_column(*text_name) ? &frame.column(*text_name) : nullptr;

  const std::vector<double> p = model.predict_proba(frame);
  const double threshold = model.threshold();
  std::vector<std::size_t> queues[2];  // 0: auto-label, 1: review
  std::vector<double> priority(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(p[i]) || views.is_null(i)) continue;
    priority[i] = p[i] * views.as_double(i);
    queues[model.predicts_positive(p[i]) ? 0 : 1].push_back(i);
  }
  const std::string p_name = "p_" + schema.positive;
  const std::string header = "rank     row  " + p_name + "        views     priority" +
                             (id_name.empty() ? "" : "  " + id_name) + (text ? "  text" : "") +
                             "\n";
  const Column* id = id_name.empty() ? nullptr : &frame.column(id_name);
  std::vector<std::size_t> printed;
  for (auto& order : queues) {
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return priority[a] > priority[b]; });
    const std::size_t k = std::min(order.size(), static_cast<std::size_t>(top));
    printed.insert(printed.end(), order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k));
  }
  const Reasons why = reasons(model, frame, printed);
  std::string out;
  for (int q = 0; q < 2; ++q) {
    const std::vector<std::size_t>& order = queues[q];
    out += std::string(q == 0 ? "auto-label" : "review") +
           " queue: " + std::to_string(order.size()) + " rows with " + p_name +
           (q == 0 ? " > " : " <= ") + format_number(threshold) + " (the model's threshold)\n" +
           header;
    const std::size_t k = std::min(order.size(), static_cast<std::size_t>(top));
    for (std::size_t r = 0; r < k; ++r) {
      const std::size_t i = order[r];
      out += pad(std::to_string(r + 1), 4) + pad(std::to_string(i + 1), 8) + "  " +
             pad(format_fixed(p[i], 4), 6 + schema.positive.size()) +
             pad(format_fixed(views.as_double(i), 0), 13) + pad(format_fixed(priority[i], 1), 13);
      if (id) out += "  " + (id->is_null(i) ? std::string("-") : cell_text(*id, i));
      if (text) {
        out += "  " + (text->is_null(i) ? std::string() : excerpt(text->string_at(i), kExcerpt));
      }
      out += "\n";
      if (!why.of_row[i].empty()) out += "          why: " + why.of_row[i] + "\n";
    }
  }
  if (!why.unavailable.empty()) out += why.unavailable + "\n";
  const std::size_t ranked = queues[0].size() + queues[1].size();
  const std::size_t unranked = p.size() - ranked;
  out += "ranked " + std::to_string(ranked) + " of " + std::to_string(p.size()) + " rows";
  if (unranked) out += " (" + std::to_string(unranked) + " without views or a score)";
  out += "; model: " + model.describe() + "\n";
  std::cout << out;
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"triage", "auto-label and review queues by the model's threshold, by probability x views",
     kUsage, run});

}  // namespace
}  // namespace claimlens::cli
