// The generic train / predict / evaluate / triage commands, end to end through the CLI, on a CSV
// of another schema (synthetic loans) and on the real data set; predictions checked against the
// C ABI (claimlens_model_load + claimlens_model_predict_frame).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "claimlens.h"
#include "claimlens/dataframe/dataframe.hpp"
#include "cli_support.hpp"

using claimlens::testing::check_rejected;
using claimlens::testing::file_exists;
using claimlens::testing::quoted;
using claimlens::testing::run_cli;
using claimlens::testing::TempDir;

namespace {

const std::string kLoanArgs = " --target default --positive yes --text note --drop id,customer";

std::vector<double> frame_column(const std::string& csv_path, const std::string& column) {
  const claimlens::DataFrame frame = claimlens::read_csv(csv_path);
  return frame.column(column).to_doubles();
}

// P(positive) through the C ABI, for the rows of `data`.
std::vector<double> capi_predict(const std::string& model_path, const std::string& data) {
  claimlens_model* model = nullptr;
  REQUIRE(claimlens_model_load(model_path.c_str(), &model) == CLAIMLENS_OK);
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv(data.c_str(), &frame) == CLAIMLENS_OK);
  std::vector<double> p(claimlens_frame_num_rows(frame));
  const claimlens_status status = claimlens_model_predict_frame(model, frame, p.size(), p.data());
  INFO(claimlens_last_error());
  CHECK(status == CLAIMLENS_OK);
  // The plan needs text and categorical columns: a plain matrix is refused with a clear message.
  std::size_t features = 0;
  REQUIRE(claimlens_model_num_features(model, &features) == CLAIMLENS_OK);
  std::vector<double> x(features, 0.0);
  double out = 0;
  CHECK(claimlens_model_predict_proba(model, x.data(), 1, features, &out) == CLAIMLENS_E_STATE);
  CHECK_THAT(claimlens_last_error(), Catch::Contains("claimlens_model_predict_frame"));
  claimlens_frame_free(frame);
  claimlens_model_free(model);
  return p;
}

}  // namespace

TEST_CASE("train/evaluate/predict/triage on a CSV of another schema, all three algorithms") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("loans.csv");
  claimlens::testing::write_file(data, claimlens::testing::loan_csv(1500, 11));
  for (const std::string algo : {"rf", "gbdt", "logreg"}) {
    INFO("algo " << algo);
    const std::string model = dir.file("loan_" + algo + ".json");
    const auto train =
        run_cli(dir, "train --data " + data + kLoanArgs + " --algo " + algo + " --model " + model);
    INFO(train.err);
    REQUIRE(train.status == 0);
    CHECK_THAT(train.out, Catch::Contains("validation on 300 held-out rows"));
    CHECK(train.out.find("note: 'customer'") == std::string::npos);  // dropped: no note
    REQUIRE(file_exists(model));

    const auto eval = run_cli(dir, "evaluate --model " + model + " --data " + data + " --json");
    INFO(eval.err);
    REQUIRE(eval.status == 0);
    const auto metrics = nlohmann::json::parse(eval.out);
    CHECK(metrics["rows"] == 1500);
    CHECK(metrics["positive"] == "yes");
    CHECK(metrics["accuracy"].get<double>() > 0.8);
    CHECK(metrics["roc_auc"].get<double>() > 0.85);
    // Hold-out figures of train are better than chance too.
    CHECK_THAT(run_cli(dir, "evaluate --model " + model + " --data " + data).out,
               Catch::Contains("confusion matrix"));

    const std::string out = dir.file("pred_" + algo + ".csv");
    const auto predict =
        run_cli(dir, "predict --model " + model + " --data " + data + " --out " + out);
    INFO(predict.err);
    REQUIRE(predict.status == 0);
    const claimlens::DataFrame input = claimlens::read_csv(data);
    const claimlens::DataFrame written = claimlens::read_csv(out);
    REQUIRE(written.num_rows() == input.num_rows());
    std::vector<std::string> names = input.column_names();
    names.push_back("p_yes");
    names.push_back("pred_yes");
    REQUIRE(written.column_names() == names);
    for (const auto& name : input.column_names()) {
      INFO("column " << name);
      CHECK(written.column(name).equals(input.column(name)));  // quoting and numbers round-trip
    }
    const std::vector<double> p = frame_column(out, "p_yes");
    CHECK(p == capi_predict(model, data));  // exactly: shortest round-trip printing
    const std::vector<double> decided = frame_column(out, "pred_yes");
    for (std::size_t i = 0; i < p.size(); ++i) CHECK(decided[i] == (p[i] > 0.5 ? 1.0 : 0.0));

    const auto triage = run_cli(
        dir, "triage --model " + model + " --data " + data + " --top 5 --views views --id id");
    INFO(triage.err);
    REQUIRE(triage.status == 0);
    std::vector<std::string> lines;
    std::istringstream lines_in(triage.out);
    for (std::string line; std::getline(lines_in, line);) lines.push_back(line);
    // Two queues (title, header, up to 5 reports each with a line of reasons) and a summary.
    REQUIRE(lines.size() >= 5);
    CHECK_THAT(lines[0], Catch::StartsWith("auto-label queue: ") &&
                             Catch::Contains("rows with p_yes > 0.5 (the model's threshold)"));
    const std::vector<double> views = frame_column(data, "views");
    std::size_t best = p.size(), above = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!(p[i] > 0.5)) continue;
      ++above;
      if (best == p.size() || p[i] * views[i] > p[best] * views[best]) best = i;
    }
    CHECK_THAT(lines[0], Catch::StartsWith("auto-label queue: " + std::to_string(above) + " rows"));
    REQUIRE(best < p.size());
    const std::size_t shown = std::min<std::size_t>(above, 5);
    CHECK_THAT(lines[2 + 2 * shown],
               Catch::StartsWith("review queue: " + std::to_string(p.size() - above) + " rows"));
    std::istringstream first(lines[2]);
    std::size_t rank = 0, row = 0;
    first >> rank >> row;
    CHECK(rank == 1);
    CHECK(row == best + 1);
    CHECK_THAT(lines[2], Catch::Contains(std::to_string(1000 + best)));  // the id column
    // Its reasons: three contributions of model features, on the model's scale.
    CHECK_THAT(lines[3], Catch::StartsWith("          why: ") &&
                             (Catch::EndsWith("(margin)") || Catch::EndsWith("(probability)")));
    CHECK(std::count(lines[3].begin(), lines[3].end(), ',') == 2);
  }
}

