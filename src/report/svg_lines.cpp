// Line charts of curves: a reliability diagram (points against the diagonal), a precision-recall
// curve with its operating point marked.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/error.hpp"
#include "svg_internal.hpp"

namespace claimlens::report::svg {
namespace {

using namespace detail;

std::string color_of(const XYSeries& s, std::size_t index) {
  return s.color.empty() ? palette_color(index) : s.color;
}

void check_value(const LineChartSpec& spec, const std::string& what, double v) {
  if (!std::isfinite(v)) {
    throw InvalidArgument("line chart \"" + spec.id + "\": " + what + " is " +
                          (std::isnan(v) ? "NaN" : "infinite"));
  }
}

// Checks every series and mark; the ranges cover them and the requested bounds.
void extents(const LineChartSpec& spec, Extent& x, Extent& y, std::size_t& points) {
  points = 0;
  for (const XYSeries& s : spec.series) {
    if (s.x.size() != s.y.size() || (!s.tips.empty() && s.tips.size() != s.x.size())) {
      throw InvalidArgument("line chart \"" + spec.id + "\": series \"" + s.name + "\" has " +
                            std::to_string(s.x.size()) + " x, " + std::to_string(s.y.size()) +
                            " y values and " + std::to_string(s.tips.size()) + " tips");
    }
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      const std::string at = "series \"" + s.name + "\" point " + std::to_string(i);
      check_value(spec, at + " x", s.x[i]);
      check_value(spec, at + " y", s.y[i]);
      x.add(s.x[i]);
      y.add(s.y[i]);
    }
    points += s.x.size();
  }
  for (const PointMark& m : spec.marks) {
    check_value(spec, "mark \"" + m.label + "\" x", m.x);
    check_value(spec, "mark \"" + m.label + "\" y", m.y);
    x.add(m.x);
    y.add(m.y);
  }
  if (spec.clip) {  // a zoom: the bounds alone
    const bool box = std::isfinite(spec.x_min) && std::isfinite(spec.x_max) &&
                     std::isfinite(spec.y_min) && std::isfinite(spec.y_max) &&
                     spec.x_min < spec.x_max && spec.y_min < spec.y_max;
    if (!box) {
      throw InvalidArgument("line chart \"" + spec.id +
                            "\": clip needs finite x_min < x_max and y_min < y_max, got [" +
                            format_shortest(spec.x_min) + ", " + format_shortest(spec.x_max) +
                            "] x [" + format_shortest(spec.y_min) + ", " +
                            format_shortest(spec.y_max) + "]");
    }
    x = Extent{};
    y = Extent{};
  }
  for (double v : {spec.x_min, spec.x_max}) x.add(v);
  for (double v : {spec.y_min, spec.y_max}) y.add(v);
}

struct Box {
  double x0, x1, y0, y1;
  bool holds(double x, double y) const { return x0 <= x && x <= x1 && y0 <= y && y <= y1; }
};

// The part of segment a-b inside the box (Liang-Barsky): false when none is.
bool clip_segment(const Box& box, double& ax, double& ay, double& bx, double& by) {
  double t0 = 0, t1 = 1;
  const double dx = bx - ax, dy = by - ay;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {ax - box.x0, box.x1 - ax, ay - box.y0, box.y1 - ay};
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0) {
      if (q[k] < 0) return false;  // parallel to this edge and outside it
      continue;
    }
    const double t = q[k] / p[k];
    if (p[k] < 0) t0 = std::max(t0, t);
    if (p[k] > 0) t1 = std::min(t1, t);
  }
  if (t0 > t1) return false;
  const double x0 = ax + t0 * dx, y0 = ay + t0 * dy;
  bx = ax + t1 * dx;
  by = ay + t1 * dy;
  ax = x0;
  ay = y0;
  return true;
}

// The series' path cut to the box: its vertices (steps expanded), each segment clipped, a new
// subpath wherever a cut leaves a gap.
std::string clipped_path(const XYSeries& s, const Box& box, const Scale& x, const Scale& y) {
  std::vector<std::pair<double, double>> v = {{s.x[0], s.y[0]}};
  for (std::size_t i = 1; i < s.x.size(); ++i) {
    if (s.steps) v.emplace_back(s.x[i], s.y[i - 1]);
    v.emplace_back(s.x[i], s.y[i]);
  }
  std::string path;
  double last_x = std::numeric_limits<double>::quiet_NaN(), last_y = last_x;
  for (std::size_t i = 1; i < v.size(); ++i) {
    if (v[i] == v[i - 1]) continue;  // a repeated point draws nothing
    double ax = v[i - 1].first, ay = v[i - 1].second, bx = v[i].first, by = v[i].second;
    if (!clip_segment(box, ax, ay, bx, by)) continue;
    if (!(ax == last_x && ay == last_y)) path += "M" + n(x(ax)) + " " + n(y(ay));
    path += "L" + n(x(bx)) + " " + n(y(by));
    last_x = bx;
    last_y = by;
  }
  return path;
}

std::string data_attr(const char* name, double v) {
  return std::string(" data-") + name + "=\"" + format_shortest(v) + "\"";
}

