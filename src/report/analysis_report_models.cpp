// Report sections 4 and 5: the logistic regression of verified status (inference table and
// coefficient forest plot) and the claim classifier (CV results, confusion matrices, metrics,
// feature importances).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "analysis_report_internal.hpp"
#include "claimlens/error.hpp"

namespace claimlens::report::detail {
namespace {

using Json = nlohmann::json;

struct ModelInfo {
  const char* key;   // in the classifier report
  const char* name;  // for people
  const char* short_id;
};
constexpr ModelInfo kModels[] = {{"random_forest", "Random forest", "rf"},
                                 {"gradient_boosting", "Gradient boosting", "gb"}};

// Coefficient-sized numbers: 4 decimals, or 3 significant digits in scientific notation when
// that would hide them.
std::string coef_text(double v) {
  if (v != 0 && std::fabs(v) < 1e-3) {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific, 2);
    return std::string(buf, r.ptr);
  }
  return svg::format_fixed(v, 4);
}

double json_number(const Json& j, const char* key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
}

std::string metric_cell(const Json& j, const char* key) {
  const double v = json_number(j, key);
  return std::isnan(v) ? "\xE2\x80\x93" : metric(v);
}

// "max_depth" -> "depth" etc.: short parameter names for chart labels.
std::string short_param(const std::string& key) {
  static const std::vector<std::pair<std::string, std::string>> kShort = {
      {"max_depth", "depth"},       {"max_features", "features"},    {"max_samples", "samples"},
      {"min_samples_leaf", "leaf"}, {"min_samples_split", "split"},  {"n_estimators", "trees"},
      {"learning_rate", "rate"},    {"min_child_weight", "child wt"}};
  for (const auto& [k, s] : kShort) {
    if (k == key) return s;
  }
  return key;
}

std::string param_value(const Json& v) {
  if (v.is_null()) return "None";
  if (v.is_number_float()) return svg::format_shortest(v.get<double>());
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

// The keys whose values differ between the combinations, in the grid's key order.
std::vector<std::string> varying_keys(const Json& params) {
  std::vector<std::string> keys;
  if (!params.is_array() || params.empty()) return keys;
  for (const auto& item : params[0].items()) {
    for (const auto& p : params) {
      if (!p.contains(item.key()) || p[item.key()] != item.value()) {
        keys.push_back(item.key());
        break;
      }
    }
  }
  return keys;
}

std::string params_label(const Json& p, const std::vector<std::string>& keys, bool full) {
  std::string out;
  for (const auto& item : p.items()) {
    if (!full && std::find(keys.begin(), keys.end(), item.key()) == keys.end()) continue;
    if (!out.empty()) out += full ? ", " : " \xC2\xB7 ";
    out += (full ? item.key() + "=" : short_param(item.key()) + " ") + param_value(item.value());
  }
  return out.empty() ? "(defaults)" : out;
}

std::size_t fold_count(const Json& cv) {
  std::size_t folds = 0;
  while (cv.contains("split" + std::to_string(folds) + "_test_recall")) ++folds;
  return folds;
}

std::vector<double> numbers(const Json& cv, const std::string& key) {
  std::vector<double> out;
  if (!cv.contains(key)) return out;
  for (const auto& v : cv[key]) out.push_back(v.is_number() ? v.get<double>() : std::nan(""));
  return out;
}

std::string cv_block(const ModelInfo& m, const Json& cv) {
  const Json& params = cv["params"];
  const std::vector<double> mean = numbers(cv, "mean_test_recall");
  const std::vector<double> sd = numbers(cv, "std_test_recall");
  if (mean.size() != params.size() || sd.size() != params.size()) {
    throw InvalidArgument(std::string("analysis report: ") + m.key +
                          " cv_results lacks mean_test_recall / std_test_recall per combination");
  }
  std::vector<std::size_t> order(params.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return mean[a] > mean[b]; });
  const std::vector<std::string> keys = varying_keys(params);
  const std::size_t shown = std::min<std::size_t>(order.size(), 15);
  svg::IntervalSpec s;
  s.id = std::string(m.short_id) + "-cv";
  s.title = std::string(m.name) + ": cross-validated recall per parameter set";
  s.caption = "Mean recall over the " + std::to_string(fold_count(cv)) +
              " stratified folds (bars: \xC2\xB1 1 standard deviation), the " +
              std::to_string(shown) + " best of " + std::to_string(params.size()) +
              " parameter sets, best first. Parameters not listed are the same in every set.";
  s.x_title =
      "Mean recall (class \xE2\x80\x9C"
      "claim\xE2\x80\x9D)";
  s.show_reference = false;
  s.value_decimals = 4;
  s.width = 900;
  s.height = 120;  // grows with the rows
  for (std::size_t i = 0; i < shown; ++i) {
    const std::size_t k = order[i];
    s.labels.push_back(params_label(params[k], keys, false));
    s.estimate.push_back(mean[k]);
    s.low.push_back(mean[k] - sd[k]);
    s.high.push_back(mean[k] + sd[k]);
  }
  Table t;
  t.caption = std::string(m.name) + ": the 10 best parameter sets";
  t.header = {"Rank", "Parameters", "Recall",  "\xC2\xB1 std", "Precision",
              "F1",   "Accuracy",   "ROC AUC", "Fit (s)"};
  t.numeric = {true, false, true, true, true, true, true, true, true};
  const std::vector<double> precision = numbers(cv, "mean_test_precision"),
                            f1 = numbers(cv, "mean_test_f1"),
                            accuracy = numbers(cv, "mean_test_accuracy"),
                            auc = numbers(cv, "mean_test_roc_auc"),
                            fit = numbers(cv, "mean_fit_time");
  const std::vector<double> rank = numbers(cv, "rank_test_recall");
  auto at = [](const std::vector<double>& v, std::size_t k) {
    return k < v.size() ? metric(v[k]) : std::string("\xE2\x80\x93");
  };
  for (std::size_t i = 0; i < std::min<std::size_t>(order.size(), 10); ++i) {
    const std::size_t k = order[i];
    t.rows.push_back({k < rank.size() ? count(rank[k]) : "", params_label(params[k], keys, true),
                      metric(mean[k]), metric(sd[k]), at(precision, k), at(f1, k), at(accuracy, k),
                      at(auc, k), k < fit.size() ? svg::format_fixed(fit[k], 3) : ""});
  }
  return chart_grid({svg::interval_plot(s)}) + render_table(t);
}

std::string confusion_of(const std::string& id, const std::string& title,
                         const std::string& caption, const Json& evaluation) {
  svg::ConfusionMatrixSpec c;
  c.id = id;
  c.title = title;
  c.caption = caption;
  c.labels = {"opinion", "claim"};
  const Json& m = evaluation.at("confusion_matrix");
  for (const auto& row : m) {
    std::vector<double> r;
    for (const auto& v : row) r.push_back(v.get<double>());
    c.counts.push_back(r);
  }
  c.width = 380;
  c.height = 340;
  return svg::confusion_matrix(c);
}

// Coefficients of count columns are per single view/like/...: shown per 1,000 so that they are
// visible beside the status terms (the table keeps the raw values).
double coefficient_unit(const std::string& name) {
  return name.find("_count") != std::string::npos ? 1000.0 : 1.0;
}

std::string coefficient_chart(const LogisticAnalysis& l) {
  svg::IntervalSpec s;
  s.id = "logit-coefficients";
  s.title = "Logistic regression: coefficients with 95% confidence intervals";
  s.caption =
      "Change in the log-odds of a verified author per unit of each feature (count "
      "features per 1,000), with 95% Wald intervals; the intercept is in the table. "
      "Grey: the interval includes 0.";
  s.x_title = "Coefficient (log-odds per unit)";
  s.value_decimals = 3;
  s.width = 900;
  s.height = 120;  // grows with the rows
  for (const CoefficientRow& r : l.coefficients) {
    if (r.name == "intercept" || r.name == "const") continue;
    const double unit = coefficient_unit(r.name);
    s.labels.push_back(unit == 1.0 ? r.name : r.name + " (per 1,000)");
    s.estimate.push_back(r.coef * unit);
    s.low.push_back(r.ci_low * unit);
    s.high.push_back(r.ci_high * unit);
  }
  return svg::interval_plot(s);
}

}  // namespace