TEST_CASE("train: missing features are handled, high-cardinality text is left out with a note") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("loans.csv");
  claimlens::testing::write_file(data, claimlens::testing::loan_csv(600, 3));
  const std::string model = dir.file("m.cbor");
  const auto train = run_cli(
      dir, "train --data " + data + " --target default --positive yes --algo gbdt --params " +
               quoted("{\"n_estimators\": 20, \"max_depth\": 3}") + " --seed 4 --model " + model);
  INFO(train.err);
  REQUIRE(train.status == 0);
  CHECK_THAT(train.out, Catch::Contains("note: 'customer'"));
  // Without --text, the 8 distinct notes are one more categorical column.
  CHECK_THAT(train.out, Catch::Contains("features: 19 (4 numeric, 3 one-hot encoded columns)"));
  // Deterministic: the same seed gives the same file.
  const std::string again = dir.file("m2.cbor");
  REQUIRE(run_cli(dir, "train --data " + data + " --target default --positive yes --algo gbdt " +
                           "--params " + quoted("{\"n_estimators\": 20, \"max_depth\": 3}") +
                           " --seed 4 --model " + again)
              .status == 0);
  CHECK(claimlens::testing::read_text_file(model) == claimlens::testing::read_text_file(again));
}

TEST_CASE("generic commands: bad input is one line on stderr, exit 2, no output file") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("loans.csv");
  claimlens::testing::write_file(data, claimlens::testing::loan_csv(200, 5));
  const std::string one_class = dir.file("one_class.csv");
  claimlens::testing::write_file(one_class, "a,b,label\n1,x,no\n2,y,no\n3,x,no\n");
  const std::string tiny = dir.file("tiny.csv");
  claimlens::testing::write_file(tiny, "a,t\n1,x\n2,y\n3,x\n");
  const std::string model = dir.file("out.json");
  const std::string base = " --target default --positive yes --model " + model;
  struct Case {
    std::string args, message;
  };
  const std::vector<Case> cases = {
      {"train --data " + dir.file("nope.csv") + base, "cannot read data file"},
      {"train --data " + data + " --target nope --model " + model, "target column 'nope'"},
      {"train --data " + data + base + " --text nope", "text column 'nope'"},
      {"train --data " + data + base + " --drop id,nope", "drop column 'nope'"},
      {"train --data " + data + base + " --text region,", "text column 'region,'"},
      {"train --data " + data + base + " --text age", "text column 'age' holds int64"},
      {"train --data " + data + base + " --algo svm", "unknown algorithm 'svm'"},
      {"train --data " + one_class + " --target label --positive no --model " + model,
       "has 1 class ('no')"},
      {"train --data " + tiny + " --target t --positive x --model " + model,
       "too few rows for the stratified validation hold-out (3 labelled rows)"},
      {"train --data " + data + " --target default --model " + model, "name the positive one"},
      {"train --data " + data + " --target default --positive maybe --model " + model,
       "positive class 'maybe'"},
      {"train --data " + data + base + " --params " + quoted("{\"n_estimators\": "),
       "--params is not valid JSON"},
      {"train --data " + data + base + " --params " + quoted("[1, 2]"), "must be a JSON object"},
      {"train --data " + data + base + " --params " + quoted("{\"n_trees\": 5}"),
       "unknown key 'params.n_trees'"},
      {"train --data " + data + base + " --params " + quoted("{\"n_estimators\": \"many\"}"),
       "'params.n_estimators' must be an integer, not \"many\""},
      {"train --data " + data + base + " --algo logreg --params " + quoted("{\"C\": -1}"),
       "'params.C' must be > 0 (finite), not -1.0"},
      {"train --data " + data + base + " --seed -3", "--seed"},
      {"train --data " + data + " --target default --positive yes",
       "missing required option --model"},
  };
  for (const auto& c : cases) check_rejected(dir, c.args, c.message, model);

  // predict / evaluate / triage with bad models, data and options.
  REQUIRE(run_cli(dir, "train --data " + data + " --target default --positive yes --text note " +
                           "--model " + model)
              .status == 0);
  const std::string no_income = dir.file("no_income.csv");
  claimlens::testing::write_file(no_income,
                                 "id,age,region,employment,customer,note,views,default\n"
                                 "1,30,north,salaried,c,hello there,5,no\n");
  const std::string out = dir.file("pred.csv");
  const std::string forest = dir.file("forest.json");
  {
    claimlens_model* m = nullptr;
    const double x[4] = {0, 1, 2, 3}, y[4] = {0, 1, 0, 1};
    REQUIRE(claimlens_model_train(x, 4, 1, y,
                                  "{\"algorithm\": \"random_forest\", \"n_estimators\": 3}",
                                  &m) == CLAIMLENS_OK);
    REQUIRE(claimlens_model_save(m, forest.c_str()) == CLAIMLENS_OK);
    claimlens_model_free(m);
  }
  const std::vector<Case> usage = {
      {"predict --model " + dir.file("none.json") + " --data " + data + " --out " + out,
       "none.json"},
      {"predict --model " + model + " --data " + dir.file("none.csv") + " --out " + out,
       "cannot read data file"},
      {"predict --model " + model + " --data " + no_income + " --out " + out,
       "column 'income', which the model was trained on, is not in the data"},
      {"predict --model " + forest + " --data " + data + " --out " + out,
       "random_forest model reads 1 features (f0..f0)"},
      {"evaluate --model " + forest + " --data " + data, "name it with --target"},
      {"predict --model " + data + " --data " + data + " --out " + out, "loans.csv"},
      {"evaluate --model " + model + " --data " + data + " --target nope", "target column 'nope'"},
      {"evaluate --model " + model + " --data " + data + " --positive maybe",
       "positive value 'maybe'"},
      {"evaluate --model " + model + " --data " + data + " --target region --positive north",
       "more than two values"},
      {"triage --model " + model + " --data " + data + " --top 0", "--top"},
      {"triage --model " + model + " --data " + data + " --top 3",
       "views column 'video_view_count'"},
      {"triage --model " + model + " --data " + data + " --top 3 --views region", "holds text"},
      {"triage --model " + model + " --data " + data + " --top 3 --views views --id nope",
       "id column 'nope'"},
  };
  for (const auto& c : usage) check_rejected(dir, c.args, c.message, out);

  // Any name is a model file name: no extension and ".model" save CBOR, and load by content.
  for (const std::string name : {"champion.model", "champion"}) {
    REQUIRE(run_cli(dir, "train --data " + data + " --target default --positive yes --model " +
                             dir.file(name))
                .status == 0);
    CHECK(claimlens::testing::read_text_file(dir.file(name)).compare(0, 3, "\xD9\xD9\xF7") == 0);
    CHECK(run_cli(dir, "predict --model " + dir.file(name) + " --data " + data + " --out " + out)
              .status == 0);
  }
}

