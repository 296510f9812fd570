// Shared code of the generic model commands (see model_support.hpp).
#include "model_support.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>

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

Labels encode(const Column& column, const std::string& target, const std::string& positive) {
  Labels out;
  out.y.assign(column.size(), std::nan(""));
  const bool bool_positive =
      column.dtype() == DType::Bool && (positive == "true" || positive == "1");
  std::set<std::string> others;
  bool seen_positive = false;
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column.is_null(i)) continue;
    const std::string label = cell_text(column, i);
    const bool pos = label == positive || (bool_positive && label == "True");
    seen_positive = seen_positive || pos;
    if (!pos && others.size() < 3) others.insert(label);
    out.y[i] = pos ? 1.0 : 0.0;
  }
  std::string listed;
  for (const auto& o : others) listed += (listed.empty() ? "'" : ", '") + o + "'";
  if (!seen_positive) {
    throw InvalidArgument("no row of target '" + target + "' has the positive value '" + positive +
                          "'" + (listed.empty() ? "" : " (its values: " + listed + ")") +
                          "; name the value that means it with --positive");
  }
  if (others.size() > 1) {
    throw InvalidArgument("target '" + target + "' has more than two values (" + listed +
                          " besides '" + positive + "')");
  }
  if (others.empty()) {
    throw InvalidArgument("target '" + target + "' holds only '" + positive +
                          "': evaluation needs both classes");
  }
  out.negative = *others.begin();
  return out;
}

namespace {
std::string rate_text(const nlohmann::json& point, const char* rate) {
  std::string out = format_fixed(point.at(rate).get<double>(), 4);
  const auto& b = point.at("bootstrap");
  if (!b.is_null()) {
    out += " [" + format_fixed(b.at(rate).at(0).get<double>(), 4) + ", " +
           format_fixed(b.at(rate).at(1).get<double>(), 4) + "]";
  }
  return out;
}
}  // namespace

std::string operating_point_text(const nlohmann::json& point) {
  std::string out = "operating point: " + point.at("target_metric").get<std::string>() +
                    " >= " + format_number(point.at("target").get<double>()) +
                    " on the rows it was chosen on: threshold " +
                    format_number(point.at("threshold").get<double>()) + "\n";
  out += "  precision " + rate_text(point, "precision") + ", recall " + rate_text(point, "recall");
  const auto& b = point.at("bootstrap");
  if (!b.is_null()) {
    out += " (" + format_number(100 * b.at("confidence").get<double>()) +
           "% bootstrap intervals, " + b.at("n_resamples").dump() + " resamples, seed " +
           b.at("seed").dump() + ")";
  }
  out += "\n  tp " + point.at("tp").dump() + ", fp " + point.at("fp").dump() + ", fn " +
         point.at("fn").dump() + ", tn " + point.at("tn").dump() + "\n";
  return out;
}

CalibrateOptions calibrate_options(const Args& args, const std::string& method,
                                   std::size_t default_cv) {
  CalibrateOptions options;
  try {
    options.method = calibration_method_from_name(args.get(method), ("--" + method).c_str());
  } catch (const InvalidArgument& e) {
    throw UsageError{e.what()};
  }
  const long long cv = args.get_int("cv", static_cast<long long>(default_cv));
  if (args.has("cv") && cv < 2) throw UsageError{"option --cv needs a number of folds >= 2"};
  options.cv = static_cast<std::size_t>(cv);
  return options;
}

LabelledData labelled_data(const Model& model, const std::string& path, const std::string& target,
                           const std::string& positive) {
  LabelledData d;
  const DataFrame frame = read_data(path);
  d.target = target_column(model, target);
  if (!frame.has_column(d.target)) {
    throw SchemaError("target column '" + d.target + "' is not in the data '" + path + "'");
  }
  d.positive = positive.empty() ? model.schema().positive : positive;
  const Labels labels = encode(frame.column(d.target), d.target, d.positive);
  d.negative = labels.negative;
  const std::vector<double> p = model.predict_proba(frame, {d.target});
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (std::isnan(labels.y[i]) || std::isnan(p[i])) continue;
    rows.push_back(i);
    d.y.push_back(labels.y[i] == 1.0 ? 1 : 0);
    d.proba.push_back(p[i]);
  }
  if (rows.empty()) throw InvalidArgument("no row of '" + path + "' has both a label and a score");
  d.skipped = frame.num_rows() - rows.size();
  d.frame = frame.take(rows);
  return d;
}

}  // namespace claimlens::cli
