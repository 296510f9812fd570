// Row- and cell-based charts: horizontal bars, heatmap, confusion matrix, interval (forest) plot,
// waterfall.
// Their height follows their rows (frame.height is a minimum).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "svg_internal.hpp"

namespace claimlens::report::svg {
namespace {

using namespace detail;

constexpr double kRow = 24;  // row pitch of bar and interval charts

double widest(const std::vector<std::string>& labels, double font) {
  double w = 0;
  for (const auto& l : labels) w = std::max(w, text_width(l, font));
  return w;
}

void check_labels(const ChartFrame& frame, const char* what, std::size_t labels,
                  std::size_t values) {
  if (labels != values) {
    throw InvalidArgument("chart \"" + frame.id + "\": " + std::to_string(labels) + " " + what +
                          " for " + std::to_string(values) + " values");
  }
}

// `what` names the value, e.g. "the value of \"likes\"".
void check_value(const ChartFrame& frame, const std::string& what, double v) {
  if (!std::isfinite(v)) {
    throw InvalidArgument("chart \"" + frame.id + "\": " + what + " is " + format_shortest(v) +
                          " (values must be finite)");
  }
}

std::string value_of(const std::string& label) {
  return "the value of \"" + label + "\"";
}

// Row labels right-aligned against the plot, cut to `width`, with the full text as tooltip.
void row_label(std::string& out, double x, double y, const std::string& label, double width) {
  const std::string shown = truncate_to_width(label, kFontSize, width);
  if (shown == label) {
    text(out, x, y, label, {kFontSize, "end", kInk});
  } else {
    out += "<g><title>" + escape(label) + "</title>";
    text(out, x, y, shown, {kFontSize, "end", kInk});
    out += "</g>";
  }
}

// A vertical colour legend: `steps` stacked swatches from vmax (top) to vmin, ticked.
template <class Color>
void colour_legend(std::string& out, double x, double top, double height, double vmin, double vmax,
                   const std::string& title, Color&& color) {
  constexpr int kSteps = 40;
  text(out, x, top - 8, title, {kSmallFont, "start", kMuted});
  for (int i = 0; i < kSteps; ++i) {
    const double t = 1.0 - (i + 0.5) / kSteps;
    rect(out, x, top + height * i / kSteps, 14, height / kSteps + 0.6, color(t));
  }
  out += "<rect x=\"" + n(x) + "\" y=\"" + n(top) + "\" width=\"14\" height=\"" + n(height) +
         "\" fill=\"none\" stroke=\"" + kAxis + "\"/>";
  const Scale s(ScaleType::Linear, vmin, vmax, top + height, top);
  const std::vector<double> ticks = s.ticks(std::max(2, std::min(6, int(height / 28))));
  const std::vector<std::string> labels = s.tick_labels(ticks);
  for (std::size_t i = 0; i < ticks.size(); ++i) {
    line(out, x + 14, s(ticks[i]), x + 18, s(ticks[i]), kAxis);
    text(out, x + 21, s(ticks[i]) + 4, labels[i], {kSmallFont, "start", kMuted});
  }
}

}  // namespace

std::string horizontal_bars(const BarSpec& spec) {
  check_id(spec);
  check_labels(spec, "labels", spec.labels.size(), spec.values.size());
  for (std::size_t i = 0; i < spec.values.size(); ++i)
    check_value(spec, value_of(spec.labels[i]), spec.values[i]);
  if (spec.values.empty()) return no_data_chart(spec, "no bars to draw");
  std::vector<std::size_t> order(spec.values.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return spec.values[a] > spec.values[b]; });
  if (spec.max_bars > 0 && order.size() > spec.max_bars) order.resize(spec.max_bars);
  const std::string note = order.size() < spec.values.size()
                               ? "The " + std::to_string(order.size()) + " largest of " +
                                     std::to_string(spec.values.size()) + " shown"
                               : std::string();

