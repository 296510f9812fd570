// The calibrated model type (model/calibrated_model.hpp, model_io/calibrate.hpp): predictions are
// the calibrator applied to the base's score, the file round-trips through the one loader with the
// same bits, the model's threshold decides predict, out-of-fold calibration equals the calibrator
// fitted on out_of_fold_scores of the refitted model, an operating point moved to another model is
// refused, and the bad inputs of issue 18 fail with their messages.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/error.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/model_io/calibrate.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/random.hpp"
#include "io/temp_dir.hpp"
#include "support/same_bits.hpp"

using Catch::Matchers::Contains;
using claimlens::CalibratedModel;
using claimlens::CalibrationMethod;
using claimlens::CalibrationScore;
using claimlens::Model;
using claimlens::OperatingTarget;
using claimlens::RowMatrix;
using claimlens::testing::same_bits;
using nlohmann::json;

namespace {

struct Data {
  RowMatrix X;
  std::vector<double> y;
  std::vector<int> labels;
};

// n rows of 3 features; y depends on the first two through a noisy logistic link.
Data make_data(std::size_t n, std::uint64_t seed) {
  claimlens::Random rng(seed);
  Data d{RowMatrix(static_cast<Eigen::Index>(n), 3), {}, {}};
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    d.X(r, 0) = rng.normal();
    d.X(r, 1) = rng.normal();
    d.X(r, 2) = rng.uniform();
    const double z = 1.5 * d.X(r, 0) - d.X(r, 1) + 0.3;
    const int label = rng.uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1 : 0;
    d.y.push_back(label);
    d.labels.push_back(label);
  }
  return d;
}

Model boosting(const Data& d) {
  return Model::fit(json{{"algorithm", "gradient_boosting"},
                         {"n_estimators", 40},
                         {"max_depth", 3},
                         {"n_jobs", 1}},
                    d.X, d.y);
}

std::vector<double> saved_and_loaded(const Model& model, claimlens::io::ModelEncoding encoding,
                                     const RowMatrix& X, std::string& type) {
  const auto bytes = claimlens::save_model_buffer(model, encoding);
  const Model back = claimlens::load_model_buffer(bytes);
  type = back.model_type();
  REQUIRE(claimlens::save_model_buffer(back, encoding) == bytes);
  return back.predict_proba(X);
}

}  // namespace

TEST_CASE("a calibrated model predicts the calibrator of its base's score and round-trips") {
  const Data train = make_data(600, 1), cal = make_data(400, 2), test = make_data(300, 3);
  const Model base = boosting(train);
  const std::vector<double> base_cal = base.predict_proba(cal.X);
  for (const auto method : {CalibrationMethod::Sigmoid, CalibrationMethod::Isotonic}) {
    INFO(claimlens::calibration_method_name(method));
    const Model model = claimlens::calibrate_on_scores(base, base_cal, cal.labels, method);
    CHECK(std::string(model.model_type()) == "calibrated");
    const auto* calibrated = model.get_if<CalibratedModel>();
    REQUIRE(calibrated != nullptr);
    CHECK(calibrated->score() == claimlens::default_calibration_score(base, method));
    CHECK(calibrated->score() == (method == CalibrationMethod::Sigmoid
                                      ? CalibrationScore::Logit
                                      : CalibrationScore::Probability));
    // The calibrator is the one fitted on the scores of the calibration split.
    std::vector<double> scores = base_cal;
    for (double& s : scores) s = claimlens::calibration_score_of(calibrated->score(), s);
    const auto expected = claimlens::Calibrator::fit(method, scores, cal.labels);
    CHECK(calibrated->calibrator()->to_json() == expected.to_json());
    // Prediction: calibrator(score(base p)), row for row, on every path.
    const std::vector<double> raw = base.predict_proba(test.X), p = model.predict_proba(test.X);
    REQUIRE(p.size() == raw.size());
    for (std::size_t i = 0; i < p.size(); ++i) {
      REQUIRE(p[i] ==
              expected.predict(claimlens::calibration_score_of(calibrated->score(), raw[i])));
    }
    std::vector<double> rows(p.size());
    model.predict_proba_rows(test.X.data(), rows.size(), rows.data());
    CHECK(same_bits(rows, p));
    CHECK(same_bits(calibrated->base().predict_proba(test.X), raw));  // the raw score stays
    CHECK(model.threshold() == 0.5);
    CHECK(model.num_features() == 3);
    CHECK_THAT(model.describe(), Contains("calibrated (") && Contains("gradient_boosting"));
    for (const auto encoding :
         {claimlens::io::ModelEncoding::Json, claimlens::io::ModelEncoding::Cbor}) {
      std::string type;
      CHECK(same_bits(saved_and_loaded(model, encoding, test.X, type), p));
      CHECK(type == "calibrated");
    }
  }
}

