// Model files of the model layer holding the library's matrix models: bit-identical predictions
// after a round trip, run-time model types, and corruption of real model documents.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <fstream>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "claimlens/random.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "io/model_damage.hpp"
#include "io/temp_dir.hpp"

using Catch::Matchers::Contains;
using claimlens::GradientBoostingClassifier;
using claimlens::GradientBoostingParams;
using claimlens::Model;
using claimlens::ModelFormatError;
using claimlens::RandomForestClassifier;
using claimlens::RandomForestParams;
using claimlens::RowMatrix;
using claimlens::io::ModelEncoding;
using claimlens::testing::TempDir;
using Bytes = std::vector<std::uint8_t>;

namespace {

/// rows x 4 features; label depends on features 0 and 1; some NaNs in feature 2.
void make_data(std::size_t rows, std::uint64_t seed, RowMatrix& X, std::vector<double>& y) {
  claimlens::Random rng(seed);
  X.resize(static_cast<Eigen::Index>(rows), 4);
  y.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    X(r, 0) = rng.normal();
    X(r, 1) = std::floor(rng.uniform() * 20);
    X(r, 2) = rng.uniform() < 0.1 ? std::nan("") : rng.normal() * 1e5;
    X(r, 3) = rng.uniform();
    y[i] = (X(r, 0) + 0.1 * X(r, 1) + 0.5 * rng.normal() > 1.0) ? 1.0 : 0.0;
  }
}

RandomForestClassifier small_forest(int trees, int depth, std::size_t rows = 300) {
  RowMatrix X;
  std::vector<double> y;
  make_data(rows, 1, X, y);
  RandomForestParams p;
  p.n_estimators = trees;
  p.max_depth = depth;
  p.random_state = 3;
  RandomForestClassifier model(p);
  model.fit(X, y);
  return model;
}

GradientBoostingClassifier small_boosting(int rounds, int depth, std::size_t rows = 300) {
  RowMatrix X;
  std::vector<double> y;
  make_data(rows, 2, X, y);
  GradientBoostingParams p;
  p.n_estimators = rounds;
  p.max_depth = depth;
  p.learning_rate = 0.3;
  GradientBoostingClassifier model(p);
  model.fit(X, y);
  return model;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

}  // namespace

TEST_CASE("forest and boosting models round-trip with bit-identical predictions", "[model]") {
  TempDir dir;
  RowMatrix X_test;
  std::vector<double> unused;
  make_data(500, 99, X_test, unused);
  const Model models[] = {Model(small_forest(30, 8, 2000)), Model(small_boosting(40, 4, 2000))};
  for (const auto& model : models) {
    const auto expected = model.predict_proba(X_test);
    for (const char* name : {"model.json", "model.cbor", "model", "model.model"}) {
      claimlens::save_model(model, dir.file(name));
      const Model back = claimlens::load_model(dir.file(name));
      CHECK(std::string(back.model_type()) == model.model_type());
      CHECK(same_bits(back.predict_proba(X_test), expected));
    }
    const auto bytes = claimlens::save_model_buffer(model, ModelEncoding::Cbor);
    CHECK(same_bits(claimlens::load_model_buffer(bytes).predict_proba(X_test), expected));
  }
  // Typed loading (the io layer's) checks the model type.
  claimlens::save_model(models[0], dir.file("forest.json"));
  CHECK(claimlens::io::load_model<RandomForestClassifier>(dir.file("forest.json")).trees().size() ==
        30);
  CHECK_THROWS_WITH(claimlens::io::load_model<GradientBoostingClassifier>(dir.file("forest.json")),
                    Contains("forest.json") && Contains("holds a 'random_forest' model") &&
                        Contains("expected 'gradient_boosting'"));
  CHECK(std::string(models[1].model_type()) == "gradient_boosting");
  CHECK(models[0].get_if<RandomForestClassifier>() != nullptr);
  CHECK(models[0].get_if<GradientBoostingClassifier>() == nullptr);
  CHECK(models[1].feature_names() == std::vector<std::string>{"f0", "f1", "f2", "f3"});
  CHECK_THROWS_WITH(models[0].predict_proba(RowMatrix::Zero(2, 3)),
                    Contains("cols is 3") && Contains("4 features"));
  CHECK_THROWS_AS(models[0].coefficients(), claimlens::StateError);
}

