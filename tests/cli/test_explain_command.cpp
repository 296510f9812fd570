// `claimlens explain` end to end: a tabular pipeline trained by the CLI on synthetic loans, its
// rows explained as text and JSON (top contributions by feature and by column, adding up with
// the bias to the model's output, equal to the C ABI's), and bad command lines refused.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include <nlohmann/json.hpp>

#include "claimlens/model_io/model_io.hpp"
#include "cli_support.hpp"

using claimlens::testing::quoted;
using claimlens::testing::run_cli;
using claimlens::testing::TempDir;

TEST_CASE("explain: rows of a tabular pipeline by feature and by column", "[cli][explain]") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("loans.csv");
  claimlens::testing::write_file(data, claimlens::testing::loan_csv(400, 7));
  const std::string model = dir.file("m.json");
  const auto train =
      run_cli(dir, "train --data " + data + " --target default --positive yes --text note --drop " +
                       "id,customer --algo gbdt --params " +
                       quoted("{\"n_estimators\": 20, \"max_depth\": 3}") + " --model " + model);
  INFO(train.err);
  REQUIRE(train.status == 0);

  const auto json =
      run_cli(dir, "explain --model " + model + " --data " + data + " --rows 1,3-4 --top 0 --json");
  INFO(json.err);
  REQUIRE(json.status == 0);
  const auto doc = nlohmann::json::parse(json.out);
  CHECK(doc["scale"] == "margin");
  const auto names = doc["feature_names"].get<std::vector<std::string>>();
  const auto groups = doc["feature_groups"].get<std::vector<std::string>>();
  REQUIRE(groups.size() == names.size());
  CHECK(std::count(groups.begin(), groups.end(), "note") > 1);  // the n-grams of the note
  REQUIRE(doc["rows"].size() == 3);
  CHECK(doc["rows"][1]["row"] == 3);
  // Every feature (--top 0) and the bias add up to the output: the margin of P.
  const claimlens::Model m = claimlens::load_model(model);
  const std::vector<double> p = m.predict_proba(claimlens::read_csv(data));
  for (const auto& row : doc["rows"]) {
    double sum = doc["expected_value"].get<double>(), by_group = sum;
    for (const auto& f : row["features"]) sum += f["value"].get<double>();
    for (const auto& g : row["groups"]) by_group += g["value"].get<double>();
    CHECK(row["features"].size() == names.size());
    CHECK(sum == Approx(row["output"].get<double>()).margin(1e-9));
    CHECK(by_group == Approx(sum).margin(1e-9));
    const double prob = p[row["row"].get<std::size_t>() - 1];
    CHECK(row["output"].get<double>() == Approx(std::log(prob / (1 - prob))).margin(1e-9));
    CHECK(row["residual"].get<double>() < 1e-12);
  }

  const auto text =
      run_cli(dir, "explain --model " + model + " --data " + data + " --rows 2 --top 2");
  INFO(text.err);
  REQUIRE(text.status == 0);
  CHECK_THAT(text.out, Catch::Contains("tabular_pipeline model, margin scale, bias"));
  CHECK_THAT(text.out, Catch::Contains("row 2: margin "));
  CHECK_THAT(text.out, Catch::Contains("  features: "));
  CHECK_THAT(text.out, Catch::Contains("  columns:  "));
}

TEST_CASE("explain: bad command lines are refused with one line", "[cli][explain]") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = dir.file("loans.csv");
  claimlens::testing::write_file(data, claimlens::testing::loan_csv(200, 5));
  const std::string model = dir.file("m.json");
  REQUIRE(run_cli(dir, "train --data " + data + " --target default --positive yes --algo rf " +
                           "--params " + quoted("{\"n_estimators\": 5}") + " --model " + model)
              .status == 0);
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"--rows 0", "option --rows: '0' is not a row number"},
           {"--rows 201", "option --rows: row 201 is past the data's 200 rows"},
           {"--rows 5-2", "option --rows: range '5-2' ends before it starts"},
           {"--rows 1,,2", "option --rows has an empty column name"},
           {"--top -1", "option --top must be 0 (all) or more"}}) {
    INFO(args);
    const auto r = run_cli(dir, "explain --model " + model + " --data " + data + " " + args);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains(message));
    CHECK(r.out.empty());
  }
}
