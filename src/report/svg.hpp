// Chart primitives for the HTML report (private to the report module, not installed): scales,
// ticks, locale-independent number formatting, escaping, and charts rendered as inline SVG (no
// script, no external font or stylesheet).
//
// Every chart function returns one `<figure class="chart" id="chart-<id>">` holding an `<svg>`
// (title, axes with titles, ticks, legend where colours mean something) and a `<figcaption>`.
// The SVG carries its own presentation attributes, so it renders the same outside the report.
// It is meant to be inlined in HTML: it has no xmlns attribute (an inline <svg> needs none, and
// the report must not contain any http:// address). Output is deterministic: the same spec gives
// the same bytes. Text widths are estimated (no font metrics), generously, to keep labels apart.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "claimlens/matrix.hpp"

namespace claimlens::report::svg {

// ---- text ---------------------------------------------------------------------------------

/// Escapes text for HTML/XML content and attribute values: & < > " ' become entities; C0 control
/// characters other than tab/newline/CR (not allowed in XML) become U+FFFD.
std::string escape(std::string_view text);

/// Fixed-point with `decimals` digits (0..17), locale-independent; "-0" prints as "0". NaN prints
/// "NaN", infinities "inf" / "-inf". InvalidArgument for decimals out of range.
std::string format_fixed(double value, int decimals);
/// Fixed-point with thousands separators: 501029.4 -> "501,029" (decimals = 0).
std::string format_grouped(double value, int decimals = 0);
/// Compact with k/M/B suffixes and up to 4 significant digits: 0 -> "0", 1500 -> "1.5k",
/// 250000 -> "250k", 1e6 -> "1M"; below 1000 up to 4 significant digits ("0.25", "950").
std::string format_compact(double value);
/// The shortest text that reads back as the same double ("0.1", "1e-07").
std::string format_shortest(double value);
/// A probability-like value: 4 decimals, or "< 0.0001" style for tiny p-values (scientific
/// with 2 significant digits below 1e-4, e.g. "1.2e-142"); exactly 0 prints "0".
std::string format_p_value(double p);

/// Estimated rendered width in pixels of `text` at `font_size` in a sans-serif system font
/// (per-character class widths; each UTF-8 code point counted once). Errs on the wide side.
double text_width(std::string_view text, double font_size);
/// `text` cut to fit `max_width` pixels at `font_size`, with a trailing "…" when cut.
std::string truncate_to_width(std::string_view text, double font_size, double max_width);

// ---- scales and ticks ---------------------------------------------------------------------

/// Evenly spaced "nice" ticks (steps of 1, 2, 2.5 or 5 x 10^k) covering [lo, hi] with at most
/// `max_count` ticks (at least 2 when lo < hi). lo == hi gives that single value.
/// InvalidArgument for non-finite bounds, lo > hi or max_count < 2.
struct Ticks {
  std::vector<double> values;
  double step = 0;
  int decimals = 0;  // digits after the point that label every tick exactly
};
Ticks nice_ticks(double lo, double hi, int max_count);

enum class ScaleType {
  Linear,
  /// log10(1 + x): a logarithmic axis that can also place zeros (domain must be >= 0). Ticks at
  /// 0 and powers of ten; axis titles say "(log scale)".
  Log,
};

/// Maps a data domain [d0, d1] onto pixel range [r0, r1] (r0 > r1 allowed, for y axes).
class Scale {
 public:
  /// InvalidArgument for non-finite bounds, d0 > d1, or (Log) d0 < 0. A degenerate domain
  /// (d0 == d1) is widened around the value so the scale stays invertible.
  Scale(ScaleType type, double d0, double d1, double r0, double r1);

  ScaleType type() const { return type_; }
  double domain_min() const { return d0_; }
  double domain_max() const { return d1_; }
  double range_min() const { return r0_; }
  double range_max() const { return r1_; }

  /// Pixel position of a value (values outside the domain extrapolate; Log clamps below 0).
  double operator()(double value) const;
  /// Data value at a pixel position.
  double invert(double pixel) const;
  /// The same scale with its domain widened to tick-aligned bounds (at most `max_count` ticks).
  Scale nice(int max_count) const;
  /// Tick values within the domain: nice_ticks for Linear; 0 (when in the domain) and powers of
  /// ten for Log (from 10 when 0 is a tick), thinned to every 2nd, 3rd ... decade to stay
  /// within `max_count`.
  std::vector<double> ticks(int max_count) const;
  /// Labels for ticks(max_count): compact ("10k") for Log and for linear values >= 10,000,
  /// else grouped with the tick step's decimals.
  std::vector<std::string> tick_labels(const std::vector<double>& ticks) const;