TEST_CASE("a logistic regression is a model file type load_model reads", "[model]") {
  RowMatrix X, X_test;
  std::vector<double> y, y_test;
  make_data(600, 21, X, y);
  make_data(50, 22, X_test, y_test);
  // Logistic regression needs complete rows: drop feature 2, the one with NaNs.
  const auto complete_columns = [](const RowMatrix& m) {
    RowMatrix out(m.rows(), 3);
    out << m.col(0), m.col(1), m.col(3);
    return out;
  };
  const RowMatrix train = complete_columns(X), test = complete_columns(X_test);
  claimlens::LogisticRegression logit;
  logit.fit(train, Eigen::Map<const claimlens::Vector>(y.data(), Eigen::Index(y.size())));
  const Model model(logit);
  CHECK(std::string(model.model_type()) == "logistic_regression");
  CHECK(model.num_features() == 3);
  CHECK(model.coefficients().size() == 4);
  const std::vector<double> expected = logit.positive_proba(test);
  TempDir dir;
  claimlens::save_model(model, dir.file("logit.json"));
  CHECK(claimlens::load_model(dir.file("logit.json")).predict_proba(test) == expected);
  const Bytes bytes = claimlens::save_model_buffer(model, ModelEncoding::Cbor);
  CHECK(claimlens::load_model_buffer(bytes).predict_proba(test) == expected);
  CHECK_THROWS_WITH(model.predict_proba(X_test), Contains("cols is 4") &&
                                                     Contains("logistic_regression model") &&
                                                     Contains("3 features"));
}

TEST_CASE("the model factory trains each matrix algorithm and refuses others by name", "[model]") {
  RowMatrix X;
  std::vector<double> y;
  make_data(200, 5, X, y);
  for (const char* algorithm : {"random_forest", "gradient_boosting"}) {
    const Model m = Model::fit({{"algorithm", algorithm}, {"n_estimators", 5}}, X, y);
    CHECK(std::string(m.model_type()) == algorithm);
    CHECK(m.predict_proba(X).size() == 200);
  }
  CHECK_THROWS_WITH(Model::fit({{"algorithm", "svm"}}, X, y),
                    Contains("unknown algorithm \"svm\""));
  CHECK_THROWS_WITH(Model::fit({{"n_estimators", 5}}, X, y),
                    Contains("'params.algorithm' must be"));
  CHECK_THROWS_WITH(Model::fit({{"algorithm", "claim_classifier"}}, X, y),
                    Contains("frame of videos"));
  CHECK_THROWS_WITH(Model::fit({{"algorithm", "random_forest"}}, X, std::vector<double>(3, 0.0)),
                    Contains("3 labels"));
}

TEST_CASE("an unknown model type is refused by load_model, naming the types it reads", "[model]") {
  const auto bytes =
      claimlens::io::encode_model("neural_net", {{"layers", 3}}, ModelEncoding::Json);
  CHECK_THROWS_WITH(claimlens::load_model_buffer(bytes),
                    Contains("unknown model_type 'neural_net'") && Contains("claim_classifier"));
}

TEST_CASE("a file that is no model is refused naming the file", "[model]") {
  TempDir dir;
  std::ofstream(dir.file("notes.model")) << "id,views\n1,2\n";
  CHECK_THROWS_WITH(claimlens::load_model(dir.file("notes.model")),
                    Contains("notes.model") && Contains("not a claimlens model"));
  CHECK_THROWS_AS(claimlens::load_model(dir.file("missing.model")), claimlens::IoError);
}

TEST_CASE("a matrix model refuses a frame whose columns do not fit, naming them", "[model]") {
  const Model model(small_forest(3, 3));
  const auto text = claimlens::read_csv_buffer("f0,f1,f2,f3\n1,2,x,4\n");
  CHECK_THROWS_WITH(model.predict_proba(text),
                    Contains("column 'f2' holds text") && Contains("random_forest model"));
  const auto narrow = claimlens::read_csv_buffer("a,b\n1,2\n");
  CHECK_THROWS_WITH(model.predict_proba(narrow),
                    Contains("4 features (f0..f3)") && Contains("it has 2"));
  const auto renamed = claimlens::read_csv_buffer("a,b,c,d,label\n1,2,3,4,1\n");
  CHECK(model.predict_proba(renamed, {"label"}).size() == 1);
}

TEST_CASE("corrupted forest and boosting files load or fail cleanly", "[model][fuzz]") {
  const Model models[] = {Model(small_forest(3, 3)), Model(small_boosting(3, 2))};
  auto load = [](const Bytes& b) { claimlens::load_model_buffer(b); };
  for (const auto& model : models) {
    for (auto encoding : {ModelEncoding::Json, ModelEncoding::Cbor}) {
      const Bytes bytes = claimlens::save_model_buffer(model, encoding);
      INFO(model.model_type() << (encoding == ModelEncoding::Json ? " json" : " cbor") << " "
                              << bytes.size() << " bytes");
      claimlens::testing::check_truncations(bytes, load, encoding == ModelEncoding::Json);
      claimlens::testing::check_flips(bytes, load, 1500, 5);
    }
  }
}