  std::vector<std::string> labels, values;
  double lo = 0, hi = 0;
  for (std::size_t i : order) {
    labels.push_back(spec.labels[i]);
    values.push_back(format_value(spec.values[i], spec.value_decimals));
    lo = std::min(lo, spec.values[i]);
    hi = std::max(hi, spec.values[i]);
  }
  const double top = header_height(spec, note) + 4;
  const double height =
      std::max(spec.height, top + kRow * static_cast<double>(order.size()) + 8 + kXAxisHeight);
  std::string out;
  begin_chart(out, spec, height, note);
  const double label_width = std::min(widest(labels, kFontSize), spec.width * 0.38);
  PlotArea plot{kPad + label_width + 10, top, spec.width - kPad - widest(values, kSmallFont) - 10,
                top + kRow * static_cast<double>(order.size()) + 4};
  AxisTicks xt;
  const Scale x = fit_x_scale(Scale(ScaleType::Linear, lo, hi, plot.left, plot.right), xt);
  draw_x_axis(out, x, xt, plot, spec.value_title, true);
  const std::string color = spec.color.empty() ? palette_color(0) : spec.color;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const double v = spec.values[order[r]];
    const double cy = plot.top + kRow * (static_cast<double>(r) + 0.5) + 2;
    row_label(out, plot.left - 8, cy + 4, labels[r], label_width);
    const double x0 = std::min(x(0), x(v)), x1 = std::max(x(0), x(v));
    rect(out, x0, cy - 8, x1 - x0, 16, color, " rx=\"2\"", labels[r] + ": " + values[r]);
    if (v >= 0) {
      text(out, x1 + 5, cy + 4, values[r], {kSmallFont, "start", kMuted});
    } else {
      text(out, x0 - 5, cy + 4, values[r], {kSmallFont, "end", kMuted});
    }
  }
  line(out, x(0), plot.top, x(0), plot.bottom, kAxis);
  return end_chart(out, spec);
}

