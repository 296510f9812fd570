// Report sections 1-4: inspection, exploratory analysis, the hypothesis test and the logistic
// regression of verified status.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analysis_report_internal.hpp"
#include "claimlens/error.hpp"

namespace claimlens::report::detail {
namespace {

const char* kClaimColor = "#d55e00";
const char* kOpinionColor = "#0072b2";

// "video_view_count" -> "views": the engagement columns by their everyday names.
std::string plain_name(const std::string& column) {
  static const std::vector<std::pair<std::string, std::string>> kNames = {
      {"video_view_count", "views"},
      {"video_like_count", "likes"},
      {"video_share_count", "shares"},
      {"video_download_count", "downloads"},
      {"video_comment_count", "comments"},
      {"video_duration_sec", "duration (s)"},
      {"text_length", "transcript length (chars)"}};
  for (const auto& [col, name] : kNames) {
    if (col == column) return name;
  }
  return column;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

// Digits for a column of values up to `largest`: ratios get 4, small counts 2, large ones 1.
int decimals_for(double largest) {
  return largest < 1 ? 4 : largest < 100 ? 2 : 1;
}

std::string value_counts_table(const ValueCounts& vc, const std::string& caption) {
  Table t;
  t.caption = caption;
  t.header = {vc.name, "Videos", "Share"};
  t.numeric = {false, true, true};
  double total = 0;
  for (std::size_t c : vc.counts) total += double(c);
  for (std::size_t i = 0; i < vc.values.size(); ++i) {
    t.rows.push_back(
        {vc.values[i], count(double(vc.counts[i])), percent(double(vc.counts[i]), total)});
  }
  return render_table(t);
}

// Rows = the summary's columns; per group a mean and a median column; first row = group sizes.
std::string group_table(const GroupSummary& g, const std::string& caption) {
  Table t;
  t.caption = caption;
  t.header = {"Measure"};
  t.numeric = {false};
  std::vector<std::string> sizes = {"videos"};
  for (std::size_t k = 0; k < g.groups.size(); ++k) {
    std::string name;
    for (const auto& part : g.groups[k]) name += (name.empty() ? "" : " / ") + part;
    t.header.push_back(name + " mean");
    t.header.push_back(name + " median");
    t.numeric.push_back(true);
    t.numeric.push_back(true);
    sizes.push_back(count(double(g.sizes[k])));
    sizes.push_back("");
  }
  t.rows.push_back(sizes);
  for (std::size_t c = 0; c < g.columns.size(); ++c) {
    std::vector<std::string> row = {plain_name(g.columns[c])};
    const auto col = static_cast<Eigen::Index>(c);
    const int decimals = decimals_for(g.mean.col(col).cwiseAbs().maxCoeff());
    for (std::size_t k = 0; k < g.groups.size(); ++k) {
      const auto r = static_cast<Eigen::Index>(k);
      row.push_back(num(g.mean(r, col), decimals));
      row.push_back(num(g.median(r, col), decimals));
    }
    t.rows.push_back(row);
  }
  return render_table(t);
}

// Groups as rows (for summaries with many groups): keys, size, then each column's mean.
std::string group_rows_table(const GroupSummary& g, const std::string& caption, bool medians) {
  Table t;
  t.caption = caption;
  for (const auto& k : g.keys) t.header.push_back(k);
  t.header.push_back("videos");
  t.numeric.assign(g.keys.size(), false);
  t.numeric.push_back(true);
  for (const auto& c : g.columns) {
    t.header.push_back(plain_name(c) + " mean");
    t.numeric.push_back(true);
    if (medians) {
      t.header.push_back(plain_name(c) + " median");
      t.numeric.push_back(true);
    }
  }
  for (std::size_t k = 0; k < g.groups.size(); ++k) {
    std::vector<std::string> row = g.groups[k];
    row.push_back(count(double(g.sizes[k])));
    for (std::size_t c = 0; c < g.columns.size(); ++c) {
      const auto r = static_cast<Eigen::Index>(k), col = static_cast<Eigen::Index>(c);
      const int decimals = decimals_for(g.mean.col(col).cwiseAbs().maxCoeff());
      row.push_back(num(g.mean(r, col), decimals));
      if (medians) row.push_back(num(g.median(r, col), decimals));
    }
    t.rows.push_back(row);
  }
  return render_table(t);
}

std::string describe_table(const Description& d) {
  Table t;
  t.caption = "describe(): the numeric columns";
  t.header = {""};
  t.numeric = {false};
  for (const auto& c : d.columns) {
    t.header.push_back(c.name);
    t.numeric.push_back(true);
  }
  for (std::size_t s = 0; s < Description::kStatNames.size(); ++s) {
    std::vector<std::string> row = {Description::kStatNames[s]};
    for (const auto& c : d.columns) row.push_back(num(c.values()[s], s == 0 ? 0 : 2));
    t.rows.push_back(row);
  }
  return render_table(t);
}

std::string columns_table(const Inspection& in) {
  Table t;
  t.caption = "Columns";
  t.header = {"Column", "dtype", "Non-null", "Null"};
  t.numeric = {false, false, true, true};
  for (std::size_t c = 0; c < in.column_names.size(); ++c) {
    const std::size_t nulls = c < in.null_counts.size() ? in.null_counts[c] : 0;
    t.rows.push_back({in.column_names[c], c < in.dtypes.size() ? in.dtypes[c] : "",
                      count(double(in.rows - nulls)), count(double(nulls))});
  }
  return render_table(t);
}

std::string histogram_of(const DataFrame& complete, const std::string& column,
                         const std::string& id) {
  const ByClaim v = values_by_claim(complete, column);
  svg::HistogramSpec h;
  h.id = id;
  h.title = "Distribution of " + plain_name(column) + " by claim status";
  h.caption = capitalised(plain_name(column)) +
              " per video, claims and opinions overlaid (complete rows). Bins are even on the "
              "log axis, so each bar spans the same ratio of values.";
  h.x_title = capitalised(plain_name(column)) + " per video (count)";
  h.series = {{"claim", v.claim, kClaimColor}, {"opinion", v.opinion, kOpinionColor}};
  h.width = 600;
  h.height = 340;
  h.bins = 40;
  return svg::histogram(h);
}

std::string box_of(const DataFrame& complete, const std::string& column, const std::string& id) {
  const ByClaim v = values_by_claim(complete, column);
  svg::BoxPlotSpec b;
  b.id = id;
  b.title = capitalised(plain_name(column)) + " by claim status";
  b.caption = "Quartiles, median and mean of " + plain_name(column) +
              " per video for claims and opinions (complete rows).";
  b.x_title = "Claim status";
  b.y_title = capitalised(plain_name(column)) + " (count)";
  b.series = {{"claim", v.claim, kClaimColor}, {"opinion", v.opinion, kOpinionColor}};
  b.width = 600;
  b.height = 360;
  return svg::box_plot(b);
}

std::string ban_chart(const Eda& eda) {
  const stats::ContingencyTable& t = eda.ban_by_claim;
  svg::GroupedBarSpec g;
  g.id = "ban-by-claim";
  g.title = "Author ban status by claim status";
  g.caption =
      "Videos per author ban status, split by claim status (complete rows). "
      "Chi-square test of independence: \xCF\x87\xC2\xB2 = " +
      svg::format_fixed(eda.ban_by_claim_chi2.statistic, 2) +
      ", dof = " + std::to_string(eda.ban_by_claim_chi2.dof) +
      ", p = " + svg::format_p_value(eda.ban_by_claim_chi2.p_value) + ".";
  g.x_title = "Author ban status";
  g.y_title = "Videos";
  // Logical order (active, under review, banned) when the data has exactly those statuses.
  std::vector<std::size_t> order;
  for (const char* s : {"active", "under review", "banned"}) {
    for (std::size_t r = 0; r < t.row_labels.size(); ++r) {
      if (t.row_labels[r] == s) order.push_back(r);
    }
  }
  if (order.size() != t.row_labels.size()) {
    order.clear();
    for (std::size_t r = 0; r < t.row_labels.size(); ++r) order.push_back(r);
  }
  for (std::size_t r : order) g.categories.push_back(t.row_labels[r]);
  for (std::size_t c = 0; c < t.col_labels.size(); ++c) {
    svg::Series s;
    s.name = t.col_labels[c];
    s.color = s.name == "claim" ? kClaimColor : s.name == "opinion" ? kOpinionColor : "";
    for (std::size_t r : order) {
      s.values.push_back(t.counts(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)));
    }
    g.series.push_back(std::move(s));
  }
  g.width = 600;
  g.height = 340;
  return svg::grouped_bars(g);
}

std::string correlation_chart(const Eda& eda) {
  svg::HeatmapSpec h;
  h.id = "correlation";
  h.title = "Correlation between the numeric columns";
  h.caption =
      "Pearson correlation of every pair of numeric columns (complete rows); "
      "red is positive, blue negative.";
  h.legend_title = "Pearson r";
  for (const auto& c : eda.correlation.columns) h.row_labels.push_back(c);
  h.col_labels = h.row_labels;
  h.values = eda.correlation.values;
  h.width = 700;
  h.height = 300;
  return svg::heatmap(h);
}

std::string outliers_table(const Eda& eda) {
  Table t;
  t.caption = "Outliers per count column";
  t.header = {"Column",       "Q1",    "Median",           "Q3",   "IQR",
              "Q3 + 1.5 IQR", "Above", "Median + 1.5 IQR", "Above"};
  t.numeric = {false, true, true, true, true, true, true, true, true};
  for (const OutlierSummary& o : eda.outliers) {
    t.rows.push_back({plain_name(o.column), num(o.q1, 1), num(o.median, 1), num(o.q3, 1),
                      num(o.iqr, 1), num(o.upper_fence, 1), count(double(o.above_upper_fence)),
                      num(o.median_threshold, 1), count(double(o.above_median_threshold))});
  }
  return render_table(t);
}

}  // namespace

std::string inspect_section(const Analysis& a) {
  const Inspection& in = a.inspection;
  std::string body = "<div class=\"tables\">" + columns_table(in) + "<div>" +
                     value_counts_table(in.claim_balance, "Class balance: claim_status") +
                     value_counts_table(in.verified_balance, "verified_status") +
                     value_counts_table(in.ban_balance, "author_ban_status") + "</div></div>";
  body += describe_table(in.describe);
  body += "<details><summary>df.info()</summary><pre class=\"info\">" + esc(in.info) +
          "</pre></details>";
  const std::string intro =
      count(double(in.rows)) + " rows and " + count(double(in.columns)) + " columns; " +
      count(double(in.rows_after_dropna)) + " rows have no missing cell (" +
      count(double(in.rows - in.rows_after_dropna)) + " dropped by the later steps); " +
      count(double(in.duplicate_rows)) + " duplicate rows.";
  return section("inspect", 1, "Inspect the data", esc(intro), body);
}

std::string eda_section(const Analysis& a, const DataFrame& complete) {
  const Eda& eda = a.eda;
  std::string body = "<h3>Engagement by claim status</h3>";
  body += chart_grid({histogram_of(complete, "video_view_count", "views-histogram"),
                      histogram_of(complete, "video_like_count", "likes-histogram"),
                      histogram_of(complete, "video_share_count", "shares-histogram")});
  body += chart_grid({box_of(complete, "video_view_count", "views-box"),
                      box_of(complete, "video_like_count", "likes-box"),
                      box_of(complete, "video_share_count", "shares-box")});
  body += group_table(eda.by_claim_status, "Mean and median engagement by claim status");
  body += "<h3>Verified and banned authors</h3><div class=\"tables\">" +
          group_table(eda.by_verified_status, "By verified status") + "</div>";
  body += group_table(eda.by_author_ban_status, "By author ban status");
  body += chart_grid({ban_chart(eda)});
  body += group_rows_table(eda.by_claim_and_ban, "By claim status and author ban status", false);
  body += group_rows_table(eda.engagement_per_view,
                           "Engagement per view by claim status and author ban status", true);
  body += "<h3>Outliers, text length and correlations</h3>";
  body += outliers_table(eda);
  body += group_table(eda.text_length_by_claim, "Transcript length by claim status");
  body += chart_grid({correlation_chart(eda)});
  const std::string intro =
      "Claims draw far more engagement than opinions: the distributions below sit decades "
      "apart, hence the log axes. Tables are computed on the " +
      count(double(a.inspection.rows_after_dropna)) + " complete rows.";
  return section("eda", 2, "Explore", esc(intro), body);
}

std::string hypothesis_section(const Analysis& a) {
  const HypothesisTest& h = a.hypothesis_test;
  Table t;
  t.caption = "Welch's t-test of " + h.value_column + " by " + h.group_column;
  t.header = {"Group", "Videos", "Mean views"};
  t.numeric = {false, true, true};
  t.rows = {{h.group_a, count(double(h.n_a)), num(h.mean_a, 2)},
            {h.group_b, count(double(h.n_b)), num(h.mean_b, 2)}};
  Table r;
  r.caption = "Result";
  r.header = {"Statistic", "Value"};
  r.numeric = {false, true};
  r.html_cells = true;
  r.rows = {{"t", esc(svg::format_fixed(h.t, 4))},
            {"degrees of freedom", esc(svg::format_fixed(h.df, 2))},
            {"p-value", esc(svg::format_p_value(h.p_value))},
            {"\xCE\xB1", esc(svg::format_fixed(h.alpha, 2))},
            {"decision", h.reject_null ? "<span class=\"pill yes\">reject H\xE2\x82\x80</span>"
                                       : "<span class=\"pill no\">keep H\xE2\x82\x80</span>"}};
  const std::string finding =
      std::string(h.reject_null ? "The mean view counts of "
                                : "No evidence that the mean view counts of ") +
      "\xE2\x80\x9C" + h.group_a + "\xE2\x80\x9D and \xE2\x80\x9C" + h.group_b +
      "\xE2\x80\x9D videos differ" + " (t = " + svg::format_fixed(h.t, 4) +
      ", p = " + svg::format_p_value(h.p_value) + ", \xCE\xB1 = " + svg::format_fixed(h.alpha, 2) +
      ").";
  const std::string body = "<div class=\"tables\">" + render_table(t) + render_table(r) +
                           "</div><p class=\"finding\">" + esc(finding) + "</p>";
  const std::string intro =
      "H\xE2\x82\x80: verified and not verified accounts get the same mean "
      "views. Welch's test does not assume equal variances.";
  return section("hypothesis", 3, "Hypothesis test", esc(intro), body);
}

}  // namespace claimlens::report::detail
