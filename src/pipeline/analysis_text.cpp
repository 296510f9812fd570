// Analysis::to_string: the readable summary `claimlens analyze` prints. Tables are DataFrames
// printed by DataFrame::to_string, so they read like the seed's pandas output.
#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "claimlens/pipeline/analysis.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

// Shortest round-trip text of a double, locale-independent.
std::string num(double value) {
  std::array<char, 32> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return std::string(buffer.data(), result.ptr);
}

// Fixed decimals, locale-independent.
std::string fixed(double value, int decimals) {
  std::array<char, 64> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, decimals);
  return std::string(buffer.data(), result.ptr);
}

std::string heading(const std::string& title) {
  return "\n== " + title + " " + std::string(title.size() < 90 ? 90 - title.size() : 0, '=') + "\n";
}

// Keys, size and the mean (or median) of each column.
DataFrame group_frame(const GroupSummary& g, bool means) {
  const DataFrame all = g.to_frame();
  std::vector<std::string> names = g.keys;
  names.emplace_back("size");
  for (const auto& c : g.columns) names.push_back(c + (means ? "_mean" : "_median"));
  return all.select(names);
}

std::string group_text(const std::string& title, const GroupSummary& g) {
  return title + ", mean:\n" + group_frame(g, true).to_string() + "\n" + title + ", median:\n" +
         group_frame(g, false).to_string() + "\n";
}

std::string inspection_text(const Inspection& in) {
  std::string out = heading("1. Inspect");
  out += "shape: (" + std::to_string(in.rows) + ", " + std::to_string(in.columns) + ")\n\n";
  out += in.info + "\n" + in.describe.to_string() + "\n\nnull counts:\n";
  for (std::size_t i = 0; i < in.column_names.size(); ++i) {
    out += "  " + in.column_names[i] + ": " + std::to_string(in.null_counts[i]) + "\n";
  }
  out += "rows without nulls: " + std::to_string(in.rows_after_dropna) +
         "\nduplicate rows: " + std::to_string(in.duplicate_rows) + "\n\nclass balance:\n";
  for (const ValueCounts* vc : {&in.claim_balance, &in.verified_balance, &in.ban_balance}) {
    out += vc->to_string() + "\n\n";
  }
  return out;
}

DataFrame outlier_frame(const std::vector<OutlierSummary>& outliers) {
  std::vector<std::string> names;
  std::vector<double> q1, median, q3, fence, threshold;
  std::vector<std::int64_t> above_fence, above_threshold;
  for (const auto& o : outliers) {
    names.push_back(o.column);
    q1.push_back(o.q1);
    median.push_back(o.median);
    q3.push_back(o.q3);
    fence.push_back(o.upper_fence);
    above_fence.push_back(static_cast<std::int64_t>(o.above_upper_fence));
    threshold.push_back(o.median_threshold);
    above_threshold.push_back(static_cast<std::int64_t>(o.above_median_threshold));
  }
  DataFrame f;
  f.add_column("column", Column::from_strings(std::move(names)));
  f.add_column("q1", Column::from_float64(std::move(q1)));
  f.add_column("median", Column::from_float64(std::move(median)));
  f.add_column("q3", Column::from_float64(std::move(q3)));
  f.add_column("q3+1.5iqr", Column::from_float64(std::move(fence)));
  f.add_column("above", Column::from_int64(std::move(above_fence)));
  f.add_column("median+1.5iqr", Column::from_float64(std::move(threshold)));
  f.add_column("above_median_rule", Column::from_int64(std::move(above_threshold)));
  return f;
}

DataFrame crosstab_frame(const stats::ContingencyTable& t) {
  DataFrame f;
  f.add_column("author_ban_status", Column::from_strings(t.row_labels));
  for (std::size_t j = 0; j < t.col_labels.size(); ++j) {
    std::vector<std::int64_t> counts;
    for (Eigen::Index i = 0; i < t.counts.rows(); ++i) {
      counts.push_back(static_cast<std::int64_t>(t.counts(i, Eigen::Index(j))));
    }
    f.add_column(t.col_labels[j], Column::from_int64(std::move(counts)));
  }
  return f;
}