std::string heatmap(const HeatmapSpec& spec) {
  check_id(spec);
  const auto rows = static_cast<std::size_t>(spec.values.rows());
  const auto cols = static_cast<std::size_t>(spec.values.cols());
  check_labels(spec, "row labels", spec.row_labels.size(), rows);
  check_labels(spec, "column labels", spec.col_labels.size(), cols);
  if (!std::isfinite(spec.vmin) || !std::isfinite(spec.vmax) || !(spec.vmin < spec.vmax)) {
    throw InvalidArgument("heatmap \"" + spec.id + "\": colour range [" +
                          format_shortest(spec.vmin) + ", " + format_shortest(spec.vmax) +
                          "] must be finite with vmin < vmax");
  }
  if (rows == 0 || cols == 0) return no_data_chart(spec, "the matrix is empty");
  const bool diverging = spec.vmin < 0 && spec.vmax > 0;
  auto color = [&](double t) { return diverging ? diverging_color(t) : sequential_color(t); };

  const double top = header_height(spec) + 12;
  const double legend_width = 64;
  const double label_width = std::min(widest(spec.row_labels, kFontSize), spec.width * 0.3);
  const double left = kPad + label_width + 10;
  const double cell =
      std::min(80.0, (spec.width - left - kPad - legend_width) / static_cast<double>(cols));
  const double rotated = std::min(widest(spec.col_labels, kFontSize), 170.0) * 0.6 + 20;
  const double height = std::max(spec.height, top + cell * static_cast<double>(rows) + rotated);
  std::string out;
  begin_chart(out, spec, height);
  const double font = std::clamp(cell * 0.26, 9.0, kFontSize);
  for (std::size_t r = 0; r < rows; ++r) {
    const double y = top + cell * static_cast<double>(r);
    row_label(out, left - 8, y + cell / 2 + 4, spec.row_labels[r], label_width);
    for (std::size_t c = 0; c < cols; ++c) {
      const double v = spec.values(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
      const double x = left + cell * static_cast<double>(c);
      const double t = (v - spec.vmin) / (spec.vmax - spec.vmin);
      const bool missing = std::isnan(v);
      const std::string shown = missing ? "n/a" : format_fixed(v, spec.decimals);
      rect(out, x, y, cell, cell, missing ? "#cbd2d9" : color(t),
           " stroke=\"#ffffff\" stroke-width=\"1.5\"",
           spec.row_labels[r] + " \xC3\x97 " + spec.col_labels[c] + ": " + shown);
      const bool dark = !missing && (diverging ? std::fabs(t - 0.5) > 0.3 : t > 0.55);
      text(out, x + cell / 2, y + cell / 2 + font * 0.35, shown,
           {font, "middle", dark ? "#ffffff" : kInk});
    }
  }
  const double bottom = top + cell * static_cast<double>(rows);
  for (std::size_t c = 0; c < cols; ++c) {
    const double x = left + cell * (static_cast<double>(c) + 0.5);
    text(out, x + 4, bottom + 14, truncate_to_width(spec.col_labels[c], kFontSize, 170),
         {kFontSize, "end", kInk, false, -35});
  }
  colour_legend(out, spec.width - kPad - legend_width + 14, top + 10,
                std::min(bottom - top - 10, 220.0), spec.vmin, spec.vmax, spec.legend_title, color);
  return end_chart(out, spec);
}

std::string confusion_matrix(const ConfusionMatrixSpec& spec) {
  check_id(spec);
  const std::size_t k = spec.labels.size();
  check_labels(spec, "class labels", k, spec.counts.size());
  double total = 0;
  for (std::size_t r = 0; r < k; ++r) {
    check_labels(spec, "class labels", k, spec.counts[r].size());
    for (double v : spec.counts[r]) {
      if (!std::isfinite(v) || v < 0 || v != std::floor(v)) {
        throw InvalidArgument("confusion matrix \"" + spec.id + "\": row \"" + spec.labels[r] +
                              "\" holds " + format_shortest(v) +
                              " (counts must be non-negative integers)");
      }
      total += v;
    }
  }
  if (k == 0) return no_data_chart(spec, "no classes");
  const std::string note =
      "Shade and % = share of the actual class \xC2\xB7 n = " + format_grouped(total);
  const double top = header_height(spec, note) + 22;
  const double label_width = std::min(widest(spec.labels, kFontSize), spec.width * 0.3);
  const double left = kPad + 22 + label_width + 8;
  const double cell = std::min(130.0, (spec.width - left - kPad) / static_cast<double>(k));
  const double height = std::max(spec.height, top + cell * static_cast<double>(k) + kPad);
  std::string out;
  begin_chart(out, spec, height, note);
  const double grid_w = cell * static_cast<double>(k);
  text(out, left + grid_w / 2, top - 24, "Predicted class", {kFontSize, "middle", kInk, true});
  text(out, kPad + 10, top + grid_w / 2, "Actual class", {kFontSize, "middle", kInk, true, -90});
  static const char* kTags[2][2] = {{"TN", "FP"}, {"FN", "TP"}};
  for (std::size_t c = 0; c < k; ++c) {
    text(out, left + cell * (static_cast<double>(c) + 0.5), top - 8,
         truncate_to_width(spec.labels[c], kFontSize, cell - 4), {kFontSize, "middle", kMuted});
  }
  for (std::size_t r = 0; r < k; ++r) {
    const double y = top + cell * static_cast<double>(r);
    row_label(out, left - 8, y + cell / 2 + 4, spec.labels[r], label_width);
    double row_total = 0;
    for (double v : spec.counts[r]) row_total += v;
    for (std::size_t c = 0; c < k; ++c) {
      const double v = spec.counts[r][c];
      const double share = row_total > 0 ? v / row_total : 0.0;
      const double x = left + cell * static_cast<double>(c);
      const std::string pct = row_total > 0 ? format_fixed(100 * share, 1) + "%" : "\xE2\x80\x93";
      rect(out, x, y, cell, cell, sequential_color(share * 0.95),
           " stroke=\"#ffffff\" stroke-width=\"2\"",
           "actual " + spec.labels[r] + ", predicted " + spec.labels[c] + ": " + format_grouped(v) +
               " (" + pct + ")");
      const char* ink = share > 0.5 ? "#ffffff" : kInk;
      text(out, x + cell / 2, y + cell / 2 + 2, format_grouped(v), {16, "middle", ink, true});
      text(out, x + cell / 2, y + cell / 2 + 20, pct, {kSmallFont, "middle", ink});
      if (k == 2) text(out, x + 7, y + 15, kTags[r][c], {10, "start", ink});
    }
  }
  return end_chart(out, spec);
}

std::string interval_plot(const IntervalSpec& spec) {
  check_id(spec);
  const std::size_t rows = spec.labels.size();
  check_labels(spec, "labels", rows, spec.estimate.size());
  check_labels(spec, "lower bounds", spec.low.size(), rows);
  check_labels(spec, "upper bounds", spec.high.size(), rows);
  double lo = spec.show_reference ? spec.reference : std::numeric_limits<double>::infinity();
  double hi = spec.show_reference ? spec.reference : -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < rows; ++i) {
    check_value(spec, "the estimate of \"" + spec.labels[i] + "\"", spec.estimate[i]);
    check_value(spec, "the lower bound of \"" + spec.labels[i] + "\"", spec.low[i]);
    check_value(spec, "the upper bound of \"" + spec.labels[i] + "\"", spec.high[i]);
    if (!(spec.low[i] <= spec.estimate[i] && spec.estimate[i] <= spec.high[i])) {
      throw InvalidArgument(
          "interval plot \"" + spec.id + "\": row \"" + spec.labels[i] +
          "\" needs low <= estimate <= high, got " + format_shortest(spec.low[i]) +
          " <= " + format_shortest(spec.estimate[i]) + " <= " + format_shortest(spec.high[i]));
    }
    lo = std::min(lo, spec.low[i]);
    hi = std::max(hi, spec.high[i]);
  }
  if (rows == 0) return no_data_chart(spec, "no estimates");
  std::vector<LegendItem> legend;
  const std::string ref = format_shortest(spec.reference);
  if (spec.show_reference) {
    legend = {{"interval excludes " + ref, palette_color(0), LegendItem::Glyph::Dot},
              {"interval includes " + ref, "#9aa5b1", LegendItem::Glyph::Dot}};
  }
  std::vector<std::string> values;
  for (double v : spec.estimate) {
    values.push_back(spec.value_decimals >= 0 ? format_value(v, spec.value_decimals) : "");
  }
  const double top = header_height(spec, {}, legend) + 4;
  const double height =
      std::max(spec.height, top + kRow * static_cast<double>(rows) + 8 + kXAxisHeight);
  std::string out;
  begin_chart(out, spec, height, {}, legend);
  const double label_width = std::min(widest(spec.labels, kFontSize), spec.width * 0.4);
  PlotArea plot{kPad + label_width + 10, top, spec.width - kPad - widest(values, kSmallFont) - 14,
                top + kRow * static_cast<double>(rows) + 4};
  AxisTicks xt;
  const Scale x = fit_x_scale(Scale(ScaleType::Linear, lo, hi, plot.left, plot.right), xt);
  for (std::size_t r = 0; r < rows; r += 2) {  // banded rows guide the eye to the labels
    rect(out, plot.left, plot.top + kRow * static_cast<double>(r) + 2, plot.width(), kRow,
         "#f5f7fa");
  }
  draw_x_axis(out, x, xt, plot, spec.x_title, true);
  if (spec.show_reference) {
    line(out, x(spec.reference), plot.top, x(spec.reference), plot.bottom, kInk, 1,
         " stroke-dasharray=\"4 3\"");
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const double cy = plot.top + kRow * (static_cast<double>(r) + 0.5) + 2;
    const bool crosses = spec.low[r] <= spec.reference && spec.reference <= spec.high[r];
    const std::string color = spec.show_reference && crosses ? "#9aa5b1" : palette_color(0);
    row_label(out, plot.left - 8, cy + 4, spec.labels[r], label_width);
    line(out, x(spec.low[r]), cy, x(spec.high[r]), cy, color, 2);
    line(out, x(spec.low[r]), cy - 5, x(spec.low[r]), cy + 5, color, 1.5);
    line(out, x(spec.high[r]), cy - 5, x(spec.high[r]), cy + 5, color, 1.5);
    out += "<circle cx=\"" + n(x(spec.estimate[r])) + "\" cy=\"" + n(cy) + "\" r=\"4.5\" fill=\"" +
           color + "\"><title>" +
           escape(spec.labels[r] + ": " + format_shortest(spec.estimate[r]) + " [" +
                  format_shortest(spec.low[r]) + ", " + format_shortest(spec.high[r]) + "]") +
           "</title></circle>";
    text(out, spec.width - kPad, cy + 4, values[r], {kSmallFont, "end", kMuted});
  }
  return end_chart(out, spec);
}

