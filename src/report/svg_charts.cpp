// Distribution and bar charts: histogram, box plot, grouped bars, and the "No data" chart.
#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "svg_internal.hpp"

namespace claimlens::report::svg {
namespace {

using namespace detail;

// Checks every value is finite and returns the extent of all series.
Extent extent_of(const ChartFrame& frame, const std::vector<Series>& series) {
  Extent e;
  for (const auto& s : series) {
    check_finite(frame, s);
    for (double v : s.values) e.add(v);
  }
  return e;
}

ScaleType resolve_scale(const ChartFrame& frame, AxisScale wanted, const Extent& e) {
  const ScaleType type = wanted == AxisScale::Auto  ? auto_scale_type(e.lo, e.hi)
                         : wanted == AxisScale::Log ? ScaleType::Log
                                                    : ScaleType::Linear;
  if (type == ScaleType::Log && e.lo < 0) {
    throw InvalidArgument("chart \"" + frame.id + "\": a log axis cannot show the negative value " +
                          format_shortest(e.lo));
  }
  return type;
}

std::vector<LegendItem> legend_of(const std::vector<Series>& series) {
  std::vector<LegendItem> legend;
  if (series.size() < 2) return legend;
  for (std::size_t i = 0; i < series.size(); ++i) {
    legend.push_back({series[i].name, series_color(series[i], i), LegendItem::Glyph::Box});
  }
  return legend;
}

struct Quartiles {
  double q1 = 0, median = 0, q3 = 0, mean = 0, whisker_lo = 0, whisker_hi = 0;
};

// pandas' linear-interpolated quantile of sorted values.
double sorted_quantile(const std::vector<double>& v, double q) {
  const double h = (static_cast<double>(v.size()) - 1) * q;
  const auto i = static_cast<std::size_t>(std::floor(h));
  if (i + 1 >= v.size()) return v.back();
  return v[i] + (h - static_cast<double>(i)) * (v[i + 1] - v[i]);
}

Quartiles quartiles(const std::vector<double>& sorted) {
  Quartiles q;
  q.q1 = sorted_quantile(sorted, 0.25);
  q.median = sorted_quantile(sorted, 0.5);
  q.q3 = sorted_quantile(sorted, 0.75);
  double sum = 0;
  for (double v : sorted) sum += v;
  q.mean = sum / static_cast<double>(sorted.size());
  const double iqr = q.q3 - q.q1;
  q.whisker_lo = *std::lower_bound(sorted.begin(), sorted.end(), q.q1 - 1.5 * iqr);
  q.whisker_hi = *(std::upper_bound(sorted.begin(), sorted.end(), q.q3 + 1.5 * iqr) - 1);
  return q;
}

void draw_box(std::string& out, const Scale& y, double cx, double half, const Series& s,
              const std::string& color, const std::vector<double>& sorted) {
  const Quartiles q = quartiles(sorted);
  line(out, cx, y(q.whisker_lo), cx, y(q.q1), kAxis, 1.2);
  line(out, cx, y(q.q3), cx, y(q.whisker_hi), kAxis, 1.2);
  line(out, cx - half / 2, y(q.whisker_lo), cx + half / 2, y(q.whisker_lo), kAxis, 1.2);
  line(out, cx - half / 2, y(q.whisker_hi), cx + half / 2, y(q.whisker_hi), kAxis, 1.2);
  // Outliers: one dot per distinct pixel row keeps thousands of points light and legible.
  std::set<long> drawn;
  for (double v : sorted) {
    if (v >= q.whisker_lo && v <= q.whisker_hi) continue;
    const double py = y(v);
    if (!drawn.insert(std::lround(py)).second) continue;
    out += "<circle cx=\"" + n(cx) + "\" cy=\"" + n(py) + "\" r=\"2.2\" fill=\"" + color +
           "\" fill-opacity=\"0.45\"/>";
  }
  const std::string tip = s.name + ": n = " + format_grouped(double(sorted.size())) + ", Q1 " +
                          format_grouped(q.q1, 1) + ", median " + format_grouped(q.median, 1) +
                          ", Q3 " + format_grouped(q.q3, 1) + ", mean " + format_grouped(q.mean, 1);
  rect(out, cx - half, y(q.q3), 2 * half, y(q.q1) - y(q.q3), color,
       " fill-opacity=\"0.28\" stroke=\"" + color + "\" stroke-width=\"1.5\"", tip);
  line(out, cx - half, y(q.median), cx + half, y(q.median), color, 3);
  const double my = y(q.mean);
  out += "<path d=\"M" + n(cx) + " " + n(my - 5) + "L" + n(cx + 5) + " " + n(my) + "L" + n(cx) +
         " " + n(my + 5) + "L" + n(cx - 5) + " " + n(my) + "Z\" fill=\"#ffffff\" stroke=\"" + kInk +
         "\" stroke-width=\"1.2\"/>";
  text(out, cx + half + 6, y(q.median) + 4, "median " + format_compact(q.median),
       {kSmallFont, "start", kMuted});
}

}  // namespace

std::string no_data_chart(const ChartFrame& frame, std::string_view reason) {
  std::string out;
  const double height = std::max(frame.height, 160.0);
  const double top = begin_chart(out, frame, height);
  const double mid = (top + height) / 2;
  rect(out, kPad, top, frame.width - 2 * kPad, height - top - kPad, "#f5f7fa", " rx=\"6\"");
  text(out, frame.width / 2, mid, "No data", {16, "middle", kMuted, true});
  if (!reason.empty()) {
    text(out, frame.width / 2, mid + 20,
         truncate_to_width(reason, kFontSize, frame.width - 4 * kPad),
         {kFontSize, "middle", kMuted});
  }
  return end_chart(out, frame, true);
}

std::string histogram(const HistogramSpec& spec) {
  check_id(spec);
  if (spec.bins < 1 || spec.bins > 1000) {
    throw InvalidArgument("histogram \"" + spec.id + "\": bins must be in 1..1000, got " +
                          std::to_string(spec.bins));
  }
  const Extent e = extent_of(spec, spec.series);
  if (e.count == 0) return no_data_chart(spec, "none of the series has a value");
  const ScaleType type = resolve_scale(spec, spec.x_scale, e);

  // Bin edges are even in the axis' own coordinates (log10(1 + x) for Log).
  const auto bins = static_cast<std::size_t>(spec.bins);
  const Scale binning(type, e.lo, e.hi, 0, static_cast<double>(bins));
  std::vector<std::vector<double>> counts(spec.series.size(), std::vector<double>(bins, 0));
  double max_count = 0;
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    for (double v : spec.series[s].values) {
      const double b = std::clamp(std::floor(binning(v)), 0.0, static_cast<double>(bins - 1));
      max_count = std::max(max_count, ++counts[s][static_cast<std::size_t>(b)]);
    }
  }
  std::string out;
  const double top = begin_chart(out, spec, spec.height, {}, legend_of(spec.series));
  PlotArea plot{0, top, 0, spec.height - kXAxisHeight};
  AxisTicks yt, xt;
  const Scale y = fit_y_scale(Scale(ScaleType::Linear, 0, max_count, plot.bottom, plot.top), yt);
  plot.left = kPad + y_axis_width(yt);
  plot.right = spec.width - kPad - 8;
  const Scale x = fit_x_scale(Scale(type, e.lo, e.hi, plot.left, plot.right), xt);
  draw_y_axis(out, y, yt, plot, spec.y_title);
  for (std::size_t s = 0; s < spec.series.size(); ++s) {
    const std::string color = series_color(spec.series[s], s);
    std::string outline = "M" + n(x(binning.invert(0))) + " " + n(y(0));
    for (std::size_t b = 0; b < bins; ++b) {
      const double x0 = x(binning.invert(double(b))), x1 = x(binning.invert(double(b + 1)));
      const double c = counts[s][b];
      outline += "V" + n(y(c)) + "H" + n(x1);
      if (c == 0) continue;
      const std::string tip = spec.series[s].name + ": " + format_grouped(c) + " in [" +
                              format_compact(binning.invert(double(b))) + ", " +
                              format_compact(binning.invert(double(b + 1))) + ")";
      rect(out, x0, y(c), x1 - x0, y(0) - y(c), color, " fill-opacity=\"0.42\"", tip);
    }
    outline += "V" + n(y(0));
    out +=
        "<path d=\"" + outline + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"1.5\"/>";
  }
  draw_x_axis(out, x, xt, plot, axis_title(spec.x_title, type));
  return end_chart(out, spec);
}