std::string eda_text(const Eda& eda) {
  std::string out = heading("2. EDA (rows without nulls)");
  out += group_text("engagement by claim_status", eda.by_claim_status) + "\n";
  out += group_text("engagement by verified_status", eda.by_verified_status) + "\n";
  out += group_text("engagement by author_ban_status", eda.by_author_ban_status) + "\n";
  out += group_text("engagement by claim_status x author_ban_status", eda.by_claim_and_ban) + "\n";
  out += group_text("engagement per view", eda.engagement_per_view) + "\n";
  out += "outliers per count column (above Tukey's upper fence / the seed's median rule):\n" +
         outlier_frame(eda.outliers).to_string() + "\n\n";
  out += group_text("text length (characters) by claim_status", eda.text_length_by_claim) + "\n";
  out += "author_ban_status x claim_status:\n" + crosstab_frame(eda.ban_by_claim).to_string() +
         "\nchi2 = " + fixed(eda.ban_by_claim_chi2.statistic, 4) +
         ", dof = " + std::to_string(eda.ban_by_claim_chi2.dof) +
         ", p = " + num(eda.ban_by_claim_chi2.p_value) + "\n";
  return out;
}

std::string hypothesis_text(const HypothesisTest& h) {
  std::string out = heading("3. Hypothesis test");
  out += "Welch's t-test of " + h.value_column + " by " + h.group_column + "\n";
  out += "  H0: mean views of '" + h.group_a + "' and '" + h.group_b + "' are equal\n";
  out += "  mean '" + h.group_a + "' = " + fixed(h.mean_a, 2) + " (n = " + std::to_string(h.n_a) +
         "), mean '" + h.group_b + "' = " + fixed(h.mean_b, 2) + " (n = " + std::to_string(h.n_b) +
         ")\n";
  out += "  t = " + fixed(h.t, 4) + ", df = " + fixed(h.df, 2) + ", p = " + num(h.p_value) + "\n";
  out += std::string("  at alpha ") + fixed(h.alpha, 2) + ": " +
         (h.reject_null ? "reject H0 (the means differ)" : "do not reject H0") + "\n";
  return out;
}

std::string logistic_text(const LogisticAnalysis& l) {
  const VerifiedLogitResult& r = l.result;
  std::string out = heading("4. Logistic regression of verified_status");
  out += "rows: " + std::to_string(r.rows_after_dropna) + " without nulls, " +
         std::to_string(r.rows_after_upsampling) + " after upsampling 'verified', " +
         std::to_string(r.train_rows) + " train / " + std::to_string(r.test_rows) + " test\n";
  out += "converged: " + std::string(r.model.converged() ? "yes" : "no") + " in " +
         std::to_string(r.model.n_iter()) + " iterations\n\n";
  std::vector<std::string> names;
  std::vector<double> cols[6];
  for (const auto& c : l.coefficients) {
    names.push_back(c.name);
    const double values[6] = {c.coef, c.std_err, c.z, c.p_value, c.ci_low, c.ci_high};
    for (int k = 0; k < 6; ++k) cols[k].push_back(values[k]);
  }
  DataFrame table;
  table.add_column("feature", Column::from_strings(std::move(names)));
  const char* headers[6] = {"coef", "std_err", "z", "P>|z|", "[0.025", "0.975]"};
  for (int k = 0; k < 6; ++k) table.add_column(headers[k], Column::from_float64(cols[k]));
  out += table.to_string() + "\n\ntest set:\n" + r.classification_report + "\n";
  return out;
}

std::string metrics_line(const Json& m) {
  std::string out;
  for (const char* key : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
    if (m.contains(key) && m[key].is_number()) {
      out += std::string(out.empty() ? "" : ", ") + key + " " + fixed(m[key].get<double>(), 4);
    }
  }
  return out;
}

std::string confusion_text(const Json& cm) {
  return "  confusion matrix [[tn, fp], [fn, tp]]: " + cm.dump() + "\n";
}

