// Chart primitives: each chart's structure, bad input, empty data and determinism.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <regex>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "report/test_svg_markup.hpp"
#include "svg.hpp"

using namespace claimlens;
using namespace claimlens::report::svg;
using Catch::Matchers::Contains;
using claimlens::testing::count_of;
using claimlens::testing::markup_problem;
using claimlens::testing::x_tick_labels;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();

// Views-like data spanning four decades, in two groups.
HistogramSpec views_histogram() {
  HistogramSpec h;
  h.id = "views";
  h.title = "Views <by> claim & opinion";
  h.caption = "Caption with \"quotes\"";
  h.x_title = "Views (count)";
  std::vector<double> claims, opinions;
  for (int i = 0; i < 400; ++i) {
    claims.push_back(1000 + 2500.0 * i);
    opinions.push_back(20 + 25.0 * i);
  }
  h.series = {{"claim", claims, "#d55e00"}, {"opinion", opinions, "#0072b2"}};
  return h;
}

void check_figure(const std::string& html, const std::string& id) {
  INFO(html.substr(0, 400));
  CHECK(html.rfind("<figure class=\"chart\" id=\"chart-" + id + "\"", 0) == 0);
  CHECK(count_of(html, "<svg ") == 1);
  CHECK(count_of(html, "<figcaption>") == 1);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(markup_problem(html).empty());
}

// Neighbouring tick labels of the x axis are apart by at least half their widths plus a gap.
void check_no_overlap(const std::string& html) {
  const auto ticks = x_tick_labels(html);
  REQUIRE(ticks.size() >= 2);
  for (std::size_t i = 0; i + 1 < ticks.size(); ++i) {
    INFO(ticks[i].second << " @" << ticks[i].first << " vs " << ticks[i + 1].second << " @"
                         << ticks[i + 1].first);
    const double need = (text_width(ticks[i].second, 12) + text_width(ticks[i + 1].second, 12)) / 2;
    CHECK(ticks[i + 1].first - ticks[i].first >= need);
  }
}

}  // namespace

TEST_CASE("histogram: figure, escaped text, log axis, legend, tooltips", "[svg][chart]") {
  const HistogramSpec spec = views_histogram();
  const std::string html = histogram(spec);
  check_figure(html, "views");
  CHECK_THAT(html, Contains("Views &lt;by&gt; claim &amp; opinion"));
  CHECK_THAT(html, Contains("<figcaption>Caption with &quot;quotes&quot;</figcaption>"));
  CHECK_THAT(html, Contains("Views (count) (log scale)"));
  CHECK_THAT(html, Contains(">claim</text>"));  // legend
  CHECK_THAT(html, Contains(">opinion</text>"));
  CHECK_THAT(html, Contains(">1M</text>"));      // decade ticks
  CHECK_THAT(html, Contains("<title>claim: "));  // per-bar tooltips
  check_no_overlap(html);
  CHECK(histogram(spec) == html);  // deterministic

  HistogramSpec linear = spec;
  linear.x_scale = AxisScale::Linear;
  const std::string lin = histogram(linear);
  CHECK(lin.find("(log scale)") == std::string::npos);
  check_no_overlap(lin);
}

TEST_CASE("histogram: every bin count adds up to the number of values", "[svg][chart]") {
  HistogramSpec h;
  h.id = "counts";
  h.title = "t";
  h.x_scale = AxisScale::Linear;
  h.bins = 4;
  h.series = {{"s", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10}, ""}};
  const std::string html = histogram(h);
  // Bins [0,2.5) [2.5,5) [5,7.5) [7.5,10]: 3, 2, 3, 4 values; the maximum lands in the last bin.
  CHECK_THAT(html, Contains("<title>s: 3 in [0, 2.5)</title>"));
  CHECK_THAT(html, Contains("<title>s: 2 in [2.5, 5)</title>"));
  CHECK_THAT(html, Contains("<title>s: 3 in [5, 7.5)</title>"));
  CHECK_THAT(html, Contains("<title>s: 4 in [7.5, 10)</title>"));
}

