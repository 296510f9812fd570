// Report section 6, "Why the top reports were flagged": exact per-prediction explanations of the
// claim classifier's champion (docs/explanations.md). A waterfall per top-priority test video,
// contributions summed per input column, and the mean |contribution| per feature over the test
// split beside the impurity importances.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numeric>
#include <string>
#include <vector>

#include "analysis_report_internal.hpp"
#include "claimlens/error.hpp"

namespace claimlens::report::detail {
namespace {

constexpr std::size_t kTopReports = 3;  // waterfalls drawn
constexpr std::size_t kTopGroups = 8;   // input columns shown per waterfall, the rest "other"
constexpr std::size_t kGlobalBars = 15;
constexpr std::size_t kCompared = 5;  // top features compared between the two rankings
// Rows explained for the global chart: at most this many, a larger test split thinned to every
// k-th row. Explaining all 3,817 test rows of the seed's data with its 200-tree forest (8,000+
// leaves up to 26 deep) took 2.4 s on the 2-core CI machine under load; every 4th row (955) a
// quarter of that, and a mean over 955 rows ranks the features as well.
constexpr std::size_t kGlobalRows = 1000;

std::size_t reports_shown(const Analysis& a) {
  const nlohmann::json& report = a.classifier->report();
  const std::size_t test = report.contains("split") ? report["split"].value("test", 0u) : 0u;
  return std::min(kTopReports, test);
}

bool is_probability(ShapScale scale) {
  return scale == ShapScale::Probability;
}

// What the contributions add up to, for a sentence ("contribution to ...") and for an axis.
std::string scale_text(ShapScale scale) {
  return is_probability(scale) ? "P(claim)" : "the margin (log-odds of claim)";
}
std::string scale_unit(ShapScale scale) {
  return is_probability(scale) ? "P(claim)" : "log-odds";
}

// Per input column, the sum of its features' contributions (the featurizer's groups, first
// appearance order).
struct Grouped {
  std::vector<std::string> names;
  std::vector<double> values;
  bool has_other = false;  // the last entry sums the smallest groups
};
Grouped group_row(const ShapValues& shap, std::size_t row, const std::vector<std::string>& of) {
  Grouped g;
  for (std::size_t j = 0; j < shap.num_features; ++j) {
    const auto it = std::find(g.names.begin(), g.names.end(), of[j]);
    if (it == g.names.end()) {
      g.names.push_back(of[j]);
      g.values.push_back(shap.at(row, j));
    } else {
      g.values[static_cast<std::size_t>(it - g.names.begin())] += shap.at(row, j);
    }
  }
  return g;
}

// The kTopGroups largest groups by |contribution| (ties in column order), the rest as "other"
// (all of them when one more would fit in the place of "other").
Grouped top_groups(const Grouped& g) {
  std::vector<std::size_t> order(g.names.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::fabs(g.values[a]) > std::fabs(g.values[b]);
  });
  std::size_t kept = kTopGroups;
  if (order.size() <= kTopGroups + 1) kept = order.size();
  Grouped out;
  double rest = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i < kept) {
      out.names.push_back(g.names[order[i]]);
      out.values.push_back(g.values[order[i]]);
    } else {
      rest += g.values[order[i]];
    }
  }
  if (order.size() > kept) {
    const std::size_t others = order.size() - kept;
    out.names.push_back("other (" + std::to_string(others) + " column" + (others > 1 ? "s" : "") +
                        ")");
    out.values.push_back(rest);
    out.has_other = true;
  }
  return out;
}

std::string video_label(const DataFrame& videos, std::size_t row) {
  if (videos.has_column("video_id") && !videos.column("video_id").is_null(row)) {
    return "video " + svg::format_fixed(videos.column("video_id").as_double(row), 0);
  }
  return "row " + std::to_string(row + 1);
}

struct Flagged {
  std::vector<std::size_t> rows;  // in `videos`, review order
  std::vector<double> proba;
  ShapValues shap;
};

// The kTopReports test videos triage would review first, explained.
Flagged top_flagged(const Analysis& a, const DataFrame& videos,
                    const std::vector<std::size_t>& test) {
  const ClaimClassifier& clf = *a.classifier;
  const DataFrame test_frame = videos.take(test);
  const std::vector<std::size_t> order = clf.triage(test_frame);
  Flagged f;
  for (std::size_t i = 0; i < std::min(reports_shown(a), order.size()); ++i) {
    f.rows.push_back(test[order[i]]);
  }
  const DataFrame top = videos.take(f.rows);
  f.proba = clf.predict_proba(top);
  f.shap = clf.explain(top);
  return f;
}