std::string logistic_section(const Analysis& a) {
  const LogisticAnalysis& l = a.logistic_regression;
  const VerifiedLogitResult& r = l.result;
  Table metrics;
  metrics.caption = "Test split (class \xE2\x80\x9Cverified\xE2\x80\x9D)";
  metrics.header = {"Metric", "Value"};
  metrics.numeric = {false, true};
  for (const char* k : {"accuracy", "precision", "recall", "f1"}) {
    metrics.rows.push_back({k, metric_cell(r.test, k)});
  }
  Table data;
  data.caption = "Data";
  data.header = {"Step", "Rows"};
  data.numeric = {false, true};
  data.rows = {
      {"complete rows", count(double(r.rows_after_dropna))},
      {"after upsampling \xE2\x80\x9Cverified\xE2\x80\x9D", count(double(r.rows_after_upsampling))},
      {"training split (75%)", count(double(r.train_rows))},
      {"test split (25%)", count(double(r.test_rows))}};
  Table coef;
  coef.caption = "Inference table (raw units)";
  coef.header = {"Term", "Coefficient", "Std. error", "z", "p", "95% CI low", "95% CI high"};
  coef.numeric = {false, true, true, true, true, true, true};
  for (const CoefficientRow& c : l.coefficients) {
    coef.rows.push_back({c.name, coef_text(c.coef), coef_text(c.std_err), svg::format_fixed(c.z, 2),
                         svg::format_p_value(c.p_value), coef_text(c.ci_low),
                         coef_text(c.ci_high)});
  }
  std::string body =
      "<div class=\"tables\">" + render_table(metrics) + render_table(data) + "</div>";
  body += chart_grid({coefficient_chart(l)});
  body += render_table(coef);
  if (!r.classification_report.empty()) {
    body += "<details><summary>classification_report</summary><pre class=\"info\">" +
            esc(r.classification_report) + "</pre></details>";
  }
  const std::string intro =
      "Which features predict a verified author? Likes and comments capped at Q3 + 1.5 IQR (" +
      count(r.like_cap) + " and " + count(r.comment_cap) +
      "), the minority class upsampled, then a logistic regression fitted to the optimum on 75% "
      "of the rows and evaluated on the rest.";
  return section("logistic", 4, "Logistic regression of verified status", esc(intro), body);
}

