// Explanations through the model layer (Model::explain and its siblings): imported XGBoost
// boosters against XGBoost's own pred_contribs (fixtures of tests/fixtures/scripts/
// xgboost_contribs.py), a file without covers refused naming the tree, the tabular pipeline's
// and the claim classifier's feature names and groups, and the frame, matrix and row paths
// agreeing bit for bit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/error.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "pipeline/tabular_toy.hpp"
#include "xgboost/support.hpp"

using Catch::Matchers::Contains;
using namespace claimlens;
using namespace claimlens::testing;

namespace {

// XGBoost's contributions for the reference's first test rows and its edge rows, compared with
// claimlens' within 1e-5 of the row's largest |contribution| (XGBoost computes in float32).
void check_parity(const std::string& name, int nan_modulus) {
  const Model model = load_model(fixture_path("xgboost/" + name + ".json"));
  const Reference ref = load_reference(name, nan_modulus);
  const auto j =
      nlohmann::json::parse(read_text_file(fixture_path("xgboost/" + name + "_contribs.json")));
  const auto test_rows = j.at("test_rows").get<std::size_t>();
  const auto& contribs = j.at("contribs");
  const std::size_t width = ref.cols + 1;
  REQUIRE(model.explanation_scale() == ShapScale::Margin);
  // The rows: the first test_rows of the reference, then its edge rows (the last ones).
  const std::size_t n_edges = ref.j.at("edge_rows").size();
  REQUIRE(contribs.size() == test_rows + n_edges);
  std::vector<double> x(ref.x.begin(),
                        ref.x.begin() + static_cast<std::ptrdiff_t>(test_rows * ref.cols));
  x.insert(x.end(), ref.x.end() - static_cast<std::ptrdiff_t>(n_edges * ref.cols), ref.x.end());
  std::vector<double> margin(ref.margin.begin(),
                             ref.margin.begin() + static_cast<std::ptrdiff_t>(test_rows));
  margin.insert(margin.end(), ref.margin.end() - static_cast<std::ptrdiff_t>(n_edges),
                ref.margin.end());
  const std::size_t rows = contribs.size();
  std::vector<double> out(rows * width), residual(rows), output(rows);
  model.explain(x.data(), rows, ref.cols, out.data(), residual.data(), output.data());
  double worst = 0.0, worst_residual = 0.0;
  for (std::size_t r = 0; r < rows; ++r) {
    const auto expected = contribs[r].get<std::vector<double>>();
    REQUIRE(expected.size() == width);
    double largest = 0.0;
    for (const double v : expected) largest = std::max(largest, std::fabs(v));
    for (std::size_t c = 0; c < width; ++c) {
      worst = std::max(worst, std::fabs(out[r * width + c] - expected[c]) / largest);
    }
    // claimlens' margin is XGBoost's up to float32 rounding of the sum.
    CHECK(std::fabs(output[r] - margin[r]) <= 1e-5 * std::max(1.0, std::fabs(margin[r])));
    worst_residual = std::max(worst_residual, residual[r] / std::max(1.0, std::fabs(output[r])));
  }
  INFO(name << ": largest difference " << worst << " of the row's largest contribution; "
            << "largest relative residual " << worst_residual << " (XGBoost's own "
            << j.at("max_residual").get<double>() << ")");
  CHECK(worst <= 1e-5);
  CHECK(worst_residual <= 1e-12);
  // The bias is the expected value; the row path gives the batch's bits.
  CHECK(out[width - 1] == model.expected_value());
  std::vector<double> one(width), one_residual(1);
  for (std::size_t r = 0; r < rows; r += 37) {
    model.explain_rows(x.data() + r * ref.cols, 1, one.data(), one_residual.data());
    CHECK(std::equal(one.begin(), one.end(), out.begin() + static_cast<std::ptrdiff_t>(r * width)));
    CHECK(one_residual[0] == residual[r]);
  }
}

// The tiny fixture booster with one key of every tree replaced.
Model booster_with(const std::string& key, const nlohmann::json& value) {
  auto j = nlohmann::json::parse(read_text_file(fixture_path("xgboost/claim_logitraw_tiny.json")));
  for (auto& tree : j["learner"]["gradient_booster"]["model"]["trees"]) {
    if (value.is_null()) {
      tree.erase(key);
    } else {
      tree[key] = nlohmann::json::array();
      for (std::size_t i = 0; i < tree["left_children"].size(); ++i) tree[key].push_back(value);
    }
  }
  const std::string text = j.dump();
  return load_model_buffer(
      Span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

const DataFrame& real_videos() {
  static const DataFrame frame = read_csv(real_dataset_path());
  return frame;
}

}  // namespace

TEST_CASE("explain: imported XGBoost boosters give XGBoost's pred_contribs", "[explain][xgboost]") {
  check_parity("claim_d4_300", 0);
  check_parity("claim_d8_100_nan", 10);
}

TEST_CASE("explain: an XGBoost file without covers is a model format error naming the tree",
          "[explain][xgboost]") {
  const Model zero = booster_with("sum_hessian", 0.0);
  std::vector<double> row(zero.num_features(), 1.0), out(zero.num_features() + 1, -7.0);
  double residual = -7.0;
  REQUIRE_THROWS_AS(zero.explain(row.data(), 1, row.size(), out.data(), &residual),
                    ModelFormatError);
  REQUIRE_THROWS_WITH(zero.explain(row.data(), 1, row.size(), out.data(), &residual),
                      Contains("xgboost model: tree 0 has no covers") && Contains("sum_hessian"));
  CHECK(out == std::vector<double>(out.size(), -7.0));  // nothing written
  CHECK(residual == -7.0);
  // Refused again on the next request (the explainer is not retried), and the scale too.
  REQUIRE_THROWS_AS(zero.expected_value(), ModelFormatError);
  // Prediction does not need covers.
  double p = 0.0;
  zero.predict_proba(row.data(), 1, row.size(), &p);
  CHECK(std::isfinite(p));
  // A file without the key at all is refused when it is read, naming the tree's key path.
  REQUIRE_THROWS_AS(booster_with("sum_hessian", nullptr), ModelFormatError);
  REQUIRE_THROWS_WITH(booster_with("sum_hessian", nullptr),
                      Contains("trees") && Contains("sum_hessian"));
}

TEST_CASE("explain: tabular pipelines name and group their features", "[explain][pipeline]") {
  const DataFrame frame = toy_frame();
  for (const auto algorithm : {TabularAlgorithm::RandomForest, TabularAlgorithm::GradientBoosting,
                               TabularAlgorithm::LogisticRegression}) {
    const Model model(TabularPipeline::fit(frame, toy_options(algorithm)));
    const std::vector<std::string> names = model.feature_names();
    const std::vector<std::string> groups = model.feature_groups();
    REQUIRE(groups.size() == names.size());
    const FeatureGroups g = model.groups();
    CHECK(g.names == std::vector<std::string>{"x", "size", "colour", "memo"});
    for (std::size_t j = 0; j < names.size(); ++j) {
      INFO(names[j]);
      CHECK(g.names[g.of_feature[j]] == groups[j]);
      if (names[j].rfind("colour_", 0) == 0) CHECK(groups[j] == "colour");
      if (names[j].rfind("memo: ", 0) == 0) CHECK(groups[j] == "memo");
    }
    const ShapValues v = model.explain(frame);
    REQUIRE(v.rows == frame.num_rows());
    CHECK(v.max_residual() < 1e-9);
    const std::vector<double> p = model.predict_proba(frame);
    for (std::size_t r = 0; r < v.rows; ++r) {
      // The output is P (forest) or the margin, whose sigmoid is P.
      const double prob =
          v.scale == ShapScale::Probability ? v.output[r] : 1.0 / (1.0 + std::exp(-v.output[r]));
      CHECK(prob == Approx(p[r]).margin(1e-12));
    }
    // Grouped: the sums of the groups are the sums of the features.
    std::vector<double> grouped(g.names.size());
    g.sum(v.values.data(), grouped.data());
    double a = 0.0, b = 0.0;
    for (std::size_t j = 0; j < names.size(); ++j) a += v.values[j];
    for (const double x : grouped) b += x;
    CHECK(a == Approx(b).margin(1e-12));
    // A pipeline with text refuses a matrix.
    std::vector<double> row(names.size(), 0.0), out(names.size() + 1);
    double residual = 0.0;
    REQUIRE_THROWS_AS(model.explain(row.data(), 1, row.size(), out.data(), &residual), StateError);
    REQUIRE_THROWS_WITH(model.explain(row.data(), 1, row.size(), out.data(), &residual),
                        Contains("needs the raw columns"));
  }
}

TEST_CASE("explain: the claim classifier groups n-grams under the transcript", "[explain][real]") {
  ClaimClassifierOptions options;
  options.algorithm = ClaimClassifierOptions::Algorithm::GradientBoosting;
  options.seed_grid = false;
  const DataFrame no_nulls = real_videos().dropna();
  std::vector<std::size_t> every_sixth;  // both classes (the file lists claims first)
  for (std::size_t i = 0; i < no_nulls.num_rows(); i += 6) every_sixth.push_back(i);
  const DataFrame videos = no_nulls.take(every_sixth);
  const ClaimClassifier clf = ClaimClassifier::train(videos, options);
  const Model model(clf);
  const std::vector<std::string> names = model.feature_names();
  const std::vector<std::string> groups = model.feature_groups();
  REQUIRE(names.size() == 25);
  CHECK(groups[1] == "video_view_count");
  CHECK(groups[6] == "video_transcription_text");  // text_length
  CHECK(groups[7] == "verified_status");
  CHECK(groups[8] == "author_ban_status");
  CHECK(groups[9] == "author_ban_status");
  for (std::size_t j = 10; j < 25; ++j) CHECK(groups[j] == "video_transcription_text");
  CHECK(model.groups().names.size() == 9);
  // Frame rows with a null get NaN; the others equal the record path, bit for bit.
  const DataFrame all = real_videos();
  std::vector<std::size_t> picked;
  for (std::size_t i = 0; i < 20; ++i) picked.push_back(i);
  for (std::size_t i = all.num_rows() - 20; i < all.num_rows(); ++i) picked.push_back(i);
  const DataFrame frame = all.take(picked);
  const ShapValues v = model.explain(frame);
  REQUIRE(v.rows == 40);
  CHECK(v.scale == ShapScale::Margin);
  const Column& text = frame.column("video_transcription_text");
  std::size_t complete = 0;
  for (std::size_t r = 0; r < v.rows; ++r) {
    if (text.is_null(r)) {
      CHECK(std::isnan(v.residual[r]));
      continue;
    }
    ++complete;
    CHECK(v.residual[r] < 1e-9);
    const VideoRecord record{text.string_at(r),
                             frame.column("verified_status").string_at(r),
                             frame.column("author_ban_status").string_at(r),
                             frame.column("video_duration_sec").as_double(r),
                             frame.column("video_view_count").as_double(r),
                             frame.column("video_like_count").as_double(r),
                             frame.column("video_share_count").as_double(r),
                             frame.column("video_download_count").as_double(r),
                             frame.column("video_comment_count").as_double(r)};
    std::vector<double> one(26);
    double residual = 0.0, output = 0.0;
    const ClaimClassifier::RecordSource source = [](const void* c, std::size_t) {
      return *static_cast<const VideoRecord*>(c);
    };
    clf.explain(1, source, &record, one.data(), &residual, &output);
    CHECK(
        std::equal(one.begin(), one.end(), v.values.begin() + static_cast<std::ptrdiff_t>(r * 26)));
    CHECK(output == v.output[r]);
  }
  CHECK(complete >= 20);
  CHECK(complete < 40);  // the data set's last rows have nulls
}