Box box_of(const Scale& x, const Scale& y) {
  return {x.domain_min(), x.domain_max(), y.domain_min(), y.domain_max()};
}

void draw_series(std::string& out, const LineChartSpec& spec, std::size_t index, const Scale& x,
                 const Scale& y) {
  const XYSeries& s = spec.series[index];
  if (s.x.empty()) return;
  const std::string color = color_of(s, index);
  std::string path = "M" + n(x(s.x[0])) + " " + n(y(s.y[0]));
  for (std::size_t i = 1; i < s.x.size(); ++i) {
    path +=
        s.steps ? "H" + n(x(s.x[i])) + "V" + n(y(s.y[i])) : "L" + n(x(s.x[i])) + " " + n(y(s.y[i]));
  }
  if (spec.clip) path = clipped_path(s, box_of(x, y), x, y);
  if (!path.empty()) {
    out += "<path d=\"" + path + "\" fill=\"none\" stroke=\"" + color +
           "\" stroke-width=\"2\" stroke-linejoin=\"round\"/>";
  }
  if (!s.markers) return;
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    if (spec.clip && !box_of(x, y).holds(s.x[i], s.y[i])) continue;
    const std::string tip = s.tips.empty()
                                ? s.name + ": (" + format_value(s.x[i], spec.value_decimals) +
                                      ", " + format_value(s.y[i], spec.value_decimals) + ")"
                                : s.tips[i];
    out += "<circle cx=\"" + n(x(s.x[i])) + "\" cy=\"" + n(y(s.y[i])) + "\" r=\"4\" fill=\"" +
           color + "\" stroke=\"#ffffff\" stroke-width=\"1\"" + data_attr("x", s.x[i]) +
           data_attr("y", s.y[i]) + "><title>" + escape(tip) + "</title></circle>";
  }
}

// A ring at the mark with its label on the side facing the plot's centre.
void draw_mark(std::string& out, const PointMark& m, const Scale& x, const Scale& y,
               const PlotArea& plot) {
  const double px = x(m.x), py = y(m.y);
  out += "<circle cx=\"" + n(px) + "\" cy=\"" + n(py) + "\" r=\"7\" fill=\"none\" stroke=\"" +
         escape(m.color) + "\" stroke-width=\"2.5\"" + data_attr("mark-x", m.x) +
         data_attr("mark-y", m.y) + "><title>" + escape(m.label) + "</title></circle>";
  const bool right = px > (plot.left + plot.right) / 2;
  const bool low = py > (plot.top + plot.bottom) / 2;
  text(out, px + (right ? -12 : 12), py + (low ? -12 : 20), m.note.empty() ? m.label : m.note,
       {kSmallFont, right ? "end" : "start", kInk, true});
}

std::vector<LegendItem> line_legend(const LineChartSpec& spec) {
  std::vector<LegendItem> legend;
  for (std::size_t i = 0; i < spec.series.size(); ++i) {
    legend.push_back({spec.series[i].name, color_of(spec.series[i], i), LegendItem::Glyph::Line});
  }
  if (spec.diagonal) legend.push_back({spec.diagonal_label, "#9aa5b1", LegendItem::Glyph::Line});
  for (const PointMark& m : spec.marks)
    legend.push_back({m.label, m.color, LegendItem::Glyph::Dot});
  return legend;
}

}  // namespace

std::string line_chart(const LineChartSpec& spec) {
  check_id(spec);
  Extent xr, yr;
  std::size_t points = 0;
  extents(spec, xr, yr, points);
  if (points == 0 && spec.marks.empty()) return no_data_chart(spec, "no points");
  std::string out;
  const double top = begin_chart(out, spec, spec.height, {}, line_legend(spec)) + 6;
  PlotArea plot{0, top, 0, spec.height - kXAxisHeight};
  AxisTicks yt, xt;
  const Scale y = fit_y_scale(Scale(ScaleType::Linear, yr.lo, yr.hi, plot.bottom, plot.top), yt);
  plot.left = kPad + y_axis_width(yt);
  plot.right = spec.width - kPad - 8;
  const Scale x = fit_x_scale(Scale(ScaleType::Linear, xr.lo, xr.hi, plot.left, plot.right), xt);
  draw_y_axis(out, y, yt, plot, spec.y_title);
  draw_x_axis(out, x, xt, plot, spec.x_title, true);
  if (spec.diagonal) {  // y = x over the part of the plot where both axes hold the value
    const double lo = std::max(x.domain_min(), y.domain_min());
    const double hi = std::min(x.domain_max(), y.domain_max());
    if (lo < hi) {
      line(out, x(lo), y(lo), x(hi), y(hi), "#9aa5b1", 1.5, " stroke-dasharray=\"5 4\"");
    }
  }
  for (std::size_t s = 0; s < spec.series.size(); ++s) draw_series(out, spec, s, x, y);
  for (const PointMark& m : spec.marks) {
    if (!spec.clip || box_of(x, y).holds(m.x, m.y)) draw_mark(out, m, x, y, plot);
  }
  return end_chart(out, spec);
}

}  // namespace claimlens::report::svg
