// The analysis report page: stylesheet, summary header, the step sections in order, and the
// atomic write.
#include "claimlens/report/analysis_report.hpp"

#include <cctype>
#include <string>
#include <vector>

#include "analysis_report_internal.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "claimlens/version.hpp"

namespace claimlens::report {
namespace detail {
namespace {

// System fonts only: nothing is fetched, and the page looks native on every platform.
constexpr const char* kStyle = R"css(
:root{--ink:#1f2933;--muted:#52606d;--line:#e4e7eb;--bg:#f3f5f8;--card:#ffffff;--accent:#0072b2;
--claim:#d55e00;--opinion:#0072b2;--good:#137a4b;--warn:#a35200}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);
font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header.hero{background:linear-gradient(135deg,#102a43 0%,#243b53 60%,#334e68 100%);color:#fff;
padding:36px 0 30px}
.wrap{max-width:1240px;margin:0 auto;padding:0 28px}
header.hero h1{margin:0 0 6px;font-size:30px;line-height:1.2;font-weight:700;letter-spacing:-.01em}
header.hero .sub{margin:0;color:#bcccdc;font-size:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));gap:14px;margin-top:24px}
.card{background:rgba(255,255,255,.08);border:1px solid rgba(255,255,255,.16);border-radius:10px;
padding:14px 16px}
.card .label{font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:#bcccdc}
.card .value{font-size:26px;font-weight:700;margin-top:2px;font-variant-numeric:tabular-nums}
.card .detail{font-size:13px;color:#d9e2ec}
.card.good .value{color:#8ee4af}
.card.warn .value{color:#ffd29d}
nav.toc{background:#fff;border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
nav.toc ol{list-style:none;margin:0;padding:10px 0;display:flex;flex-wrap:wrap;gap:6px 22px;
font-size:14px}
nav.toc a{color:var(--muted);text-decoration:none}
nav.toc a:hover{color:var(--accent)}
main{padding:8px 0 40px}
section.step{background:var(--card);border:1px solid var(--line);border-radius:12px;
margin:24px 0;padding:24px 28px;box-shadow:0 1px 2px rgba(16,42,67,.05)}
section.step h2{margin:0 0 4px;font-size:22px;line-height:1.3}
section.step h2 .num{display:inline-block;min-width:30px;height:30px;border-radius:15px;
background:var(--accent);color:#fff;text-align:center;font-size:16px;line-height:30px;
margin-right:10px;vertical-align:2px}
section.step h3{font-size:16px;margin:26px 0 8px;color:var(--ink)}
p.intro{color:var(--muted);margin:4px 0 12px;max-width:900px}
p.finding{background:#f0f4f8;border-left:4px solid var(--accent);padding:10px 14px;
border-radius:0 8px 8px 0;margin:14px 0}
.tables{display:flex;flex-wrap:wrap;gap:18px 28px;align-items:flex-start}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:13.5px;margin:6px 0}
caption{caption-side:top;text-align:left;font-weight:600;padding:0 0 6px;color:var(--ink)}
th,td{padding:6px 12px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#f5f7fa;color:var(--muted);font-weight:600;font-size:12.5px;
border-bottom:2px solid #d9e2ec;white-space:nowrap}
tbody tr:nth-child(even){background:#fafbfc}
tbody tr:hover{background:#eef4fb}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td code,p code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
background:#f0f4f8;padding:1px 5px;border-radius:4px}
.pill{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;font-weight:600}
.pill.yes{background:#e3f9e5;color:var(--good)}
.pill.no{background:#fff3e0;color:var(--warn)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:18px;
margin:14px 0}
.charts.small{grid-template-columns:repeat(auto-fit,minmax(300px,1fr))}
figure.chart{margin:0;background:#fff;border:1px solid var(--line);border-radius:10px;
padding:10px 10px 8px;display:flex;flex-direction:column;align-items:center}
figure.chart svg{display:block;max-width:100%;height:auto}
figure.chart figcaption{font-size:12.5px;color:var(--muted);padding:6px 6px 0;align-self:stretch}
pre.info{background:#f5f7fa;border:1px solid var(--line);border-radius:8px;padding:12px;
font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-x:auto}
details summary{cursor:pointer;color:var(--accent);margin:10px 0}
footer{color:var(--muted);font-size:13px;text-align:center;padding:10px 0 40px}
@media (max-width:700px){.charts{grid-template-columns:1fr}.wrap{padding:0 14px}
section.step{padding:18px 16px}}
@media print{nav.toc{display:none}section.step{break-inside:avoid-page;box-shadow:none}}
)css";

std::string hero(const Analysis& a, const AnalysisReportOptions& options) {
  const Inspection& in = a.inspection;
  std::string sub;
  if (!options.data_name.empty()) sub += esc(options.data_name) + " \xC2\xB7 ";
  sub += count(double(in.rows)) + " rows \xC2\xB7 " + count(double(in.columns)) +
         " columns \xC2\xB7 seed " + std::to_string(a.seed) + " \xC2\xB7 claimlens " +
         esc(version_string());
  std::string cards;
  cards += card("Videos", count(double(in.rows)),
                count(double(in.rows_after_dropna)) + " complete rows");
  const ValueCounts& balance = in.claim_balance;
  double claims = 0, total = 0;
  for (std::size_t i = 0; i < balance.values.size(); ++i) {
    total += double(balance.counts[i]);
    if (balance.values[i] == "claim") claims = double(balance.counts[i]);
  }
  cards += card("Claims", percent(claims, total),
                count(claims) + " of " + count(total) + " labelled videos");
  const HypothesisTest& h = a.hypothesis_test;
  cards += card("Views by verified status", "t = " + svg::format_fixed(h.t, 2),
                "Welch, p = " + svg::format_p_value(h.p_value) +
                    (h.reject_null ? " \xE2\x86\x92 means differ" : " \xE2\x86\x92 no difference"),
                h.reject_null ? "good" : "warn");
  const nlohmann::json& lt = a.logistic_regression.result.test;
  if (lt.contains("accuracy")) {
    cards += card("Verified-status logit", "acc " + metric(lt["accuracy"].get<double>()),
                  "recall " + metric(lt.value("recall", 0.0)) + " on the test split");
  }
  if (a.classifier) {
    const nlohmann::json& test = a.classifier->report()["test"];
    std::string champion = model_display_name(a.classifier->champion());
    champion[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(champion[0])));
    cards += card("Claim classifier recall", metric(test["recall"].get<double>()),
                  champion + ", test split", "good");
  }
  if (options.include_timings) {
    cards += card("Analysis time", svg::format_fixed(a.total_seconds, 1) + " s",
                  std::to_string(a.timings.size()) + " steps");
  }
  return "<header class=\"hero\"><div class=\"wrap\"><h1>" + esc(options.title) +
         "</h1><p class=\"sub\">" + sub + "</p><div class=\"cards\">" + cards +
         "</div></div></header>";
}

std::string toc(bool classifier, bool calibration) {
  std::string out = "<nav class=\"toc\"><div class=\"wrap\"><ol>";
  out +=
      "<li><a href=\"#inspect\">1 Inspect</a></li><li><a href=\"#eda\">2 Explore</a></li>"
      "<li><a href=\"#hypothesis\">3 Hypothesis test</a></li>"
      "<li><a href=\"#logistic\">4 Logistic regression</a></li>";
  if (classifier) {
    out +=
        "<li><a href=\"#classifier\">5 Claim classifier</a></li>"
        "<li><a href=\"#explanations\">6 Why flagged</a></li>";
  }
  if (calibration) out += "<li><a href=\"#calibration\">7 Calibration</a></li>";
  return out + "</ol></div></nav>";
}

std::string timings_table(const Analysis& a) {
  Table t;
  t.caption = "Time per step (wall clock)";
  t.header = {"Step", "Seconds"};
  t.numeric = {false, true};
  for (const StepTiming& s : a.timings) t.rows.push_back({s.step, svg::format_fixed(s.seconds, 2)});
  t.rows.push_back({"total", svg::format_fixed(a.total_seconds, 2)});
  return "<div class=\"wrap\"><section class=\"step\" id=\"timings\"><h2>Run</h2>" +
         render_table(t) + "</section></div>";
}

}  // namespace

std::string render_table(const Table& table) {
  std::string out = "<div class=\"scroll\"><table";
  if (!table.css_class.empty()) out += " class=\"" + esc(table.css_class) + "\"";
  out += ">";
  if (!table.caption.empty()) out += "<caption>" + esc(table.caption) + "</caption>";
  auto cls = [&](std::size_t c) {
    return c < table.numeric.size() && table.numeric[c] ? std::string(" class=\"n\"")
                                                        : std::string();
  };
  out += "<thead><tr>";
  for (std::size_t c = 0; c < table.header.size(); ++c) {
    out += "<th" + cls(c) + " scope=\"col\">" + esc(table.header[c]) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += "<td" + cls(c) + ">" + (table.html_cells ? row[c] : esc(row[c])) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table></div>";
}

std::string card(std::string_view label, std::string_view value, std::string_view detail,
                 std::string_view tone) {
  std::string out = "<div class=\"card";
  if (!tone.empty()) out += " " + esc(tone);
  out += "\"><div class=\"label\">" + esc(label) + "</div><div class=\"value\">" + esc(value) +
         "</div>";
  if (!detail.empty()) out += "<div class=\"detail\">" + esc(detail) + "</div>";
  return out + "</div>";
}

std::string section(std::string_view id, int number, std::string_view title,
                    std::string_view intro_html, std::string_view body) {
  return "<section class=\"step\" id=\"" + esc(id) + "\"><h2><span class=\"num\">" +
         std::to_string(number) + "</span>" + esc(title) + "</h2><p class=\"intro\">" +
         std::string(intro_html) + "</p>" + std::string(body) + "</section>";
}

std::string chart_grid(const std::vector<std::string>& figures, std::string_view css_class) {
  std::string out = "<div class=\"charts";
  if (!css_class.empty()) out += " " + esc(css_class);
  out += "\">";
  for (const auto& f : figures) out += f;
  return out + "</div>";
}

ByClaim values_by_claim(const DataFrame& complete, const std::string& column) {
  const Column& status = complete.column("claim_status");
  const Column& values = complete.column(column);
  if (status.dtype() != DType::String) {
    throw SchemaError("analysis report: column \"claim_status\" must hold strings, got " +
                      std::string(dtype_name(status.dtype())));
  }
  ByClaim out;
  for (std::size_t r = 0; r < complete.num_rows(); ++r) {
    if (status.is_null(r) || values.is_null(r)) continue;
    const std::string_view s = status.string_at(r);
    if (s == "claim") out.claim.push_back(values.as_double(r));
    if (s == "opinion") out.opinion.push_back(values.as_double(r));
  }
  return out;
}

}  // namespace detail

std::vector<std::string> analysis_report_chart_ids(const Analysis& analysis) {
  std::vector<std::string> ids = {"views-histogram", "likes-histogram", "shares-histogram",
                                  "views-box",       "likes-box",       "shares-box",
                                  "ban-by-claim",    "correlation",     "logit-coefficients"};
  for (auto& id : detail::classifier_chart_ids(analysis)) ids.push_back(std::move(id));
  for (auto& id : detail::explanation_chart_ids(analysis)) ids.push_back(std::move(id));
  for (auto& id : detail::calibration_chart_ids(analysis)) ids.push_back(std::move(id));
  return ids;
}

std::string render_analysis_report(const Analysis& analysis, const DataFrame& videos,
                                   const AnalysisReportOptions& options) {
  using namespace detail;
  const DataFrame complete = videos.dropna();
  std::string body;
  body += inspect_section(analysis);
  body += eda_section(analysis, complete);
  body += hypothesis_section(analysis);
  body += logistic_section(analysis);
  if (analysis.classifier) {
    body += classifier_section(analysis);
    body += explanation_section(analysis, videos);
  }
  if (analysis.calibration) body += calibration_section(analysis);

  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"generator\" content=\"claimlens ";
  html += esc(version_string());
  html += "\"><title>" + esc(options.title) + "</title><style>" + kStyle + "</style></head><body>";
  html += hero(analysis, options);
  html += toc(analysis.classifier.has_value(), analysis.calibration.has_value());
  html += "<main><div class=\"wrap\">" + body + "</div>";
  if (options.include_timings) html += timings_table(analysis);
  html += "</main><footer>Generated by claimlens " + esc(version_string()) +
          " \xC2\xB7 every chart is inline SVG drawn from the data; this page loads nothing "
          "else.</footer></body></html>\n";
  return html;
}

void write_analysis_report(const std::string& path, const Analysis& analysis,
                           const DataFrame& videos, const AnalysisReportOptions& options) {
  const std::string html = render_analysis_report(analysis, videos, options);
  io::atomic_write_file(path, html);
}

}  // namespace claimlens::report
