#include "claimlens/pipeline/verified_logit.hpp"

#include "claimlens/error.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "claimlens/preprocessing/resample.hpp"
#include "claimlens/random.hpp"
#include "claimlens/stats/outliers.hpp"

namespace claimlens {

namespace {

const std::vector<std::string> kNumeric = {"video_duration_sec", "video_view_count",
                                           "video_share_count", "video_download_count",
                                           "video_comment_count"};

// Caps `column` of the frame at its upper IQR fence; returns the fence.
double cap_upper(DataFrame& frame, const std::string& column) {
  std::vector<double> values = frame.column(column).to_doubles();
  const stats::IqrFences fences = stats::iqr_fences(values);
  stats::cap_outliers_inplace(values, fences, stats::Tail::Upper);
  frame.set_column(column, Column::from_float64(std::move(values)));
  return fences.upper;
}

// Every row of the majority class plus minority rows drawn with replacement up to its size.
std::vector<std::size_t> upsample(const std::vector<double>& y, std::uint64_t seed) {
  std::vector<std::size_t> minority, rows;
  for (std::size_t i = 0; i < y.size(); ++i) (y[i] == 1.0 ? minority : rows).push_back(i);
  if (minority.empty() || rows.empty()) {
    throw InvalidArgument("verified_logit: verified_status has a single class");
  }
  if (minority.size() > rows.size()) std::swap(minority, rows);
  const std::size_t target = rows.size();
  for (std::size_t k : resample_indices(minority.size(), target, seed)) rows.push_back(minority[k]);
  return rows;
}

}  // namespace

VerifiedLogitResult verified_logit(const DataFrame& videos, const VerifiedLogitOptions& options) {
  std::vector<std::string> needed = kNumeric;
  needed.insert(needed.end(),
                {"video_like_count", "claim_status", "author_ban_status", "verified_status"});
  DataFrame data = videos.select(needed).dropna();
  VerifiedLogitResult result;
  result.rows_after_dropna = data.num_rows();
  if (data.num_rows() < 20) {
    throw InvalidArgument("verified_logit: need at least 20 complete rows, got " +
                          std::to_string(data.num_rows()));
  }
  result.like_cap = cap_upper(data, "video_like_count");
  result.comment_cap = cap_upper(data, "video_comment_count");

  const std::vector<double> verified =
      BinaryLabelEncoder("verified", "not verified").transform(data.column("verified_status"));
  const std::vector<std::size_t> upsampled = upsample(verified, options.random_state);
  data = data.take(upsampled);
  result.rows_after_upsampling = data.num_rows();
  std::vector<double> y_all(upsampled.size());
  for (std::size_t i = 0; i < upsampled.size(); ++i) y_all[i] = verified[upsampled[i]];

  OneHotEncoder encoder(OneHotOptions{true, UnknownCategory::Error});
  encoder.fit(data, {"claim_status", "author_ban_status"});
  const RowMatrix categorical = encoder.transform(data);
  const std::size_t rows = data.num_rows();
  RowMatrix X(static_cast<Eigen::Index>(rows),
              static_cast<Eigen::Index>(kNumeric.size()) + categorical.cols());
  for (std::size_t c = 0; c < kNumeric.size(); ++c) {
    const std::vector<double> values = data.column(kNumeric[c]).to_doubles();
    for (std::size_t r = 0; r < rows; ++r) X(Eigen::Index(r), Eigen::Index(c)) = values[r];
  }
  X.rightCols(categorical.cols()) = categorical;
  result.feature_names = kNumeric;
  for (auto& name : encoder.get_feature_names_out()) result.feature_names.push_back(name);

  TrainTestSplitOptions split_options;
  split_options.test_size = TestSize::fraction(0.25);
  split_options.seed = derive_seed(options.random_state, 1);
  const SplitIndices split = train_test_split(rows, split_options);
  auto gather = [&](const std::vector<std::size_t>& idx, RowMatrix& Xs, Vector& ys) {
    Xs.resize(Eigen::Index(idx.size()), X.cols());
    ys.resize(Eigen::Index(idx.size()));
    for (std::size_t i = 0; i < idx.size(); ++i) {
      Xs.row(Eigen::Index(i)) = X.row(Eigen::Index(idx[i]));
      ys[Eigen::Index(i)] = y_all[idx[i]];
    }
  };
  RowMatrix X_train, X_test;
  Vector y_train, y_test;
  gather(split.train, X_train, y_train);
  gather(split.test, X_test, y_test);
  result.train_rows = split.train.size();
  result.test_rows = split.test.size();

  LogisticRegressionOptions lr;
  lr.C = options.C;
  lr.max_iter = options.max_iter;
  lr.solver = LogisticSolver::Newton;
  lr.require_convergence = true;
  result.model = LogisticRegression(lr);
  result.model.fit(X_train, y_train);
  result.X_train = std::move(X_train);
  result.y_train = std::move(y_train);

  const std::vector<int> pred = result.model.predict(X_test);
  std::vector<int> truth(pred.size());
  for (std::size_t i = 0; i < truth.size(); ++i) truth[i] = y_test[Eigen::Index(i)] > 0.5;
  const ConfusionMatrix cm = confusion_matrix(truth, pred, {0, 1});
  // Key by key: an initializer list's {key, value} pairs allocate when they die
  // (claimlens/json_document.hpp).
  result.test = nlohmann::json::object();
  nlohmann::json& test = *result.test;
  test["accuracy"] = accuracy_score(truth, pred);
  test["precision"] = precision_score(truth, pred);
  test["recall"] = recall_score(truth, pred);
  test["f1"] = f1_score(truth, pred);
  test["confusion_matrix"] = nlohmann::json::array(
      {nlohmann::json::array({cm(0, 0), cm(0, 1)}), nlohmann::json::array({cm(1, 0), cm(1, 1)})});
  ReportOptions report;
  report.target_names = {"not verified", "verified"};
  result.classification_report = classification_report(truth, pred, report);
  return result;
}

nlohmann::json VerifiedLogitResult::to_json() const {
  JsonDocument doc(*test);  // a copy, built on in place and disposed if anything fails
  nlohmann::json& out = *doc;
  nlohmann::json& coefficients = out["coefficients"] = nlohmann::json::object();
  for (std::size_t j = 0; j < feature_names.size(); ++j) {
    coefficients[feature_names[j]] = model.coef()[Eigen::Index(j)];
  }
  const auto& fit = model.report();
  out["intercept"] = model.intercept();
  out["converged"] = fit.converged;
  out["iterations"] = fit.iterations;
  out["gradient_norm"] = fit.gradient_norm;
  out["objective"] = fit.objective;
  nlohmann::json& rows = out["rows"] = nlohmann::json::object();
  rows["after_dropna"] = rows_after_dropna;
  rows["after_upsampling"] = rows_after_upsampling;
  rows["train"] = train_rows;
  rows["test"] = test_rows;
  nlohmann::json& caps = out["caps"] = nlohmann::json::object();
  caps["video_like_count"] = like_cap;
  caps["video_comment_count"] = comment_cap;
  return std::move(out);
}

}  // namespace claimlens
