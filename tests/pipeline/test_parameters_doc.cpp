// docs/parameters.md is made from the parameter tables (claimlens/param_table.hpp), so it cannot
// drift from the code: this test fails when the file differs from what the tables print.
// Regenerate it with:  CLAIMLENS_UPDATE_DOCS=1 build/test/tests/test_pipeline "[docs]"
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/param_table.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/regression/logistic_regression.hpp"

namespace {

// Each table's title and where its keys are used, in the order of the file.
const char* const kSections[][2] = {
    {"Random forest (`RandomForestParams`)",
     "scikit-learn's `RandomForestClassifier` names: `claimlens train --algo rf --params`, "
     "`claimlens_model_train` with `\"algorithm\": \"random_forest\"`, grid searches."},
    {"Gradient boosting (`GradientBoostingParams`)",
     "XGBoost's `XGBClassifier` names: `--algo gbdt`, `\"algorithm\": \"gradient_boosting\"`."},
    {"Logistic regression (`LogisticRegressionParams`)",
     "scikit-learn's `LogisticRegression` names: `--algo logreg`, "
     "`\"algorithm\": \"logistic_regression\"`."},
    {"Claim classifier (`ClaimClassifierOptions`)",
     "The options of `ClaimClassifier::train` and `claimlens_classifier_train` (root `options`)."},
    {"Tabular pipeline (`TabularPipelineOptions`)",
     "The options of `TabularPipeline::fit` (root `options`); `claimlens train` sets them from "
     "`--target`, `--positive`, `--algo`, `--params`, `--drop`, `--text` and `--seed`. The "
     "vectorizer of the text column (`text_options`) is set in C++ only."},
};

template <class S>
std::string section(int index) {
  return std::string("## ") + kSections[index][0] + "\n\n" + kSections[index][1] + "\n\n" +
         S::table().markdown() + "\n";
}

std::string parameters_doc() {
  std::string out =
      "# Parameters\n\n"
      "<!-- Made by tests/pipeline/test_parameters_doc.cpp from the parameter tables; do not edit."
      " Regenerate: CLAIMLENS_UPDATE_DOCS=1 build/test/tests/test_pipeline \"[docs]\" -->\n\n"
      "Every parameter set is one JSON object. A missing key keeps its default; an unknown key, "
      "a value of the wrong type or out of its domain is refused with an error naming the key's "
      "full path, e.g. `'params.max_depth' must be an integer, not \"8\"` (`InvalidArgument`; "
      "`ModelFormatError` inside a model file, e.g. `'model.params.max_depth'`).\n\n"
      "`n_jobs` means the same everywhere: `n_jobs >= 1` threads (at most the number of cores), "
      "`0` or `-1` all cores (for fits, grid searches and big batch predictions of the tree "
      "ensembles: the cores other processes leave idle, `resolve_idle_jobs`), anything below "
      "`-1` refused "
      "(`claimlens/threads.hpp`). Results do not depend on it, and a model file keeps it as "
      "given (`0` stays `0`), so the same training writes the same bytes on every machine.\n\n";
  out += section<claimlens::RandomForestParams>(0) + section<claimlens::GradientBoostingParams>(1) +
         section<claimlens::LogisticRegressionParams>(2) +
         section<claimlens::ClaimClassifierOptions>(3) +
         section<claimlens::TabularPipelineOptions>(4);
  return out;
}

}  // namespace

TEST_CASE("docs/parameters.md is what the parameter tables print", "[docs]") {
  const std::string path = std::string(CLAIMLENS_SOURCE_DIR) + "/docs/parameters.md";
  const std::string expected = parameters_doc();
  if (std::getenv("CLAIMLENS_UPDATE_DOCS") != nullptr) std::ofstream(path) << expected;
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  INFO("regenerate: CLAIMLENS_UPDATE_DOCS=1 build/test/tests/test_pipeline \"[docs]\"");
  CHECK(text.str() == expected);
}

namespace {

// S{} written, read back and written again gives the same document, and every key to_json
// writes has one row (nothing is spelled twice).
template <class S>
void round_trips(const S& s = S{}) {
  const nlohmann::json written = s.to_json();
  CHECK(S::from_json(written).to_json() == written);
  CHECK(S::table().rows().size() == written.size());
  CHECK_NOTHROW(s.validate());
}

}  // namespace

TEST_CASE("parameter tables: every default round-trips and passes its own rules", "[docs]") {
  round_trips<claimlens::RandomForestParams>();
  round_trips<claimlens::GradientBoostingParams>();
  round_trips<claimlens::LogisticRegressionParams>();
  round_trips<claimlens::ClaimClassifierOptions>();
  claimlens::TabularPipelineOptions tabular;  // the target has no default
  tabular.target = "label";
  round_trips(tabular);
  tabular.positive = "yes";
  tabular.text = "memo";
  tabular.drop = {"id"};
  tabular.params = {{"max_depth", 4}};
  round_trips(tabular);
}

TEST_CASE("tabular pipeline options from JSON: each bad key is named by its path", "[docs]") {
  using claimlens::TabularPipelineOptions;
  using Json = nlohmann::json;
  const auto refused = [](const Json& j, const std::string& message) {
    INFO(j.dump());
    CHECK_THROWS_WITH(TabularPipelineOptions::from_json(j), message);
  };
  refused({{"target", "y"}, {"algo", "rf"}},
          "unknown key 'options.algo' (known: target, positive, algorithm, params, drop, "
          "text, max_categories, validation_fraction, random_state, n_jobs, tune, tune_scoring, "
          "tune_cv, tune_grid)");
  refused({{"target", 3}}, "'options.target' must be a string, not 3");
  refused({{"target", "y"}, {"algorithm", "svm"}},
          "'options.algorithm' must be one of \"rf\", \"gbdt\", \"logreg\", not \"svm\"");
  refused({{"target", "y"}, {"params", Json::array()}},
          "'options.params' must be an object, not []");
  refused({{"target", "y"}, {"drop", {"a", 1}}},
          "'options.drop' must be a list of strings, not [\"a\",1]");
  refused({{"target", "y"}, {"validation_fraction", 1}},
          "'options.validation_fraction' must be in [0, 1), not 1.0");
  refused(Json::object(), "'options.target' must be a column name, not \"\"");
  const auto o = TabularPipelineOptions::from_json(
      {{"target", "y"}, {"algorithm", "gbdt"}, {"text", "memo"}, {"random_state", 7}});
  CHECK(o.algorithm == claimlens::TabularAlgorithm::GradientBoosting);
  CHECK(*o.text == "memo");
  CHECK(o.random_state == 7);
}