TEST_CASE("histogram: bad input is a clear InvalidArgument, no data is a chart", "[svg][chart]") {
  HistogramSpec h = views_histogram();
  h.series[1].values[7] = kNaN;
  CHECK_THROWS_WITH(histogram(h), Contains("chart \"views\": series \"opinion\" value 7 is NaN"));
  h = views_histogram();
  h.id = "bad id!";
  CHECK_THROWS_WITH(histogram(h), Contains("chart id \"bad id!\""));
  h = views_histogram();
  h.bins = 0;
  CHECK_THROWS_WITH(histogram(h), Contains("bins must be in 1..1000"));
  h = views_histogram();
  h.series[0].values[0] = -5;
  h.x_scale = AxisScale::Log;
  CHECK_THROWS_WITH(histogram(h), Contains("log axis cannot show the negative value -5"));
  h = views_histogram();
  h.width = 50;
  CHECK_THROWS_WITH(histogram(h), Contains("out of range"));

  HistogramSpec empty = views_histogram();
  for (auto& s : empty.series) s.values.clear();
  const std::string html = histogram(empty);
  check_figure(html, "views");
  CHECK_THAT(html, Contains("data-empty=\"true\""));
  CHECK_THAT(html, Contains(">No data</text>"));
  HistogramSpec none;
  none.id = "none";
  CHECK_THAT(histogram(none), Contains(">No data</text>"));

  HistogramSpec single;  // one distinct value: widened domain, one full bar
  single.id = "single";
  single.series = {{"s", {3, 3, 3}, ""}};
  const std::string one = histogram(single);
  check_figure(one, "single");
  CHECK_THAT(one, Contains("<title>s: 3 in ["));
}

TEST_CASE("histogram: tick labels never overlap whatever the width", "[svg][chart]") {
  for (double width : {200.0, 320.0, 480.0, 640.0, 900.0, 1400.0}) {
    HistogramSpec h = views_histogram();
    h.width = width;
    for (AxisScale scale : {AxisScale::Linear, AxisScale::Log}) {
      h.x_scale = scale;
      INFO("width " << width);
      check_no_overlap(histogram(h));
    }
  }
}

