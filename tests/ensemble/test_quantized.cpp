// Quantized training (use_quantized_grad): parameters, quality against the float fit, leaf
// renewal and saved models. Thread-count determinism is in test_thread_counts.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <map>
#include <vector>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/model_file.hpp"
#include "support.hpp"

using namespace claimlens;
using claimlens::testing::MessageContains;
using nlohmann::json;

namespace {

GradientBoostingParams quantized_params() {
  GradientBoostingParams p;
  p.n_estimators = 30;
  p.max_depth = 4;
  p.learning_rate = 0.3;
  p.use_quantized_grad = true;
  return p;
}

// The leaf of `tree` that row `x` falls in (raw values, as prediction walks the tree).
std::int32_t leaf_of(const Tree& tree, const double* x) {
  std::int32_t i = 0;
  for (;;) {
    const TreeNode& n = tree.nodes()[static_cast<std::size_t>(i)];
    if (n.is_leaf()) return i;
    const double v = x[n.feature];
    i = std::isnan(v) ? (n.default_left ? n.left : n.right) : (v < n.threshold ? n.left : n.right);
  }
}

RowMatrix rows_of(const RowMatrix& X, Eigen::Index begin, Eigen::Index end) {
  return X.middleRows(begin, end - begin);
}

}  // namespace

TEST_CASE("quantized params: defaults, JSON round trip, rejections name the key",
          "[boosting][quantized][params]") {
  const GradientBoostingParams d;
  CHECK_FALSE(d.use_quantized_grad);
  CHECK(d.num_grad_quant_bins == 4);
  CHECK(d.quant_train_renew_leaf);
  const json j = {
      {"use_quantized_grad", true}, {"num_grad_quant_bins", 16}, {"quant_train_renew_leaf", false}};
  const auto p = GradientBoostingParams::from_json(j);
  CHECK(p.use_quantized_grad);
  CHECK(p.num_grad_quant_bins == 16);
  CHECK_FALSE(p.quant_train_renew_leaf);
  const json written = p.to_json();
  CHECK(written.at("use_quantized_grad") == true);
  CHECK(written.at("num_grad_quant_bins") == 16);
  CHECK(written.at("quant_train_renew_leaf") == false);
  CHECK(GradientBoostingParams::from_json(written).to_json() == written);
  auto rejects = [](const json& bad, const std::string& text) {
    CHECK_THROWS_MATCHES(GradientBoostingParams::from_json(bad), InvalidArgument,
                         MessageContains(text));
  };
  rejects({{"num_grad_quant_bins", 1}},
          "'params.num_grad_quant_bins' must be from 2 to 127, not 1");
  rejects({{"num_grad_quant_bins", 128}},
          "'params.num_grad_quant_bins' must be from 2 to 127, not 128");
  rejects({{"num_grad_quant_bins", 4.5}}, "'params.num_grad_quant_bins' must be an integer");
  rejects({{"use_quantized_grad", 1}}, "'params.use_quantized_grad' must be a boolean");
  rejects({{"quant_train_renew_leaf", "yes"}}, "'params.quant_train_renew_leaf' must be a boolean");
  // A struct built in C++ meets the same rule in the constructor.
  GradientBoostingParams bad;
  bad.num_grad_quant_bins = 0;
  CHECK_THROWS_MATCHES(GradientBoostingClassifier(bad), InvalidArgument,
                       MessageContains("'params.num_grad_quant_bins' must be from 2 to 127"));
}

TEST_CASE("quantized fit: test ROC AUC within 0.01 of the float fit", "[boosting][quantized]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 30000, 41);
  const RowMatrix train = rows_of(X, 0, 20000), test = rows_of(X, 20000, 30000);
  const std::vector<double> y_train(y.begin(), y.begin() + 20000),
      y_test(y.begin() + 20000, y.end());
  GradientBoostingParams p = quantized_params();
  p.use_quantized_grad = false;
  GradientBoostingClassifier plain(p);
  plain.fit(train, y_train);
  const std::vector<double> plain_proba = plain.predict_proba(test);
  const double auc_float = testing::roc_auc(y_test, plain_proba);
  CHECK(auc_float > 0.8);
  for (const int bins : {4, 16}) {
    for (const bool renew : {true, false}) {
      p.use_quantized_grad = true;
      p.num_grad_quant_bins = bins;
      p.quant_train_renew_leaf = renew;
      GradientBoostingClassifier q(p);
      q.fit(train, y_train);
      const std::vector<double> proba = q.predict_proba(test);
      INFO("bins " << bins << ", renew " << renew);
      CHECK(proba != plain_proba);  // the switch does change the fit
      CHECK(std::fabs(testing::roc_auc(y_test, proba) - auc_float) < 0.01);
    }
  }
}

