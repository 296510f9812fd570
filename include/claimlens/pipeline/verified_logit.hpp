// The seed analysis' course-5 step: logistic regression of verified_status, solved to the true
// optimum (scikit-learn's lbfgs stops short of it on this unscaled design).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/json_document.hpp"

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace claimlens {

struct VerifiedLogitOptions {
  std::uint64_t random_state = 0;  // upsampling and the 75/25 split
  double C = 1.0;
  int max_iter = 100;
};

struct VerifiedLogitResult {
  std::vector<std::string> feature_names;  // the 8 design columns
  LogisticRegression model;
  std::size_t rows_after_dropna = 0, rows_after_upsampling = 0, train_rows = 0, test_rows = 0;
  double like_cap = 0, comment_cap = 0;  // Q3 + 1.5 IQR fences applied
  /// The training design the model was fitted on (rows x feature_names) and its 0/1 target, for
  /// inference on the fitted coefficients (the analysis' standard errors).
  RowMatrix X_train;
  Vector y_train;
  /// Test metrics for the "verified" class: accuracy, precision, recall, f1, confusion matrix,
  /// and scikit-learn's classification_report text.
  JsonDocument test;  // freed without allocating (claimlens/json_document.hpp)
  std::string classification_report;

  /// {feature: coefficient} plus intercept, convergence (gradient norm, iterations), metrics.
  nlohmann::json to_json() const;
};

/// Drops null rows; caps video_like_count and video_comment_count at Q3 + 1.5 IQR; upsamples
/// "verified" with replacement to the majority's size; one-hot encodes claim_status and
/// author_ban_status (drop_first) beside video_duration_sec, video_view_count, video_share_count,
/// video_download_count and video_comment_count; splits 75/25; fits LogisticRegression(C) with
/// the Newton solver to the optimum (StateError if it does not converge).
VerifiedLogitResult verified_logit(const DataFrame& videos,
                                   const VerifiedLogitOptions& options = {});

}  // namespace claimlens
