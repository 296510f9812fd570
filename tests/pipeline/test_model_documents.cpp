// Damaged tabular pipeline and claim classifier documents, one (JSON pointer, value) change per
// row: each must be refused with ModelFormatError and a message naming the problem.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "pipeline/tabular_toy.hpp"
#include "support/paths.hpp"

using claimlens::ClaimClassifier;
using claimlens::ClaimClassifierOptions;
using claimlens::ModelFormatError;
using claimlens::TabularAlgorithm;
using claimlens::TabularPipeline;
using Json = nlohmann::json;
using Pointer = Json::json_pointer;

namespace {

struct Damage {
  std::string pointer;  // "" damages the whole document
  Json value;           // the new value; discarded() erases the key or element instead
  const char* message;  // a substring the error must contain
};

Json erased() {
  return Json(Json::value_t::discarded);
}

Json damaged(const Json& good, const Damage& d) {
  Json doc = good;
  if (!d.value.is_discarded()) {
    doc[Pointer(d.pointer)] = d.value;
    return doc;
  }
  const Pointer at(d.pointer);
  Json& parent = doc[at.parent_pointer()];
  if (parent.is_array()) {
    parent.erase(std::stoul(at.back()));
  } else {
    parent.erase(at.back());
  }
  return doc;
}

template <class Load>
void check_refused(const Json& good, const std::vector<Damage>& damages, Load load) {
  for (const Damage& d : damages) {
    INFO("damage at '" << d.pointer << "': " << d.value.dump());
    const Json doc = damaged(good, d);
    try {
      load(doc);
      FAIL_CHECK("the damaged document loaded");
    } catch (const ModelFormatError& e) {
      CHECK_THAT(e.what(), Catch::Contains(d.message));
    } catch (const std::exception& e) {
      FAIL_CHECK("not a ModelFormatError: " << e.what());
    }
  }
}

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::uint64_t kWrapsToMinusOne = std::numeric_limits<std::uint64_t>::max();

// The index in "plan" of the first column of a kind.
std::string plan_index(const Json& doc, const char* kind) {
  const Json& plan = doc.at("plan");
  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].at("kind") == kind) return std::to_string(i);
  }
  FAIL("no " << kind << " column in the plan");
  return "";
}

}  // namespace

