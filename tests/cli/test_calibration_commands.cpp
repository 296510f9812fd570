// claimlens calibrate / threshold / train --calibrate, and what evaluate, predict and triage do
// with a calibrated model and an operating point, on the synthetic loans (cli_support.hpp); the
// bad inputs of issue 18 each checked by message, with no model file written.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "claimlens.h"
#include "claimlens/dataframe/dataframe.hpp"
#include "cli_support.hpp"

using claimlens::testing::check_rejected;
using claimlens::testing::file_exists;
using claimlens::testing::run_cli;
using claimlens::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kLoan = " --target default --positive yes";
const std::string kLoanTrain = kLoan + " --text note --drop id,customer --algo gbdt";

struct Files {
  TempDir dir;
  std::string train, calibration, held_out, model;
};

// Three independent samples of loans and a boosted model trained on the first.
void make_files(Files& f) {
  f.train = f.dir.file("train.csv");
  f.calibration = f.dir.file("calibration.csv");
  f.held_out = f.dir.file("held_out.csv");
  f.model = f.dir.file("model.json");
  claimlens::testing::write_file(f.train, claimlens::testing::loan_csv(1200, 21));
  claimlens::testing::write_file(f.calibration, claimlens::testing::loan_csv(800, 22));
  claimlens::testing::write_file(f.held_out, claimlens::testing::loan_csv(800, 23));
  const auto r = run_cli(f.dir, "train --data " + f.train + kLoanTrain + " --model " + f.model);
  INFO(r.err);
  REQUIRE(r.status == 0);
}

json evaluate(const Files& f, const std::string& model, const std::string& data) {
  const auto r = run_cli(f.dir, "evaluate --model " + model + " --data " + data + " --json");
  INFO(r.err);
  REQUIRE(r.status == 0);
  return json::parse(r.out);
}

json model_document(const std::string& path) {
  return json::parse(claimlens::testing::read_text_file(path));
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("calibrate on a calibration split and out of fold, and evaluate prints the calibration") {
  if (claimlens::testing::cli_path().empty()) return;
  Files f;
  make_files(f);
  const json raw = evaluate(f, f.model, f.held_out);
  CHECK(raw["threshold"] == 0.5);
  CHECK(raw["operating_point"].is_null());
  for (const char* key : {"brier", "log_loss", "ece"}) CHECK(raw[key].get<double>() > 0);

  for (const std::string method : {"sigmoid", "isotonic"}) {
    INFO(method);
    const std::string out = f.dir.file("cal_" + method + ".json");
    const auto r = run_cli(f.dir, "calibrate --model " + f.model + " --data " + f.calibration +
                                      " --method " + method + " --out " + out);
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("calibrated tabular_pipeline with " + method +
                                      " on 800 rows (a calibration split)"));
    const json doc = model_document(out);
    CHECK(doc["model_type"] == "calibrated");
    CHECK(doc["model"]["base_type"] == "tabular_pipeline");
    CHECK(doc["model"]["calibrator"]["method"] == method);
    CHECK(doc["model"]["score"] == (method == "sigmoid" ? "logit" : "probability"));
    const json cal = evaluate(f, out, f.held_out);
    CHECK(cal["model_type"] == "calibrated");
    CHECK(cal["rows"] == 800);
    CHECK(cal["roc_auc"].get<double>() > 0.5);
    // The text report names the calibration figures.
    const auto text = run_cli(f.dir, "evaluate --model " + out + " --data " + f.held_out);
    CHECK_THAT(text.out, Catch::Contains("brier") && Catch::Contains("log loss") &&
                             Catch::Contains("ECE") && Catch::Contains("(10 uniform bins)"));
  }

  // Out of fold on the training data: the estimator refitted on 3 folds.
  const std::string oof = f.dir.file("oof.cbor");
  const auto r = run_cli(f.dir, "calibrate --model " + f.model + " --data " + f.train +
                                    " --method sigmoid --cv 3 --out " + oof);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("on 1200 rows (out-of-fold, 3 folds)"));
  CHECK(evaluate(f, oof, f.held_out)["model_type"] == "calibrated");

  // train --calibrate does the same in one step (5 folds by default).
  const std::string trained = f.dir.file("trained.json");
  const auto t = run_cli(
      f.dir, "train --data " + f.train + kLoanTrain + " --calibrate isotonic --model " + trained);
  INFO(t.err);
  REQUIRE(t.status == 0);
  CHECK_THAT(t.out, Catch::Contains("calibrated: isotonic on 5-fold out-of-fold probabilities of "
                                    "1200 rows"));
  CHECK(model_document(trained)["model_type"] == "calibrated");
}

