#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "pipeline/video_records.hpp"
#include "support/paths.hpp"

using namespace claimlens;
using claimlens::testing::claim_like;
using claimlens::testing::opinion_like;

namespace {

const DataFrame& real_videos() {
  static const DataFrame frame = read_csv(testing::real_dataset_path());
  return frame;
}

}  // namespace

TEST_CASE("ClaimFeaturizer makes the seed's 25 features in the seed's order") {
  const DataFrame train = real_videos().dropna().head(2000);
  ClaimFeaturizer featurizer;
  featurizer.fit(train);
  const auto names = featurizer.feature_names();
  REQUIRE(names.size() == 25);
  REQUIRE(names[0] == "video_duration_sec");
  REQUIRE(names[1] == "video_view_count");
  REQUIRE(names[6] == "text_length");
  REQUIRE(names[7] == "verified_status_verified");
  REQUIRE(names[9] == "author_ban_status_under review");
  const auto vocab = featurizer.vocabulary();
  REQUIRE(std::is_sorted(vocab.begin(), vocab.end()));

  const RowMatrix X = featurizer.transform(train.head(3));
  double row[25];
  VideoRecord v;
  const std::string text(train.column("video_transcription_text").string_at(0));
  v.transcription = text;
  v.verified_status = train.column("verified_status").string_at(0);
  v.author_ban_status = train.column("author_ban_status").string_at(0);
  v.duration_sec = train.column("video_duration_sec").as_double(0);
  v.view_count = train.column("video_view_count").as_double(0);
  v.like_count = train.column("video_like_count").as_double(0);
  v.share_count = train.column("video_share_count").as_double(0);
  v.download_count = train.column("video_download_count").as_double(0);
  v.comment_count = train.column("video_comment_count").as_double(0);
  featurizer.transform(v, row);
  for (int c = 0; c < 25; ++c) REQUIRE(row[c] == X(0, c));
}

TEST_CASE("ClaimFeaturizer rejects unknown statuses, quoting them") {
  ClaimFeaturizer featurizer;
  featurizer.fit(real_videos().dropna().head(500));
  double row[25];
  VideoRecord v = claim_like();
  v.verified_status = "maybe";
  REQUIRE_THROWS_WITH(featurizer.transform(v, row), Catch::Contains("\"maybe\""));
  v = claim_like();
  v.author_ban_status = "suspended";
  REQUIRE_THROWS_WITH(featurizer.transform(v, row), Catch::Contains("\"suspended\""));
  v = claim_like();
  v.view_count = std::nan("");
  REQUIRE_THROWS_AS(featurizer.transform(v, row), InvalidArgument);
  ClaimFeaturizer unfitted;
  REQUIRE_THROWS_AS(unfitted.transform(claim_like(), row), StateError);
}

TEST_CASE("classifier options reject unknown keys and bad values by name") {
  REQUIRE_THROWS_WITH(ClaimClassifierOptions::from_json({{"trees", 5}}),
                      Catch::Contains("unknown key 'options.trees' (known: algorithm, grid"));
  REQUIRE_THROWS_WITH(ClaimClassifierOptions::from_json({{"algorithm", "svm"}}),
                      Catch::Contains("'options.algorithm' must be one of"));
  REQUIRE_THROWS_WITH(ClaimClassifierOptions::from_json({{"cv_folds", 1}}),
                      Catch::Contains("'options.cv_folds' must be from 2 to 20, not 1"));
  auto o =
      ClaimClassifierOptions::from_json({{"algorithm", "gradient_boosting"}, {"grid", "none"}});
  REQUIRE(o.algorithm == ClaimClassifierOptions::Algorithm::GradientBoosting);
  REQUIRE_FALSE(o.seed_grid);
  o = ClaimClassifierOptions::from_json({{"algorithm", "champion"},
                                         {"grid", "seed"},
                                         {"cv_folds", 20},
                                         {"random_state", 7},
                                         {"n_jobs", -1}});
  CHECK(o.algorithm == ClaimClassifierOptions::Algorithm::Champion);
  CHECK(o.seed_grid);
  CHECK(o.cv_folds == 20);
  CHECK(o.random_state == 7);
  CHECK(o.n_jobs == -1);
  CHECK(ClaimClassifierOptions::from_json({{"algorithm", "random_forest"}}).algorithm ==
        ClaimClassifierOptions::Algorithm::RandomForest);
  CHECK(ClaimClassifierOptions::from_json({{"n_jobs", 0}}).n_jobs == 0);
  CHECK(ClaimClassifierOptions::from_json({{"n_jobs", 1025}}).n_jobs == 1025);
  CHECK(ClaimClassifierOptions::from_json(o.to_json()).to_json() == o.to_json());

  const std::vector<std::pair<nlohmann::json, std::string>> refused = {
      {nlohmann::json::array(), "'options' must be an object, not []"},
      {{{"algorithm", 3}},
       "'options.algorithm' must be one of \"random_forest\", \"gradient_boosting\", "
       "\"champion\", not 3"},
      {{{"grid", "full"}}, "'options.grid' must be one of \"seed\", \"none\", not \"full\""},
      {{{"grid", true}}, "'options.grid' must be one of"},
      {{{"cv_folds", 21}}, "'options.cv_folds' must be from 2 to 20, not 21"},
      {{{"cv_folds", 5.0}}, "'options.cv_folds' must be an integer, not 5.0"},
      {{{"random_state", -1}}, "'options.random_state' must be a non-negative integer, not -1"},
      {{{"random_state", "7"}}, "'options.random_state' must be a non-negative integer"},
      // n_jobs has one meaning everywhere (claimlens/threads.hpp): >= -1, 0 and -1 = all cores.
      {{{"n_jobs", -2}}, "'options.n_jobs' must be >= -1, not -2"},
      {{{"n_jobs", "2"}}, "'options.n_jobs' must be an integer, not \"2\""},
      // 2^64 - 1 wraps to -1 ("all cores") when read as a signed integer.
      {{{"n_jobs", std::numeric_limits<std::uint64_t>::max()}}, "'options.n_jobs' must be"},
  };
  for (const auto& [options, message] : refused) {
    INFO(options.dump());
    CHECK_THROWS_WITH(ClaimClassifierOptions::from_json(options), Catch::Contains(message));
  }
}

