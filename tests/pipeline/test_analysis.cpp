// run_analysis on the real data against pandas/scipy figures (tests/fixtures/analysis_seed.json,
// from tests/fixtures/scripts/analysis_seed.py), and its bad-input errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/model_io/calibrate.hpp"
#include "claimlens/pipeline/analysis.hpp"
#include "claimlens/regression/logit.hpp"
#include "pipeline/video_records.hpp"
#include "support/paths.hpp"
#include "support/video_records.hpp"

using namespace claimlens;
using Json = nlohmann::json;
using claimlens::testing::claim_like;
using claimlens::testing::opinion_like;

namespace {

const DataFrame& videos() {
  static const DataFrame frame = read_csv(testing::real_dataset_path());
  return frame;
}

// The full analysis with the seed's grids, run once per process (the grid searches are slow).
const Analysis& full_analysis() {
  static const Analysis analysis = run_analysis(videos(), {});
  return analysis;
}

const Json& fixture() {
  static const Json j =
      Json::parse(testing::read_text_file(testing::fixture_path("analysis_seed.json")));
  return j;
}

bool close(double a, double b, double rel = 1e-9) {
  return std::abs(a - b) <= rel * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

void check_groups(const Json& got, const Json& want) {
  REQUIRE(got["keys"] == want["keys"]);
  REQUIRE(got["columns"] == want["columns"]);
  REQUIRE(got["groups"].size() == want["groups"].size());
  for (std::size_t g = 0; g < want["groups"].size(); ++g) {
    const Json& a = got["groups"][g];
    const Json& b = want["groups"][g];
    INFO("group " << b["key"].dump());
    REQUIRE(a["key"] == b["key"]);
    REQUIRE(a["size"] == b["size"]);
    for (const auto& c : want["columns"]) {
      const std::string col = c.get<std::string>();
      INFO(col);
      CHECK(close(a["mean"][col].get<double>(), b["mean"][col].get<double>()));
      CHECK(close(a["median"][col].get<double>(), b["median"][col].get<double>()));
    }
  }
}

std::vector<int> labels_of(const DataFrame& frame) {
  std::vector<int> y;
  const Column& status = frame.column("claim_status");
  for (std::size_t i = 0; i < frame.num_rows(); ++i) y.push_back(status.string_at(i) == "claim");
  return y;
}

}  // namespace

// One test case with sections: ctest runs each test case in its own process, and the analysis
// (two grid searches) is the slow part, so every check of the full run shares one.
TEST_CASE("analysis of the real data, run once: JSON, text and the seed reproduction") {
  SECTION("analysis JSON: documented keys and the seed's inspect, EDA and t-test figures") {
    const Json j = full_analysis().to_json();
    const Json& want = fixture();
    for (const char* key : {"data", "inspection", "eda", "hypothesis_test", "logistic_regression",
                            "claim_classifier", "timings", "seed", "claimlens_version"}) {
      INFO(key);
      REQUIRE(j.contains(key));
    }
    for (const char* key : {"rows", "columns", "rows_after_dropna"}) {
      CHECK(j["data"][key] == want["data"][key]);
    }
    CHECK(j["data"]["null_counts"] == want["data"]["null_counts"]);
    CHECK(j["inspection"]["duplicate_rows"] == want["data"]["duplicate_rows"]);
    CHECK(j["inspection"]["class_balance"] == want["class_balance"]);

    const Json& eda = j["eda"];
    for (const char* table : {"by_claim_status", "by_verified_status", "by_author_ban_status",
                              "by_claim_and_ban", "engagement_per_view", "text_length_by_claim"}) {
      INFO(table);
      check_groups(eda[table], want["eda"][table]);
    }
    for (const auto& item : want["eda"]["outliers"].items()) {
      INFO(item.key());
      const Json& got = eda["outliers"][item.key()];
      for (const auto& stat : item.value().items()) {
        INFO(stat.key());
        CHECK(close(got[stat.key()].get<double>(), stat.value().get<double>()));
      }
    }
    const Json& ct = eda["ban_by_claim"];
    CHECK(ct["rows"] == want["eda"]["ban_by_claim"]["rows"]);
    CHECK(ct["columns"] == want["eda"]["ban_by_claim"]["columns"]);
    CHECK(ct["counts"] == want["eda"]["ban_by_claim"]["counts"]);
    CHECK(ct["dof"] == want["eda"]["ban_by_claim"]["dof"]);
    CHECK(close(ct["chi2"].get<double>(), want["eda"]["ban_by_claim"]["chi2"].get<double>()));
    CHECK(close(ct["p_value"].get<double>(), want["eda"]["ban_by_claim"]["p_value"].get<double>(),
                1e-6));
    REQUIRE(eda["correlation"]["columns"] == want["eda"]["correlation"]["columns"]);
    for (std::size_t r = 0; r < want["eda"]["correlation"]["values"].size(); ++r) {
      for (std::size_t c = 0; c < want["eda"]["correlation"]["values"][r].size(); ++c) {
        CHECK(close(eda["correlation"]["values"][r][c].get<double>(),
                    want["eda"]["correlation"]["values"][r][c].get<double>()));
      }
    }

    const Json& h = j["hypothesis_test"];
    const Json& hw = want["hypothesis_test"];
    CHECK(h["test"] == "welch_t");
    CHECK(h["groups"] == hw["groups"]);
    CHECK(h["counts"] == hw["counts"]);
    CHECK(close(h["t"].get<double>(), hw["t"].get<double>()));
    CHECK(close(h["df"].get<double>(), hw["df"].get<double>()));
    CHECK(close(h["p_value"].get<double>(), hw["p_value"].get<double>(), 1e-6));
    CHECK(close(h["means"][0].get<double>(), hw["means"][0].get<double>()));
    CHECK(close(h["means"][1].get<double>(), hw["means"][1].get<double>()));
    CHECK(h["reject_null"] == hw["reject_null"]);
  }

  SECTION("analysis JSON: logistic regression with its Wald table") {
    const Analysis& a = full_analysis();
    const Json j = a.to_json()["logistic_regression"];
    for (const char* key : {"accuracy", "precision", "recall", "f1", "coefficients", "converged",
                            "iterations", "inference", "confusion_matrix"}) {
      INFO(key);
      REQUIRE(j.contains(key));
    }
    CHECK(j["converged"] == true);
    CHECK(j["accuracy"].get<double>() > 0.6);
    const auto& table = a.logistic_regression.coefficients;
    REQUIRE(table.size() == a.logistic_regression.result.feature_names.size() + 1);
    REQUIRE(j["inference"].size() == table.size());
    CHECK(table[0].name == "intercept");
    for (const auto& row : table) {
      INFO(row.name);
      CHECK(row.std_err > 0);
      CHECK(close(row.z, row.coef / row.std_err, 1e-12));
      CHECK(row.ci_low < row.coef);
      CHECK(row.ci_high > row.coef);
      CHECK(close(row.ci_high - row.coef, row.coef - row.ci_low, 1e-9));
    }
    // With C = 1 on ~26,000 rows the penalty is tiny: the standard errors are close to the
    // unpenalized maximum-likelihood ones (statsmodels' Logit) on the same training design.
    const auto& fit = a.logistic_regression.result;
    const LogitResults mle = fit_logit(fit.X_train, fit.y_train);
    for (std::size_t k = 0; k < table.size(); ++k) {
      INFO(table[k].name);
      const double se = mle.bse[Eigen::Index(k)];
      CHECK(std::abs(table[k].std_err - se) <= 0.05 * se);
      CHECK(std::abs(table[k].coef - mle.params[Eigen::Index(k)]) <= 0.5 * se);
    }
  }

  SECTION("analysis JSON: claim classifier with champion, test metrics and importances") {
    const Json j = full_analysis().to_json()["claim_classifier"];
    REQUIRE(j.is_object());
    const std::string champion = j["champion"].get<std::string>();
    CHECK((champion == "random_forest" || champion == "gradient_boosting"));
    for (const char* algo : {"random_forest", "gradient_boosting"}) {
      INFO(algo);
      REQUIRE(j[algo]["cv_recall"].is_number());
      REQUIRE(j[algo]["best_params"].is_object());
      REQUIRE(j[algo]["validation"]["recall"].is_number());
    }
    for (const char* key : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
      INFO(key);
      REQUIRE(j["test"][key].is_number());
    }
    REQUIRE(j["test"]["confusion_matrix"].size() == 2);
    CHECK(j["test"]["recall"].get<double>() >= 0.99);
    CHECK(j["random_forest"]["validation"]["recall"].get<double>() >= 0.99);
    REQUIRE(j["feature_importances"].size() == 25);
  }

  SECTION("calibration: isotonic on the validation split, measured on the test split") {
    const Analysis& a = full_analysis();
    REQUIRE(a.calibration.has_value());
    const CalibrationAnalysis& c = *a.calibration;
    const ClaimClassifier& clf = *a.classifier;
    CHECK(c.validation_rows == clf.report()["split"]["validation"].get<std::size_t>());
    CHECK(c.test_rows == clf.report()["split"]["test"].get<std::size_t>());
    // The same figures the library's calibrate path gives (model_io, as
    // tests/model/test_calibrated_real.cpp calibrates the champion), recomputed here.
    const ClaimSplit rows = claim_classifier_rows(videos(), a.seed);
    const DataFrame validation = videos().take(rows.validation), test = videos().take(rows.test);
    const std::vector<int> y_val = labels_of(validation), y_test = labels_of(test);
    const Model champion(clf);
    const Model calibrated = calibrate_on_scores(champion, champion.predict_proba(validation),
                                                 y_val, CalibrationMethod::Isotonic);
    const std::vector<double> raw = champion.predict_proba(test);
    const std::vector<double> p = calibrated.predict_proba(test);
    CHECK(close(c.raw.brier_score, brier_score_loss(y_test, raw), 1e-12));
    CHECK(close(c.raw.ece, expected_calibration_error(y_test, raw, 10), 1e-12));
    CHECK(close(c.raw.log_loss, log_loss(y_test, raw), 1e-12));
    CHECK(close(c.calibrated.brier_score, brier_score_loss(y_test, p), 1e-12));
    CHECK(close(c.calibrated.ece, expected_calibration_error(y_test, p, 10), 1e-12));
    CHECK(close(c.calibrated.log_loss, log_loss(y_test, p), 1e-12));
    CHECK(c.calibrated.curve.prob_true == calibration_curve(y_test, p, 10).prob_true);
    CHECK(c.raw.curve.count == calibration_curve(y_test, raw, 10).count);
    // Issue 18 on the seed's data: calibration lowers the test ECE.
    CHECK(c.calibrated.ece < c.raw.ece);
    const PrecisionRecallCurve pr = precision_recall_curve(y_test, p);
    CHECK(c.test_curve.precision == pr.precision);
    CHECK(c.test_curve.recall == pr.recall);

    // The operating point: chosen on the calibrated validation probabilities, applied to the
    // test split; its test precision and recall are the classification metrics at the threshold.
    REQUIRE(c.operating_point.has_value());
    REQUIRE(c.test_point.has_value());
    CHECK(c.operating_point_error.empty());
    BootstrapOptions bootstrap;
    bootstrap.seed = a.seed;
    const OperatingPoint chosen = choose_operating_point(
        calibrated.predict_proba(validation), y_val, OperatingTarget::Precision, 0.99, bootstrap);
    CHECK(c.operating_point->to_json() == chosen.to_json());
    CHECK(c.operating_point->precision >= 0.99);
    const OperatingPoint& t = *c.test_point;
    CHECK(t.threshold == chosen.threshold);
    std::vector<int> flagged;
    for (double v : p) flagged.push_back(v > chosen.threshold ? 1 : 0);
    CHECK(t.precision == precision_score(y_test, flagged));
    CHECK(t.recall == recall_score(y_test, flagged));
    CHECK(t.tp + t.fp + t.fn + t.tn == std::int64_t(y_test.size()));
    REQUIRE(t.bootstrap.has_value());
    CHECK(t.bootstrap->precision.lower <= t.bootstrap->precision.upper);
    CHECK(t.bootstrap->n_resamples == 1000);

    const Json j = a.to_json()["calibration"];
    CHECK(j["method"] == "isotonic");
    CHECK(j["score"] == "probability");
    CHECK(j["n_bins"] == 10);
    CHECK(j["raw"]["ece"].get<double>() == c.raw.ece);
    CHECK(j["calibrated"]["brier_score"].get<double>() == c.calibrated.brier_score);
    CHECK(j["operating_point"]["validation"] == chosen.to_json());
    CHECK(j["operating_point"]["test"]["recall"].get<double>() == t.recall);
    CHECK(j["operating_point"]["error"].is_null());
    CHECK(j["precision_recall_curve"]["recall"].size() == pr.recall.size());
    const std::string text = a.to_string();
    CHECK(text.find("== 6. Calibration and operating point") != std::string::npos);
    char shortest[32];
    const auto end = std::to_chars(shortest, shortest + sizeof shortest, chosen.threshold).ptr;
    CHECK(text.find("threshold " + std::string(shortest, end)) != std::string::npos);
  }

  SECTION("analysis text: one section per step with the key figures") {
    const std::string text = full_analysis().to_string();
    for (const char* part :
         {"== 1. Inspect", "== 2. EDA", "== 3. Hypothesis test", "== 4. Logistic regression",
          "== 5. Claim classifier", "== 6. Calibration", "== Timings", "shape: (19382, 12)",
          "t = 25.4994", "reject H0", "champion: ", "video_view_count_mean", "P>|z|"}) {
      INFO(part);
      CHECK(text.find(part) != std::string::npos);
    }
    const auto& timings = full_analysis().timings;
    REQUIRE(timings.size() == 6);
    CHECK(timings[4].step == "claim_classifier");
    CHECK(timings[5].step == "calibration");
  }

  SECTION("seed reproduction (course 6): grid-searched forest and boosting on the real data") {
    // The analysis trains the claim classifier with ClaimClassifier's defaults: the seed's grids.
    REQUIRE(full_analysis().classifier.has_value());
    const ClaimClassifier& clf = *full_analysis().classifier;
    const auto& r = clf.report();
    REQUIRE(r["rows_after_dropna"] == 19084);
    REQUIRE(r["split"]["train"] == 11450);
    REQUIRE(r["split"]["validation"] == 3817);
    REQUIRE(r["split"]["test"] == 3817);
    REQUIRE(r["feature_names"].size() == 25);
    CHECK(r["random_forest"]["cv_recall"].get<double>() >= 0.99);
    CHECK(r["gradient_boosting"]["cv_recall"].get<double>() >= 0.985);
    CHECK(r["random_forest"]["cv_results"]["params"].size() == 72);
    CHECK(r["gradient_boosting"]["cv_results"]["params"].size() == 24);
    const auto& test = r["test"];
    CHECK(test["recall"].get<double>() >= 0.985);
    if (clf.champion() == "random_forest") {
      CHECK(test["recall"].get<double>() >= 0.99);
      CHECK(test["roc_auc"].get<double>() >= 0.999);
    }
    // Views are the most important feature.
    const auto importances = clf.feature_importances();
    const auto top = std::max_element(importances.begin(), importances.end()) - importances.begin();
    CHECK(clf.featurizer().feature_names()[top] == "video_view_count");

    // The champion separates a claim-like from an opinion-like record and triages the claim first.
    REQUIRE(clf.predict_proba(claim_like()) > 0.5);
    REQUIRE(clf.predict_proba(opinion_like()) < 0.5);
    const auto order = clf.triage({opinion_like(), claim_like()});
    REQUIRE(order == std::vector<std::size_t>{1, 0});
    // A frame's rows are triaged as their records are.
    const DataFrame sample = videos().dropna().head(300);
    CHECK(clf.triage(sample) == clf.triage(claimlens::testing::video_records(sample)));
  }
}

TEST_CASE("analysis without the classifier and with progress reports") {
  AnalysisOptions options;
  options.train_classifier = false;
  std::vector<std::string> steps;
  options.progress = [&](const std::string& step, double f) {
    if (f == 0.0) steps.push_back(step);
  };
  const Analysis a = run_analysis(videos(), options);
  CHECK(!a.classifier);
  CHECK(!a.calibration);
  CHECK(a.to_json()["claim_classifier"].is_null());
  CHECK(a.to_json()["calibration"].is_null());
  CHECK(steps ==
        std::vector<std::string>{"inspect", "eda", "hypothesis_test", "logistic_regression"});
  CHECK(a.to_string().find("not trained") != std::string::npos);
}

TEST_CASE("analysis rejects frames without the TikTok schema, naming the column") {
  AnalysisOptions options;
  options.train_classifier = false;
  REQUIRE_THROWS_AS(run_analysis(videos().drop({"verified_status"}), options), SchemaError);
  REQUIRE_THROWS_WITH(run_analysis(videos().drop({"verified_status"}), options),
                      Catch::Contains("verified_status"));
  DataFrame wrong = videos();
  wrong.set_column("video_view_count",
                   Column::from_strings(std::vector<std::string>(wrong.num_rows(), "many")));
  REQUIRE_THROWS_WITH(run_analysis(wrong, options),
                      Catch::Contains("video_view_count") && Catch::Contains("numeric"));
  DataFrame numeric_text = videos();
  numeric_text.set_column("claim_status",
                          Column::from_int64(std::vector<std::int64_t>(wrong.num_rows(), 1)));
  REQUIRE_THROWS_WITH(run_analysis(numeric_text, options),
                      Catch::Contains("claim_status") && Catch::Contains("text"));
  REQUIRE_THROWS_AS(run_analysis(videos().head(10), options), InvalidArgument);
  REQUIRE_THROWS_AS(run_analysis(videos().tail(310), options), InvalidArgument);
}