namespace {

// "+0.123" / "-0.045": a contribution with its sign.
std::string signed_value(double v, int decimals) {
  return (v >= 0 ? "+" : "") + format_value(v, decimals);
}

std::string data_attr(const char* name, double v) {
  return std::string(" data-") + name + "=\"" + format_shortest(v) + "\"";
}

// A waterfall's rows: running totals (ends[i] after step i), the value range they span with 0
// and the base, and each row's label and printed value (base, steps, total).
struct WaterfallRows {
  std::vector<double> ends;
  double total = 0, lo = 0, hi = 0;
  std::vector<std::string> labels, values;
};

WaterfallRows waterfall_rows(const WaterfallSpec& spec) {
  check_labels(spec, "labels", spec.labels.size(), spec.values.size());
  check_value(spec, "the base \"" + spec.base_label + "\"", spec.base);
  WaterfallRows w;
  w.total = spec.base;
  w.lo = std::min(0.0, spec.base);
  w.hi = std::max(0.0, spec.base);
  w.labels = {spec.base_label};
  w.values = {format_value(spec.base, spec.value_decimals)};
  for (std::size_t i = 0; i < spec.values.size(); ++i) {
    check_value(spec, value_of(spec.labels[i]), spec.values[i]);
    w.total += spec.values[i];
    w.ends.push_back(w.total);
    w.lo = std::min(w.lo, w.total);
    w.hi = std::max(w.hi, w.total);
    w.labels.push_back(spec.labels[i]);
    w.values.push_back(signed_value(spec.values[i], spec.value_decimals));
  }
  w.labels.push_back(spec.total_label);
  w.values.push_back(format_value(w.total, spec.value_decimals));
  return w;
}

}  // namespace