TEST_CASE("training needs the columns and enough rows") {
  REQUIRE_THROWS_WITH(ClaimClassifier::train(real_videos().drop({"video_view_count"})),
                      Catch::Contains("video_view_count"));
  REQUIRE_THROWS_AS(ClaimClassifier::train(real_videos().head(10)), InvalidArgument);
}

TEST_CASE("classifier JSON round trip predicts identically, corrupt documents are rejected") {
  ClaimClassifierOptions options;
  options.algorithm = ClaimClassifierOptions::Algorithm::GradientBoosting;
  options.seed_grid = false;
  const ClaimClassifier clf = ClaimClassifier::train(real_videos(), options);
  REQUIRE(clf.champion() == "gradient_boosting");
  const ClaimClassifier back = ClaimClassifier::from_json(clf.to_json());
  const DataFrame sample = real_videos().dropna().head(300);
  REQUIRE(back.predict_proba(sample) == clf.predict_proba(sample));
  REQUIRE(back.predict_proba(claim_like()) == clf.predict_proba(claim_like()));

  nlohmann::json broken = clf.to_json();
  broken["featurizer"]["vocabulary"].erase(0);
  REQUIRE_THROWS_AS(ClaimClassifier::from_json(broken), ModelFormatError);
  broken = clf.to_json();
  broken["model_type"] = "svm";
  REQUIRE_THROWS_AS(ClaimClassifier::from_json(broken), ModelFormatError);
  REQUIRE_THROWS_AS(ClaimClassifier::from_json(nlohmann::json::array()), ModelFormatError);
}

TEST_CASE("claim_classifier_test_rows: the rows train held out, for any random_state") {
  ClaimClassifierOptions options;
  options.algorithm = ClaimClassifierOptions::Algorithm::GradientBoosting;
  options.seed_grid = false;
  options.random_state = 7;
  const ClaimClassifier clf = ClaimClassifier::train(real_videos(), options);
  const std::vector<std::size_t> rows = claim_classifier_test_rows(real_videos(), 7);
  REQUIRE(rows.size() == clf.report()["split"]["test"].get<std::size_t>());
  std::vector<std::size_t> sorted = rows;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  CHECK(sorted.back() < real_videos().num_rows());
  // Complete rows only, and exactly the ones the recorded test scores were measured on.
  const DataFrame test = real_videos().take(rows);
  CHECK(test.dropna().num_rows() == rows.size());
  const std::vector<double> y =
      BinaryLabelEncoder("claim", "opinion").transform(test.column("claim_status"));
  CHECK(binary_evaluation(y, clf.predict_proba(test)) == clf.report()["test"]);
  CHECK(claim_classifier_test_rows(real_videos(), 0) != rows);

  CHECK_THROWS_AS(claim_classifier_test_rows(real_videos().drop({"claim_status"}), 7), SchemaError);
  CHECK_THROWS_WITH(claim_classifier_test_rows(real_videos().drop({"claim_status"}), 7),
                    Catch::Contains("claim_status"));
}