TEST_CASE("threshold stores an operating point that predict, triage and evaluate use") {
  if (claimlens::testing::cli_path().empty()) return;
  Files f;
  make_files(f);
  const std::string cal = f.dir.file("cal.json"), chosen = f.dir.file("chosen.json");
  REQUIRE(run_cli(f.dir, "calibrate --model " + f.model + " --data " + f.calibration +
                             " --method isotonic --out " + cal)
              .status == 0);
  const auto r = run_cli(f.dir, "threshold --model " + cal + " --data " + f.held_out +
                                    " --precision 0.9 --bootstrap 200 --seed 3 --out " + chosen);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("operating point: precision >= 0.9 on the rows it was chosen "
                                    "on: threshold "));
  CHECK_THAT(r.out, Catch::Contains("95% bootstrap intervals, 200 resamples, seed 3"));
  const json point = model_document(chosen)["model"]["operating_point"];
  const double threshold = point["threshold"].get<double>();
  CHECK(point["precision"].get<double>() >= 0.9);
  CHECK(point["bootstrap"]["n_resamples"] == 200);

  // evaluate on the rows it was chosen on: the decisions at the threshold reproduce its counts.
  const json e = evaluate(f, chosen, f.held_out);
  CHECK(e["threshold"] == threshold);
  CHECK(e["operating_point"] == point);
  CHECK(e["confusion_matrix"] ==
        json::array({{point["tn"], point["fp"]}, {point["fn"], point["tp"]}}));
  CHECK(e["precision"] == point["precision"]);
  CHECK(e["recall"] == point["recall"]);
  const auto text = run_cli(f.dir, "evaluate --model " + chosen + " --data " + f.held_out);
  CHECK_THAT(text.out, Catch::Contains("(the model's operating point)") &&
                           Catch::Contains("precision ") && Catch::Contains("% bootstrap"));

  // predict: pred_yes is p_yes > threshold; triage: the auto-label queue is those rows.
  const std::string scored = f.dir.file("scored.csv");
  REQUIRE(run_cli(f.dir, "predict --model " + chosen + " --data " + f.held_out + " --out " + scored)
              .status == 0);
  const claimlens::DataFrame frame = claimlens::read_csv(scored);
  const std::vector<double> p = frame.column("p_yes").to_doubles();
  const std::vector<double> decided = frame.column("pred_yes").to_doubles();
  std::size_t above = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    CHECK(decided[i] == (p[i] > threshold ? 1.0 : 0.0));
    above += p[i] > threshold;
  }
  const auto triage = run_cli(f.dir, "triage --model " + chosen + " --data " + f.held_out +
                                         " --top 3 --views views --id id");
  INFO(triage.err);
  REQUIRE(triage.status == 0);
  const auto lines = lines_of(triage.out);
  REQUIRE(!lines.empty());
  CHECK_THAT(lines[0], Catch::StartsWith("auto-label queue: " + std::to_string(above) + " rows"));
  CHECK_THAT(triage.out,
             Catch::Contains("review queue: " + std::to_string(p.size() - above) + " rows"));

  // A recall target, on a model that is not calibrated: the threshold only.
  const std::string recall = f.dir.file("recall.json");
  REQUIRE(run_cli(f.dir, "threshold --model " + f.model + " --data " + f.held_out +
                             " --recall 0.95 --bootstrap 0 --out " + recall)
              .status == 0);
  const json doc = model_document(recall);
  CHECK(doc["model"]["calibrator"].is_null());
  CHECK(doc["model"]["operating_point"]["recall"].get<double>() >= 0.95);
  CHECK(doc["model"]["operating_point"]["bootstrap"].is_null());
}

