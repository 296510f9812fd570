// Analysis::to_json (the `claimlens analyze --json` document, docs/analyze-json.md) and the
// group tables as frames for printing.
#include "claimlens/pipeline/analysis.hpp"

#include "claimlens/json_document.hpp"
#include "claimlens/version.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

// Every DOM here is built key by key inside its parent or a JsonDocument, never from an
// initializer list of {key, value} pairs: those pairs die as non-empty arrays, and nlohmann's
// destructor allocates for them (claimlens/json_document.hpp), so an allocation failure there
// would end in std::terminate instead of std::bad_alloc.

Json value_counts_json(const ValueCounts& vc) {
  JsonDocument out(Json::object());
  for (std::size_t i = 0; i < vc.values.size(); ++i) (*out)[vc.values[i]] = vc.counts[i];
  return std::move(*out);
}

Json inspection_json(const Inspection& in) {
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["rows"] = in.rows;
  out["columns"] = in.columns;
  out["column_names"] = in.column_names;
  Json& dtypes = out["dtypes"] = Json::object();
  Json& nulls = out["null_counts"] = Json::object();
  for (std::size_t i = 0; i < in.column_names.size(); ++i) {
    nulls[in.column_names[i]] = in.null_counts[i];
    dtypes[in.column_names[i]] = in.dtypes[i];
  }
  out["rows_after_dropna"] = in.rows_after_dropna;
  out["duplicate_rows"] = in.duplicate_rows;
  Json& describe = out["describe"] = Json::object();
  for (const auto& c : in.describe.columns) {
    Json& stats = describe[c.name] = Json::object();
    const auto values = c.values();
    for (std::size_t k = 0; k < values.size(); ++k) stats[Description::kStatNames[k]] = values[k];
  }
  Json& balance = out["class_balance"] = Json::object();
  balance["claim_status"] = value_counts_json(in.claim_balance);
  balance["verified_status"] = value_counts_json(in.verified_balance);
  balance["author_ban_status"] = value_counts_json(in.ban_balance);
  return std::move(out);
}

Json matrix_json(const RowMatrix& m) {
  JsonDocument doc(Json::array());
  Json& out = *doc;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    out.push_back(Json::array());
    Json& row = out.back();
    for (Eigen::Index j = 0; j < m.cols(); ++j) row.push_back(m(i, j));
  }
  return std::move(out);
}

Json eda_json(const Eda& eda) {
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["by_claim_status"] = eda.by_claim_status.to_json();
  out["by_verified_status"] = eda.by_verified_status.to_json();
  out["by_author_ban_status"] = eda.by_author_ban_status.to_json();
  out["by_claim_and_ban"] = eda.by_claim_and_ban.to_json();
  out["engagement_per_view"] = eda.engagement_per_view.to_json();
  Json& outliers = out["outliers"] = Json::object();
  for (const auto& o : eda.outliers) {
    Json& column = outliers[o.column] = Json::object();
    column["q1"] = o.q1;
    column["median"] = o.median;
    column["q3"] = o.q3;
    column["iqr"] = o.iqr;
    column["upper_fence"] = o.upper_fence;
    column["above_upper_fence"] = o.above_upper_fence;
    column["median_threshold"] = o.median_threshold;
    column["above_median_threshold"] = o.above_median_threshold;
  }
  out["text_length_by_claim"] = eda.text_length_by_claim.to_json();
  Json& ban = out["ban_by_claim"] = Json::object();
  ban["rows"] = eda.ban_by_claim.row_labels;
  ban["columns"] = eda.ban_by_claim.col_labels;
  ban["counts"] = matrix_json(eda.ban_by_claim.counts);
  ban["chi2"] = eda.ban_by_claim_chi2.statistic;
  ban["dof"] = eda.ban_by_claim_chi2.dof;
  ban["p_value"] = eda.ban_by_claim_chi2.p_value;
  Json& correlation = out["correlation"] = Json::object();
  correlation["columns"] = eda.correlation.columns;
  correlation["values"] = matrix_json(eda.correlation.values);
  return std::move(out);
}

Json hypothesis_json(const HypothesisTest& h) {
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["test"] = h.test;
  out["value_column"] = h.value_column;
  out["group_column"] = h.group_column;
  out["groups"] = Json::array({h.group_a, h.group_b});
  out["means"] = Json::array({h.mean_a, h.mean_b});
  out["counts"] = Json::array({h.n_a, h.n_b});
  out["t"] = h.t;
  out["df"] = h.df;
  out["p_value"] = h.p_value;
  out["alpha"] = h.alpha;
  out["reject_null"] = h.reject_null;
  return std::move(out);
}

Json logistic_json(const LogisticAnalysis& l) {
  JsonDocument doc = l.result.to_json();
  Json& out = *doc;
  out["features"] = l.result.feature_names;
  out["classification_report"] = l.result.classification_report;
  Json& table = out["inference"] = Json::array();
  for (const auto& r : l.coefficients) {
    table.push_back(Json::object());
    Json& row = table.back();
    row["name"] = r.name;
    row["coef"] = r.coef;
    row["std_err"] = r.std_err;
    row["z"] = r.z;
    row["p_value"] = r.p_value;
    row["ci_low"] = r.ci_low;
    row["ci_high"] = r.ci_high;
  }
  return std::move(out);
}

}  // namespace

Json GroupSummary::to_json() const {
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["keys"] = keys;
  out["columns"] = columns;
  Json& list = out["groups"] = Json::array();
  for (std::size_t g = 0; g < groups.size(); ++g) {
    list.push_back(Json::object());
    Json& group = list.back();
    Json& key = group["key"] = Json::object();
    for (std::size_t k = 0; k < keys.size(); ++k) key[keys[k]] = groups[g][k];
    group["size"] = sizes[g];
    Json& means = group["mean"] = Json::object();
    Json& medians = group["median"] = Json::object();
    for (std::size_t c = 0; c < columns.size(); ++c) {
      means[columns[c]] = mean(Eigen::Index(g), Eigen::Index(c));
      medians[columns[c]] = median(Eigen::Index(g), Eigen::Index(c));
    }
  }
  return std::move(out);
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
  const Inspection& in = inspection;
  JsonDocument doc(Json::object());
  Json& out = *doc;
  out["claimlens_version"] = version_string();
  out["seed"] = seed;
  Json& data = out["data"] = Json::object();
  data["rows"] = in.rows;
  data["columns"] = in.columns;
  data["rows_after_dropna"] = in.rows_after_dropna;
  Json& nulls = data["null_counts"] = Json::object();
  for (std::size_t i = 0; i < in.column_names.size(); ++i) {
    nulls[in.column_names[i]] = in.null_counts[i];
  }
  out["inspection"] = inspection_json(in);
  out["eda"] = eda_json(eda);
  out["hypothesis_test"] = hypothesis_json(hypothesis_test);
  out["logistic_regression"] = logistic_json(logistic_regression);
  out["claim_classifier"] = classifier ? classifier->report() : Json(nullptr);
  out["calibration"] = calibration ? calibration->to_json() : Json(nullptr);
  Json& timing = out["timings"] = Json::object();
  Json& steps = timing["steps"] = Json::object();
  for (const auto& t : timings) steps[t.step] = t.seconds;
  timing["total_seconds"] = total_seconds;
  return std::move(out);
}

}  // namespace claimlens