TEST_CASE("box plot: Tukey boxes, outliers, empty groups", "[svg][chart]") {
  BoxPlotSpec b;
  b.id = "box";
  b.title = "Values";
  b.x_title = "Group";
  b.y_title = "Value (units)";
  b.y_scale = AxisScale::Linear;
  b.series = {{"a", {1, 2, 3, 4, 5, 6, 7, 8, 9, 100}, ""}, {"empty", {}, ""}};
  const std::string html = box_plot(b);
  check_figure(html, "box");
  // pandas' quantiles of 1..9,100: Q1 3.25, median 5.5, Q3 7.75; whiskers 1 and 9.
  CHECK_THAT(html, Contains("a: n = 10, Q1 3.2, median 5.5, Q3 7.8, mean 14.5"));
  CHECK(count_of(html, "<circle") == 1);  // 100 is the only outlier
  CHECK_THAT(html, Contains(">no data</text>"));
  CHECK_THAT(html, Contains(">n = 0</text>"));
  CHECK_THAT(html, Contains("Value (units)"));
  CHECK(box_plot(b) == html);

  b.series[0].values.push_back(std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH(box_plot(b), Contains("series \"a\" value 10 is inf"));
  b.series = {{"x", {}, ""}};
  CHECK_THAT(box_plot(b), Contains("data-empty=\"true\""));
  b.series = {{"wide", {20, 50, 999817, 1049}, ""}};
  b.y_scale = AxisScale::Auto;
  CHECK_THAT(box_plot(b), Contains("Value (units) (log scale)"));
}

TEST_CASE("grouped bars: values, legend, checks", "[svg][chart]") {
  GroupedBarSpec g;
  g.id = "ban";
  g.title = "Ban status by claim status";
  g.categories = {"active", "under review", "banned"};
  g.series = {{"claim", {6566, 1603, 1439}, ""}, {"opinion", {8817, 463, 196}, ""}};
  g.x_title = "Author ban status";
  g.y_title = "Videos";
  const std::string html = grouped_bars(g);
  check_figure(html, "ban");
  CHECK_THAT(html, Contains(">6,566</text>"));
  CHECK_THAT(html, Contains("<title>opinion, banned: 196</title>"));
  CHECK_THAT(html, Contains(">under review</text>"));
  CHECK(grouped_bars(g) == html);

  g.series[1].values.pop_back();
  CHECK_THROWS_WITH(grouped_bars(g), Contains("series \"opinion\" has 2 values for 3 categories"));
  g.series[1].values = {1, -2, 3};
  CHECK_THROWS_WITH(grouped_bars(g), Contains("negative value -2"));
  g.series[1].values = {1, kNaN, 3};
  CHECK_THROWS_WITH(grouped_bars(g), Contains("value 1 is NaN"));
  g.categories.clear();
  CHECK_THAT(grouped_bars(g), Contains("data-empty=\"true\""));
}

TEST_CASE("horizontal bars: largest first, capped, negative values", "[svg][chart]") {
  BarSpec b;
  b.id = "imp";
  b.title = "Importances";
  b.value_title = "Importance (share)";
  b.labels = {"small", "big", "middle", "tiny"};
  b.values = {0.1, 0.6, 0.25, 0.05};
  b.max_bars = 3;
  const std::string html = horizontal_bars(b);
  check_figure(html, "imp");
  CHECK(html.find(">big</text>") < html.find(">middle</text>"));
  CHECK(html.find(">middle</text>") < html.find(">small</text>"));
  CHECK(html.find(">tiny</text>") == std::string::npos);
  CHECK_THAT(html, Contains("The 3 largest of 4 shown"));
  CHECK_THAT(html, Contains(">0.600</text>"));

  b.values[0] = -0.3;
  b.max_bars = 0;
  const std::string neg = horizontal_bars(b);
  CHECK_THAT(neg, Contains(">-0.300</text>"));
  b.values.pop_back();
  CHECK_THROWS_WITH(horizontal_bars(b), Contains("4 labels for 3 values"));
  b.values = {1, 2, kNaN, 3};
  CHECK_THROWS_WITH(horizontal_bars(b), Contains("the value of \"middle\" is NaN"));
  b.labels.clear();
  b.values.clear();
  CHECK_THAT(horizontal_bars(b), Contains("data-empty=\"true\""));
}

TEST_CASE("waterfall: from the base through each step to the total, exact values", "[svg][chart]") {
  WaterfallSpec w;
  w.id = "why-1";
  w.title = "Why <this> was flagged";
  w.base = 0.3;
  w.labels = {"text", "views", "verified"};
  w.values = {0.45, -0.125, 0.0625};
  w.value_title = "Contribution to P(claim)";
  const std::string html = waterfall(w);
  check_figure(html, "why-1");
  CHECK_THAT(html, Contains("Why &lt;this&gt; was flagged"));
  // Rows in input order, between the base and the total.
  CHECK(html.find(">expected value</text>") < html.find(">text</text>"));
  CHECK(html.find(">text</text>") < html.find(">views</text>"));
  CHECK(html.find(">verified</text>") < html.find(">output</text>"));
  CHECK_THAT(html, Contains(">+0.450</text>"));
  CHECK_THAT(html, Contains(">-0.125</text>"));
  CHECK_THAT(html, Contains(">0.688</text>"));  // 0.3 + 0.45 - 0.125 + 0.0625 = 0.6875
  CHECK_THAT(html, Contains("raises the output"));
  CHECK(count_of(html, "fill=\"#d55e00\"") >= 2);  // the two increases (and their legend box)
  CHECK(count_of(html, "stroke-dasharray=\"2 2\"") ==
        4);  // a connector into each row after the base
  // The exact values ride on the bars: base + contributions == output.
  REQUIRE(claimlens::testing::data_values(html, "base") == std::vector<double>{0.3});
  CHECK(claimlens::testing::data_values(html, "contribution") == w.values);
  REQUIRE(claimlens::testing::data_values(html, "output").size() == 1);
  CHECK(claimlens::testing::data_values(html, "output")[0] == 0.3 + 0.45 - 0.125 + 0.0625);
  CHECK(waterfall(w) == html);

  w.base = -1.5;  // a margin below 0: the axis covers 0 and every running total
  CHECK(claimlens::testing::data_values(waterfall(w), "output")[0] == -1.5 + 0.45 - 0.125 + 0.0625);
  w.values.pop_back();
  CHECK_THROWS_WITH(waterfall(w), Contains("3 labels for 2 values"));
  w.values = {0.1, kNaN, 0.2};
  CHECK_THROWS_WITH(waterfall(w), Contains("the value of \"views\" is NaN"));
  w.values = {0.1, 0.1, 0.2};
  w.base = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(waterfall(w), Contains("the base \"expected value\" is inf"));
  w.base = 0;
  w.id = "bad id";
  CHECK_THROWS_AS(waterfall(w), InvalidArgument);
}

namespace {

XYSeries xy(const std::string& name, std::vector<double> x, std::vector<double> y) {
  XYSeries s;
  s.name = name;
  s.x = std::move(x);
  s.y = std::move(y);
  return s;
}

}  // namespace

TEST_CASE("line chart: curves, steps, diagonal, marks with exact values, checks", "[svg][chart]") {
  LineChartSpec c;
  c.id = "reliability";
  c.title = "Reliability <diagram>";
  c.series = {xy("raw", {0.05, 0.5, 0.95}, {0.0, 0.4, 1.0}),
              xy("calibrated", {0.1, 0.6}, {0.1, 0.6})};
  c.series[0].color = "#d55e00";
  c.series[1].tips = {"first bin", "second bin"};
  c.x_min = c.y_min = 0;
  c.x_max = c.y_max = 1;
  c.diagonal = true;
  c.diagonal_label = "perfectly calibrated";
  c.x_title = "Mean predicted P";
  c.y_title = "Fraction positive";
  const std::string html = line_chart(c);
  check_figure(html, "reliability");
  CHECK_THAT(html, Contains("Reliability &lt;diagram&gt;"));
  CHECK_THAT(html, Contains(">perfectly calibrated</text>"));
  CHECK(count_of(html, "stroke-dasharray=\"5 4\"") == 1);  // the diagonal
  CHECK(count_of(html, "<path ") == 2);
  // Every point carries its exact values, raw then calibrated; tooltips given or made.
  CHECK(claimlens::testing::data_values(html, "x") ==
        std::vector<double>{0.05, 0.5, 0.95, 0.1, 0.6});
  CHECK(claimlens::testing::data_values(html, "y") == std::vector<double>{0.0, 0.4, 1.0, 0.1, 0.6});
  CHECK_THAT(html, Contains("<title>first bin</title>"));
  CHECK_THAT(html, Contains("<title>raw: (0.5000, 0.4000)</title>"));
  // The axes cover [0, 1] as asked, even where the data does not reach.
  const auto ticks = x_tick_labels(html);
  REQUIRE(ticks.size() >= 2);
  CHECK(std::stod(ticks.front().second) == 0.0);
  CHECK(std::stod(ticks.back().second) == 1.0);
  CHECK(line_chart(c) == html);

  // Steps and a mark: the ring sits on the curve's vertex at the mark's values.
  LineChartSpec pr;
  pr.id = "pr";
  pr.title = "Precision-recall";
  pr.series = {xy("model", {1.0, 0.75, 0.5, 0.0}, {0.5, 0.8, 1.0, 1.0})};
  pr.series[0].steps = true;
  pr.series[0].markers = false;
  pr.marks.emplace_back();
  pr.marks[0].label = "operating point";
  pr.marks[0].x = 0.75;
  pr.marks[0].y = 0.8;
  const std::string steps = line_chart(pr);
  check_figure(steps, "pr");
  CHECK(claimlens::testing::data_values(steps, "x").empty());
  CHECK(claimlens::testing::data_values(steps, "mark-x") == std::vector<double>{0.75});
  CHECK(claimlens::testing::data_values(steps, "mark-y") == std::vector<double>{0.8});
  std::smatch ring;
  REQUIRE(std::regex_search(steps, ring,
                            std::regex("<circle cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\" r=\"7\"")));
  CHECK_THAT(steps, Contains("H" + ring[1].str() + "V" + ring[2].str()));
  CHECK_THAT(steps, Contains(">operating point</text>"));

  // A zoom: the axes cover the box alone, the line is cut at its edges, nothing outside drawn.
  LineChartSpec zoom = pr;
  zoom.clip = true;
  zoom.x_min = 0.6;
  zoom.x_max = 1;
  zoom.y_min = 0.7;
  zoom.y_max = 1;
  const std::string cut = line_chart(zoom);
  check_figure(cut, "pr");
  const auto zoom_ticks = x_tick_labels(cut);
  REQUIRE(zoom_ticks.size() >= 2);
  CHECK(std::stod(zoom_ticks.front().second) == 0.6);
  CHECK(std::stod(zoom_ticks.back().second) == 1.0);
  std::smatch d;
  REQUIRE(std::regex_search(cut, d, std::regex("<path d=\"([^\"]*)\"")));
  // Steps (1, 0.5) -> (0.75, 0.5) -> (0.75, 0.8) -> (0.5, 0.8) -> (0.5, 1) -> (0, 1): the first
  // segment lies below the box, the second is cut at y = 0.7, the third at x = 0.6 and the rest
  // lie left of the box: one subpath of two lines.
  CHECK(count_of(d[1].str(), "M") == 1);
  CHECK(count_of(d[1].str(), "L") == 2);
  CHECK(claimlens::testing::data_values(cut, "mark-x") == std::vector<double>{0.75});
  zoom.marks[0].x = 0.5;  // outside the box: not drawn
  CHECK(claimlens::testing::data_values(line_chart(zoom), "mark-x").empty());
  zoom.y_min = kNaN;
  CHECK_THROWS_WITH(line_chart(zoom),
                    Contains("clip needs finite x_min < x_max and y_min < y_max"));

  // Bad input names the chart, the series and the point; nothing to draw is a chart.
  pr.series[0].y.pop_back();
  CHECK_THROWS_WITH(line_chart(pr), Contains("line chart \"pr\": series \"model\" has 4 x, 3 y"));
  pr.series[0].y = {0.5, kNaN, 1.0, 1.0};
  CHECK_THROWS_WITH(line_chart(pr), Contains("series \"model\" point 1 y is NaN"));
  pr.series[0].y = {0.5, 0.8, 1.0, 1.0};
  pr.marks[0].x = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH(line_chart(pr), Contains("mark \"operating point\" x is infinite"));
  c.series[1].tips.pop_back();
  CHECK_THROWS_WITH(line_chart(c), Contains("2 x, 2 y values and 1 tips"));
  LineChartSpec empty;
  empty.id = "empty";
  empty.title = "Nothing";
  CHECK_THAT(line_chart(empty), Contains("data-empty=\"true\""));
}

TEST_CASE("heatmap: values in cells, colour legend, NaN cells", "[svg][chart]") {
  HeatmapSpec h;
  h.id = "corr";
  h.title = "Correlation";
  h.legend_title = "Pearson r";
  h.row_labels = h.col_labels = {"a", "b", "c"};
  h.values = RowMatrix(3, 3);
  h.values << 1, 0.5, -0.25, 0.5, 1, kNaN, -0.25, kNaN, 1;
  const std::string html = heatmap(h);
  check_figure(html, "corr");
  CHECK(count_of(html, ">1.00</text>") == 3);
  CHECK(count_of(html, ">0.50</text>") == 2);
  CHECK(count_of(html, ">-0.25</text>") == 2);
  CHECK(count_of(html, ">n/a</text>") == 2);
  CHECK_THAT(html, Contains(">Pearson r</text>"));
  CHECK_THAT(html, Contains(diverging_color(1.0)));
  CHECK(heatmap(h) == html);

  h.vmin = h.vmax = 1;
  CHECK_THROWS_WITH(heatmap(h), Contains("vmin < vmax"));
  h.vmin = -1;
  h.row_labels.pop_back();
  CHECK_THROWS_WITH(heatmap(h), Contains("2 row labels for 3 values"));
}

TEST_CASE("confusion matrix: counts, row shares, tags, checks", "[svg][chart]") {
  ConfusionMatrixSpec c;
  c.id = "cm";
  c.title = "Test set";
  c.labels = {"opinion", "claim"};
  c.counts = {{1890, 2}, {5, 1920}};
  const std::string html = confusion_matrix(c);
  check_figure(html, "cm");
  CHECK_THAT(html, Contains(">1,890</text>"));
  CHECK_THAT(html, Contains(">99.9%</text>"));
  CHECK_THAT(html, Contains(">0.3%</text>"));
  CHECK_THAT(html, Contains(">TP</text>"));
  CHECK_THAT(html, Contains("n = 3,817"));
  CHECK_THAT(html, Contains("Predicted class"));
  CHECK_THAT(html, Contains("Actual class"));

  c.counts = {{0, 0}, {0, 0}};
  CHECK_THAT(confusion_matrix(c), Contains(">\xE2\x80\x93</text>"));  // no share of nothing
  c.counts = {{1, 2.5}, {0, 1}};
  CHECK_THROWS_WITH(confusion_matrix(c), Contains("row \"opinion\" holds 2.5"));
  c.counts = {{1, 2}};
  CHECK_THROWS_WITH(confusion_matrix(c), Contains("2 class labels for 1 values"));
}

TEST_CASE("interval plot: rows, reference line, significance colours, checks", "[svg][chart]") {
  IntervalSpec s;
  s.id = "coef";
  s.title = "Coefficients";
  s.x_title = "Log-odds";
  s.labels = {"positive", "crosses", "tiny"};
  s.estimate = {1.5, 0.2, -2.3e-7};
  s.low = {1.0, -0.1, -3e-7};
  s.high = {2.0, 0.5, -1.6e-7};
  const std::string html = interval_plot(s);
  check_figure(html, "coef");
  CHECK_THAT(html, Contains("stroke-dasharray"));
  CHECK_THAT(html, Contains(">interval excludes 0</text>"));
  CHECK_THAT(html, Contains(">1.500</text>"));
  CHECK_THAT(html, Contains(">-2.3e-07</text>"));
  CHECK_THAT(html, Contains("<title>positive: 1.5 [1, 2]</title>"));
  check_no_overlap(html);

  s.low[1] = 0.3;
  CHECK_THROWS_WITH(interval_plot(s),
                    Contains("row \"crosses\" needs low <= estimate <= high, got 0.3 <= 0.2"));
  s.low[1] = kNaN;
  CHECK_THROWS_WITH(interval_plot(s), Contains("the lower bound of \"crosses\" is NaN"));
  s.high.pop_back();
  CHECK_THROWS_WITH(interval_plot(s), Contains("2 upper bounds for 3 values"));
  s.labels.clear();
  s.estimate.clear();
  s.low.clear();
  s.high.clear();
  CHECK_THAT(interval_plot(s), Contains("data-empty=\"true\""));
}

TEST_CASE("no_data_chart: title, message, reason", "[svg][chart]") {
  ChartFrame f;
  f.id = "nothing";
  f.title = "Nothing <here>";
  const std::string html = no_data_chart(f, "because & why");
  check_figure(html, "nothing");
  CHECK_THAT(html, Contains("Nothing &lt;here&gt;"));
  CHECK_THAT(html, Contains(">because &amp; why</text>"));
  f.id = "";
  CHECK_THROWS_WITH(no_data_chart(f), Contains("must be non-empty"));
}
