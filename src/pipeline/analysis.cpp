// run_analysis: the six steps of the seed analysis, each reusing the module that implements it
// (DataFrame summaries and groupby, stats/frame, verified_logit, ClaimClassifier, calibration).
#include "claimlens/pipeline/analysis.hpp"

#include <chrono>
#include <cmath>
#include <utility>

#include <Eigen/Cholesky>
#include <boost/math/distributions/normal.hpp>

#include "claimlens/error.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "claimlens/text/unicode.hpp"

namespace claimlens {

namespace {

const std::vector<std::string> kStrings = {"claim_status", "video_transcription_text",
                                           "verified_status", "author_ban_status"};

// The TikTok schema: the text columns must be strings, the duration and counts numeric.
void check_schema(const DataFrame& videos) {
  auto numeric = [](DType d) { return d == DType::Int64 || d == DType::Float64; };
  for (const auto& name : kStrings) {
    if (videos.column(name).dtype() != DType::String) {
      throw SchemaError("analysis: column '" + name + "' must hold text, found " +
                        dtype_name(videos.column(name).dtype()));
    }
  }
  std::vector<std::string> numbers = engagement_columns();
  numbers.insert(numbers.begin(), "video_duration_sec");
  for (const auto& name : numbers) {
    if (!numeric(videos.column(name).dtype())) {
      throw SchemaError("analysis: column '" + name + "' must be numeric, found " +
                        std::string(dtype_name(videos.column(name).dtype())));
    }
  }
}

Inspection inspect(const DataFrame& videos) {
  Inspection in;
  in.rows = videos.num_rows();
  in.columns = videos.num_columns();
  in.rows_after_dropna = videos.dropna().num_rows();
  in.duplicate_rows = videos.duplicated_count();
  in.column_names = videos.column_names();
  for (DType d : videos.dtypes()) in.dtypes.emplace_back(dtype_name(d));
  in.null_counts = videos.null_counts();
  in.info = videos.info();
  in.describe = videos.describe();
  in.claim_balance = videos.value_counts("claim_status");
  in.verified_balance = videos.value_counts("verified_status");
  in.ban_balance = videos.value_counts("author_ban_status");
  return in;
}

GroupSummary summarize(const DataFrame& frame, const std::vector<std::string>& keys,
                       const std::vector<std::string>& columns) {
  std::vector<std::pair<std::string, Aggregation>> specs;
  for (const auto& c : columns) {
    specs.emplace_back(c, Aggregation::Mean);
    specs.emplace_back(c, Aggregation::Median);
  }
  const GroupBy groups = frame.groupby(keys);
  const DataFrame agg = groups.agg(specs);
  const DataFrame sizes = groups.size();
  GroupSummary g;
  g.keys = keys;
  g.columns = columns;
  const auto n = static_cast<Eigen::Index>(groups.ngroups());
  const auto m = static_cast<Eigen::Index>(columns.size());
  g.mean.resize(n, m);
  g.median.resize(n, m);
  for (Eigen::Index i = 0; i < n; ++i) {
    const auto row = static_cast<std::size_t>(i);
    std::vector<std::string> key;
    for (const auto& k : keys) key.emplace_back(agg.column(k).string_at(row));
    g.groups.push_back(std::move(key));
    g.sizes.push_back(static_cast<std::size_t>(sizes.column("size").int64_at(row)));
    for (Eigen::Index j = 0; j < m; ++j) {
      const std::string& c = columns[static_cast<std::size_t>(j)];
      g.mean(i, j) = agg.column(c + "_mean").as_double(row);
      g.median(i, j) = agg.column(c + "_median").as_double(row);
    }
  }
  return g;
}

OutlierSummary outliers_of(const DataFrame& data, const std::string& column) {
  const std::vector<double> x = data.column(column).to_doubles();
  const stats::IqrFences fences = stats::iqr_fences(x);
  OutlierSummary o;
  o.column = column;
  o.q1 = fences.q1;
  o.q3 = fences.q3;
  o.iqr = fences.iqr;
  o.median = stats::median(x);
  o.upper_fence = fences.upper;
  o.above_upper_fence = stats::count_outliers(x, fences, stats::Tail::Upper);
  o.median_threshold = o.median + 1.5 * o.iqr;
  for (double v : x) o.above_median_threshold += v > o.median_threshold ? 1 : 0;
  return o;
}

// The complete rows plus the seed's derived columns: text_length and engagement per view.
DataFrame with_derived_columns(const DataFrame& videos) {
  DataFrame data = videos.dropna();
  const Column& text = data.column("video_transcription_text");
  std::vector<std::int64_t> length(data.num_rows());
  for (std::size_t i = 0; i < length.size(); ++i) {
    length[i] = static_cast<std::int64_t>(text_length(text.string_at(i)));
  }
  data.set_column("text_length", Column::from_int64(std::move(length)));
  const std::vector<double> views = data.column("video_view_count").to_doubles();
  const std::pair<const char*, const char*> rates[] = {{"video_like_count", "likes_per_view"},
                                                       {"video_comment_count", "comments_per_view"},
                                                       {"video_share_count", "shares_per_view"}};
  for (const auto& [count, rate] : rates) {
    std::vector<double> values = data.column(count).to_doubles();
    for (std::size_t i = 0; i < values.size(); ++i) values[i] /= views[i];
    data.set_column(rate, Column::from_float64(std::move(values)));
  }
  return data;
}

Eda explore(const DataFrame& data) {
  const std::vector<std::string>& counts = engagement_columns();
  Eda eda;
  eda.by_claim_status = summarize(data, {"claim_status"}, counts);
  eda.by_verified_status = summarize(data, {"verified_status"}, counts);
  eda.by_author_ban_status = summarize(data, {"author_ban_status"}, counts);
  eda.by_claim_and_ban = summarize(data, {"claim_status", "author_ban_status"}, counts);
  eda.engagement_per_view = summarize(data, {"claim_status", "author_ban_status"},
                                      {"likes_per_view", "comments_per_view", "shares_per_view"});
  for (const auto& c : counts) eda.outliers.push_back(outliers_of(data, c));
  eda.text_length_by_claim = summarize(data, {"claim_status"}, {"text_length"});
  eda.ban_by_claim = stats::crosstab(data, "author_ban_status", "claim_status");
  eda.ban_by_claim_chi2 = stats::chi2_contingency(data, "author_ban_status", "claim_status");
  std::vector<std::string> numeric = {"video_duration_sec"};
  numeric.insert(numeric.end(), counts.begin(), counts.end());
  numeric.emplace_back("text_length");
  eda.correlation = stats::corr(data, numeric);
  return eda;
}

HypothesisTest welch_views_by_verified(const DataFrame& data) {
  HypothesisTest h;
  const stats::TTestResult r =
      stats::ttest_by_group(data, h.value_column, h.group_column, h.group_a, h.group_b);
  const Column& values = data.column(h.value_column);
  const Column& groups = data.column(h.group_column);
  double sum_a = 0, sum_b = 0;
  for (std::size_t i = 0; i < data.num_rows(); ++i) {
    const std::string_view g = groups.string_at(i);
    if (g == h.group_a) {
      sum_a += values.as_double(i);
      ++h.n_a;
    } else if (g == h.group_b) {
      sum_b += values.as_double(i);
      ++h.n_b;
    }
  }
  h.mean_a = sum_a / static_cast<double>(h.n_a);  // ttest_by_group has checked n_a, n_b > 0
  h.mean_b = sum_b / static_cast<double>(h.n_b);
  h.t = r.statistic;
  h.df = r.df;
  h.p_value = r.p_value;
  h.reject_null = h.p_value < h.alpha;
  return h;
}

// Wald inference at the fitted (L2-penalized) coefficients: covariance = inverse Hessian of
// sum(logloss) + ||w||^2 / (2C), the objective the model minimized (intercept unpenalized).
// Columns are scaled (not centred: the intercept stays v0) so the solve is well conditioned on raw
// view counts; w_j = v_j / scale_j.
std::vector<CoefficientRow> wald_table(const VerifiedLogitResult& fit) {
  const RowMatrix& X = fit.X_train;
  const Eigen::Index n = X.rows(), p = X.cols();
  const Vector& w = fit.model.coef();
  const Vector scale =
      ((X.rowwise() - X.colwise().mean()).colwise().norm() / std::sqrt(static_cast<double>(n)))
          .transpose()
          .unaryExpr([](double s) { return s > 0 ? s : 1.0; });
  // H = sum_i q_i (1 - q_i) z_i z_i' with z_i = [1, x_i / scale]: a plain loop over 9 columns
  // (Eigen's GEMM would start OpenMP threads for a few million flops).
  const Vector eta = (X * w).array() + fit.model.intercept();
  RowMatrix H = RowMatrix::Zero(p + 1, p + 1);
  Vector z(p + 1);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double q = 1.0 / (1.0 + std::exp(-eta[i]));
    z[0] = 1.0;
    z.tail(p) = X.row(i).transpose().cwiseQuotient(scale);
    H.noalias() += (q * (1.0 - q)) * (z * z.transpose());
  }
  const double C = fit.model.options().C;
  for (Eigen::Index j = 0; j < p; ++j) H(j + 1, j + 1) += 1.0 / (C * scale[j] * scale[j]);
  const RowMatrix cov = H.ldlt().solve(RowMatrix::Identity(p + 1, p + 1));
  const boost::math::normal normal;
  const double zq = boost::math::quantile(boost::math::complement(normal, 0.025));
  std::vector<CoefficientRow> rows;
  for (Eigen::Index j = 0; j <= p; ++j) {
    CoefficientRow r;
    r.name = j == 0 ? "intercept" : fit.feature_names[static_cast<std::size_t>(j - 1)];
    r.coef = j == 0 ? fit.model.intercept() : w[j - 1];
    r.std_err = std::sqrt(cov(j, j)) / (j == 0 ? 1.0 : scale[j - 1]);
    r.z = r.coef / r.std_err;
    r.p_value = 2.0 * boost::math::cdf(boost::math::complement(normal, std::abs(r.z)));
    r.ci_low = r.coef - zq * r.std_err;
    r.ci_high = r.coef + zq * r.std_err;
    rows.push_back(std::move(r));
  }
  return rows;
}

class StepClock {
 public:
  StepClock(Analysis& a, const AnalysisOptions& o) : analysis_(a), options_(o) {}
  template <class F>
  void run(const std::string& step, F&& body) {
    if (options_.progress) options_.progress(step, 0.0);
    const auto start = std::chrono::steady_clock::now();
    body();
    const std::chrono::duration<double> spent = std::chrono::steady_clock::now() - start;
    analysis_.timings.push_back({step, spent.count()});
    analysis_.total_seconds += spent.count();
    if (options_.progress) options_.progress(step, 1.0);
  }

