// The HTML analysis report on the real data: every chart present, self-contained, well formed,
// deterministic, written atomically; bad input refused.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <numeric>
#include <regex>
#include <string>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "claimlens/report/analysis_report.hpp"
#include "io/temp_dir.hpp"
#include "report/test_svg_markup.hpp"
#include "support/paths.hpp"
#include "svg.hpp"

using namespace claimlens;
using Catch::Matchers::Contains;
using claimlens::testing::count_of;
using claimlens::testing::markup_problem;

namespace {

const DataFrame& videos() {
  static const DataFrame frame = read_csv(claimlens::testing::real_dataset_path());
  return frame;
}

// The full analysis (grid searches included) once per process.
const Analysis& full_analysis() {
  static const Analysis analysis = [] {
    AnalysisOptions options;
    options.seed = 0;
    return run_analysis(videos(), options);
  }();
  return analysis;
}

report::AnalysisReportOptions stable_options() {
  report::AnalysisReportOptions o;
  o.data_name = "tiktok_dataset.csv";
  o.include_timings = false;
  return o;
}

// The page's three waterfalls against the classifier, recomputed here without the report: the
// test split's rows, their review order, each video's id, scale and bars summing to the output.
// Returns the test rows.
std::vector<std::size_t> check_top_reports(const std::string& html, const ClaimClassifier& clf,
                                           std::uint64_t seed) {
  // The held-out rows are the classifier's test split: its recorded test scores come back.
  const std::vector<std::size_t> test = claim_classifier_test_rows(videos(), seed);
  REQUIRE(test.size() == clf.report()["split"]["test"].get<std::size_t>());
  const DataFrame test_frame = videos().take(test);
  const std::vector<double> p = clf.predict_proba(test_frame);
  const std::vector<double> y =
      BinaryLabelEncoder("claim", "opinion").transform(test_frame.column("claim_status"));
  CHECK(binary_evaluation(y, p)["confusion_matrix"] == clf.report()["test"]["confusion_matrix"]);
  // Review order as the triage ranks: P(claim) x views, highest first, ties in file order.
  std::vector<std::size_t> order(test.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const Column& views = test_frame.column("video_view_count");
  std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
    return p[i] * views.as_double(i) > p[j] * views.as_double(j);
  });
  const std::string scale = clf.model().explanation_scale() == ShapScale::Probability
                                ? "Contribution to P(claim)"
                                : "Contribution to the margin";
  for (std::size_t k = 0; k < 3; ++k) {
    const std::size_t row = test[order[k]];
    INFO("waterfall " << k + 1 << ", row " << row);
    const std::string id = "chart-why-" + std::to_string(k + 1);
    const std::size_t start = html.find("<figure class=\"chart\" id=\"" + id + "\">");
    REQUIRE(start != std::string::npos);
    const std::string figure = html.substr(start, html.find("</figure>", start) - start);
    const std::string video_id =
        report::svg::format_fixed(videos().column("video_id").as_double(row), 0);
    CHECK_THAT(figure, Contains("video " + video_id));
    CHECK_THAT(figure, Contains(scale));
    // The champion's own explanation of that video, computed here without the report.
    const ShapValues shap = clf.explain(videos().take(std::vector<std::size_t>{row}));
    const std::vector<double> base = claimlens::testing::data_values(figure, "base");
    const std::vector<double> steps = claimlens::testing::data_values(figure, "contribution");
    const std::vector<double> output = claimlens::testing::data_values(figure, "output");
    REQUIRE(base.size() == 1);
    REQUIRE(output.size() == 1);
    CHECK(base[0] == shap.at(0, shap.num_features));
    // One bar per input column (9: too few for an "other" bar), n-grams and text length
    // summed under the text column.
    CHECK(steps.size() == claim_input_columns().size());
    for (const std::string& column : claim_input_columns()) {
      CHECK(count_of(figure, ">" + column + "</text>") == 1);
    }
    double sum = base[0];
    for (double v : steps) sum += v;
    CHECK(std::fabs(sum - shap.output[0]) <= 1e-9);
    CHECK(std::fabs(output[0] - shap.output[0]) <= 1e-9);
    CHECK(figure.find(">text_length</text>") == std::string::npos);
  }
  return test;
}

std::string figure_of(const std::string& html, const std::string& id) {
  const std::size_t start = html.find("<figure class=\"chart\" id=\"chart-" + id + "\">");
  REQUIRE(start != std::string::npos);
  return html.substr(start, html.find("</figure>", start) - start);
}

std::vector<int> claim_labels(const DataFrame& frame) {
  std::vector<int> y;
  for (double v : BinaryLabelEncoder("claim", "opinion").transform(frame.column("claim_status"))) {
    y.push_back(int(v));
  }
  return y;
}

