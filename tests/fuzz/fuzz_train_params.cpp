// libFuzzer target: claimlens_model_train with the input as its params_json, on a tiny fixed
// dataset (48 rows x 3 features, with missing values in the tree models' reach). A trained model
// must predict probabilities in [0, 1] on its training rows and survive a save/load round trip
// with bit-identical predictions; a refused one must say why with INVALID_ARGUMENT or PARSE.
//
// Cost cap: inputs that ask for more than kMaxTrees trees, a depth past kMaxDepth or more than
// kMaxIter solver iterations are skipped before the call (they are valid, only slow; the
// parameter checks at and below the caps are what is under test). Any key anywhere in the
// document with one of those names and a larger number is skipped, so nesting cannot hide one.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"

using claimlens_fuzz::check_failure;
using claimlens_fuzz::is_probability;
using claimlens_fuzz::same_bits;

namespace {

constexpr double kMaxTrees = 16, kMaxDepth = 8, kMaxIter = 500;
constexpr std::size_t kRows = 48, kCols = 3;

struct Data {
  std::vector<double> x, y, x_complete;
};

const Data& data() {
  static const Data d = [] {
    Data out;
    for (std::size_t i = 0; i < kRows; ++i) {
      const double a = static_cast<double>((i * 37) % 17), b = static_cast<double>(i % 5);
      const double c = static_cast<double>(i) * 0.25;
      out.y.push_back((a + 2 * b) > 12 ? 1.0 : 0.0);
      out.x.insert(out.x.end(), {a, i % 11 == 3 ? std::nan("") : b, c});
      out.x_complete.insert(out.x_complete.end(), {a, b, c});
    }
    return out;
  }();
  return d;
}

bool too_costly(const nlohmann::json& j) {
  if (j.is_object()) {
    for (const auto& item : j.items()) {
      const nlohmann::json& v = item.value();
      if (v.is_number()) {
        const double n = v.get<double>();
        if (item.key() == "n_estimators" && n > kMaxTrees) return true;
        if (item.key() == "max_depth" && n > kMaxDepth) return true;
        if (item.key() == "max_iter" && n > kMaxIter) return true;
      }
      if (too_costly(v)) return true;
    }
  } else if (j.is_array()) {
    for (const auto& v : j) {
      if (too_costly(v)) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string params(reinterpret_cast<const char*>(bytes), size);
  {
    const nlohmann::json parsed = nlohmann::json::parse(params, nullptr, false);
    if (!parsed.is_discarded() && too_costly(parsed)) return 0;
  }
  const Data& d = data();
  auto* sentinel = reinterpret_cast<claimlens_model*>(const_cast<Data*>(&d));
  claimlens_model* model = sentinel;
  const claimlens_status status =
      claimlens_model_train(d.x.data(), kRows, kCols, d.y.data(), params.c_str(), &model);
  if (status != CLAIMLENS_OK) {
    check_failure(status, {CLAIMLENS_E_INVALID_ARGUMENT, CLAIMLENS_E_PARSE},
                  "claimlens_model_train");
    FUZZ_CHECK(model == sentinel);
    return 0;
  }
  // Logistic regression refuses rows with missing values; the trees handle them.
  std::vector<double> p(kRows, -1.0);
  const double* x = d.x.data();
  claimlens_status s = claimlens_model_predict_proba(model, x, kRows, kCols, p.data());
  if (s != CLAIMLENS_OK) {
    check_failure(s, {CLAIMLENS_E_INVALID_ARGUMENT}, "predict_proba(missing values)");
    x = d.x_complete.data();
    FUZZ_OK(claimlens_model_predict_proba(model, x, kRows, kCols, p.data()));
  }
  for (double v : p) FUZZ_CHECK(is_probability(v));
  std::vector<double> importances(kCols);
  FUZZ_OK(claimlens_model_feature_importances(model, importances.data(), kCols));
  for (double v : importances) FUZZ_CHECK(std::isfinite(v) && v >= 0.0);

  void* saved = nullptr;
  std::size_t saved_len = 0;
  FUZZ_OK(claimlens_model_save_buffer(model, &saved, &saved_len));
  claimlens_model* again = nullptr;
  FUZZ_OK(claimlens_model_load_buffer(saved, saved_len, &again));
  std::vector<double> q(kRows);
  FUZZ_OK(claimlens_model_predict_proba(again, x, kRows, kCols, q.data()));
  for (std::size_t i = 0; i < kRows; ++i) FUZZ_CHECK(same_bits(p[i], q[i]));
  claimlens_free(saved);
  claimlens_model_free(again);
  claimlens_model_free(model);
  return 0;
}
