// HTML building blocks of the analysis report (not installed): tables, key-number cards,
// sections, number formatting shortcuts, and the per-step renderers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/pipeline/analysis.hpp"
#include "claimlens/report/analysis_report.hpp"
#include "svg.hpp"

namespace claimlens::report::detail {

inline std::string esc(std::string_view s) {
  return svg::escape(s);
}
/// Counts: "19,382".
inline std::string count(double v) {
  return svg::format_grouped(v, 0);
}
/// Measurements: grouped with `decimals` digits ("501,029.30").
inline std::string num(double v, int decimals = 2) {
  return svg::format_grouped(v, decimals);
}
/// Metrics in [0, 1]: 4 decimals.
inline std::string metric(double v) {
  return svg::format_fixed(v, 4);
}
/// A share as "52.1%".
inline std::string percent(double part, double whole) {
  return whole > 0 ? svg::format_fixed(100.0 * part / whole, 1) + "%" : "\xE2\x80\x93";
}

/// A styled table; `numeric[c]` right-aligns column c with tabular figures. Cells are escaped
/// unless `html_cells` is set (the caller then escapes what it puts in).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;
  std::string caption;
  std::string css_class;
  bool html_cells = false;
};
std::string render_table(const Table& table);

/// A key-number card: label, big value, small detail line (all escaped).
std::string card(std::string_view label, std::string_view value, std::string_view detail = {},
                 std::string_view tone = {});

/// <section id="..."> with a numbered heading, an intro paragraph (HTML) and the body.
std::string section(std::string_view id, int number, std::string_view title,
                    std::string_view intro_html, std::string_view body);

/// A grid of figures (charts side by side on wide screens).
std::string chart_grid(const std::vector<std::string>& figures, std::string_view css_class = {});

/// The complete rows of `videos` split by claim_status: values of `column` for "claim" and
/// "opinion" (SchemaError when a column is missing).
struct ByClaim {
  std::vector<double> claim, opinion;
};
ByClaim values_by_claim(const DataFrame& complete, const std::string& column);

// The step renderers; each returns one <section>.
std::string inspect_section(const Analysis& a);
std::string eda_section(const Analysis& a, const DataFrame& complete);
std::string hypothesis_section(const Analysis& a);
std::string logistic_section(const Analysis& a);
std::string classifier_section(const Analysis& a);
/// The charts of the classifier section, in page order (ids without "chart-").
std::vector<std::string> classifier_chart_ids(const Analysis& a);
/// Section 6 (with a classifier): the top test-split reports' explanations and the mean
/// |contribution| per feature; `videos` is the raw frame the classifier was trained on.
std::string explanation_section(const Analysis& a, const DataFrame& videos);
/// Its charts, in page order (ids without "chart-").
std::vector<std::string> explanation_chart_ids(const Analysis& a);
/// Section 7 (with Analysis::calibration): the champion's probabilities before and after
/// calibration and the operating point.
std::string calibration_section(const Analysis& a);
/// Its charts, in page order (ids without "chart-"); none without a calibration.
std::vector<std::string> calibration_chart_ids(const Analysis& a);
/// "Random forest", "Gradient boosting": a classifier's model type for people (the type itself
/// when the report has no name for it).
std::string model_display_name(const std::string& model_type);

}  // namespace claimlens::report::detail
