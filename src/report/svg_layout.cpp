// Element writers, chart header, axes and the figure wrapper shared by every chart.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "claimlens/error.hpp"
#include "svg_internal.hpp"

namespace claimlens::report::svg::detail {
namespace {

constexpr const char* kFontStack =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
constexpr double kTickLength = 5;
constexpr double kLabelGap = 10;  // minimum free space between neighbouring tick labels

std::string attr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + escape(value) + "\"";
}

void legend_glyph(std::string& out, double x, double y, const LegendItem& item) {
  switch (item.glyph) {
    case LegendItem::Glyph::Box:
      rect(out, x, y - 9, 12, 12, item.color, " rx=\"2\"");
      break;
    case LegendItem::Glyph::Dot:
      out += "<circle cx=\"" + n(x + 6) + "\" cy=\"" + n(y - 3) + "\" r=\"4.5\"" +
             attr("fill", item.color) + "/>";
      break;
    case LegendItem::Glyph::Line:
      line(out, x, y - 3, x + 14, y - 3, item.color, 2.5);
      break;
  }
}

bool labels_fit(const Scale& scale, const AxisTicks& ticks) {
  for (std::size_t i = 0; i + 1 < ticks.values.size(); ++i) {
    const double gap = std::fabs(scale(ticks.values[i + 1]) - scale(ticks.values[i]));
    const double need =
        (text_width(ticks.labels[i], kFontSize) + text_width(ticks.labels[i + 1], kFontSize)) / 2 +
        kLabelGap;
    if (gap < need) return false;
  }
  return true;
}

AxisTicks make_ticks(const Scale& scale, int max_count) {
  AxisTicks t;
  t.values = scale.ticks(max_count);
  t.labels = scale.tick_labels(t.values);
  for (const auto& l : t.labels)
    t.max_label_width = std::max(t.max_label_width, text_width(l, kFontSize));
  return t;
}

}  // namespace

std::string n(double v) {
  std::string s = format_fixed(std::round(v * 10.0) / 10.0, 1);
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s == "-0" ? "0" : s;
}

void text(std::string& out, double x, double y, std::string_view s, const TextStyle& style) {
  out += "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\"";
  if (style.size != kFontSize) out += " font-size=\"" + n(style.size) + "\"";
  if (std::string_view(style.anchor) != "start") out += attr("text-anchor", style.anchor);
  out += attr("fill", style.fill);
  if (style.bold) out += " font-weight=\"600\"";
  if (style.baseline) out += attr("dominant-baseline", style.baseline);
  if (style.rotate != 0) {
    out += " transform=\"rotate(" + n(style.rotate) + " " + n(x) + " " + n(y) + ")\"";
  }
  out += ">" + escape(s) + "</text>";
}

void line(std::string& out, double x1, double y1, double x2, double y2, std::string_view stroke,
          double width, std::string_view extra) {
  out += "<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) +
         "\"" + attr("stroke", stroke);
  if (width != 1) out += " stroke-width=\"" + n(width) + "\"";
  out += std::string(extra) + "/>";
}

void rect(std::string& out, double x, double y, double w, double h, std::string_view fill,
          std::string_view extra, std::string_view tooltip) {
  out += "<rect x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(std::max(w, 0.0)) +
         "\" height=\"" + n(std::max(h, 0.0)) + "\"" + attr("fill", fill) + std::string(extra);
  if (tooltip.empty()) {
    out += "/>";
  } else {
    out += "><title>" + escape(tooltip) + "</title></rect>";
  }
}