TEST_CASE("tabular pipeline documents: each damage is refused with a message naming it",
          "[tabular]") {
  const auto frame = claimlens::testing::toy_frame();
  const Json good =
      TabularPipeline::fit(frame,
                           claimlens::testing::toy_options(TabularAlgorithm::LogisticRegression))
          .to_json();
  REQUIRE_NOTHROW(TabularPipeline::from_json(good));
  const std::string num = "/plan/" + plan_index(good, "numeric");
  const std::string cat = "/plan/" + plan_index(good, "categorical");
  const std::string text = "/plan/" + plan_index(good, "text");
  const std::string category = good.at(Pointer(cat + "/categories")).at(0);
  const std::vector<Damage> damages = {
      {"", Json::array(), "expected a JSON object"},
      {"/target", "", "empty target name"},
      {"/target", 7, "'target' must be a string, not 7"},
      {"/positive", erased(), "missing key 'positive'"},
      {"/positive", good.at("negative"), "the positive and negative classes are the same"},
      {"/plan", "x", "'plan' must be a list"},
      {num + "/name", "", "a plan column has an empty name"},
      {num + "/name", good.at("target"), "appears twice (or is the target)"},
      {num + "/name", good.at(Pointer(cat + "/name")), "appears twice"},
      {num + "/kind", "mystery", "has an unknown kind 'mystery'"},
      {num + "/kind", true, ".kind' must be a string, not true"},
      {num + "/fill", kNaN, "has a non-finite fill value"},
      {num + "/fill", true, ".fill' must be a number, not true"},
      {num + "/fill", erased(), ".fill'"},
      {cat + "/categories", Json::array(), "has no category"},
      {cat + "/categories", Json::array({category, category}), "are not sorted and distinct"},
      {cat + "/categories", Json::array({1, 2}), ".categories' must be a list of strings"},
      {num + "/kind", "text", "more than one text column"},
      {text + "/kind", "numeric", ".fill'"},
      {"/text", nullptr, "the text settings do not match the plan"},
      {"/text", 5, "'text' must be an object"},
      {"/text/column", "other", "is not the plan's text column"},
      // Integers past every integer type are doubles in nlohmann (fuzz finding 7's pattern).
      {"/text/ngram_range", Json::array({1, 3.5e23}), "text.ngram_range must be [low, high]"},
      {"/text/ngram_range", Json::array({2, 1}), "text.ngram_range must be"},
      {"/text/ngram_range", Json::array({0, 1}), "text.ngram_range must be"},
      {"/text/ngram_range", Json::array({1, 9}), "text.ngram_range must be"},
      {"/text/ngram_range", Json::array({1, kWrapsToMinusOne}), "text.ngram_range must be"},
      {"/text/ngram_range", Json::array({1}), "text.ngram_range must be"},
      {"/text/ngram_range", "1-2", "text.ngram_range must be"},
      {"/text/lowercase", "yes", "'text.lowercase' must be a boolean, not \"yes\""},
      {"/text/binary", erased(), "missing key 'text.binary'"},
      {"/text/stop_words", 3, "'text.stop_words' must be null, \"english\" or a list of strings"},
      {"/text/stop_words", Json::array({"a", 1}), "'text.stop_words' must be null"},
      {"/text/vocabulary", "refund", "'text.vocabulary' must be a list of strings, not \"refund\""},
      {"/text/vocabulary/0", erased(), "feature_names do not match the plan"},
      {"/feature_names/0", "renamed", "feature_names do not match the plan"},
      {"/notes", 1, "'notes' must be a list of strings"},
      {"/algorithm", "svm", "unknown algorithm 'svm'"},
      {"/algorithm", "rf", "claimlens.random_forest: missing key"},
      {"/model/coef/0", erased(), "features but the plan makes"},
      {"/model/iterations", 1e300, "iterations must be an integer from 0 to 2147483647"},
      {"/model/iterations", kWrapsToMinusOne, "iterations must be an integer from 0 to"},
      {"/model/params/max_iter", kWrapsToMinusOne, "must be an integer from 1 to 100000"},
  };
  check_refused(good, damages, [](const Json& doc) { return TabularPipeline::from_json(doc); });
}

TEST_CASE("claim classifier documents: each damage is refused with a message naming it") {
  static const claimlens::DataFrame videos =
      claimlens::read_csv(claimlens::testing::real_dataset_path());
  ClaimClassifierOptions options;
  options.algorithm = ClaimClassifierOptions::Algorithm::GradientBoosting;
  options.seed_grid = false;
  const ClaimClassifier trained = ClaimClassifier::train(videos, options);
  const Json good = trained.to_json();
  REQUIRE_NOTHROW(ClaimClassifier::from_json(good));
  CHECK_THROWS_WITH(trained.predict_proba(claimlens::RowMatrix(1, 3)),
                    Catch::Contains("feature matrix has 3 columns, expected"));
  const std::vector<Damage> damages = {
      {"", "classifier", "claim classifier: expected a JSON object"},
      {"/featurizer", erased(), "missing key \"featurizer\""},
      {"/model_type", erased(), "missing key \"model_type\""},
      {"/model", erased(), "missing key \"model\""},
      {"/report", erased(), "missing key \"report\""},
      // Fuzz finding 7: a number past every integer type was converted with get<size_t>().
      {"/featurizer/ngram_range/1", 3.5e23, "ngram_range must hold two integers from 1 to 8"},
      {"/featurizer/ngram_range/0", kWrapsToMinusOne, "ngram_range must hold two integers"},
      {"/featurizer/ngram_range/0", 0, "ngram_range must hold two integers"},
      {"/featurizer/ngram_range", Json::array({1}), "bad ngram_range"},
      {"/featurizer/ngram_range", Json::array({3, 2}), "ngram_range out of bounds"},
      {"/featurizer/stop_words", "none", "stop_words must be \"english\""},
      {"/featurizer/lowercase", "yes", "claim featurizer:"},
      {"/featurizer/vocabulary/0", erased(), "features but the featurizer makes"},
      {"/model_type", "svm", "unknown model_type \"svm\""},
      {"/model_type", 3, "unknown model_type 3"},
      {"/model_type", "random_forest", "random_forest"},
      {"/model/trees/0/left/0", kWrapsToMinusOne, "must be an integer from -2^63 to 2^63-1"},
      {"/report", Json::array(), "report must be an object"},
  };
  check_refused(good, damages, [](const Json& doc) { return ClaimClassifier::from_json(doc); });
}

