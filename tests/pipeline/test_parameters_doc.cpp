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
      "`0` or `-1` all cores, anything below `-1` refused (`claimlens/threads.hpp`). Results do "
      "not depend on it.\n\n";
  out += section<claimlens::RandomForestParams>(0) + section<claimlens::GradientBoostingParams>(1) +
         section<claimlens::LogisticRegressionParams>(2) +
         section<claimlens::ClaimClassifierOptions>(3);
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
void round_trips() {
  const nlohmann::json written = S{}.to_json();
  CHECK(S::from_json(written).to_json() == written);
  CHECK(S::table().rows().size() == written.size());
  CHECK_NOTHROW(S{}.validate());
}

}  // namespace

TEST_CASE("parameter tables: every default round-trips and passes its own rules", "[docs]") {
  round_trips<claimlens::RandomForestParams>();
  round_trips<claimlens::GradientBoostingParams>();
  round_trips<claimlens::LogisticRegressionParams>();
  round_trips<claimlens::ClaimClassifierOptions>();
}