void check_id(const ChartFrame& frame) {
  const bool ok = !frame.id.empty() && std::all_of(frame.id.begin(), frame.id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
  if (!ok) {
    throw InvalidArgument("chart id \"" + frame.id +
                          "\" must be non-empty letters, digits, '-' or '_' (chart \"" +
                          frame.title + "\")");
  }
}

void check_finite(const ChartFrame& frame, const Series& series) {
  for (std::size_t i = 0; i < series.values.size(); ++i) {
    if (!std::isfinite(series.values[i])) {
      throw InvalidArgument("chart \"" + frame.id + "\": series \"" + series.name + "\" value " +
                            std::to_string(i) + " is " + format_shortest(series.values[i]) +
                            " (values must be finite; drop missing values first)");
    }
  }
}

std::string series_color(const Series& series, std::size_t index) {
  return series.color.empty() ? palette_color(index) : series.color;
}

double begin_chart(std::string& out, const ChartFrame& frame, double height, std::string_view note,
                   const std::vector<LegendItem>& legend) {
  check_id(frame);
  if (!(frame.width >= 160 && frame.width <= 4000) || !(height >= 100 && height <= 20000)) {
    throw InvalidArgument("chart \"" + frame.id + "\": size " + format_shortest(frame.width) +
                          " x " + format_shortest(height) +
                          " is out of range (width 160..4000, height 100..20000)");
  }
  const std::string id = "chart-" + frame.id;
  out += "<svg class=\"chart-svg\" viewBox=\"0 0 " + n(frame.width) + " " + n(height) +
         "\" width=\"" + n(frame.width) + "\" height=\"" + n(height) +
         "\" role=\"img\" aria-labelledby=\"" + id + "-title\"" + attr("font-family", kFontStack) +
         " font-size=\"" + n(kFontSize) + "\" style=\"max-width:100%;height:auto\">";
  out += "<title id=\"" + id + "-title\">" + escape(frame.title) + "</title>";
  rect(out, 0, 0, frame.width, height, "#ffffff");
  text(out, kPad, 24, truncate_to_width(frame.title, kTitleFont, frame.width - 2 * kPad),
       {kTitleFont, "start", kInk, true});
  double y = 30;
  if (!note.empty()) {
    text(out, kPad, y + 14, truncate_to_width(note, kSmallFont, frame.width - 2 * kPad),
         {kSmallFont, "start", kMuted});
    y += 18;
  }
  if (!legend.empty()) {
    double x = kPad;
    y += 20;
    for (const auto& item : legend) {
      const double w = 20 + text_width(item.label, kFontSize);
      if (x > kPad && x + w > frame.width - kPad) {  // wrap onto a new legend row
        x = kPad;
        y += 18;
      }
      legend_glyph(out, x, y, item);
      text(out, x + 18, y, item.label);
      x += w + 16;
    }
  }
  return y + 16;
}

double header_height(const ChartFrame& frame, std::string_view note,
                     const std::vector<LegendItem>& legend) {
  std::string scratch;
  return begin_chart(scratch, frame, 100, note, legend);
}

std::string end_chart(std::string& out, const ChartFrame& frame, bool empty) {
  out += "</svg>";
  const std::string& caption = frame.caption.empty() ? frame.title : frame.caption;
  std::string figure = "<figure class=\"chart\" id=\"chart-" + frame.id + "\"";
  if (empty) figure += " data-empty=\"true\"";
  figure += ">" + out + "<figcaption>" + escape(caption) + "</figcaption></figure>";
  return figure;
}

Scale fit_x_scale(const Scale& scale, AxisTicks& ticks) {
  const double length = std::fabs(scale.range_max() - scale.range_min());
  for (int count = std::max(2, static_cast<int>(length / 40)); count >= 2; --count) {
    const Scale nice = scale.nice(count);
    ticks = make_ticks(nice, count);
    if (labels_fit(nice, ticks) || count == 2) return nice;
  }
  return scale;  // unreachable: the loop returns at count == 2
}

Scale fit_y_scale(const Scale& scale, AxisTicks& ticks) {
  const double length = std::fabs(scale.range_max() - scale.range_min());
  const int count = std::max(2, static_cast<int>(length / (kFontSize * 2.6)));
  const Scale nice = scale.nice(std::min(count, 10));
  ticks = make_ticks(nice, std::min(count, 10));
  return nice;
}

double y_axis_width(const AxisTicks& ticks) {
  return 18 + ticks.max_label_width + 8 + kTickLength;
}

void draw_x_axis(std::string& out, const Scale& x, const AxisTicks& ticks, const PlotArea& plot,
                 std::string_view title, bool grid) {
  out += "<g class=\"axis axis-x\">";
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    const double px = x(ticks.values[i]);
    if (grid) line(out, px, plot.top, px, plot.bottom, kGrid);
    line(out, px, plot.bottom, px, plot.bottom + kTickLength, kAxis);
    text(out, px, plot.bottom + kTickLength + 13, ticks.labels[i], {kFontSize, "middle", kMuted});
  }
  line(out, plot.left, plot.bottom, plot.right, plot.bottom, kAxis);
  text(out, (plot.left + plot.right) / 2, plot.bottom + kXAxisHeight - 6, title,
       {kFontSize, "middle", kInk, true});
  out += "</g>";
}

void draw_y_axis(std::string& out, const Scale& y, const AxisTicks& ticks, const PlotArea& plot,
                 std::string_view title, bool grid) {
  out += "<g class=\"axis axis-y\">";
  for (std::size_t i = 0; i < ticks.values.size(); ++i) {
    const double py = y(ticks.values[i]);
    if (grid) line(out, plot.left, py, plot.right, py, kGrid);
    line(out, plot.left - kTickLength, py, plot.left, py, kAxis);
    text(out, plot.left - kTickLength - 4, py + 4, ticks.labels[i], {kFontSize, "end", kMuted});
  }
  line(out, plot.left, plot.top, plot.left, plot.bottom, kAxis);
  const double x = plot.left - y_axis_width(ticks) + 12;
  text(out, x, (plot.top + plot.bottom) / 2, truncate_to_width(title, kFontSize, plot.height()),
       {kFontSize, "middle", kInk, true, -90});
  out += "</g>";
}

std::string format_value(double v, int decimals) {
  if (std::isfinite(v) && v != 0 && std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, 1);
    return std::string(buf, r.ptr);
  }
  return format_grouped(v, decimals);
}

std::string axis_title(std::string_view title, ScaleType type) {
  std::string out(title);
  if (type == ScaleType::Log) out += " (log scale)";
  return out;
}

}  // namespace claimlens::report::svg::detail