std::string box_plot(const BoxPlotSpec& spec) {
  check_id(spec);
  const Extent e = extent_of(spec, spec.series);
  if (e.count == 0) return no_data_chart(spec, "none of the groups has a value");
  const ScaleType type = resolve_scale(spec, spec.y_scale, e);
  std::string out;
  const double top = begin_chart(
      out, spec, spec.height,
      "Box: Q1\xE2\x80\x93Q3 \xC2\xB7 thick bar: median \xC2\xB7 \xE2\x97\x87 mean \xC2\xB7 "
      "whiskers: within 1.5 IQR \xC2\xB7 dots: beyond");
  PlotArea plot{0, top, 0, spec.height - kXAxisHeight - 14};
  AxisTicks yt;
  const Scale y = fit_y_scale(Scale(type, e.lo, e.hi, plot.bottom, plot.top), yt);
  plot.left = kPad + y_axis_width(yt);
  plot.right = spec.width - kPad;
  draw_y_axis(out, y, yt, plot, axis_title(spec.y_title, type));
  const double band = plot.width() / static_cast<double>(spec.series.size());
  const double half = std::min(band * 0.2, 45.0);
  out += "<g class=\"axis axis-x\">";
  line(out, plot.left, plot.bottom, plot.right, plot.bottom, kAxis);
  for (std::size_t g = 0; g < spec.series.size(); ++g) {
    const Series& s = spec.series[g];
    const double cx = plot.left + band * (static_cast<double>(g) + 0.5);
    text(out, cx, plot.bottom + 17, truncate_to_width(s.name, kFontSize, band - 8),
         {kFontSize, "middle", kInk});
    text(out, cx, plot.bottom + 31, "n = " + format_grouped(double(s.values.size())),
         {kSmallFont, "middle", kMuted});
  }
  text(out, (plot.left + plot.right) / 2, spec.height - 10, spec.x_title,
       {kFontSize, "middle", kInk, true});
  out += "</g>";
  for (std::size_t g = 0; g < spec.series.size(); ++g) {
    const Series& s = spec.series[g];
    const double cx = plot.left + band * (static_cast<double>(g) + 0.5);
    if (s.values.empty()) {
      text(out, cx, (plot.top + plot.bottom) / 2, "no data", {kFontSize, "middle", kMuted});
      continue;
    }
    std::vector<double> sorted = s.values;
    std::sort(sorted.begin(), sorted.end());
    draw_box(out, y, cx, half, s, series_color(s, g), sorted);
  }
  return end_chart(out, spec);
}

