// The generic commands on tiktok_dataset.csv: a tabular model trained by `train`, and a claim
// classifier (the model `analyze --model` saves) used by predict / evaluate / triage.
#include <catch2/catch.hpp>
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "cli_support.hpp"
#include "support/video_records.hpp"

using claimlens::testing::run_cli;
using claimlens::testing::TempDir;

TEST_CASE(
    "train on the real data: claim_status with n-grams of the transcription, recall >= 0.98") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = claimlens::testing::real_dataset_path();
  const std::string model = dir.file("claims.cbor");
  const auto train = run_cli(dir, "train --data " + data +
                                      " --target claim_status --positive claim "
                                      "--text video_transcription_text --drop '#',video_id "
                                      "--model " +
                                      model);
  INFO(train.err);
  REQUIRE(train.status == 0);
  CHECK_THAT(train.out, Catch::Contains("19382 (19084 with a target, 298 without)"));
  CHECK_THAT(train.out, Catch::Contains("n-grams of 'video_transcription_text'"));

  const auto eval = run_cli(dir, "evaluate --model " + model + " --data " + data + " --json");
  INFO(eval.err);
  REQUIRE(eval.status == 0);
  const auto metrics = nlohmann::json::parse(eval.out);
  CHECK(metrics["rows"] == 19084);
  CHECK(metrics["rows_skipped"] == 298);
  CHECK(metrics["recall"].get<double>() >= 0.98);
  CHECK(metrics["model_type"] == "tabular_pipeline");

  // The model file's own hold-out measurement (fitted without those rows).
  const auto envelope = claimlens::io::read_model_file(model);
  CHECK(envelope.model_type == "tabular_pipeline");
  CHECK(envelope.model["report"]["validation"]["recall"].get<double>() >= 0.98);

  const auto triage = run_cli(dir, "triage --model " + model + " --data " + data + " --top 3");
  INFO(triage.err);
  REQUIRE(triage.status == 0);
  CHECK_THAT(triage.out, Catch::Contains("video_id"));
  CHECK_THAT(triage.out, Catch::Contains("ranked 19084 of 19382 rows"));
  // Every ranked report says why, the view count first among the reasons of the top claim.
  CHECK_THAT(triage.out, Catch::Contains("\n          why: video_view_count +"));
}

TEST_CASE("predict / evaluate / triage accept a claim classifier model file") {
  if (claimlens::testing::cli_path().empty()) return;
  TempDir dir;
  const std::string data = claimlens::testing::real_dataset_path();
  const claimlens::DataFrame videos = claimlens::read_csv(data);
  claimlens::ClaimClassifierOptions options;
  options.algorithm = claimlens::ClaimClassifierOptions::Algorithm::GradientBoosting;
  options.seed_grid = false;
  const claimlens::ClaimClassifier clf = claimlens::ClaimClassifier::train(videos, options);
  const std::string model = dir.file("classifier.json");
  claimlens::io::save_model(clf, model);

  const auto eval = run_cli(dir, "evaluate --model " + model + " --data " + data + " --json");
  INFO(eval.err);
  REQUIRE(eval.status == 0);
  const auto metrics = nlohmann::json::parse(eval.out);
  CHECK(metrics["model_type"] == "claim_classifier");
  CHECK(metrics["target"] == "claim_status");
  CHECK(metrics["rows"] == 19084);
  CHECK(metrics["recall"].get<double>() >= 0.98);

  const std::string out = dir.file("scored.csv");
  const auto predict =
      run_cli(dir, "predict --model " + model + " --data " + data + " --out " + out);
  INFO(predict.err);
  REQUIRE(predict.status == 0);
  CHECK_THAT(predict.out, Catch::Contains("298 rows with missing inputs left empty"));
  const claimlens::DataFrame scored = claimlens::read_csv(out);
  REQUIRE(scored.num_rows() == videos.num_rows());
  CHECK(scored.column("p_claim").null_count() == 298);
  CHECK(
      scored.column("video_transcription_text").equals(videos.column("video_transcription_text")));
  // The probabilities are the classifier's own, row for row.
  const claimlens::DataFrame labelled = videos.dropna();
  const std::vector<double> direct = clf.predict_proba(labelled);
  const std::vector<double> written = scored.dropna().column("p_claim").to_doubles();
  CHECK(written == direct);

  const auto triage = run_cli(dir, "triage --model " + model + " --data " + data + " --top 4");
  INFO(triage.err);
  REQUIRE(triage.status == 0);
  std::istringstream in(triage.out);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  // Two queues of a title, a header and 4 reports, each with its reasons; a summary.
  REQUIRE(lines.size() == 21);
  CHECK_THAT(lines[0], Catch::StartsWith("auto-label queue: ") &&
                           Catch::Contains("p_claim > 0.5 (the model's threshold)"));
  CHECK_THAT(lines[1], Catch::Contains("p_claim"));
  CHECK_THAT(lines[10], Catch::StartsWith("review queue: "));
  CHECK_THAT(lines[20], Catch::Contains("claim_classifier"));
  // The classifier's reasons name its features: counts and n-grams of the transcription.
  for (const std::size_t reason : {3, 5, 7, 9, 13, 15, 17, 19}) {
    CHECK_THAT(lines[reason], Catch::StartsWith("          why: ") && Catch::EndsWith("(margin)"));
  }
  // The top line is the classifier's own triage order's first video.
  const std::vector<claimlens::VideoRecord> records = claimlens::testing::video_records(labelled);
  const std::size_t top = clf.triage(records)[0];
  const std::string video_id = std::to_string(labelled.column("video_id").int64_at(top));
  CHECK_THAT(lines[2], Catch::Contains(video_id));
}
