// Calibrating a model of any type (claimlens/model_io/calibrate.hpp). It lives above the pipelines
// because refitting a tabular pipeline's estimator needs the pipeline's feature matrix.
#include "claimlens/model_io/calibrate.hpp"

#include <cmath>

#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens {
namespace {

const Model& uncalibrated(const Model& model) {
  const auto* calibrated = model.get_if<CalibratedModel>();
  return calibrated ? calibrated->base() : model;
}

void check_sizes(std::size_t rows, Span<const int> y) {
  if (y.size() != rows) {
    throw InvalidArgument("y has " + std::to_string(y.size()) + " labels but the data has " +
                          std::to_string(rows) + " rows");
  }
}

// Out-of-fold probabilities of `estimator` refitted fold by fold on X (what it reads).
std::vector<double> out_of_fold_proba(const Model& estimator, const RowMatrix& X, Span<const int> y,
                                      const CalibrateOptions& calibrate) {
  std::vector<double> labels(y.begin(), y.end());
  const FoldScorer scorer = [&](const std::vector<std::size_t>& train,
                                const std::vector<std::size_t>& test) {
    std::vector<double> y_train(train.size());
    for (std::size_t k = 0; k < train.size(); ++k) y_train[k] = labels[train[k]];
    const Model fold = refit_model(estimator, take_rows(X, train), y_train);
    return fold.predict_proba(take_rows(X, test));
  };
  OutOfFoldOptions options;
  options.n_splits = calibrate.cv;
  options.progress = calibrate.progress;
  return out_of_fold_scores(y, scorer, options);
}

void check_cv(std::size_t cv) {
  if (cv == 1) throw InvalidArgument("cv must be 0 (a calibration split) or at least 2 folds");
}

Model fit_on(const Model& base, const std::vector<double>& proba, Span<const int> y,
             const CalibrateOptions& options) {
  for (std::size_t i = 0; i < proba.size(); ++i) {
    if (std::isnan(proba[i])) {
      throw InvalidArgument("the model cannot score row " + std::to_string(i) +
                            " of the calibration data (a missing input); drop it first");
    }
  }
  return calibrate_on_scores(base, proba, y, options.method, options.score);
}

}  // namespace

CalibrationScore default_calibration_score(const Model& base, CalibrationMethod method) {
  if (method == CalibrationMethod::Isotonic) return CalibrationScore::Probability;
  const Model* estimator = &uncalibrated(base);
  if (const auto* pipeline = estimator->get_if<TabularPipeline>()) estimator = &pipeline->model();
  if (const auto* clf = estimator->get_if<ClaimClassifier>()) estimator = &clf->model();
  return estimator->get_if<RandomForestClassifier>() != nullptr ? CalibrationScore::Probability
                                                                : CalibrationScore::Logit;
}

Model calibrate_on_scores(const Model& base, Span<const double> proba, Span<const int> y,
                          CalibrationMethod method, std::optional<CalibrationScore> score) {
  const CalibrationScore kind = score.value_or(default_calibration_score(base, method));
  std::vector<double> scores(proba.begin(), proba.end());
  for (double& s : scores) s = calibration_score_of(kind, s);
  return Model(CalibratedModel(base, kind, Calibrator::fit(method, scores, y)));
}

Model calibrate_model(const Model& model, const DataFrame& frame, Span<const int> y,
                      const std::vector<std::string>& ignore, const CalibrateOptions& options) {
  check_cv(options.cv);
  const Model& base = uncalibrated(model);
  check_sizes(frame.num_rows(), y);
  if (options.cv == 0) return fit_on(base, base.predict_proba(frame, ignore), y, options);
  if (const auto* pipeline = base.get_if<TabularPipeline>()) {
    const RowMatrix X = pipeline->model_matrix(frame);
    return fit_on(base, out_of_fold_proba(pipeline->model(), X, y, options), y, options);
  }
  check_refittable(base);
  const RowMatrix X = model_frame_matrix(base, frame, ignore);
  return fit_on(base, out_of_fold_proba(base, X, y, options), y, options);
}

Model calibrate_model(const Model& model, const RowMatrix& X, Span<const int> y,
                      const CalibrateOptions& options) {
  check_cv(options.cv);
  const Model& base = uncalibrated(model);
  check_sizes(static_cast<std::size_t>(X.rows()), y);
  if (options.cv == 0) return fit_on(base, base.predict_proba(X), y, options);
  if (base.get_if<TabularPipeline>() != nullptr) {
    throw StateError(
        "out-of-fold calibration of a tabular_pipeline needs the frame (its plan imputes before "
        "the estimator reads): calibrate it on a frame");
  }
  return fit_on(base, out_of_fold_proba(base, X, y, options), y, options);
}

}  // namespace claimlens