// Section 7 against figures recomputed here from the classifier with the metrics functions: the
// table's exact values, the reliability diagram's points, the mark on the precision-recall curve.
void check_calibration(const std::string& html, const ClaimClassifier& clf,
                       const CalibrationAnalysis& c, std::uint64_t seed) {
  using claimlens::testing::data_values;
  REQUIRE(count_of(html, "<section class=\"step\" id=\"calibration\"") == 1);
  const ClaimSplit rows = claim_classifier_rows(videos(), seed);
  const DataFrame validation = videos().take(rows.validation), test = videos().take(rows.test);
  const std::vector<int> y_val = claim_labels(validation), y_test = claim_labels(test);
  const Calibrator iso =
      Calibrator::fit(CalibrationMethod::Isotonic, clf.predict_proba(validation), y_val);
  const std::vector<double> raw = clf.predict_proba(test), cal = iso.predict(raw);
  const std::pair<const char*, const std::vector<double>*> sets[] = {{"raw", &raw},
                                                                     {"calibrated", &cal}};
  for (const auto& [name, p] : sets) {
    INFO(name);
    const std::vector<double> brier = data_values(html, std::string("brier-") + name),
                              ece = data_values(html, std::string("ece-") + name),
                              loss = data_values(html, std::string("log-loss-") + name);
    REQUIRE((brier.size() == 1 && ece.size() == 1 && loss.size() == 1));
    CHECK(std::fabs(brier[0] - brier_score_loss(y_test, *p)) <= 1e-12);
    CHECK(std::fabs(ece[0] - expected_calibration_error(y_test, *p, 10)) <= 1e-12);
    CHECK(std::fabs(loss[0] - log_loss(y_test, *p)) <= 1e-12);
  }
  // Issue 18 on the seed's data: calibration lowers the ECE, and the page says so.
  CHECK(data_values(html, "ece-calibrated")[0] < data_values(html, "ece-raw")[0]);
  CHECK_THAT(html, Contains("Isotonic calibration lowers the test ECE from " +
                            report::svg::format_fixed(c.raw.ece, 6) + " to " +
                            report::svg::format_fixed(c.calibrated.ece, 6)));
  // The reliability diagram: raw then calibrated bins, (mean P, fraction of claims) each.
  const std::string reliability = figure_of(html, "reliability");
  std::vector<double> xs, ys;
  for (const std::vector<double>* p : {&raw, &cal}) {
    const CalibrationCurve curve = calibration_curve(y_test, *p, 10);
    xs.insert(xs.end(), curve.prob_pred.begin(), curve.prob_pred.end());
    ys.insert(ys.end(), curve.prob_true.begin(), curve.prob_true.end());
  }
  CHECK(data_values(reliability, "x") == xs);
  CHECK(data_values(reliability, "y") == ys);
  CHECK_THAT(reliability, Contains("isotonic calibration"));
  // The operating point: the threshold chosen on the validation split, at the test split's
  // (recall, precision), which is a point of the curve, drawn on the curve's own vertex.
  REQUIRE(c.test_point.has_value());
  std::vector<int> flagged;
  for (double v : cal) flagged.push_back(v > c.operating_point->threshold ? 1 : 0);
  const double recall = recall_score(y_test, flagged), precision = precision_score(y_test, flagged);
  const std::string pr = figure_of(html, "precision-recall");
  CHECK(data_values(pr, "mark-x") == std::vector<double>{recall});
  CHECK(data_values(pr, "mark-y") == std::vector<double>{precision});
  CHECK(data_values(html, "recall-test") == std::vector<double>{recall});
  CHECK(data_values(html, "precision-test") == std::vector<double>{precision});
  const PrecisionRecallCurve curve = precision_recall_curve(y_test, cal);
  bool on_curve = false;
  for (std::size_t i = 0; i < curve.recall.size(); ++i) {
    on_curve = on_curve || (curve.recall[i] == recall && curve.precision[i] == precision);
  }
  CHECK(on_curve);
  const std::smatch ring = [&] {
    std::smatch m;
    std::regex_search(pr, m, std::regex("<circle cx=\"([-0-9.]+)\" cy=\"([-0-9.]+)\" r=\"7\""));
    return m;
  }();
  REQUIRE(ring.size() == 3);
  CHECK_THAT(pr, Contains("H" + ring[1].str() + "V" + ring[2].str()));
  // The zoom shows the same mark.
  const std::string zoom = figure_of(html, "precision-recall-zoom");
  CHECK(data_values(zoom, "mark-x") == std::vector<double>{recall});
  CHECK(data_values(zoom, "mark-y") == std::vector<double>{precision});
  CHECK_THAT(html, Contains("precision \xE2\x89\xA5 0.99"));
}

}  // namespace