std::string grouped_bars(const GroupedBarSpec& spec) {
  check_id(spec);
  if (spec.categories.empty() || spec.series.empty()) {
    return no_data_chart(spec, spec.categories.empty() ? "no categories" : "no series");
  }
  double max_value = 0;
  for (const auto& s : spec.series) {
    if (s.values.size() != spec.categories.size()) {
      throw InvalidArgument("grouped bars \"" + spec.id + "\": series \"" + s.name + "\" has " +
                            std::to_string(s.values.size()) + " values for " +
                            std::to_string(spec.categories.size()) + " categories");
    }
    check_finite(spec, s);
    for (double v : s.values) {
      if (v < 0) {
        throw InvalidArgument("grouped bars \"" + spec.id + "\": series \"" + s.name +
                              "\" has the negative value " + format_shortest(v));
      }
      max_value = std::max(max_value, v);
    }
  }
  std::string out;
  const double top = begin_chart(out, spec, spec.height, {}, legend_of(spec.series));
  PlotArea plot{0, top + 8, 0, spec.height - kXAxisHeight};
  AxisTicks yt;
  const Scale y = fit_y_scale(Scale(ScaleType::Linear, 0, max_value, plot.bottom, plot.top), yt);
  plot.left = kPad + y_axis_width(yt);
  plot.right = spec.width - kPad;
  draw_y_axis(out, y, yt, plot, spec.y_title);
  const double band = plot.width() / static_cast<double>(spec.categories.size());
  const double inner = band * 0.8 / static_cast<double>(spec.series.size());
  for (std::size_t c = 0; c < spec.categories.size(); ++c) {
    const double x0 = plot.left + band * static_cast<double>(c) + band * 0.1;
    for (std::size_t s = 0; s < spec.series.size(); ++s) {
      const double v = spec.series[s].values[c];
      const double bx = x0 + inner * static_cast<double>(s) + inner * 0.06;
      const double bw = inner * 0.88;
      rect(out, bx, y(v), bw, y(0) - y(v), series_color(spec.series[s], s), " rx=\"1.5\"",
           spec.series[s].name + ", " + spec.categories[c] + ": " +
               format_grouped(v, spec.value_decimals));
      std::string label = format_grouped(v, spec.value_decimals);
      if (text_width(label, kSmallFont) > bw + 6) label = format_compact(v);
      if (text_width(label, kSmallFont) <= bw + 6) {
        text(out, bx + bw / 2, y(v) - 4, label, {kSmallFont, "middle", kMuted});
      }
    }
  }
  out += "<g class=\"axis axis-x\">";
  line(out, plot.left, plot.bottom, plot.right, plot.bottom, kAxis);
  for (std::size_t c = 0; c < spec.categories.size(); ++c) {
    text(out, plot.left + band * (static_cast<double>(c) + 0.5), plot.bottom + 18,
         truncate_to_width(spec.categories[c], kFontSize, band - 6), {kFontSize, "middle", kInk});
  }
  text(out, (plot.left + plot.right) / 2, plot.bottom + kXAxisHeight - 6, spec.x_title,
       {kFontSize, "middle", kInk, true});
  out += "</g>";
  return end_chart(out, spec);
}

}  // namespace claimlens::report::svg
