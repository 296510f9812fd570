#include <catch2/catch.hpp>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pipeline/verified_logit.hpp"
#include "support/paths.hpp"

using namespace claimlens;

TEST_CASE("seed reproduction (course 5): verified_status logistic regression at the optimum") {
  const DataFrame videos = read_csv(testing::real_dataset_path());
  const VerifiedLogitResult r = verified_logit(videos);
  REQUIRE(r.rows_after_dropna == 19084);
  REQUIRE(r.rows_after_upsampling == 2 * 17884);
  REQUIRE(r.train_rows == 26826);
  REQUIRE(r.test_rows == 8942);
  REQUIRE(r.feature_names.size() == 8);
  REQUIRE(r.feature_names[5] == "claim_status_opinion");
  REQUIRE(r.model.converged());
  REQUIRE(r.model.report().gradient_norm <= 1e-8);

  // The figures at the true optimum, to within 0.02 with our own random streams.
  const auto j = r.to_json();
  CHECK(j["accuracy"].get<double>() == Approx(0.670).margin(0.02));
  CHECK(j["precision"].get<double>() == Approx(0.632).margin(0.02));
  CHECK(j["recall"].get<double>() == Approx(0.818).margin(0.02));
  CHECK(j["coefficients"]["claim_status_opinion"].get<double>() == Approx(1.74).margin(0.1));
  CHECK(j["coefficients"]["video_duration_sec"].get<double>() < 0.0);
  CHECK(r.classification_report.find("verified") != std::string::npos);
}

TEST_CASE("verified_logit rejects frames it cannot use") {
  const DataFrame videos = read_csv(testing::real_dataset_path());
  REQUIRE_THROWS_WITH(verified_logit(videos.drop({"author_ban_status"})),
                      Catch::Contains("author_ban_status"));
  REQUIRE_THROWS_AS(verified_logit(videos.head(10)), InvalidArgument);
}
