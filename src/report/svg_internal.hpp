// Shared drawing helpers of the chart primitives (not installed): element writers, the chart
// header (title, note, legend), axes with non-overlapping tick labels, and the figure wrapper.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "svg.hpp"

namespace claimlens::report::svg::detail {

constexpr double kFontSize = 12;
constexpr double kSmallFont = 11;
constexpr double kTitleFont = 15;
constexpr const char* kInk = "#1f2933";    // text
constexpr const char* kMuted = "#52606d";  // secondary text
constexpr const char* kGrid = "#e4e7eb";   // grid lines
constexpr const char* kAxis = "#7b8794";   // axis lines and tick marks
constexpr double kPad = 14;                // outer padding

/// The range of the values added (NaN is skipped: an unset bound) and how many were.
struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  std::size_t count = 0;
  void add(double v) {
    if (std::isnan(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++count;
  }
};

/// Coordinates: one decimal, trailing ".0" dropped (deterministic and compact).
std::string n(double v);

struct TextStyle {
  double size = kFontSize;
  const char* anchor = "start";  // start | middle | end
  const char* fill = kInk;
  bool bold = false;
  double rotate = 0;               // degrees about (x, y)
  const char* baseline = nullptr;  // dominant-baseline, e.g. "middle"
};
void text(std::string& out, double x, double y, std::string_view s, const TextStyle& style = {});
void line(std::string& out, double x1, double y1, double x2, double y2, std::string_view stroke,
          double width = 1, std::string_view extra = {});
/// A rectangle; a non-empty tooltip becomes its <title> child (shown on hover, no script).
void rect(std::string& out, double x, double y, double w, double h, std::string_view fill,
          std::string_view extra = {}, std::string_view tooltip = {});

struct LegendItem {
  std::string label;
  std::string color;
  enum class Glyph { Box, Dot, Line } glyph = Glyph::Box;
};

/// Starts the <svg> (validates frame.id and size), draws the background and title, then an
/// optional muted note line and a legend row. Returns the y where the plot area may start.
double begin_chart(std::string& out, const ChartFrame& frame, double height,
                   std::string_view note = {}, const std::vector<LegendItem>& legend = {});
/// The y begin_chart would return (for charts whose height depends on their content).
double header_height(const ChartFrame& frame, std::string_view note = {},
                     const std::vector<LegendItem>& legend = {});
/// Closes the <svg> and wraps it in <figure class="chart" id="chart-ID"> with its <figcaption>
/// (frame.caption, or the title when there is none).
std::string end_chart(std::string& out, const ChartFrame& frame, bool empty = false);

struct PlotArea {
  double left = 0, top = 0, right = 0, bottom = 0;
  double width() const { return right - left; }
  double height() const { return bottom - top; }
};

struct AxisTicks {
  std::vector<double> values;
  std::vector<std::string> labels;
  double max_label_width = 0;
};
/// The scale made nice and its ticks, as many as fit along a horizontal axis of its range
/// without labels overlapping.
Scale fit_x_scale(const Scale& scale, AxisTicks& ticks);
/// The same for a vertical axis (labels one line high, spaced at least 2.2 lines).
Scale fit_y_scale(const Scale& scale, AxisTicks& ticks);

/// Tick marks, labels, light grid lines across the plot and the centred axis title.
void draw_x_axis(std::string& out, const Scale& x, const AxisTicks& ticks, const PlotArea& plot,
                 std::string_view title, bool grid = false);
void draw_y_axis(std::string& out, const Scale& y, const AxisTicks& ticks, const PlotArea& plot,
                 std::string_view title, bool grid = true);
/// Width the y axis needs left of the plot (title + labels + gaps).
double y_axis_width(const AxisTicks& ticks);
/// Height the x axis needs below the plot (labels + title + gaps).
constexpr double kXAxisHeight = 46;

/// A value with `decimals` digits and thousands separators; values too small to show at that
/// precision in scientific notation with 2 significant digits ("-2.3e-07") instead of "-0.000".
std::string format_value(double v, int decimals);

/// `title` + " (log scale)" for a Log scale.
std::string axis_title(std::string_view title, ScaleType type);

/// The frame's id checked (letters, digits, '-', '_'; non-empty) — InvalidArgument otherwise.
void check_id(const ChartFrame& frame);
/// InvalidArgument naming chart, series and index for a non-finite value.
void check_finite(const ChartFrame& frame, const Series& series);

/// Resolved series colour (its own or the palette's).
std::string series_color(const Series& series, std::size_t index);

}  // namespace claimlens::report::svg::detail
