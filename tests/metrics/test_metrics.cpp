// Parity with sklearn.metrics on the vectors of tests/fixtures/sklearn_metrics.json (written by
// tests/fixtures/scripts/sklearn_metrics.py), plus the error paths.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/metrics/metrics.hpp"
#include "support/paths.hpp"

using claimlens::Average;
using nlohmann::json;

namespace {

const json& fixture() {
  static const json data = json::parse(
      claimlens::testing::read_text_file(claimlens::testing::fixture_path("sklearn_metrics.json")));
  return data;
}

constexpr double kTol = 1e-12;

void check_close(double actual, double expected, const std::string& what) {
  INFO(what << ": actual " << actual << " expected " << expected);
  CHECK(std::abs(actual - expected) <= kTol);
}

void check_vector(const std::vector<double>& actual, const json& expected,
                  const std::string& what) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    check_close(actual[i], expected[i].get<double>(), what + "[" + std::to_string(i) + "]");
  }
}

void check_confusion(const claimlens::ConfusionMatrix& cm, const json& expected) {
  REQUIRE(cm.size() == expected.size());
  for (std::size_t i = 0; i < cm.size(); ++i) {
    for (std::size_t j = 0; j < cm.size(); ++j) {
      CHECK(cm(i, j) == expected[i][j].get<std::int64_t>());
    }
  }
}

void check_prfs(const std::vector<int>& y_true, const std::vector<int>& y_pred, const json& block,
                const std::vector<int>& labels = {}) {
  const double zd = block["zero_division"].get<double>();
  const auto scores = claimlens::precision_recall_fscore_support(y_true, y_pred, labels, zd);
  CHECK(scores.labels == block["labels"].get<std::vector<int>>());
  check_vector(scores.precision, block["precision"], "precision");
  check_vector(scores.recall, block["recall"], "recall");
  check_vector(scores.f1, block["f1"], "f1");
  CHECK(scores.support == block["support"].get<std::vector<std::int64_t>>());
  const std::pair<const char*, Average> averages[] = {
      {"micro", Average::Micro}, {"macro", Average::Macro}, {"weighted", Average::Weighted}};
  for (const auto& [name, average] : averages) {
    const auto avg =
        claimlens::precision_recall_fscore_support(y_true, y_pred, average, 1, labels, zd);
    const std::string what = std::string(name) + " zd=" + std::to_string(zd);
    check_close(avg.precision, block[name][0].get<double>(), what + " precision");
    check_close(avg.recall, block[name][1].get<double>(), what + " recall");
    check_close(avg.f1, block[name][2].get<double>(), what + " f1");
  }
}

}  // namespace

TEST_CASE("metrics: binary cases with tied scores match sklearn") {
  REQUIRE(fixture()["binary"].size() >= 5);
  for (const auto& c : fixture()["binary"]) {
    const std::string name = c["name"].get<std::string>();
    INFO("case " << name);
    const auto y_true = c["y_true"].get<std::vector<int>>();
    const auto y_pred = c["y_pred"].get<std::vector<int>>();
    const auto y_score = c["y_score"].get<std::vector<double>>();
    const auto proba = c["proba"].get<std::vector<double>>();

    check_close(claimlens::accuracy_score(y_true, y_pred), c["accuracy"].get<double>(), "accuracy");
    check_confusion(claimlens::confusion_matrix(y_true, y_pred, {0, 1}), c["confusion_matrix"]);
    check_close(claimlens::roc_auc_score(y_true, y_score), c["roc_auc"].get<double>(), "roc_auc");
    check_close(claimlens::log_loss(y_true, proba), c["log_loss"].get<double>(), "log_loss");
    for (const auto& block : c["prfs"]) check_prfs(y_true, y_pred, block);
    for (int pos_label : {0, 1}) {
      for (int zd : {0, 1}) {
        const auto& expected = c["binary"][std::to_string(pos_label) + "_" + std::to_string(zd)];
        const std::string what = "binary pos_label=" + std::to_string(pos_label);
        check_close(claimlens::precision_score(y_true, y_pred, Average::Binary, pos_label, zd),
                    expected[0].get<double>(), what + " precision");
        check_close(claimlens::recall_score(y_true, y_pred, Average::Binary, pos_label, zd),
                    expected[1].get<double>(), what + " recall");
        check_close(claimlens::f1_score(y_true, y_pred, Average::Binary, pos_label, zd),
                    expected[2].get<double>(), what + " f1");
      }
    }
    for (bool drop : {true, false}) {
      const auto curve = claimlens::roc_curve(y_true, y_score, drop);
      const auto& expected = c[drop ? "roc_curve_drop" : "roc_curve_all"];
      check_vector(curve.fpr, expected["fpr"], "fpr");
      check_vector(curve.tpr, expected["tpr"], "tpr");
      check_vector(curve.thresholds, expected["thresholds"], "thresholds");
    }
    const auto pr = claimlens::precision_recall_curve(y_true, y_score);
    const auto& want_pr = c["precision_recall_curve"];
    check_vector(pr.precision, want_pr["precision"], "pr precision");
    check_vector(pr.recall, want_pr["recall"], "pr recall");
    check_vector(pr.thresholds, want_pr["thresholds"], "pr thresholds");
    CHECK(claimlens::classification_report(y_true, y_pred) == c["report_2"].get<std::string>());
    claimlens::ReportOptions options;
    options.digits = 4;
    CHECK(claimlens::classification_report(y_true, y_pred, options) ==
          c["report_4"].get<std::string>());
    options = {};
    options.labels = {0, 1};
    options.target_names = {"opinion", "claim"};
    CHECK(claimlens::classification_report(y_true, y_pred, options) ==
          c["report_names"].get<std::string>());
  }
}