TEST_CASE(
    "the model's threshold decides predict, and the operating point is saved with the model") {
  const Data train = make_data(600, 4), held = make_data(500, 5), test = make_data(300, 6);
  const Model base = boosting(train);
  CHECK(base.threshold() == 0.5);
  const std::vector<double> raw = base.predict_proba(test.X);
  const std::vector<int> classes = base.predict(test.X);
  for (std::size_t i = 0; i < raw.size(); ++i) CHECK(classes[i] == (raw[i] > 0.5 ? 1 : 0));

  const Model calibrated = claimlens::calibrate_on_scores(base, base.predict_proba(held.X),
                                                          held.labels, CalibrationMethod::Isotonic);
  const std::vector<double> held_p = calibrated.predict_proba(held.X);
  claimlens::BootstrapOptions bootstrap;
  bootstrap.n_resamples = 200;
  bootstrap.seed = 7;
  const Model chosen = claimlens::choose_model_operating_point(
      calibrated, held_p, held.labels, OperatingTarget::Precision, 0.8, bootstrap);
  const auto point = claimlens::model_operating_point(chosen);
  REQUIRE(point);
  const auto direct = claimlens::choose_operating_point(held_p, held.labels,
                                                        OperatingTarget::Precision, 0.8, bootstrap);
  CHECK(point->to_json() == direct.to_json());
  CHECK(chosen.threshold() == point->threshold);
  CHECK(point->precision >= 0.8);
  const std::vector<double> p = chosen.predict_proba(test.X);
  CHECK(same_bits(p, calibrated.predict_proba(test.X)));  // the point changes decisions only
  const std::vector<int> decided = chosen.predict(test.X);
  for (std::size_t i = 0; i < p.size(); ++i) {
    CHECK(decided[i] == (p[i] > point->threshold ? 1 : 0));
    CHECK(chosen.predicts_positive(p[i]) == (decided[i] == 1));
  }
  const Model back = claimlens::load_model_buffer(
      claimlens::save_model_buffer(chosen, claimlens::io::ModelEncoding::Cbor));
  CHECK(back.threshold() == point->threshold);
  CHECK(claimlens::model_operating_point(back)->to_json() == point->to_json());

  // A model that is not calibrated gets its operating point through a wrapper without a
  // calibrator: same probabilities, its own threshold.
  const Model thresholded = claimlens::choose_model_operating_point(
      base, base.predict_proba(held.X), held.labels, OperatingTarget::Recall, 0.9, bootstrap);
  CHECK(std::string(thresholded.model_type()) == "calibrated");
  CHECK_FALSE(thresholded.get_if<CalibratedModel>()->calibrator());
  CHECK(same_bits(thresholded.predict_proba(test.X), raw));
  CHECK(thresholded.threshold() == claimlens::model_operating_point(thresholded)->threshold);
  CHECK(claimlens::model_operating_point(thresholded)->recall >= 0.9);
}

