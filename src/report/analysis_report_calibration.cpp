// Report section 7, "Probabilities a moderation team can act on" (issue 18): the champion's test
// probabilities before and after calibration (reliability diagram, Brier score, ECE, log loss)
// and the precision-recall curve of the calibrated ones with the operating point chosen on the
// validation split. Everything is drawn from Analysis::calibration (pipeline/analysis.hpp).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis_report_internal.hpp"

namespace claimlens::report::detail {
namespace {

constexpr int kDecimals = 6;  // Brier, ECE and log loss of this task are around 0.001-0.02

// A table cell showing `v` and carrying it exactly (data-<name>), so the page can be checked.
std::string exact_cell(const std::string& name, double v) {
  return "<span data-" + name + "=\"" + svg::format_shortest(v) + "\">" +
         svg::format_fixed(v, kDecimals) + "</span>";
}

std::string scores_table(const CalibrationAnalysis& c) {
  Table t;
  t.caption = "Test split (" + count(double(c.test_rows)) + " videos)";
  t.header = {"Probabilities", "Brier score",
              "ECE (" + std::to_string(c.kCalibrationBins) + " uniform bins)", "Log loss"};
  t.numeric = {false, true, true, true};
  t.html_cells = true;
  const std::pair<const char*, const ProbabilityQuality*> rows[] = {{"raw", &c.raw},
                                                                    {"calibrated", &c.calibrated}};
  for (const auto& [name, q] : rows) {
    const std::string n(name);
    t.rows.push_back({n, exact_cell("brier-" + n, q->brier_score), exact_cell("ece-" + n, q->ece),
                      exact_cell("log-loss-" + n, q->log_loss)});
  }
  return render_table(t);
}

// "lowers the ECE from 0.002430 to 0.000583".
std::string change(const char* what, double before, double after) {
  const char* verb = after < before ? "lowers" : after > before ? "raises" : "leaves";
  return std::string(verb) + " the " + what + (after == before ? " at " : " from ") +
         svg::format_fixed(before, kDecimals) +
         (after == before ? std::string() : " to " + svg::format_fixed(after, kDecimals));
}

std::string scores_sentence(const CalibrationAnalysis& c) {
  std::string method = calibration_method_name(c.method);
  method[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(method[0])));
  return method + " calibration " + change("test ECE", c.raw.ece, c.calibrated.ece) + ", " +
         change("Brier score", c.raw.brier_score, c.calibrated.brier_score) + " and " +
         change("log loss", c.raw.log_loss, c.calibrated.log_loss) + ".";
}

svg::XYSeries reliability_series(const std::string& name, const ProbabilityQuality& q,
                                 const std::string& color) {
  svg::XYSeries s;
  s.name = name;
  s.x = q.curve.prob_pred;
  s.y = q.curve.prob_true;
  s.color = color;
  for (std::size_t b = 0; b < q.curve.count.size(); ++b) {
    s.tips.push_back(name + ": " + count(double(q.curve.count[b])) +
                     " test videos, mean P(claim) " + svg::format_fixed(q.curve.prob_pred[b], 4) +
                     ", " + svg::format_fixed(100 * q.curve.prob_true[b], 1) + "% claims");
  }
  return s;
}

// Videos in the bins between the first and the last (a bin's mean lies inside the bin).
std::int64_t middle_count(const CalibrationCurve& curve) {
  const double low = curve.edges[1], high = curve.edges[curve.edges.size() - 2];
  std::int64_t n = 0;
  for (std::size_t b = 0; b < curve.count.size(); ++b) {
    if (curve.prob_pred[b] > low && curve.prob_pred[b] <= high) n += curve.count[b];
  }
  return n;
}

std::string reliability_chart(const CalibrationAnalysis& c) {
  svg::LineChartSpec r;
  r.id = "reliability";
  r.title = "Reliability diagram, test split";
  r.caption =
      "Fraction of claims against the mean predicted P(claim) in each of " +
      std::to_string(c.kCalibrationBins) +
      " uniform bins (empty bins left out) of the test split, for the champion\xE2\x80\x99s "
      "raw probabilities and after " +
      std::string(calibration_method_name(c.method)) +
      " calibration fitted on the validation split. On the diagonal, P(claim) is the "
      "share of claims among the videos given it. The bins between the first and the last hold " +
      count(double(middle_count(c.raw.curve))) + " (raw) and " +
      count(double(middle_count(c.calibrated.curve))) + " (calibrated) of the " +
      count(double(c.test_rows)) + " videos, so their points rest on few videos.";
  r.series = {reliability_series("raw", c.raw, "#d55e00"),
              reliability_series("calibrated", c.calibrated, "#0072b2")};
  r.x_title = "Mean predicted P(claim)";
  r.y_title = "Fraction of claims";
  r.x_min = r.y_min = 0;
  r.x_max = r.y_max = 1;
  r.diagonal = true;
  r.diagonal_label = "perfectly calibrated";
  r.width = 560;
  r.height = 420;
  return svg::line_chart(r);
}

std::string interval(const std::optional<BootstrapIntervals>& b, bool precision) {
  if (!b) return std::string();
  const Interval& i = precision ? b->precision : b->recall;
  return " [" + svg::format_fixed(i.lower, 4) + ", " + svg::format_fixed(i.upper, 4) + "]";
}

std::string point_label(const OperatingPoint& p) {
  return "P(claim) > " + svg::format_fixed(p.threshold, 4);
}

// The operating point's place on the test curve (none when nothing is above its threshold).
bool has_mark(const CalibrationAnalysis& c) {
  return c.test_point && c.test_point->tp + c.test_point->fp > 0;
}

// From `v` down by three times its distance to 1, at least 0.01: room around the mark.
double zoom_low(double v) {
  return std::max(0.0, v - std::max(0.01, 3 * (1 - v)));
}

// The calibrated test split's curve with the operating point; `zoom`: the corner around it.
std::string precision_recall_chart(const CalibrationAnalysis& c, bool zoom) {
  svg::LineChartSpec pr;
  pr.id = zoom ? "precision-recall-zoom" : "precision-recall";
  pr.title = zoom ? "Precision-recall curve near the operating point"
                  : "Precision-recall curve, calibrated, test split";
  svg::XYSeries s;
  s.name = "calibrated P(claim)";
  s.x = c.test_curve.recall;
  s.y = c.test_curve.precision;
  s.color = "#0072b2";
  s.steps = true;
  s.markers = false;
  pr.series = {s};
  pr.x_title = "Recall";
  pr.y_title = "Precision";
  pr.x_min = 0;
  pr.x_max = pr.y_max = 1;
  pr.width = 560;
  pr.height = 420;
  std::string mark_text;
  if (has_mark(c)) {
    const OperatingPoint& t = *c.test_point;
    svg::PointMark m;
    m.label = "operating point: " + point_label(t);
    m.note = "recall " + svg::format_fixed(t.recall, 4) + ", precision " +
             svg::format_fixed(t.precision, 4);
    m.x = t.recall;
    m.y = t.precision;
    pr.marks = {m};
    mark_text =
        " The ring marks the operating point: the threshold chosen on the validation "
        "split, applied to the test split (" +
        m.note + ").";
    if (zoom) {
      pr.clip = true;
      pr.x_min = zoom_low(t.recall);
      pr.y_min = zoom_low(t.precision);
    }
  }
  const std::string whole =
      "Precision against recall of \xE2\x80\x9C"
      "calibrated P(claim) \xE2\x89\xA5 t\xE2\x80\x9D "
      "for every distinct calibrated (" +
      std::string(calibration_method_name(c.method)) + ") probability t of the " +
      count(double(c.test_rows)) +
      " test videos (scikit-learn\xE2\x80\x99s precision_recall_curve, drawn as steps).";
  pr.caption = (zoom ? "The same curve zoomed in around the operating point." : whole) + mark_text;
  return svg::line_chart(pr);
}

std::string point_table(const CalibrationAnalysis& c) {
  const OperatingPoint& v = *c.operating_point;
  Table t;
  t.caption = "Operating point: precision \xE2\x89\xA5 " +
              svg::format_shortest(c.kTargetPrecision) + " on the validation split";
  t.header = {"Split", "Auto-labelled", "Precision", "Recall", "TP", "FP", "FN", "TN"};
  t.numeric = {false, true, true, true, true, true, true, true};
  t.html_cells = true;
  const std::pair<const char*, const OperatingPoint*> rows[] = {{"validation", &v},
                                                                {"test", &*c.test_point}};
  for (const auto& [name, p] : rows) {
    const std::string n(name);
    t.rows.push_back(
        {n, count(double(p->tp + p->fp)),
         exact_cell("precision-" + n, p->precision) + esc(interval(p->bootstrap, true)),
         exact_cell("recall-" + n, p->recall) + esc(interval(p->bootstrap, false)),
         count(double(p->tp)), count(double(p->fp)), count(double(p->fn)), count(double(p->tn))});
  }
  return render_table(t);
}

std::string point_sentence(const CalibrationAnalysis& c) {
  const OperatingPoint &v = *c.operating_point, &t = *c.test_point;
  std::string out =
      "Auto-labelling the reports with " + point_label(v) + " (threshold " +
      svg::format_shortest(v.threshold) + ") reaches precision " +
      svg::format_fixed(v.precision, 4) + " and recall " + svg::format_fixed(v.recall, 4) +
      " on the validation split, where it was chosen; on the test split it gives "
      "precision " +
      svg::format_fixed(t.precision, 4) + esc(interval(t.bootstrap, true)) + " and recall " +
      svg::format_fixed(t.recall, 4) + esc(interval(t.bootstrap, false)) + ", " +
      (t.precision >= c.kTargetPrecision ? "meeting" : "missing") + " the target.";
  if (t.bootstrap) {
    out += " Intervals: " + svg::format_shortest(100 * t.bootstrap->confidence) +
           "% percentile bootstrap over " + count(double(t.bootstrap->n_resamples)) +
           " resamples of each split\xE2\x80\x99s rows at the fixed threshold.";
  }
  return out;
}

}  // namespace