TEST_CASE("C ABI: a numeric-only tabular pipeline predicts from a matrix too, errors by status") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("loans.csv");
  claimlens::testing::write_file(data, claimlens::testing::loan_csv(400, 8));
  const std::string path = dir.file("numeric.json");
  REQUIRE(run_cli(dir, "train --data " + data +
                           " --target default --positive yes --algo logreg "
                           "--drop region,employment,customer,note --model " +
                           path)
              .status == 0);
  claimlens_model* model = nullptr;
  REQUIRE(claimlens_model_load(path.c_str(), &model) == CLAIMLENS_OK);
  std::size_t features = 0;
  REQUIRE(claimlens_model_num_features(model, &features) == CLAIMLENS_OK);
  REQUIRE(features == 4);  // id, age, income, views (plan order = file order)
  claimlens_frame* frame = nullptr;
  REQUIRE(claimlens_frame_read_csv(data.c_str(), &frame) == CLAIMLENS_OK);
  const std::size_t rows = claimlens_frame_num_rows(frame);
  std::vector<double> x(rows * 4), column(rows);
  const char* names[] = {"id", "age", "income", "views"};
  for (std::size_t j = 0; j < 4; ++j) {
    REQUIRE(claimlens_frame_get_doubles(frame, names[j], rows, column.data()) == CLAIMLENS_OK);
    for (std::size_t i = 0; i < rows; ++i) x[i * 4 + j] = column[i];  // NaN = missing
  }
  std::vector<double> from_matrix(rows), from_frame(rows);
  REQUIRE(claimlens_model_predict_proba(model, x.data(), rows, 4, from_matrix.data()) ==
          CLAIMLENS_OK);
  REQUIRE(claimlens_model_predict_frame(model, frame, rows, from_frame.data()) == CLAIMLENS_OK);
  CHECK(from_matrix == from_frame);
  double coef[5];
  CHECK(claimlens_model_coefficients(model, coef, 5) == CLAIMLENS_OK);
  CHECK(claimlens_model_predict_frame(model, frame, rows - 1, from_frame.data()) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  CHECK(claimlens_model_predict_frame(model, nullptr, rows, from_frame.data()) ==
        CLAIMLENS_E_INVALID_ARGUMENT);
  claimlens_frame* other = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer("id,age\n1,2\n", 11, &other) == CLAIMLENS_OK);
  double p = 0;
  CHECK(claimlens_model_predict_frame(model, other, 1, &p) == CLAIMLENS_E_SCHEMA);
  CHECK_THAT(claimlens_last_error(), Catch::Contains("'income'"));
  claimlens_model_free(model);

  // A model trained on a matrix reads columns named f0, f1, ... or, failing that, every column
  // in order when there are as many as its features.
  const double mx[4] = {0, 1, 2, 3}, my[4] = {0, 1, 0, 1};
  REQUIRE(claimlens_model_train(mx, 4, 1, my,
                                "{\"algorithm\": \"gradient_boosting\", \"n_estimators\": 2}",
                                &model) == CLAIMLENS_OK);
  CHECK(claimlens_model_predict_frame(model, other, 1, &p) == CLAIMLENS_E_SCHEMA);
  CHECK_THAT(claimlens_last_error(),
             Catch::Contains("1 features (f0..f0)") && Catch::Contains("it has 2"));
  claimlens_frame* named = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer("id,f0\n1,3\n", 10, &named) == CLAIMLENS_OK);
  double by_name = -1, by_matrix = -1;
  CHECK(claimlens_model_predict_frame(model, named, 1, &by_name) == CLAIMLENS_OK);
  CHECK(claimlens_model_predict_proba(model, &mx[3], 1, 1, &by_matrix) == CLAIMLENS_OK);
  CHECK(by_name == by_matrix);
  claimlens_frame_free(named);
  claimlens_model_free(model);
  claimlens_frame_free(other);
  claimlens_frame_free(frame);
}