TEST_CASE("out-of-fold calibration refits the model on each fold (CalibratedClassifierCV)") {
  const Data train = make_data(500, 8), test = make_data(200, 9);
  const Model base = boosting(train);
  claimlens::CalibrateOptions options;
  options.method = CalibrationMethod::Sigmoid;
  options.cv = 3;
  const Model model = claimlens::calibrate_model(base, train.X, train.labels, options);
  // The same by hand: each fold's model fitted with the same parameters on the other folds.
  const claimlens::FoldScorer scorer = [&](const std::vector<std::size_t>& tr,
                                           const std::vector<std::size_t>& te) {
    RowMatrix Xtr(static_cast<Eigen::Index>(tr.size()), 3),
        Xte(static_cast<Eigen::Index>(te.size()), 3);
    std::vector<double> ytr;
    for (std::size_t k = 0; k < tr.size(); ++k) {
      Xtr.row(static_cast<Eigen::Index>(k)) = train.X.row(static_cast<Eigen::Index>(tr[k]));
      ytr.push_back(train.y[tr[k]]);
    }
    for (std::size_t k = 0; k < te.size(); ++k) {
      Xte.row(static_cast<Eigen::Index>(k)) = train.X.row(static_cast<Eigen::Index>(te[k]));
    }
    return boosting(Data{Xtr, ytr, {}}).predict_proba(Xte);
  };
  claimlens::OutOfFoldOptions folds;
  folds.n_splits = 3;
  std::vector<double> oof = claimlens::out_of_fold_scores(train.labels, scorer, folds);
  for (double& s : oof) s = claimlens::probability_logit(s);
  const auto expected = claimlens::Calibrator::fit(CalibrationMethod::Sigmoid, oof, train.labels);
  const auto* calibrated = model.get_if<CalibratedModel>();
  REQUIRE(calibrated != nullptr);
  CHECK(calibrated->calibrator()->to_json() == expected.to_json());
  CHECK(same_bits(calibrated->base().predict_proba(test.X), base.predict_proba(test.X)));

  // Logistic regression and random forests refit too (their documents' params are Model::fit's).
  for (const char* algorithm : {"logistic_regression", "random_forest"}) {
    json params = {{"algorithm", algorithm}};
    if (std::string(algorithm) == "random_forest")
      params.update({{"n_estimators", 10}, {"n_jobs", 1}});
    const Model other = Model::fit(params, train.X, train.y);
    // Platt scaling reads a forest's vote share, and a logistic regression's margin.
    CHECK(claimlens::default_calibration_score(other, CalibrationMethod::Sigmoid) ==
          (std::string(algorithm) == "random_forest" ? CalibrationScore::Probability
                                                     : CalibrationScore::Logit));
    options.method = CalibrationMethod::Isotonic;
    CHECK(std::string(
              claimlens::calibrate_model(other, train.X, train.labels, options).model_type()) ==
          "calibrated");
  }
}

TEST_CASE("calibration bad input: messages name the cause") {
  const Data train = make_data(300, 10);
  const Model base = boosting(train);
  const std::vector<double> p = base.predict_proba(train.X);
  claimlens::CalibrateOptions options;

  // One class.
  const std::vector<int> ones(p.size(), 1);
  CHECK_THROWS_WITH(claimlens::calibrate_on_scores(base, p, ones, CalibrationMethod::Sigmoid),
                    Contains("y holds only class 1") && Contains("needs rows of both classes"));
  options.cv = 5;
  CHECK_THROWS_AS(claimlens::calibrate_model(base, train.X, ones, options),
                  claimlens::InvalidArgument);
  // Fewer than 2 rows per fold: 4 positives for 5 folds.
  std::vector<int> rare(p.size(), 0);
  for (std::size_t i = 0; i < 4; ++i) rare[i] = 1;
  CHECK_THROWS_WITH(claimlens::calibrate_model(base, train.X, rare, options),
                    Contains("n_splits = 5 folds need at least 5 rows of each class") &&
                        Contains("class 1 has 4"));
  options.cv = 1;
  CHECK_THROWS_WITH(claimlens::calibrate_model(base, train.X, train.labels, options),
                    Contains("cv must be 0 (a calibration split) or at least 2 folds"));
  // Scores all equal.
  const std::vector<double> flat(p.size(), 0.25);
  CHECK_THROWS_WITH(
      claimlens::calibrate_on_scores(base, flat, train.labels, CalibrationMethod::Isotonic),
      Contains("calibration scores are all equal (0.25)"));
  // A target precision outside (0, 1].
  for (const double target : {0.0, 1.5, -0.1}) {
    CHECK_THROWS_WITH(claimlens::choose_model_operating_point(base, p, train.labels,
                                                              OperatingTarget::Precision, target),
                      Contains("the target precision must be in (0, 1]"));
  }
  // A calibrated model cannot be the base of another.
  const Model calibrated =
      claimlens::calibrate_on_scores(base, p, train.labels, CalibrationMethod::Sigmoid);
  CHECK_THROWS_WITH(
      claimlens::calibrate_on_scores(calibrated, p, train.labels, CalibrationMethod::Sigmoid),
      Contains("cannot be the base of another calibrated model"));
  // Sizes.
  options.cv = 0;
  CHECK_THROWS_WITH(claimlens::calibrate_model(base, train.X, std::vector<int>{0, 1}, options),
                    Contains("y has 2 labels but the data has 300 rows"));
}