std::string calibration_section(const Analysis& a) {
  const CalibrationAnalysis& c = *a.calibration;
  std::string body = "<h3>Before and after calibration</h3>" + scores_table(c) +
                     "<p class=\"finding\">" + esc(scores_sentence(c)) + "</p>";
  body += "<h3>The operating point</h3>";
  if (c.operating_point) {
    body += point_table(c) + "<p class=\"finding\">" + point_sentence(c) + "</p>";
  } else {
    body +=
        "<p class=\"finding\">No threshold reaches the target precision on the validation "
        "split: " +
        esc(c.operating_point_error) + "</p>";
  }
  std::vector<std::string> charts = {reliability_chart(c), precision_recall_chart(c, false)};
  if (has_mark(c)) charts.push_back(precision_recall_chart(c, true));
  body += chart_grid(charts);
  const std::string intro =
      "The champion\xE2\x80\x99s P(claim) made into probabilities a moderation team can act "
      "on: <code>" +
      esc(calibration_method_name(c.method)) +
      "</code> calibration (isotonic regression on the probability, as scikit-learn\xE2\x80\x99s "
      "<code>CalibratedClassifierCV(method=\"isotonic\")</code> fits it) on the " +
      count(double(c.validation_rows)) +
      " validation videos, and the auto-label threshold chosen on the calibrated validation "
      "probabilities: the highest recall with precision \xE2\x89\xA5 " +
      svg::format_shortest(c.kTargetPrecision) + ". The " + count(double(c.test_rows)) +
      " test videos, which neither saw, measure both. ECE is the row-weighted distance of the "
      "reliability diagram from its diagonal over " +
      std::to_string(c.kCalibrationBins) + " uniform bins.";
  return section("calibration", 7, "Probabilities a moderation team can act on", intro, body);
}

std::vector<std::string> calibration_chart_ids(const Analysis& a) {
  if (!a.calibration) return {};
  std::vector<std::string> ids = {"reliability", "precision-recall"};
  if (has_mark(*a.calibration)) ids.emplace_back("precision-recall-zoom");
  return ids;
}

}  // namespace claimlens::report::detail