// One test case with sections: ctest runs each test case in its own process and the analysis (two
// grid searches) is the slow part. When Chromium is installed, ctest runs this case only through
// report.renders_in_headless_chromium (tests/report/browser_check.py), which sets
// CLAIMLENS_REPORT_OUT and then checks the written report in the browser.
TEST_CASE("analysis report of the real data, run once", "[report][report-full]") {
  SECTION("every chart, self-contained, well formed") {
    const Analysis& a = full_analysis();
    const std::string html = report::render_analysis_report(a, videos(), stable_options());
    INFO("size " << html.size());
    CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("url(") == std::string::npos);
    CHECK(markup_problem(html).empty());

    const std::vector<std::string> ids = report::analysis_report_chart_ids(a);
    // 9 data and regression charts; 2 CV, 3 confusion, importances; 3 waterfalls, mean |SHAP|;
    // reliability diagram, precision-recall curve and its zoom
    CHECK(ids.size() == 22);
    for (const std::string& id : ids) {
      INFO(id);
      CHECK(count_of(html, "<figure class=\"chart\" id=\"chart-" + id + "\">") == 1);
    }
    CHECK(count_of(html, "<figure class=\"chart\"") == ids.size());
    CHECK(count_of(html, "<figcaption>") == ids.size());
    CHECK(html.find("data-empty") == std::string::npos);  // no chart fell back to "No data"
    for (const char* section : {"inspect", "eda", "hypothesis", "logistic", "classifier",
                                "explanations", "calibration"}) {
      CHECK(count_of(html, std::string("<section class=\"step\" id=\"") + section + "\"") == 1);
    }
    // Key numbers come from the analysis, printed locale-independently.
    CHECK_THAT(html, Contains(report::svg::format_fixed(a.hypothesis_test.t, 4)));
    CHECK_THAT(html, Contains(report::svg::format_grouped(double(a.inspection.rows))));
    CHECK_THAT(html, Contains("tiktok_dataset.csv"));
    CHECK_THAT(html, Contains("(log scale)"));
    CHECK(html.size() < 2u * 1024 * 1024);
  }

  SECTION("the top test reports explained: ids, review order, bars summing to the output") {
    const Analysis& a = full_analysis();
    const ClaimClassifier& clf = *a.classifier;
    const std::string html = report::render_analysis_report(a, videos(), stable_options());
    const std::vector<std::size_t> test = check_top_reports(html, clf, a.seed);
    const std::size_t global = html.find("id=\"chart-mean-abs-contributions\"");
    REQUIRE(global != std::string::npos);
    CHECK_THAT(html, Contains("largest impurity importances"));
    // The mean |contribution| chart: the test split thinned to every k-th row, as its caption
    // says; its largest bar is the mean recomputed here over those rows.
    const std::string caption_re = "([0-9,]+) of the " +
                                   report::svg::format_grouped(double(test.size())) +
                                   " test videos \\(every ([0-9]+)";
    std::smatch m;
    REQUIRE(std::regex_search(html, m, std::regex(caption_re)));
    const std::size_t step = std::stoul(m[2].str());
    std::vector<std::size_t> sampled;
    for (std::size_t i = 0; i < test.size(); i += step) sampled.push_back(test[i]);
    CHECK(m[1].str() == report::svg::format_grouped(double(sampled.size())));
    const ShapValues all = clf.explain(videos().take(sampled));
    double top = 0;
    for (std::size_t j = 0; j < all.num_features; ++j) {
      double sum = 0;
      for (std::size_t r = 0; r < all.rows; ++r) sum += std::fabs(all.at(r, j));
      top = std::max(top, sum / double(all.rows));
    }
    const std::string chart = html.substr(global, html.find("</figure>", global) - global);
    CHECK_THAT(chart, Contains(">" + report::svg::format_fixed(top, 4) + "</text>"));
    CHECK_THAT(html, Contains("largest features of each ranking"));
  }

  SECTION("calibration: the table's numbers, the reliability points, the operating point mark") {
    const Analysis& a = full_analysis();
    REQUIRE(a.calibration.has_value());
    const std::string html = report::render_analysis_report(a, videos(), stable_options());
    check_calibration(html, *a.classifier, *a.calibration, a.seed);
  }

  SECTION("calibration without an operating point: the reason instead, no mark, no zoom") {
    Analysis a = full_analysis();
    a.calibration->operating_point.reset();
    a.calibration->test_point.reset();
    a.calibration->operating_point_error = "the target precision 0.99 cannot be reached <here>";
    const std::string html = report::render_analysis_report(a, videos(), stable_options());
    CHECK(markup_problem(html).empty());
    CHECK_THAT(html, Contains("No threshold reaches the target precision on the validation split: "
                              "the target precision 0.99 cannot be reached &lt;here&gt;"));
    const std::vector<std::string> ids = report::analysis_report_chart_ids(a);
    CHECK(ids.size() == 21);
    CHECK(std::find(ids.begin(), ids.end(), "precision-recall-zoom") == ids.end());
    CHECK(count_of(html, "<figure class=\"chart\"") == ids.size());
    CHECK(claimlens::testing::data_values(html, "mark-x").empty());
    CHECK(html.find("data-precision-test") == std::string::npos);
    const nlohmann::json j = a.to_json()["calibration"]["operating_point"];
    CHECK(j["validation"].is_null());
    CHECK(j["test"].is_null());
    CHECK(j["error"] == "the target precision 0.99 cannot be reached <here>");
  }

  SECTION("same analysis, same bytes; timings only when asked") {
    const Analysis& a = full_analysis();
    const std::string one = report::render_analysis_report(a, videos(), stable_options());
    CHECK(report::render_analysis_report(a, videos(), stable_options()) == one);
    CHECK(one.find("id=\"timings\"") == std::string::npos);
    report::AnalysisReportOptions timed = stable_options();
    timed.include_timings = true;
    CHECK_THAT(report::render_analysis_report(a, videos(), timed), Contains("id=\"timings\""));
  }

  SECTION("written atomically; bad paths and frames refused") {
    const Analysis& a = full_analysis();
    claimlens::testing::TempDir dir;
    const std::string path = dir.file("report.html");
    report::write_analysis_report(path, a, videos(), stable_options());
    CHECK(claimlens::testing::read_text_file(path) ==
          report::render_analysis_report(a, videos(), stable_options()));
    CHECK(dir.entries() == std::vector<std::string>{"report.html"});

    const std::string missing = dir.file("no/such/folder/report.html");
    CHECK_THROWS_AS(report::write_analysis_report(missing, a, videos()), IoError);
    CHECK_THROWS_WITH(report::write_analysis_report(missing, a, videos()), Contains(missing));

    const DataFrame without_views = videos().drop({"video_view_count"});
    CHECK_THROWS_AS(report::render_analysis_report(a, without_views), SchemaError);
    CHECK_THROWS_WITH(report::write_analysis_report(dir.file("partial.html"), a, without_views),
                      Contains("video_view_count"));
    CHECK(!std::filesystem::exists(dir.file("partial.html")));
  }

  SECTION("written where CLAIMLENS_REPORT_OUT says, for the browser check") {
    const char* out = std::getenv("CLAIMLENS_REPORT_OUT");
    if (out == nullptr) return;
    report::AnalysisReportOptions options;
    options.data_name = "tiktok_dataset.csv";
    report::write_analysis_report(out, full_analysis(), videos(), options);
    // The chart ids, one per line, beside the report: what the browser check must find.
    std::string ids;
    for (const auto& id : report::analysis_report_chart_ids(full_analysis())) ids += id + "\n";
    io::atomic_write_file(std::string(out) + ".charts", ids);
  }
}
TEST_CASE("analysis report: without a classifier, no classifier section", "[report]") {
  AnalysisOptions options;
  options.train_classifier = false;
  const Analysis a = run_analysis(videos(), options);
  const std::vector<std::string> ids = report::analysis_report_chart_ids(a);
  CHECK(ids.size() == 9);
  const std::string html = report::render_analysis_report(a, videos(), stable_options());
  CHECK(markup_problem(html).empty());
  CHECK(count_of(html, "<figure class=\"chart\"") == ids.size());
  CHECK(html.find("id=\"classifier\"") == std::string::npos);
  CHECK(html.find("chart-test-confusion") == std::string::npos);
}

TEST_CASE("analysis report: a boosting champion's waterfalls are on the margin scale", "[report]") {
  AnalysisOptions options;
  options.train_classifier = false;
  Analysis a = run_analysis(videos(), options);
  ClaimClassifierOptions gb;
  gb.algorithm = ClaimClassifierOptions::Algorithm::GradientBoosting;
  gb.seed_grid = false;
  gb.random_state = a.seed;
  a.classifier = ClaimClassifier::train(videos(), gb);
  REQUIRE(a.classifier->model().explanation_scale() == ShapScale::Margin);
  const std::string html = report::render_analysis_report(a, videos(), stable_options());
  CHECK(markup_problem(html).empty());
  check_top_reports(html, *a.classifier, a.seed);
  CHECK_THAT(html, Contains("Contribution to the margin (log-odds of claim)"));
  CHECK_THAT(html, Contains("Mean |contribution| (log-odds)"));
  const std::vector<std::string> ids = report::analysis_report_chart_ids(a);
  CHECK(count_of(html, "<figure class=\"chart\"") == ids.size());
}