TEST_CASE("an operating point chosen for another model is refused, in memory and in a file") {
  const Data a = make_data(400, 11), b = make_data(400, 12);
  const Model model_a = boosting(a), model_b = boosting(b);
  const Model chosen_a = claimlens::choose_model_operating_point(
      model_a, model_a.predict_proba(a.X), a.labels, OperatingTarget::Precision, 0.7);
  const auto point = *claimlens::model_operating_point(chosen_a);
  const std::string fp_a = claimlens::model_fingerprint(model_a);
  CHECK(fp_a.size() == 16);
  CHECK(fp_a == claimlens::model_fingerprint(chosen_a));
  CHECK(fp_a != claimlens::model_fingerprint(model_b));
  CHECK_THROWS_WITH(claimlens::with_operating_point(model_b, point, fp_a),
                    Contains("the operating point was chosen for another model (fingerprint " +
                             fp_a + ", this model's is " + claimlens::model_fingerprint(model_b)));
  CHECK(claimlens::with_operating_point(model_a, point, fp_a).threshold() == point.threshold);

  // A file whose operating point was moved over from another model's file.
  const Model chosen_b = claimlens::choose_model_operating_point(
      model_b, model_b.predict_proba(b.X), b.labels, OperatingTarget::Precision, 0.7);
  const auto bytes_a = claimlens::save_model_buffer(chosen_a, claimlens::io::ModelEncoding::Json);
  const auto bytes_b = claimlens::save_model_buffer(chosen_b, claimlens::io::ModelEncoding::Json);
  json doc_a = json::parse(bytes_a.begin(), bytes_a.end());
  const json doc_b = json::parse(bytes_b.begin(), bytes_b.end());
  doc_a["model"]["operating_point"] = doc_b["model"]["operating_point"];
  doc_a["model"]["operating_point_model"] = doc_b["model"]["operating_point_model"];
  const std::string moved = doc_a.dump();
  CHECK_THROWS_WITH(claimlens::load_model_buffer(claimlens::Span<const std::uint8_t>(
                        reinterpret_cast<const std::uint8_t*>(moved.data()), moved.size())),
                    Contains("operating_point_model") &&
                        Contains("the operating point was chosen for another model"));
  // Other damage: a nested calibrated base, an unknown score.
  json nested = doc_a;
  nested["model"]["base_type"] = "calibrated";
  const std::string nested_text = nested.dump();
  CHECK_THROWS_WITH(
      claimlens::load_model_buffer(claimlens::Span<const std::uint8_t>(
          reinterpret_cast<const std::uint8_t*>(nested_text.data()), nested_text.size())),
      Contains("base_type") && Contains("cannot be \"calibrated\""));
  json score = json::parse(bytes_a.begin(), bytes_a.end());
  score["model"]["score"] = "margin";
  const std::string score_text = score.dump();
  CHECK_THROWS_AS(claimlens::load_model_buffer(claimlens::Span<const std::uint8_t>(
                      reinterpret_cast<const std::uint8_t*>(score_text.data()), score_text.size())),
                  claimlens::ModelFormatError);
}

TEST_CASE("a calibrated model explains with its base, on the base's scale") {
  const Data train = make_data(600, 1), cal = make_data(400, 2), test = make_data(50, 3);
  const Model base = boosting(train);
  const Model model = claimlens::calibrate_on_scores(base, base.predict_proba(cal.X), cal.labels,
                                                     CalibrationMethod::Isotonic);
  CHECK(model.explanation_scale() == base.explanation_scale());
  CHECK(model.expected_value() == base.expected_value());
  CHECK(model.feature_groups() == base.feature_groups());
  const auto ours = model.explain(test.X);
  const auto theirs = base.explain(test.X);
  CHECK(ours.values == theirs.values);
  CHECK(ours.residual == theirs.residual);
  std::vector<double> row(model.num_features() + 1), residual(1);
  model.explain_rows(test.X.data(), 1, row.data(), residual.data(), nullptr);
  CHECK(std::equal(row.begin(), row.end(), theirs.values.begin()));
}
