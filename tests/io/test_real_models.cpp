// Model files holding the library's ensembles: bit-identical predictions after a round trip,
// run-time model types, and corruption of real model documents.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>

#include "claimlens/io/models.hpp"
#include "claimlens/random.hpp"
#include "io/temp_dir.hpp"

using Catch::Matchers::Contains;
using claimlens::GradientBoostingClassifier;
using claimlens::GradientBoostingParams;
using claimlens::ModelFormatError;
using claimlens::RandomForestClassifier;
using claimlens::RandomForestParams;
using claimlens::RowMatrix;
using claimlens::io::ModelEncoding;
using claimlens::testing::TempDir;
using Bytes = std::vector<std::uint8_t>;

namespace claimlens::testing {
bool loads_or_rejects(const Bytes&, const std::function<void(const Bytes&)>&);
}

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

TEST_CASE("forest and boosting models round-trip with bit-identical predictions", "[io][models]") {
  TempDir dir;
  RowMatrix X_test;
  std::vector<double> unused;
  make_data(500, 99, X_test, unused);
  const claimlens::io::AnyModel models[] = {small_forest(30, 8, 2000), small_boosting(40, 4, 2000)};
  for (const auto& model : models) {
    const auto expected = claimlens::io::predict_proba(model, X_test);
    for (const char* name : {"model.json", "model.cbor"}) {
      claimlens::io::save_any_model(model, dir.file(name));
      const auto back = claimlens::io::load_any_model(dir.file(name));
      CHECK(back.index() == model.index());
      CHECK(same_bits(claimlens::io::predict_proba(back, X_test), expected));
    }
    const auto bytes = claimlens::io::save_any_model_buffer(model, ModelEncoding::Cbor);
    CHECK(
        same_bits(claimlens::io::predict_proba(claimlens::io::load_any_model_buffer(bytes), X_test),
                  expected));
  }
  // Typed loading checks the model type.
  claimlens::io::save_model(std::get<0>(models[0]), dir.file("forest.json"));
  CHECK(claimlens::io::load_model<RandomForestClassifier>(dir.file("forest.json")).trees().size() ==
        30);
  CHECK_THROWS_WITH(claimlens::io::load_model<GradientBoostingClassifier>(dir.file("forest.json")),
                    Contains("forest.json") && Contains("holds a 'random_forest' model") &&
                        Contains("expected 'gradient_boosting'"));
  CHECK(std::string(claimlens::io::model_type_of(models[1])) == "gradient_boosting");
  CHECK_THROWS_WITH(claimlens::io::predict_proba(models[0], RowMatrix::Zero(2, 3)),
                    Contains("3 columns") && Contains("4 features"));
}

TEST_CASE("a logistic regression is a model file type load_any_model reads", "[io][models]") {
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
  const claimlens::io::AnyModel model = logit;
  CHECK(std::string(claimlens::io::model_type_of(model)) == "logistic_regression");
  CHECK(claimlens::io::n_features_in(model) == 3);
  const std::vector<double> expected = logit.positive_proba(test);
  TempDir dir;
  claimlens::io::save_any_model(model, dir.file("logit.json"));
  CHECK(claimlens::io::predict_proba(claimlens::io::load_any_model(dir.file("logit.json")), test) ==
        expected);
  const Bytes bytes = claimlens::io::save_any_model_buffer(model, ModelEncoding::Cbor);
  CHECK(claimlens::io::predict_proba(claimlens::io::load_any_model_buffer(bytes), test) ==
        expected);
  CHECK_THROWS_WITH(
      claimlens::io::predict_proba(model, X_test),
      Contains("4 columns") && Contains("logistic_regression model") && Contains("3 features"));
}

TEST_CASE("an unknown model type is refused by load_any_model", "[io][models]") {
  const auto bytes =
      claimlens::io::encode_model("neural_net", {{"layers", 3}}, ModelEncoding::Json);
  CHECK_THROWS_WITH(claimlens::io::load_any_model_buffer(bytes),
                    Contains("unknown model_type 'neural_net'"));
}

TEST_CASE("corrupted forest and boosting files load or fail cleanly", "[io][models][fuzz]") {
  const claimlens::io::AnyModel models[] = {small_forest(3, 3), small_boosting(3, 2)};
  auto load = [](const Bytes& b) { claimlens::io::load_any_model_buffer(b); };
  for (const auto& model : models) {
    for (auto encoding : {ModelEncoding::Json, ModelEncoding::Cbor}) {
      const Bytes bytes = claimlens::io::save_any_model_buffer(model, encoding);
      INFO(claimlens::io::model_type_of(model)
           << (encoding == ModelEncoding::Json ? " json" : " cbor") << " " << bytes.size()
           << " bytes");
      std::size_t loaded = 0;
      for (std::size_t n = 0; n < bytes.size(); ++n) {
        const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
        if (claimlens::testing::loads_or_rejects(prefix, load)) {
          ++loaded;
          CHECK((encoding == ModelEncoding::Json && n + 1 == bytes.size()));
        }
      }
      CHECK(loaded <= 1);
      claimlens::Random rng(5);
      for (int t = 0; t < 1500; ++t) {
        Bytes copy = bytes;
        const auto flips = 1 + rng.uniform_int(3);
        for (std::uint64_t f = 0; f < flips; ++f) {
          copy[rng.uniform_int(copy.size())] = static_cast<std::uint8_t>(rng.uniform_int(256));
        }
        claimlens::testing::loads_or_rejects(copy, load);
      }
    }
  }
}