std::string waterfall_of(const Analysis& a, const DataFrame& videos, const Flagged& f,
                         std::size_t k) {
  const ClaimClassifier& clf = *a.classifier;
  const ShapValues& s = f.shap;
  const Grouped g = top_groups(group_row(s, k, clf.featurizer().feature_groups()));
  const std::string who = video_label(videos, f.rows[k]);
  const std::string status = videos.column("claim_status").is_null(f.rows[k])
                                 ? std::string("unlabelled")
                                 : std::string(videos.column("claim_status").string_at(f.rows[k]));
  svg::WaterfallSpec w;
  w.id = "why-" + std::to_string(k + 1);
  w.title = "#" + std::to_string(k + 1) + ": " + who + ", P(claim) = " + metric(f.proba[k]);
  w.base = s.at(k, s.num_features);
  w.base_label = "expected value";
  w.labels = g.names;
  w.values = g.values;
  w.total_label = is_probability(s.scale) ? "P(claim)" : "margin";
  w.value_title = "Contribution to " + scale_text(s.scale);
  w.width = 620;
  w.height = 120;  // grows with the rows
  w.value_decimals = is_probability(s.scale) ? 3 : 2;
  w.caption = "Why " + who + " (labelled " + status + ", " +
              count(videos.column("video_view_count").as_double(f.rows[k])) +
              " views) was flagged: from the " + model_display_name(clf.champion()) +
              "\xE2\x80\x99s expected value " + svg::format_fixed(w.base, 4) + " to its output " +
              svg::format_fixed(s.output[k], 4) + " on the scale of " + scale_text(s.scale) +
              ", one bar per input column (n-grams and text length summed under "
              "video_transcription_text)" +
              (g.has_other ? ", the smallest columns summed as \xE2\x80\x9Cother\xE2\x80\x9D"
                           : std::string()) +
              ".";
  return svg::waterfall(w);
}

// The global chart explains every global_step-th test row: all of them up to kGlobalRows.
std::size_t global_step(std::size_t test_rows) {
  return std::max<std::size_t>(1, (test_rows + kGlobalRows - 1) / kGlobalRows);
}

// "2nd", "3rd", "4th", "11th", "22nd".
std::string ordinal(std::size_t k) {
  const char* suffix = "th";
  if (k % 100 < 11 || k % 100 > 13) {
    if (k % 10 == 1) suffix = "st";
    if (k % 10 == 2) suffix = "nd";
    if (k % 10 == 3) suffix = "rd";
  }
  return std::to_string(k) + suffix;
}

std::vector<std::size_t> largest(const std::vector<double>& v, std::size_t k) {
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return v[a] > v[b]; });
  order.resize(std::min(k, order.size()));
  return order;
}

std::string quoted_list(const std::vector<std::string>& names, const std::vector<std::size_t>& ix) {
  std::string out;
  for (std::size_t i = 0; i < ix.size(); ++i) {
    if (i > 0) out += i + 1 == ix.size() ? " and " : ", ";
    out += "<code>" + esc(names[ix[i]]) + "</code>";
  }
  return out;
}

// One sentence comparing the top features of the two rankings, from the numbers.
std::string comparison_sentence(const std::vector<std::string>& names,
                                const std::vector<double>& mean_abs,
                                const std::vector<double>& impurity) {
  const std::vector<std::size_t> a = largest(mean_abs, kCompared), b = largest(impurity, kCompared);
  std::vector<std::size_t> shared, only_a, only_b;
  for (std::size_t i : a)
    (std::find(b.begin(), b.end(), i) != b.end() ? shared : only_a).push_back(i);
  for (std::size_t i : b) {
    if (std::find(a.begin(), a.end(), i) == a.end()) only_b.push_back(i);
  }
  std::string out = std::to_string(shared.size()) + " of the " + std::to_string(a.size()) +
                    " largest features by mean |contribution| are also among the " +
                    std::to_string(b.size()) + " largest impurity importances";
  if (!shared.empty()) out += " (" + quoted_list(names, shared) + ")";
  out += a.front() == b.front() ? "; both rank " + quoted_list(names, {a.front()}) + " first"
                                : "; mean |contribution| ranks " + quoted_list(names, {a.front()}) +
                                      " first, impurity " + quoted_list(names, {b.front()});
  if (!only_a.empty()) {
    out += ", and only the explanations put " + quoted_list(names, only_a) + " in their top " +
           std::to_string(a.size());
  }
  return out + ".";
}

// The kCompared largest features of each ranking side by side.
std::string rank_table(const std::vector<std::string>& names, const std::vector<double>& mean_abs,
                       const std::vector<double>& impurity) {
  const std::vector<std::size_t> a = largest(mean_abs, kCompared), b = largest(impurity, kCompared);
  Table t;
  t.caption = "The " + std::to_string(a.size()) + " largest features of each ranking";
  t.header = {"Rank", "By mean |contribution|", "Mean |contribution|", "By impurity importance",
              "Importance"};
  t.numeric = {true, false, true, false, true};
  for (std::size_t i = 0; i < a.size(); ++i) {
    t.rows.push_back({std::to_string(i + 1), names[a[i]], svg::format_fixed(mean_abs[a[i]], 4),
                      names[b[i]], svg::format_fixed(impurity[b[i]], 4)});
  }
  return render_table(t);
}