std::string classifier_text(const std::optional<ClaimClassifier>& clf) {
  std::string out = heading("5. Claim classifier");
  if (!clf) return out + "not trained\n";
  const Json& r = clf->report();
  out += "split: " + r["split"].dump() + "\n";
  for (const char* algo : {"random_forest", "gradient_boosting"}) {
    if (!r.contains(algo)) continue;
    const Json& a = r[algo];
    out += std::string(algo) + ":\n";
    out += "  cv recall: " +
           (a["cv_recall"].is_number() ? fixed(a["cv_recall"].get<double>(), 4) : "(no search)") +
           "\n  best params: " + a["best_params"].dump() + "\n";
    out += "  validation: " + metrics_line(a["validation"]) + "\n";
  }
  out += "champion: " + r["champion"].get<std::string>() + "\n";
  out += "test: " + metrics_line(r["test"]) + "\n" + confusion_text(r["test"]["confusion_matrix"]);
  std::vector<std::pair<double, std::string>> importances;
  for (const auto& item : r["feature_importances"].items()) {
    importances.emplace_back(item.value().get<double>(), item.key());
  }
  std::stable_sort(importances.begin(), importances.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  out += "feature importances (top 10):\n";
  for (std::size_t i = 0; i < importances.size() && i < 10; ++i) {
    out += "  " + importances[i].second + ": " + fixed(importances[i].first, 4) + "\n";
  }
  return out;
}

std::string interval_text(const Interval& i) {
  return "[" + fixed(i.lower, 4) + ", " + fixed(i.upper, 4) + "]";
}

// "precision 0.9921 [0.9890, 0.9950], recall ..., threshold ...; tp 10 fp 1 fn 2 tn 30".
std::string point_text(const OperatingPoint& p) {
  std::string out = "precision " + fixed(p.precision, 4);
  if (p.bootstrap) out += " " + interval_text(p.bootstrap->precision);
  out += ", recall " + fixed(p.recall, 4);
  if (p.bootstrap) out += " " + interval_text(p.bootstrap->recall);
  return out + "; tp " + std::to_string(p.tp) + ", fp " + std::to_string(p.fp) + ", fn " +
         std::to_string(p.fn) + ", tn " + std::to_string(p.tn) + "\n";
}

std::string calibration_text(const std::optional<CalibrationAnalysis>& c) {
  std::string out = heading("6. Calibration and operating point");
  if (!c) return out + "not computed (no classifier)\n";
  out += std::string(calibration_method_name(c->method)) +
         " calibration of the champion's P(claim), fitted on the validation split (" +
         std::to_string(c->validation_rows) + " rows), measured on the test split (" +
         std::to_string(c->test_rows) + " rows); ECE over " +
         std::to_string(CalibrationAnalysis::kCalibrationBins) + " uniform bins:\n";
  DataFrame table;
  table.add_column("probabilities", Column::from_strings({"raw", "calibrated"}));
  table.add_column("brier_score",
                   Column::from_float64({c->raw.brier_score, c->calibrated.brier_score}));
  table.add_column("ece", Column::from_float64({c->raw.ece, c->calibrated.ece}));
  table.add_column("log_loss", Column::from_float64({c->raw.log_loss, c->calibrated.log_loss}));
  out += table.to_string() + "\n";
  out += "operating point (precision >= " + num(CalibrationAnalysis::kTargetPrecision) +
         " on the calibrated validation probabilities):\n";
  if (!c->operating_point) return out + "  none: " + c->operating_point_error + "\n";
  const OperatingPoint& v = *c->operating_point;
  out += "  threshold " + num(v.threshold) + " (P(claim) > threshold)";
  if (v.bootstrap) {
    out += "; " + num(v.bootstrap->confidence * 100) + "% bootstrap intervals, " +
           std::to_string(v.bootstrap->n_resamples) + " resamples";
  }
  out += "\n  validation: " + point_text(v) + "  test: " + point_text(*c->test_point);
  return out;
}

}  // namespace

std::string Analysis::to_string() const {
  std::string out = inspection_text(inspection) + eda_text(eda) + hypothesis_text(hypothesis_test) +
                    logistic_text(logistic_regression) + classifier_text(classifier) +
                    calibration_text(calibration);
  out += heading("Timings");
  for (const auto& t : timings) out += "  " + t.step + ": " + fixed(t.seconds, 3) + " s\n";
  out += "  total: " + fixed(total_seconds, 3) + " s\n";
  return out;
}

}  // namespace claimlens