TEST_CASE("metrics: multiclass scores, averages and zero_division match sklearn") {
  const auto& c = fixture()["multiclass"];
  const auto y_true = c["y_true"].get<std::vector<int>>();
  const auto y_pred = c["y_pred"].get<std::vector<int>>();
  check_close(claimlens::accuracy_score(y_true, y_pred), c["accuracy"].get<double>(), "accuracy");
  const auto cm = claimlens::confusion_matrix(y_true, y_pred);
  CHECK(cm.labels == std::vector<int>{0, 1, 2, 3});
  check_confusion(cm, c["confusion_matrix"]);
  const auto cm201 = claimlens::confusion_matrix(y_true, y_pred, {2, 0, 1});
  CHECK(cm201.labels == std::vector<int>{2, 0, 1});
  check_confusion(cm201, c["confusion_matrix_201"]);
  for (const auto& block : c["prfs"]) check_prfs(y_true, y_pred, block);
  check_prfs(y_true, y_pred, c["prfs_subset"], {1, 3});
  for (int label : {3, 9}) {
    for (int zd : {0, 1}) {
      INFO("weighted average over label " << label << " zero_division " << zd);
      const auto& expected =
          c["weighted_no_support"][std::to_string(label) + "_" + std::to_string(zd)];
      const auto avg = claimlens::precision_recall_fscore_support(y_true, y_pred, Average::Weighted,
                                                                  1, {label}, zd);
      check_close(avg.precision, expected[0].get<double>(), "precision");
      check_close(avg.recall, expected[1].get<double>(), "recall");
      check_close(avg.f1, expected[2].get<double>(), "f1");
    }
  }
  CHECK_THROWS_WITH(claimlens::f1_score(y_true, y_pred),
                    Catch::Contains("average=binary needs at most two labels"));
  CHECK_THROWS_AS(claimlens::precision_score(std::vector<int>{0, 1, 1}, std::vector<int>{0, 1, 0},
                                             Average::Binary, 2),
                  claimlens::InvalidArgument);
}

TEST_CASE("metrics: multiclass log loss renormalises clipped rows like sklearn") {
  const auto& c = fixture()["multiclass"];
  const auto y_true = c["y_true"].get<std::vector<int>>();
  const auto to_matrix = [](const json& rows) {
    claimlens::RowMatrix m(rows.size(), rows[0].size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
      for (std::size_t j = 0; j < rows[i].size(); ++j) {
        m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j].get<double>();
      }
    }
    return m;
  };
  check_close(claimlens::log_loss(y_true, to_matrix(c["proba"])), c["log_loss"].get<double>(),
              "log_loss 3 labels");
  check_close(claimlens::log_loss(y_true, to_matrix(c["log_loss_4_proba"]), {0, 1, 2, 3}),
              c["log_loss_4"].get<double>(), "log_loss 4 labels");
  CHECK_THROWS_WITH(claimlens::log_loss(y_true, to_matrix(c["log_loss_4_proba"])),
                    Catch::Contains("4 columns but there are 3 labels"));
  CHECK_THROWS_WITH(claimlens::log_loss(y_true, to_matrix(c["proba"]), {0, 1, 5}),
                    Catch::Contains("is not one of the labels"));
  claimlens::RowMatrix one(2, 1);
  one << 1.0, 1.0;
  CHECK_THROWS_WITH(claimlens::log_loss(std::vector<int>{4, 4}, one),
                    Catch::Contains("only the label 4"));
}