TEST_CASE("quantized fit: renewed leaves hold the float formula on their rows",
          "[boosting][quantized]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 6000, 43);
  GradientBoostingParams p = quantized_params();
  p.n_estimators = 2;
  p.reg_lambda = 1.5;
  p.learning_rate = 0.4;
  for (const bool renew : {true, false}) {
    p.quant_train_renew_leaf = renew;
    GradientBoostingClassifier m(p);
    m.fit(X, y);
    REQUIRE(m.trees().size() == 2);
    // Round 2's tree: its rows' gradients at the margins after round 1.
    const Tree& first = m.trees()[0];
    const Tree& second = m.trees()[1];
    std::map<std::int32_t, std::pair<double, double>> sums;  // leaf -> (G, H)
    for (Eigen::Index r = 0; r < X.rows(); ++r) {
      const double* x = X.row(r).data();
      const double margin = m.base_margin() + first.predict_row(x);
      const double prob = 1.0 / (1.0 + std::exp(-margin));
      auto& s = sums[leaf_of(second, x)];
      s.first += prob - y[static_cast<std::size_t>(r)];
      s.second += std::max(prob * (1.0 - prob), 1e-16);
    }
    REQUIRE(sums.size() > 4);
    int differ = 0;
    for (const auto& [leaf, gh] : sums) {
      const TreeNode& node = second.nodes()[static_cast<std::size_t>(leaf)];
      const double expected = -gh.first / (gh.second + p.reg_lambda) * p.learning_rate;
      INFO("renew " << renew << ", leaf " << leaf << ": G " << gh.first << ", H " << gh.second);
      if (renew) {
        // Renewal sums in fixed point (2^-30 of the round's largest |g| and h, per row): at
        // most half a unit off per row, far below the quantized sums' error (next branch).
        CHECK(node.value == Approx(expected).epsilon(1e-7).margin(1e-12));
        CHECK(node.cover == Approx(gh.second).epsilon(1e-7));
      } else {
        differ += std::fabs(node.value - expected) > 1e-6;
      }
    }
    // From the quantized sums, leaves miss the formula: the test above can fail.
    if (!renew) CHECK(differ > 0);
  }
}

TEST_CASE("quantized fit: saved and loaded models predict identically", "[boosting][quantized]") {
  RowMatrix X;
  std::vector<double> y;
  testing::sparse_data(X, y, 5000, 47);
  GradientBoostingParams p = quantized_params();
  p.num_grad_quant_bins = 8;
  p.subsample = 0.8;
  GradientBoostingClassifier m(p);
  m.fit(X, y);
  const std::vector<double> proba = m.predict_proba(X);
  for (const auto encoding : {io::ModelEncoding::Json, io::ModelEncoding::Cbor}) {
    const auto bytes = io::save_model_buffer(m, encoding);
    const auto loaded = io::load_model_buffer<GradientBoostingClassifier>(
        Span<const std::uint8_t>(bytes.data(), bytes.size()));
    CHECK(loaded.params().use_quantized_grad);
    CHECK(loaded.params().num_grad_quant_bins == 8);
    CHECK(loaded.params().quant_train_renew_leaf);
    CHECK(loaded.predict_proba(X) == proba);
    CHECK(io::save_model_buffer(loaded, encoding) == bytes);
  }
  // A refit gives the same model (the rounding draws hash the seed, round and row).
  GradientBoostingClassifier again(p);
  again.fit(X, y);
  CHECK(io::save_model_buffer(again, io::ModelEncoding::Cbor) ==
        io::save_model_buffer(m, io::ModelEncoding::Cbor));
}