std::vector<std::string> classifier_chart_ids(const Analysis& a) {
  std::vector<std::string> ids;
  if (!a.classifier) return ids;
  const Json& report = a.classifier->report();
  for (const ModelInfo& m : kModels) {
    if (report.contains(m.key) && report[m.key].contains("cv_results")) {
      ids.push_back(std::string(m.short_id) + "-cv");
    }
  }
  for (const ModelInfo& m : kModels) {
    if (report.contains(m.key)) ids.push_back(std::string(m.short_id) + "-validation-confusion");
  }
  ids.push_back("test-confusion");
  ids.push_back("feature-importances");
  return ids;
}

std::string classifier_section(const Analysis& a) {
  const ClaimClassifier& clf = *a.classifier;
  const Json& report = clf.report();
  const std::string champion = clf.champion();
  Table t;
  t.caption =
      "Scores (class \xE2\x80\x9C"
      "claim\xE2\x80\x9D = positive)";
  t.header = {"Model", "Split", "CV recall", "Accuracy", "Precision", "Recall", "F1", "ROC AUC"};
  t.numeric = {false, false, true, true, true, true, true, true};
  std::string cv_html, confusions;
  for (const ModelInfo& m : kModels) {
    if (!report.contains(m.key)) continue;
    const Json& r = report[m.key];
    const double cv = json_number(r, "cv_recall");
    const std::string name = std::string(m.name) + (champion == m.key ? " (champion)" : "");
    const Json& v = r.at("validation");
    t.rows.push_back({name, "validation", std::isnan(cv) ? "\xE2\x80\x93" : metric(cv),
                      metric_cell(v, "accuracy"), metric_cell(v, "precision"),
                      metric_cell(v, "recall"), metric_cell(v, "f1"), metric_cell(v, "roc_auc")});
    if (r.contains("cv_results")) {
      cv_html += "<h3>" + esc(m.name) + " grid search</h3>" + cv_block(m, r["cv_results"]);
    }
    confusions +=
        confusion_of(std::string(m.short_id) + "-validation-confusion",
                     std::string(m.name) + ", validation split",
                     std::string(m.name) + " on the validation split (threshold 0.5).", v);
  }
  const Json& test = report.at("test");
  const std::string champion_name = model_display_name(champion);
  t.rows.push_back({champion_name + " (champion)", "test", "", metric_cell(test, "accuracy"),
                    metric_cell(test, "precision"), metric_cell(test, "recall"),
                    metric_cell(test, "f1"), metric_cell(test, "roc_auc")});
  confusions += confusion_of("test-confusion", champion_name + ", test split",
                             "The champion on the held-out test split (threshold 0.5).", test);

  svg::BarSpec imp;
  imp.id = "feature-importances";
  imp.title = "What the champion looks at: feature importances";
  imp.caption = "Impurity-based importance of each feature in the " + champion_name +
                " (shares summing to 1); n-gram features count words of the transcript.";
  imp.value_title = "Importance (share of total)";
  imp.labels = clf.featurizer().feature_names();
  imp.values = clf.feature_importances();
  imp.max_bars = 20;
  imp.width = 900;
  imp.height = 120;  // grows with the rows
  imp.color = "#009e73";

  std::string body = render_table(t);
  body += "<h3>Confusion matrices</h3>" + chart_grid({confusions}, "small");
  body += "<h3>Feature importances</h3>" + chart_grid({svg::horizontal_bars(imp)});
  body += cv_html;
  std::string intro = "Transcript n-grams and engagement predict whether a video makes a claim. ";
  if (report.contains("split")) {
    const Json& s = report["split"];
    intro += "Complete rows split 60/20/20: " + count(json_number(s, "train")) + " training, " +
             count(json_number(s, "validation")) + " validation, " + count(json_number(s, "test")) +
             " test videos. ";
  }
  intro += "Models are tuned for recall (missing a claim is the costly error); the champion, " +
           champion_name + ", has the best validation recall.";
  return section("classifier", 5, "Claim classifier", esc(intro), body);
}

std::string model_display_name(const std::string& model_type) {
  for (const auto& m : kModels) {
    if (model_type == m.key) return m.name;
  }
  return model_type;
}

}  // namespace claimlens::report::detail