 private:
  double transform(double v) const;
  double untransform(double t) const;
  ScaleType type_;
  double d0_, d1_, r0_, r1_;
  double t0_, t1_;  // transformed domain bounds
};

/// ScaleType::Log when the non-negative data spans at least `decades` powers of ten
/// (max / max(min positive, 1) >= 10^decades), else Linear. Negative data is always Linear.
ScaleType auto_scale_type(double min_value, double max_value, double decades = 3.0);

// ---- colours -------------------------------------------------------------------------------

/// Colour-blind-safe categorical palette (Okabe & Ito), as "#rrggbb"; index wraps around.
std::string palette_color(std::size_t index);
/// Colour of t in [0, 1] (clamped) on a diverging blue-white-red ramp (t = 0.5 is white).
std::string diverging_color(double t);
/// Colour of t in [0, 1] (clamped) on a sequential white-to-blue ramp.
std::string sequential_color(double t);

// ---- charts --------------------------------------------------------------------------------

/// What every chart has: id (the figure's id is "chart-" + id; letters, digits, '-' and '_'
/// only, else InvalidArgument), title, caption, size in CSS pixels (the SVG scales down to its
/// container's width).
struct ChartFrame {
  std::string id;
  std::string title;
  std::string caption;
  double width = 640;
  double height = 360;
};

/// A named series of values; empty colour = palette_color(series index).
struct Series {
  std::string name;
  std::vector<double> values;
  std::string color;
};

enum class AxisScale { Auto, Linear, Log };

/// Overlaid histograms (one per series, shared bins, translucent fills) of counts per bin.
/// Auto scale = auto_scale_type over all values; Log bins evenly in log10(1 + x).
/// InvalidArgument for a NaN/infinite value (naming the series and index), negative values on a
/// Log axis, or bins < 1. No values at all -> a "No data" chart.
struct HistogramSpec : ChartFrame {
  std::vector<Series> series;
  std::string x_title;  // with units, e.g. "Views (count)"; " (log scale)" is appended when Log
  std::string y_title = "Videos";
  AxisScale x_scale = AxisScale::Auto;
  int bins = 30;
};
std::string histogram(const HistogramSpec& spec);

/// Vertical Tukey box plots, one per series: box Q1..Q3 (linear-interpolated quantiles, as
/// pandas), median line, mean marker, whiskers to the furthest values within 1.5 IQR, points
/// beyond (one per distinct pixel). An empty series draws "no data" in its slot; all empty ->
/// a "No data" chart. Same value checks as histogram.
struct BoxPlotSpec : ChartFrame {
  std::vector<Series> series;
  std::string x_title;  // what the groups are, e.g. "Claim status"
  std::string y_title;  // the values, with units
  AxisScale y_scale = AxisScale::Auto;
};
std::string box_plot(const BoxPlotSpec& spec);

/// Vertical bars grouped by category: values[s][c] is series s at category c (each series'
/// values must have one entry per category; InvalidArgument otherwise or for NaN/negative).
/// Bars are labelled with their values.
struct GroupedBarSpec : ChartFrame {
  std::vector<std::string> categories;
  std::vector<Series> series;
  std::string x_title, y_title;
  int value_decimals = 0;
};
std::string grouped_bars(const GroupedBarSpec& spec);

/// Horizontal bars, largest first (ties keep input order); at most max_bars (0 = all) with the
/// rest summarised in the caption's note. Values must be finite (may be negative).
struct BarSpec : ChartFrame {
  std::vector<std::string> labels;
  std::vector<double> values;
  std::string value_title;
  std::string color;  // empty = palette_color(0)
  std::size_t max_bars = 0;
  int value_decimals = 3;
};
std::string horizontal_bars(const BarSpec& spec);

/// A matrix of coloured cells with each value printed in its cell and a colour legend: diverging
/// colours when vmin < 0 < vmax, else sequential. NaN cells are grey and read "n/a".
struct HeatmapSpec : ChartFrame {
  std::vector<std::string> row_labels, col_labels;
  RowMatrix values;
  double vmin = -1, vmax = 1;
  std::string legend_title;
  int decimals = 2;
};
std::string heatmap(const HeatmapSpec& spec);

/// A confusion matrix: counts[actual][predicted] for the classes in `labels` order; each cell
/// shows its count and its share of the actual class (row percentage), shaded by that share.
struct ConfusionMatrixSpec : ChartFrame {
  std::vector<std::string> labels;
  std::vector<std::vector<double>> counts;  // non-negative integers
};
std::string confusion_matrix(const ConfusionMatrixSpec& spec);

/// Point estimates with intervals, one row each (a forest plot): a dot at estimate, a line from
/// low to high, and a dashed reference line (e.g. 0 for coefficients). Rows whose interval
/// crosses the reference are drawn grey. low <= estimate <= high, all finite (InvalidArgument).
struct IntervalSpec : ChartFrame {
  std::vector<std::string> labels;
  std::vector<double> estimate, low, high;
  std::string x_title;
  bool show_reference = true;
  double reference = 0;
  int value_decimals = 3;  // the estimate printed at the right of each row (-1: not printed)
};
std::string interval_plot(const IntervalSpec& spec);

/// A horizontal waterfall of additive contributions (an explained prediction): a first row from 0
/// to `base` (e.g. the model's expected value), one row per step from the running total to the
/// total plus its value (increases and decreases in two colours, dashed connectors between rows),
/// and a last row from 0 to `base` + the sum of the values. Rows in input order, labelled with
/// their signed values. Each bar carries its exact value (shortest round-trip text) in a
/// data-base / data-contribution / data-output attribute, so readers can check the sum.
/// InvalidArgument for label/value counts that differ or a non-finite value.
struct WaterfallSpec : ChartFrame {
  std::string base_label = "expected value";
  double base = 0;
  std::vector<std::string> labels;
  std::vector<double> values;
  std::string total_label = "output";
  std::string value_title;
  std::string increase_color = "#d55e00";
  std::string decrease_color = "#0072b2";
  int value_decimals = 3;
};
std::string waterfall(const WaterfallSpec& spec);

/// Points (x[i], y[i]) joined in order by lines, for curves: a reliability diagram, a
/// precision-recall curve. `steps` draws matplotlib's steps-post (y[i] holds until x[i + 1]);
/// `markers` puts a dot on each point carrying its exact values (data-x, data-y, shortest
/// round-trip text) and a tooltip (tips[i] when given, else "name: (x, y)").
struct XYSeries {
  std::string name;
  std::vector<double> x, y;
  std::string color;  // empty = palette_color(series index)
  bool markers = true;
  bool steps = false;
  std::vector<std::string> tips;  // empty, or one per point
};

/// A highlighted point drawn on top (an operating point): a ring, its label beside it, and its
/// exact coordinates as data-mark-x / data-mark-y.
struct PointMark {
  std::string label;  // in the legend, and beside the ring unless `note` is set
  double x = 0, y = 0;
  std::string color = "#1f2933";
  std::string note;
};

/// Lines on linear axes. Each axis covers its data and marks, and at least [x_min, x_max]
/// ([y_min, y_max]) where those are finite (NaN: the data alone), widened to nice ticks. With
/// `diagonal`, a dashed y = x line across the plot, in the legend as `diagonal_label`. With
/// `clip` (a zoom), the axes cover [x_min, x_max] x [y_min, y_max] alone (all four finite, min <
/// max), the lines are cut at the plot's edges and points or marks outside are not drawn.
/// InvalidArgument naming the chart and series for x/y/tips of different sizes or a non-finite
/// value, and for clip bounds that are not a box. No points and no marks -> a "No data" chart.
struct LineChartSpec : ChartFrame {
  std::vector<XYSeries> series;
  std::vector<PointMark> marks;
  std::string x_title, y_title;
  double x_min = std::numeric_limits<double>::quiet_NaN(), x_max = x_min;
  double y_min = x_min, y_max = x_min;
  bool diagonal = false;
  std::string diagonal_label = "y = x";
  bool clip = false;
  int value_decimals = 4;  // of the default tooltips
};
std::string line_chart(const LineChartSpec& spec);

/// A chart with the frame's title and a centred "No data" message (what the charts above draw
/// when given no values). `reason` is shown under it.
std::string no_data_chart(const ChartFrame& frame, std::string_view reason = {});

}  // namespace claimlens::report::svg