std::string global_block(const Analysis& a, const DataFrame& videos,
                         const std::vector<std::size_t>& test) {
  const ClaimClassifier& clf = *a.classifier;
  const std::size_t step = global_step(test.size());
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < test.size(); i += step) rows.push_back(test[i]);
  const ShapValues s = clf.explain(videos.take(rows));
  std::vector<double> mean_abs(s.num_features, 0.0);
  for (std::size_t r = 0; r < s.rows; ++r) {
    for (std::size_t j = 0; j < s.num_features; ++j) mean_abs[j] += std::fabs(s.at(r, j));
  }
  for (double& v : mean_abs) v /= double(std::max<std::size_t>(s.rows, 1));
  const std::vector<std::string> names = clf.featurizer().feature_names();
  svg::BarSpec bars;
  bars.id = "mean-abs-contributions";
  bars.title = "What moves the champion\xE2\x80\x99s outputs: mean |contribution|";
  bars.caption =
      "Mean absolute exact (TreeSHAP) contribution of each feature to " + scale_text(s.scale) +
      " over " +
      (rows.size() == test.size()
           ? "all " + count(double(test.size())) + " test videos"
           : count(double(rows.size())) + " of the " + count(double(test.size())) +
                 " test videos (every " + ordinal(step) + ", to keep the report quick)") +
      ". Unlike impurity importances, these are on the output\xE2\x80\x99s scale and "
      "count only what each feature changes in these predictions.";
  bars.value_title = "Mean |contribution| (" + scale_unit(s.scale) + ")";
  bars.labels = names;
  bars.values = mean_abs;
  bars.max_bars = kGlobalBars;
  bars.width = 900;
  bars.height = 120;
  bars.value_decimals = 4;
  bars.color = "#cc79a7";
  const std::vector<double> impurity = clf.feature_importances();
  return chart_grid({svg::horizontal_bars(bars)}) + rank_table(names, mean_abs, impurity) +
         "<p class=\"finding\">" + comparison_sentence(names, mean_abs, impurity) + "</p>";
}

}  // namespace

std::vector<std::string> explanation_chart_ids(const Analysis& a) {
  std::vector<std::string> ids;
  if (!a.classifier) return ids;
  for (std::size_t k = 0; k < reports_shown(a); ++k) ids.push_back("why-" + std::to_string(k + 1));
  ids.push_back("mean-abs-contributions");
  return ids;
}

std::string explanation_section(const Analysis& a, const DataFrame& videos) {
  const ClaimClassifier& clf = *a.classifier;
  const std::vector<std::size_t> test = claim_classifier_test_rows(videos, a.seed);
  const Flagged f = top_flagged(a, videos, test);
  Table t;
  t.caption = "The first " + std::to_string(f.rows.size()) + " test videos in review order";
  t.header = {"Review rank", "Video",    "Label",
              "Views",       "P(claim)", "Explained output (" + scale_unit(f.shap.scale) + ")"};
  t.numeric = {true, false, false, true, true, true};
  std::vector<std::string> charts;
  for (std::size_t k = 0; k < f.rows.size(); ++k) {
    const std::size_t r = f.rows[k];
    t.rows.push_back({std::to_string(k + 1), video_label(videos, r),
                      std::string(videos.column("claim_status").string_at(r)),
                      count(videos.column("video_view_count").as_double(r)), metric(f.proba[k]),
                      svg::format_fixed(f.shap.output[k], 4)});
    charts.push_back(waterfall_of(a, videos, f, k));
  }
  const std::string scale = shap_scale_name(clf.model().explanation_scale());
  std::string body = render_table(t) + chart_grid(charts);
  body += "<h3>Across the test split</h3>" + global_block(a, videos, test);
  const std::string intro =
      "The " + std::to_string(f.rows.size()) +
      " test-split videos the triage would review first (highest P(claim) \xC3\x97 views, as "
      "<code>claimlens triage</code> ranks them), each prediction taken apart exactly: every "
      "feature\xE2\x80\x99s Shapley value (TreeSHAP) on the champion\xE2\x80\x99s " +
      esc(scale) + " scale" +
      (is_probability(f.shap.scale) ? " (P(claim): the mean of the forest\xE2\x80\x99s trees)"
                                    : " (log-odds: the booster\xE2\x80\x99s margin before the "
                                      "sigmoid)") +
      ", summed per input column; the bars add up to the model\xE2\x80\x99s output.";
  return section("explanations", 6, "Why the top reports were flagged", intro, body);
}

}  // namespace claimlens::report::detail