std::string waterfall(const WaterfallSpec& spec) {
  check_id(spec);
  const WaterfallRows w = waterfall_rows(spec);
  const std::vector<std::string>&labels = w.labels, &values = w.values;
  const std::vector<double>& ends = w.ends;
  const double total = w.total;
  const std::vector<LegendItem> legend = {{"raises the output", spec.increase_color},
                                          {"lowers the output", spec.decrease_color}};
  const auto rows = static_cast<double>(labels.size());
  const double top = header_height(spec, {}, legend) + 4;
  const double height = std::max(spec.height, top + kRow * rows + 8 + kXAxisHeight);
  std::string out;
  begin_chart(out, spec, height, {}, legend);
  const double label_width = std::min(widest(labels, kFontSize), spec.width * 0.38);
  const double value_width = widest(values, kSmallFont) + 10;
  PlotArea plot{kPad + label_width + 10 + value_width, top, spec.width - kPad - value_width,
                top + kRow * rows + 4};
  AxisTicks xt;
  const Scale x = fit_x_scale(Scale(ScaleType::Linear, w.lo, w.hi, plot.left, plot.right), xt);
  draw_x_axis(out, x, xt, plot, spec.value_title, true);
  line(out, x(0), plot.top, x(0), plot.bottom, kAxis);
  auto bar = [&](std::size_t r, double from, double to, const std::string& color,
                 const std::string& data) {
    const double cy = plot.top + kRow * (static_cast<double>(r) + 0.5) + 2;
    row_label(out, plot.left - value_width - 8, cy + 4, labels[r], label_width);
    const double x0 = std::min(x(from), x(to)), x1 = std::max(x(from), x(to));
    rect(out, x0, cy - 8, std::max(x1 - x0, 1.0), 16, color, " rx=\"2\"" + data,
         labels[r] + ": " + values[r]);
    if (to >= from) {
      text(out, x1 + 5, cy + 4, values[r], {kSmallFont, "start", kMuted});
    } else {
      text(out, x0 - 5, cy + 4, values[r], {kSmallFont, "end", kMuted});
    }
    return cy;
  };
  double previous = bar(0, 0, spec.base, "#9aa5b1", data_attr("base", spec.base));
  double from = spec.base;
  for (std::size_t i = 0; i < spec.values.size(); ++i) {
    const double cy =
        bar(i + 1, from, ends[i], spec.values[i] >= 0 ? spec.increase_color : spec.decrease_color,
            data_attr("contribution", spec.values[i]));
    line(out, x(from), previous + 8, x(from), cy - 8, kAxis, 1, " stroke-dasharray=\"2 2\"");
    previous = cy;
    from = ends[i];
  }
  const double cy = bar(labels.size() - 1, 0, total, "#334e68", data_attr("output", total));
  line(out, x(total), previous + 8, x(total), cy - 8, kAxis, 1, " stroke-dasharray=\"2 2\"");
  return end_chart(out, spec);
}

}  // namespace claimlens::report::svg