TEST_CASE("calibrate / threshold bad input: clear messages, no model file") {
  if (claimlens::testing::cli_path().empty()) return;
  Files f;
  make_files(f);
  const std::string out = f.dir.file("out.json");
  // One class: every label 'no'.
  std::string one_class = claimlens::testing::loan_csv(200, 31);
  for (std::size_t at = one_class.find(",yes\n"); at != std::string::npos;
       at = one_class.find(",yes\n")) {
    one_class.replace(at, 5, ",no\n");
  }
  const std::string no_positive = f.dir.file("no_positive.csv");
  claimlens::testing::write_file(no_positive, one_class);
  // Four positive rows only: fewer than 5 folds need.
  std::string rare = claimlens::testing::loan_csv(300, 32);
  int kept = 0;
  for (std::size_t at = rare.find(",yes\n"); at != std::string::npos;
       at = rare.find(",yes\n", at + 1)) {
    if (kept < 4) {
      ++kept;
    } else {
      rare.replace(at, 5, ",no\n");
    }
  }
  const std::string four = f.dir.file("four_positive.csv");
  claimlens::testing::write_file(four, rare);
  // A model whose probabilities are all equal: one constant feature, balanced labels.
  std::string ties = "x,label\n";
  for (int i = 0; i < 20; ++i) ties += "1.5," + std::to_string(i % 2) + "\n";
  const std::string tie_data = f.dir.file("ties.csv"), tie_model = f.dir.file("ties.json");
  claimlens::testing::write_file(tie_data, ties);
  REQUIRE(
      run_cli(f.dir, "train --data " + tie_data + " --target label --params " +
                         claimlens::testing::quoted(R"({"n_estimators": 4, "bootstrap": false})") +
                         " --model " + tie_model)
          .status == 0);

  const std::string cal = "calibrate --model " + f.model + " --method sigmoid --out " + out;
  const std::string thr =
      "threshold --model " + f.model + " --data " + f.held_out + " --out " + out;
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {cal + " --data " + no_positive, "no row of target 'default' has the positive value 'yes'"},
      {cal + " --data " + four + " --cv 5",
       "n_splits = 5 folds need at least 5 rows of each class (every fold holds both classes, so "
       "at least 2 rows per fold); class 1 has 4"},
      {cal + " --data " + f.train + " --cv 1", "option --cv needs a number of folds >= 2"},
      {"calibrate --model " + tie_model + " --data " + tie_data + " --method isotonic --out " + out,
       "the 20 calibration scores are all equal (0.5); a calibrator needs at least two distinct "
       "scores"},
      {cal + " --data " + f.train + " --method platt",
       "--method must be \"sigmoid\" or \"isotonic\""},
      {thr + " --precision 1.5", "option --precision must be in (0, 1], got 1.5"},
      {thr + " --precision 0", "option --precision must be in (0, 1], got 0"},
      {thr + " --recall -0.2", "option --recall must be in (0, 1], got -0.2"},
      {thr + " --precision 0.9 --recall 0.9", "give one of --precision P and --recall R"},
      {thr, "give one of --precision P and --recall R"},
  };
  for (const auto& c : cases) check_rejected(f.dir, c.args, c.message, out);

  // An operating point moved into another model's file is refused by the loader, whichever
  // command reads it.
  const std::string a = f.dir.file("a.json"), b = f.dir.file("b.json"),
                    moved = f.dir.file("moved.json");
  REQUIRE(run_cli(f.dir, thr + " --precision 0.8 --bootstrap 0").status == 0);
  std::rename(out.c_str(), a.c_str());
  REQUIRE(run_cli(f.dir, "calibrate --model " + f.model + " --data " + f.calibration +
                             " --method sigmoid --out " + b)
              .status == 0);
  json doc = model_document(b);
  const json from = model_document(a);
  doc["model"]["operating_point"] = from["model"]["operating_point"];
  doc["model"]["operating_point_model"] = from["model"]["operating_point_model"];
  claimlens::testing::write_file(moved, doc.dump());
  for (const std::string command : {"evaluate", "threshold"}) {
    const auto r =
        run_cli(f.dir, command + " --model " + moved + " --data " + f.held_out +
                           (command == "threshold" ? " --precision 0.8 --out " + out : ""));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("model file '" + moved + "'") &&
                          Catch::Contains("operating_point_model") &&
                          Catch::Contains("the operating point was chosen for another model"));
    CHECK_FALSE(file_exists(out));
  }
}