TEST_CASE("metrics: classification_report text equals sklearn's") {
  const auto& c = fixture()["multiclass"];
  const auto y_true = c["y_true"].get<std::vector<int>>();
  const auto y_pred = c["y_pred"].get<std::vector<int>>();
  claimlens::ReportOptions options;
  CHECK(claimlens::classification_report(y_true, y_pred, options) ==
        c["report_2"].get<std::string>());
  options.digits = 4;
  CHECK(claimlens::classification_report(y_true, y_pred, options) ==
        c["report_4"].get<std::string>());
  options.digits = 2;
  options.zero_division = 1.0;
  CHECK(claimlens::classification_report(y_true, y_pred, options) ==
        c["report_zd1"].get<std::string>());
  options.zero_division = 0.0;
  options.labels = {0, 1};  // a subset: the first average line is "micro avg", not "accuracy"
  CHECK(claimlens::classification_report(y_true, y_pred, options) ==
        c["report_subset"].get<std::string>());

  const auto& r = fixture()["rounding"];
  const auto rt = r["y_true"].get<std::vector<int>>();
  const auto rp = r["y_pred"].get<std::vector<int>>();
  check_prfs(rt, rp, r["prfs"][0]);
  CHECK(claimlens::classification_report(rt, rp) == r["report_2"].get<std::string>());
  claimlens::ReportOptions one_digit;
  one_digit.digits = 1;
  CHECK(claimlens::classification_report(rt, rp, one_digit) == r["report_1"].get<std::string>());
  claimlens::ReportOptions named;
  named.target_names = {"opini\xC3\xB3n", "claim", "a very long class name"};
  CHECK(claimlens::classification_report(rt, rp, named) ==
        r["report_long_names"].get<std::string>());
  named.target_names.pop_back();
  CHECK_THROWS_WITH(claimlens::classification_report(rt, rp, named),
                    Catch::Contains("3 labels but 2 target_names"));
  named = {};
  named.digits = -1;
  CHECK_THROWS_WITH(claimlens::classification_report(rt, rp, named), Catch::Contains("digits"));
}

TEST_CASE("metrics: roc_auc_score handles large inputs with ties exactly") {
  // All scores tied: AUC is exactly one half whatever the labels.
  std::vector<int> y(100001);
  std::vector<double> s(y.size(), 0.25);
  for (std::size_t i = 0; i < y.size(); ++i) y[i] = static_cast<int>(i % 3 == 0);
  CHECK(claimlens::roc_auc_score(y, s) == 0.5);
  // Perfect ranking with a negative zero and mixed signs: AUC 1; reversed: 0.
  for (std::size_t i = 0; i < y.size(); ++i)
    s[i] = y[i] ? 1.0 + static_cast<double>(i) : -0.0 - static_cast<double>(i % 7);
  CHECK(claimlens::roc_auc_score(y, s) == 1.0);
  for (double& v : s) v = -v;
  CHECK(claimlens::roc_auc_score(y, s) == 0.0);
  // -0.0 and 0.0 are one threshold.
  const auto curve =
      claimlens::roc_curve(std::vector<int>{0, 1, 1, 0}, std::vector<double>{-0.0, 0.0, 1.0, 1.0});
  CHECK(curve.thresholds.size() == 3);
}