 private:
  Analysis& analysis_;
  const AnalysisOptions& options_;
};

}  // namespace

const std::vector<std::string>& engagement_columns() {
  static const std::vector<std::string> columns = {"video_view_count", "video_like_count",
                                                   "video_share_count", "video_download_count",
                                                   "video_comment_count"};
  return columns;
}

Analysis run_analysis(const DataFrame& videos, const AnalysisOptions& options) {
  check_schema(videos);
  Analysis a;
  a.seed = options.seed;
  StepClock clock(a, options);
  DataFrame data;
  clock.run("inspect", [&] {
    a.inspection = inspect(videos);
    data = with_derived_columns(videos);
    if (data.num_rows() < 20) {
      throw InvalidArgument("analysis: need at least 20 rows without nulls, got " +
                            std::to_string(data.num_rows()));
    }
  });
  clock.run("eda", [&] { a.eda = explore(data); });
  clock.run("hypothesis_test", [&] { a.hypothesis_test = welch_views_by_verified(data); });
  clock.run("logistic_regression", [&] {
    VerifiedLogitOptions logit;
    logit.random_state = options.seed;
    a.logistic_regression.result = verified_logit(videos, logit);
    a.logistic_regression.coefficients = wald_table(a.logistic_regression.result);
  });
  if (options.train_classifier) {
    clock.run("claim_classifier", [&] {
      ClaimClassifierOptions clf;
      clf.random_state = options.seed;
      clf.n_jobs = options.threads;
      clf.seed_grid = options.seed_grid;
      clf.progress = options.progress;
      a.classifier = ClaimClassifier::train(videos, clf);
    });
    clock.run("calibration",
              [&] { a.calibration = calibrate_classifier(*a.classifier, videos, options.seed); });
  }
  return a;
}

}  // namespace claimlens
