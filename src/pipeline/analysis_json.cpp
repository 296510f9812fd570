// Analysis::to_json (the `claimlens analyze --json` document, docs/analyze-json.md) and the
// group tables as frames for printing.
#include "claimlens/pipeline/analysis.hpp"

#include "claimlens/version.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

Json value_counts_json(const ValueCounts& vc) {
  Json out = Json::object();
  for (std::size_t i = 0; i < vc.values.size(); ++i) out[vc.values[i]] = vc.counts[i];
  return out;
}

Json inspection_json(const Inspection& in) {
  Json nulls = Json::object(), dtypes = Json::object();
  for (std::size_t i = 0; i < in.column_names.size(); ++i) {
    nulls[in.column_names[i]] = in.null_counts[i];
    dtypes[in.column_names[i]] = in.dtypes[i];
  }
  Json describe = Json::object();
  for (const auto& c : in.describe.columns) {
    Json stats = Json::object();
    const auto values = c.values();
    for (std::size_t k = 0; k < values.size(); ++k) stats[Description::kStatNames[k]] = values[k];
    describe[c.name] = std::move(stats);
  }
  return {{"rows", in.rows},
          {"columns", in.columns},
          {"column_names", in.column_names},
          {"dtypes", std::move(dtypes)},
          {"rows_after_dropna", in.rows_after_dropna},
          {"duplicate_rows", in.duplicate_rows},
          {"null_counts", std::move(nulls)},
          {"describe", std::move(describe)},
          {"class_balance",
           {{"claim_status", value_counts_json(in.claim_balance)},
            {"verified_status", value_counts_json(in.verified_balance)},
            {"author_ban_status", value_counts_json(in.ban_balance)}}}};
}

Json matrix_json(const RowMatrix& m) {
  Json out = Json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    Json row = Json::array();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
    out.push_back(std::move(row));
  }
  return out;
}

Json eda_json(const Eda& eda) {
  Json outliers = Json::object();
  for (const auto& o : eda.outliers) {
    outliers[o.column] = {{"q1", o.q1},
                          {"median", o.median},
                          {"q3", o.q3},
                          {"iqr", o.iqr},
                          {"upper_fence", o.upper_fence},
                          {"above_upper_fence", o.above_upper_fence},
                          {"median_threshold", o.median_threshold},
                          {"above_median_threshold", o.above_median_threshold}};
  }
  return {
      {"by_claim_status", eda.by_claim_status.to_json()},
      {"by_verified_status", eda.by_verified_status.to_json()},
      {"by_author_ban_status", eda.by_author_ban_status.to_json()},
      {"by_claim_and_ban", eda.by_claim_and_ban.to_json()},
      {"engagement_per_view", eda.engagement_per_view.to_json()},
      {"outliers", std::move(outliers)},
      {"text_length_by_claim", eda.text_length_by_claim.to_json()},
      {"ban_by_claim",
       {{"rows", eda.ban_by_claim.row_labels},
        {"columns", eda.ban_by_claim.col_labels},
        {"counts", matrix_json(eda.ban_by_claim.counts)},
        {"chi2", eda.ban_by_claim_chi2.statistic},
        {"dof", eda.ban_by_claim_chi2.dof},
        {"p_value", eda.ban_by_claim_chi2.p_value}}},
      {"correlation",
       {{"columns", eda.correlation.columns}, {"values", matrix_json(eda.correlation.values)}}}};
}

Json hypothesis_json(const HypothesisTest& h) {
  return {{"test", h.test},
          {"value_column", h.value_column},
          {"group_column", h.group_column},
          {"groups", {h.group_a, h.group_b}},
          {"means", {h.mean_a, h.mean_b}},
          {"counts", {h.n_a, h.n_b}},
          {"t", h.t},
          {"df", h.df},
          {"p_value", h.p_value},
          {"alpha", h.alpha},
          {"reject_null", h.reject_null}};
}

Json logistic_json(const LogisticAnalysis& l) {
  Json out = l.result.to_json();
  out["features"] = l.result.feature_names;
  out["classification_report"] = l.result.classification_report;
  Json table = Json::array();
  for (const auto& r : l.coefficients) {
    table.push_back({{"name", r.name},
                     {"coef", r.coef},
                     {"std_err", r.std_err},
                     {"z", r.z},
                     {"p_value", r.p_value},
                     {"ci_low", r.ci_low},
                     {"ci_high", r.ci_high}});
  }
  out["inference"] = std::move(table);
  return out;
}

}  // namespace

Json GroupSummary::to_json() const {
  Json out = {{"keys", keys}, {"columns", columns}, {"groups", Json::array()}};
  for (std::size_t g = 0; g < groups.size(); ++g) {
    Json key = Json::object(), means = Json::object(), medians = Json::object();
    for (std::size_t k = 0; k < keys.size(); ++k) key[keys[k]] = groups[g][k];
    for (std::size_t c = 0; c < columns.size(); ++c) {
      means[columns[c]] = mean(Eigen::Index(g), Eigen::Index(c));
      medians[columns[c]] = median(Eigen::Index(g), Eigen::Index(c));
    }
    out["groups"].push_back(
        {{"key", std::move(key)}, {"size", sizes[g]}, {"mean", means}, {"median", medians}});
  }
  return out;
}

DataFrame GroupSummary::to_frame() const {
  DataFrame frame;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    std::vector<std::string> values;
    for (const auto& g : groups) values.push_back(g[k]);
    frame.add_column(keys[k], Column::from_strings(std::move(values)));
  }
  frame.add_column("size",
                   Column::from_int64(std::vector<std::int64_t>(sizes.begin(), sizes.end())));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    std::vector<double> means(groups.size()), medians(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
      means[g] = mean(Eigen::Index(g), Eigen::Index(c));
      medians[g] = median(Eigen::Index(g), Eigen::Index(c));
    }
    frame.add_column(columns[c] + "_mean", Column::from_float64(std::move(means)));
    frame.add_column(columns[c] + "_median", Column::from_float64(std::move(medians)));
  }
  return frame;
}

Json Analysis::to_json() const {
  Json timing = Json::object();
  for (const auto& t : timings) timing[t.step] = t.seconds;
  const Inspection& in = inspection;
  Json nulls = Json::object();
  for (std::size_t i = 0; i < in.column_names.size(); ++i) {
    nulls[in.column_names[i]] = in.null_counts[i];
  }
  return {{"claimlens_version", version_string()},
          {"seed", seed},
          {"data",
           {{"rows", in.rows},
            {"columns", in.columns},
            {"rows_after_dropna", in.rows_after_dropna},
            {"null_counts", std::move(nulls)}}},
          {"inspection", inspection_json(in)},
          {"eda", eda_json(eda)},
          {"hypothesis_test", hypothesis_json(hypothesis_test)},
          {"logistic_regression", logistic_json(logistic_regression)},
          {"claim_classifier", classifier ? classifier->report() : Json(nullptr)},
          {"timings", {{"steps", std::move(timing)}, {"total_seconds", total_seconds}}}};
}

}  // namespace claimlens