TEST_CASE("metrics: bad input is rejected with clear messages") {
  const std::vector<int> empty;
  const std::vector<double> no_scores;
  CHECK_THROWS_WITH(claimlens::accuracy_score(empty, empty), Catch::Contains("y_true is empty"));
  CHECK_THROWS_WITH(claimlens::accuracy_score(std::vector<int>{0, 1}, std::vector<int>{0}),
                    Catch::Contains("y_true has 2 samples but y_pred has 1"));
  CHECK_THROWS_AS(claimlens::confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{1}),
                  claimlens::InvalidArgument);
  CHECK_THROWS_WITH(
      claimlens::confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{1, 1}, {7, 8}),
      Catch::Contains("at least one label specified must be in y_true"));
  CHECK_THROWS_WITH(
      claimlens::confusion_matrix(std::vector<int>{0, 1}, std::vector<int>{1, 1}, {0, 1, 0}),
      Catch::Contains("label 0 is listed twice"));
  CHECK_THROWS_WITH(
      claimlens::f1_score(std::vector<int>{0, 1}, std::vector<int>{0, 1}, Average::Macro, 1, 0.5),
      Catch::Contains("zero_division must be 0 or 1"));
  CHECK_THROWS_WITH(claimlens::precision_score(std::vector<int>{0, 1}, std::vector<int>{0, 1},
                                               Average::Binary, 5),
                    Catch::Contains("pos_label=5 is not a valid label"));

  const std::vector<int> y{0, 1, 1, 0};
  CHECK_THROWS_WITH(claimlens::roc_auc_score(empty, no_scores), Catch::Contains("y_true is empty"));
  CHECK_THROWS_WITH(claimlens::roc_auc_score(y, std::vector<double>{0.1, 0.2}),
                    Catch::Contains("y_true has 4 samples but y_score has 2"));
  CHECK_THROWS_WITH(
      claimlens::roc_auc_score(std::vector<int>{0, 2, 1}, std::vector<double>{0, 1, 2}),
      Catch::Contains("binary labels 0/1, got 2 at index 1"));
  CHECK_THROWS_WITH(claimlens::roc_auc_score(y, std::vector<double>{0.1, NAN, 0.3, 0.4}),
                    Catch::Contains("y_score[1] is NaN"));
  CHECK_THROWS_WITH(claimlens::roc_curve(y, std::vector<double>{0.1, 0.2, INFINITY, 0.4}),
                    Catch::Contains("y_score[2] is infinite"));
  CHECK_THROWS_WITH(
      claimlens::precision_recall_curve(std::vector<int>{0, 0}, std::vector<double>{0.1, 0.2}),
      Catch::Contains("precision_recall_curve: only one class (0) present in y_true; the "
                      "precision-recall curve is not defined"));
  CHECK_THROWS_WITH(claimlens::precision_recall_curve(y, std::vector<double>{0.1, NAN, 0.3, 0.4}),
                    Catch::Contains("precision_recall_curve: y_score[1] is NaN"));
  CHECK_THROWS_WITH(
      claimlens::roc_auc_score(std::vector<int>{1, 1, 1}, std::vector<double>{0.1, 0.2, 0.3}),
      Catch::Contains("only one class (1) present in y_true"));
  CHECK_THROWS_AS(claimlens::roc_curve(std::vector<int>{0, 0}, std::vector<double>{0.1, 0.2}),
                  claimlens::InvalidArgument);
  CHECK_THROWS_WITH(claimlens::log_loss(y, std::vector<double>{0.1, 0.2, NAN, 0.3}),
                    Catch::Contains("proba[2] is not finite"));
  CHECK_THROWS_WITH(claimlens::log_loss(std::vector<int>{0, -1}, std::vector<double>{0.1, 0.2}),
                    Catch::Contains("got -1 at index 1"));
  CHECK_THROWS_WITH(claimlens::log_loss(y, std::vector<double>{0.1}),
                    Catch::Contains("y_true has 4 samples but proba has 1"));
}

// Labels spread wider than the dense lookup table (2^20) take the sorted-search path: it must
// count exactly as the dense path does for the same samples relabelled 0, 1, 2.
TEST_CASE("metrics: labels far apart count as the same samples relabelled densely") {
  const int lo = -2000000000, hi = 2000000000;
  const std::vector<int> wide_true{5, lo, hi, 5, hi, lo, 5};
  const std::vector<int> wide_pred{5, hi, hi, lo, hi, lo, 7};
  const auto dense = [&](int v) { return v == lo ? 0 : v == 5 ? 1 : v == 7 ? 2 : 3; };
  std::vector<int> dense_true, dense_pred;
  for (int v : wide_true) dense_true.push_back(dense(v));
  for (int v : wide_pred) dense_pred.push_back(dense(v));

  const auto wide = claimlens::confusion_matrix(wide_true, wide_pred);
  const auto narrow = claimlens::confusion_matrix(dense_true, dense_pred);
  CHECK(wide.labels == std::vector<int>{lo, 5, 7, hi});
  CHECK(wide.counts == narrow.counts);
  CHECK(wide(3, 3) == 2);  // hi predicted as hi
  CHECK(wide(1, 0) == 1);  // 5 predicted as lo

  // Listed labels, sparse, one of them absent from both inputs: its row and column are zero.
  const auto listed = claimlens::confusion_matrix(wide_true, wide_pred, {hi, 5, 123456789});
  CHECK(listed.counts == std::vector<std::int64_t>{2, 0, 0, 0, 1, 0, 0, 0, 0});

  const auto a = claimlens::precision_recall_fscore_support(wide_true, wide_pred);
  const auto b = claimlens::precision_recall_fscore_support(dense_true, dense_pred);
  CHECK(a.precision == b.precision);
  CHECK(a.recall == b.recall);
  CHECK(a.f1 == b.f1);
  CHECK(a.support == b.support);
}