// The same for TabularPipeline::fit's arguments: one changed option or frame per row.
TEST_CASE("tabular pipeline fit: each bad argument is refused with a message naming it",
          "[tabular]") {
  using claimlens::TabularPipelineOptions;
  const auto frame = claimlens::testing::toy_frame();
  const auto base = claimlens::testing::toy_options(TabularAlgorithm::RandomForest);
  struct Case {
    const char* what;
    void (*change)(TabularPipelineOptions&);
    const char* message;
  };
  const std::vector<Case> cases = {
      {"params not an object", [](TabularPipelineOptions& o) { o.params = Json::array({1}); },
       "parameters must be a JSON object, got [1]"},
      {"no target", [](TabularPipelineOptions& o) { o.target.clear(); }, "no target column given"},
      {"validation_fraction 1", [](TabularPipelineOptions& o) { o.validation_fraction = 1.0; },
       "validation_fraction must be in [0, 1)"},
      {"validation_fraction NaN", [](TabularPipelineOptions& o) { o.validation_fraction = kNaN; },
       "validation_fraction must be in [0, 1)"},
      {"unknown target", [](TabularPipelineOptions& o) { o.target = "nope"; }, "nope"},
      {"unknown drop", [](TabularPipelineOptions& o) { o.drop = {"ghost"}; }, "ghost"},
      {"numeric text column", [](TabularPipelineOptions& o) { o.text = "x"; },
       "text column 'x' holds int64 values, not text"},
      {"text column is the target", [](TabularPipelineOptions& o) { o.text = "y"; },
       "the target 'y' cannot be the text column"},
      {"positive not a class", [](TabularPipelineOptions& o) { o.positive = "maybe"; },
       "positive class 'maybe' is not a value of target 'y' (its classes are 'no' and 'yes')"},
      {"nothing left to learn from",
       [](TabularPipelineOptions& o) {
         o.drop = {"x", "size", "colour", "memo"};  // "code": too many values
         o.text.reset();
       },
       "no usable feature column"},
      {"bad n_jobs for the forest", [](TabularPipelineOptions& o) { o.n_jobs = -5; }, "n_jobs"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    TabularPipelineOptions o = base;
    c.change(o);
    CHECK_THROWS_WITH(TabularPipeline::fit(frame, o), Catch::Contains(c.message));
  }

  const auto one_class = claimlens::read_csv_buffer("a,t\n1,x\n2,x\n", {}, "<1>");
  TabularPipelineOptions o;
  o.target = "t";
  CHECK_THROWS_WITH(TabularPipeline::fit(one_class, o),
                    Catch::Contains("target 't' has 1 class ('x'); a binary classifier needs"));

  // At predict time: a matrix of the wrong width, a target value of neither class.
  const TabularPipeline p = TabularPipeline::fit(frame, base);
  CHECK_THROWS_WITH(p.predict_proba(claimlens::RowMatrix(2, 3)),
                    Catch::Contains("the feature matrix has 3 columns but the model has"));
  const auto other = claimlens::read_csv_buffer("y\nyes\nperhaps\n", {}, "<t>");
  CHECK_THROWS_WITH(p.encode_target(other, "y"),
                    Catch::Contains("target 'y' row 2: 'perhaps' is neither 'yes' nor 'no'"));
}
