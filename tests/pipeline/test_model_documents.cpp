// Damaged tabular pipeline and claim classifier documents, one (JSON pointer, value) change per
// row: each must be refused with ModelFormatError and a message naming the problem.
#include <catch2/catch.hpp>

#include <algorithm>
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
  std::string message;  // a substring the error must contain
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

// The key path (as messages name it) of a JSON pointer: "/plan/0/name" -> "plan[0].name".
std::string path(const std::string& pointer) {
  std::string out;
  std::size_t start = 1;
  while (start <= pointer.size()) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    const std::string token = pointer.substr(start, end - start);
    const bool index = !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
    out += index ? "[" + token + "]" : (out.empty() ? "" : ".") + token;
    start = end + 1;
  }
  return "'" + out + "'";
}

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
  Json fewer_features = good.at("model");  // a consistent model one feature short of the plan
  fewer_features["coef"].erase(0);
  fewer_features["feature_means"].erase(0);
  const std::vector<Damage> damages = {
      {"", Json::array(), "the document must be an object, not []"},
      {"/target", "", "'target' must not be empty"},
      {"/target", 7, "'target' must be a string, not 7"},
      {"/positive", erased(), "missing key 'positive'"},
      {"/positive", good.at("negative"), "'negative' must differ from 'positive'"},
      {"/plan", "x", "'plan' must be an array, not \"x\""},
      {num + "/name", "", path(num + "/name") + " must not be empty"},
      {num + "/name", good.at("target"), path(num + "/name") + " appears twice (or is the target)"},
      {num + "/name", good.at(Pointer(cat + "/name")), "appears twice"},
      {num + "/kind", "mystery",
       path(num + "/kind") + " must be one of \"numeric\", \"categorical\", \"text\", not "
                             "\"mystery\""},
      {num + "/kind", true, path(num + "/kind") + " must be one of"},
      {num + "/fill", kNaN, path(num + "/fill") + " must be a finite number, not NaN"},
      {num + "/fill", true, path(num + "/fill") + " must be a number, not true"},
      {num + "/fill", erased(), "missing key " + path(num + "/fill")},
      {cat + "/categories", Json::array(), path(cat + "/categories") + " must hold at least one"},
      {cat + "/categories", Json::array({category, category}), "must be sorted and distinct"},
      {cat + "/categories", Json::array({1, 2}),
       path(cat + "/categories") + " must be a list of strings"},
      {num + "/kind", "text", ".kind' is a second text column"},
      {text + "/kind", "numeric", "missing key " + path(text + "/fill")},
      {"/text", nullptr, "'text' must describe the plan's text column, not null"},
      {"/text", 5, "'text' must be an object, not 5"},
      {"/text/column", "other", "'text.column' must be the plan's text column"},
      // Integers past every integer type are doubles in nlohmann (fuzz finding 7's pattern).
      {"/text/ngram_range", Json::array({1, 3.5e23}),
       "'text.ngram_range[1]' must be an integer, not 3.5e+23"},
      {"/text/ngram_range", Json::array({2, 1}),
       "'text.ngram_range[1]' must be an integer from 2 to 8, not 1"},
      {"/text/ngram_range", Json::array({0, 1}),
       "'text.ngram_range[0]' must be an integer from 1 to 8, not 0"},
      {"/text/ngram_range", Json::array({1, 9}), "'text.ngram_range[1]' must be an integer from 1"},
      {"/text/ngram_range", Json::array({1, kWrapsToMinusOne}),
       "'text.ngram_range[1]' must be an integer from 1 to 8, not 18446744073709551615"},
      {"/text/ngram_range", Json::array({1}), "'text.ngram_range' must be [low, high], not [1]"},
      {"/text/ngram_range", "1-2", "'text.ngram_range' must be an array, not \"1-2\""},
      {"/text/lowercase", "yes", "'text.lowercase' must be a boolean, not \"yes\""},
      {"/text/binary", erased(), "missing key 'text.binary'"},
      {"/text/stop_words", 3, "'text.stop_words' must be null, \"english\" or a list of strings"},
      {"/text/stop_words", Json::array({"a", 1}), "'text.stop_words' must be a list of strings"},
      {"/text/vocabulary", "refund", "'text.vocabulary' must be a list of strings, not \"refund\""},
      {"/text/vocabulary/0", erased(), "'feature_names' do not match the plan"},
      {"/feature_names/0", "renamed", "'feature_names' do not match the plan"},
      {"/notes", 1, "'notes' must be a list of strings"},
      {"/algorithm", "svm", "'algorithm' must be one of \"rf\", \"gbdt\", \"logreg\", not \"svm\""},
      {"/algorithm", "rf", "missing key 'model.format'"},
      {"/model", fewer_features, "'model' has 14 features but the plan makes 15"},
      {"/model/coef/0", erased(),
       "'model.feature_means' has 15 entries, expected 14 (one per coefficient)"},
      {"/model/coef/1", "x", "'model.coef[1]' must be a number, not \"x\""},
      {"/model/iterations", 1e300, "'model.iterations' must be an integer, not 1e+300"},
      {"/model/iterations", kWrapsToMinusOne,
       "'model.iterations' must be an integer from 0 to 2147483647, not 18446744073709551615"},
      {"/model/params/max_iter", kWrapsToMinusOne, "'model.params.max_iter' must be an integer"},
      {"/model/params/max_iter", 0, "'model.params.max_iter' must be from 1 to 100000, not 0"},
      {"/model/params/C", "8", "'model.params.C' must be a number, not \"8\""},
      {"/model/params/tree", 8, "unknown key 'model.params.tree'"},
      {"/model/params/algorithm", "rf", "'model.params.algorithm' must be \"logistic_regression\""},
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
      {"", "classifier", "the document must be an object, not \"classifier\""},
      {"/featurizer", erased(), "missing key 'featurizer'"},
      {"/model_type", erased(), "missing key 'model_type'"},
      {"/model", erased(), "missing key 'model'"},
      {"/report", erased(), "missing key 'report'"},
      // Fuzz finding 7: a number past every integer type was converted with get<size_t>().
      {"/featurizer/ngram_range/1", 3.5e23,
       "'featurizer.ngram_range[1]' must be an integer, not 3.5e+23"},
      {"/featurizer/ngram_range/0", kWrapsToMinusOne,
       "'featurizer.ngram_range[0]' must be an integer from 1 to 8, not 18446744073709551615"},
      {"/featurizer/ngram_range/0", 0,
       "'featurizer.ngram_range[0]' must be an integer from 1 to 8"},
      {"/featurizer/ngram_range", Json::array({1}),
       "'featurizer.ngram_range' must be [low, high], not [1]"},
      {"/featurizer/ngram_range", Json::array({3, 2}),
       "'featurizer.ngram_range[1]' must be an integer from 3 to 8, not 2"},
      {"/featurizer/stop_words", "none",
       "'featurizer.stop_words' must be \"english\", not \"none\""},
      {"/featurizer/lowercase", "yes", "'featurizer.lowercase' must be a boolean, not \"yes\""},
      {"/featurizer/vocabulary", "x", "'featurizer.vocabulary' must be a list of strings"},
      {"/featurizer/vocabulary/0", erased(), "'model.n_features' must be the featurizer's"},
      {"/model_type", "svm",
       "'model_type' must be one of \"random_forest\", \"gradient_boosting\", not \"svm\""},
      {"/model_type", 3, "'model_type' must be one of"},
      {"/model_type", "random_forest", "'model.format' must be \"claimlens.random_forest\""},
      {"/model/trees/0/left/0", kWrapsToMinusOne,
       "'model.trees[0].left[0]' must be an integer from -1 to 2147483647, not "
       "18446744073709551615"},
      {"/model/trees/3/feature/0", "8",
       "'model.trees[3].feature[0]' must be an integer, not \"8\""},
      {"/model/trees/1/threshold/0", nullptr, "'model.trees[1].threshold[0]' must be a number"},
      {"/model/params/max_depth", "8", "'model.params.max_depth' must be an integer, not \"8\""},
      {"/model/params/n_jobs", -2, "'model.params.n_jobs' must be >= -1, not -2"},
      {"/model/base_score", 2, "'model.base_score' must be a probability in (0, 1), not 2"},
      {"/report", Json::array(), "'report' must be an object, not []"},
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
       "'options.params' must be an object, not [1]"},
      {"no target", [](TabularPipelineOptions& o) { o.target.clear(); },
       "'options.target' must be a column name, not \"\""},
      {"validation_fraction 1", [](TabularPipelineOptions& o) { o.validation_fraction = 1.0; },
       "'options.validation_fraction' must be in [0, 1), not 1.0"},
      {"validation_fraction NaN", [](TabularPipelineOptions& o) { o.validation_fraction = kNaN; },
       "'options.validation_fraction' must be in [0, 1)"},
      {"empty text column name", [](TabularPipelineOptions& o) { o.text = ""; },
       "'options.text' must be null or a column name, not \"\""},
      {"max_categories 0", [](TabularPipelineOptions& o) { o.max_categories = 0; },
       "'options.max_categories' must be >= 1, not 0"},
      {"algorithm inside params",
       [](TabularPipelineOptions& o) {
         o.params = Json{{"algorithm", "random_forest"}};
       },
       "unknown key 'params.algorithm'"},
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
      {"bad n_jobs", [](TabularPipelineOptions& o) { o.n_jobs = -5; },
       "'options.n_jobs' must be >= -1, not -5"},
      {"bad n_jobs in the forest's params",
       [](TabularPipelineOptions& o) {
         o.params = Json{{"n_jobs", -5}};
       },
       "'params.n_jobs' must be >= -1, not -5"},
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

// The pipeline holds its estimator as a Model of the model layer (no variant of model classes):
// the estimator's type follows the algorithm, and it scores the plan's matrix as the pipeline
// does (boosting takes NaN as missing, so there is no imputation in between).
TEST_CASE("a tabular pipeline's estimator is a Model of its algorithm's type", "[tabular]") {
  const auto frame = claimlens::testing::toy_frame();
  for (const auto algorithm : {TabularAlgorithm::RandomForest, TabularAlgorithm::GradientBoosting,
                               TabularAlgorithm::LogisticRegression}) {
    INFO(claimlens::tabular_algorithm_name(algorithm));
    const auto pipeline =
        claimlens::TabularPipeline::fit(frame, claimlens::testing::toy_options(algorithm));
    const claimlens::Model& estimator = pipeline.model();
    CHECK(std::string(estimator.model_type()) == claimlens::tabular_model_type(algorithm));
    CHECK(estimator.num_features() == pipeline.num_features());
    if (algorithm == TabularAlgorithm::GradientBoosting) {
      CHECK(estimator.predict_proba(pipeline.transform(frame)) == pipeline.predict_proba(frame));
    }
  }
}
