// libFuzzer target: the XGBoost importer (XGBoostBooster::load; JSON text and UBJSON, detected
// from the content), through the C++ API (the C ABI reaches it through the model layer's loader).
// A failure must be ModelFormatError with a message; when an input loads, the booster must
// predict a small fixed matrix (NaN row, +-1e12, values around float32 boundaries) with finite
// margins and probabilities in [0, 1], the same bits through the single-row, one-thread and
// two-thread paths, finite non-negative importances, and survive to_json() saved in a claimlens
// model file (CBOR, and JSON text when its strings are UTF-8), re-encoded as UBJSON and as JSON
// text, with bit-identical predictions each time.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "claimlens/io/model_file.hpp"
#include "claimlens/xgboost/booster.hpp"
#include "fuzz_check.hpp"

using claimlens::XGBoostBooster;

namespace {

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

bool is_probability(double p) {
  return p >= 0.0 && p <= 1.0;  // false for NaN
}

constexpr std::size_t kMaxPredictFeatures = 4096;
constexpr std::size_t kRows = 4;

claimlens::io::ModelLimits limits() {
  claimlens::io::ModelLimits l;
  l.max_bytes = 1u << 20;
  l.max_values = 1u << 20;
  l.max_string_bytes = 1u << 16;
  l.max_depth = 32;  // so that the claimlens envelope (one level more) fits the default 64
  return l;
}

std::vector<double> probe_matrix(std::size_t cols) {
  std::vector<double> x(kRows * cols);
  for (std::size_t j = 0; j < cols; ++j) {
    x[0 * cols + j] = static_cast<double>(j % 7) - 3.0 + 1e-9 * static_cast<double>(j);
    x[1 * cols + j] = 0.5 * static_cast<double>(j);
    x[2 * cols + j] = j % 2 == 0 ? std::nan("") : -1e12;
    x[3 * cols + j] = 1e12;
  }
  return x;
}

std::vector<double> check_predictions(const XGBoostBooster& b) {
  const std::size_t cols = b.num_features();
  if (cols > kMaxPredictFeatures) return {};
  const std::vector<double> x = probe_matrix(cols);
  const std::vector<double> margin = b.predict_margin(x.data(), kRows, cols);
  const std::vector<double> proba = b.predict_proba(x.data(), kRows, cols);
  std::vector<double> rows(kRows);
  b.predict_proba_rows(x.data(), kRows, cols, rows.data());
  XGBoostBooster threads(b);
  threads.set_n_jobs(2);
  const std::vector<double> proba2 = threads.predict_proba(x.data(), kRows, cols);
  for (std::size_t r = 0; r < kRows; ++r) {
    FUZZ_CHECK(std::isfinite(margin[r]));
    FUZZ_CHECK(is_probability(proba[r]));
    FUZZ_CHECK(same_bits(b.predict_margin_row(x.data() + r * cols), margin[r]));
    FUZZ_CHECK(same_bits(b.predict_proba_row(x.data() + r * cols), proba[r]));
    FUZZ_CHECK(same_bits(rows[r], proba[r]) && same_bits(proba2[r], proba[r]));
  }
  for (double v : b.feature_importances()) FUZZ_CHECK(std::isfinite(v) && v >= 0.0);
  return margin;
}

void check_same(const XGBoostBooster& b, const std::vector<double>& margin) {
  FUZZ_CHECK(b.num_features() > 0);
  const std::vector<double> again = check_predictions(b);
  FUZZ_CHECK(again.size() == margin.size());
  for (std::size_t i = 0; i < margin.size(); ++i) FUZZ_CHECK(same_bits(again[i], margin[i]));
}

XGBoostBooster reload(const std::vector<std::uint8_t>& bytes) {
  try {
    return XGBoostBooster::load(bytes);  // default limits: JSON text is longer than UBJSON
  } catch (const std::exception& e) {
    std::fprintf(stderr, "a re-encoded booster failed to load: %s\n", e.what());
    std::abort();
  }
}

void check_round_trips(const XGBoostBooster& b) {
  const std::vector<double> margin = check_predictions(b);
  namespace io = claimlens::io;
  const auto cbor = io::save_model_buffer(b, io::ModelEncoding::Cbor);
  check_same(io::load_model_buffer<XGBoostBooster>(claimlens::Span<const std::uint8_t>(cbor)),
             margin);
  try {
    const auto text = io::save_model_buffer(b, io::ModelEncoding::Json);
    const auto back =
        io::load_model_buffer<XGBoostBooster>(claimlens::Span<const std::uint8_t>(text));
    check_same(back, margin);
    FUZZ_CHECK(back.to_json() == b.to_json());
  } catch (const claimlens::InvalidArgument&) {
    // a string that is not UTF-8 (possible in UBJSON): JSON text cannot hold it
  }
  const nlohmann::json doc = b.to_json();
  check_same(reload(nlohmann::json::to_ubjson(doc)), margin);
  std::string text;
  try {
    text = doc.dump();
  } catch (const nlohmann::json::type_error&) {
    return;  // not UTF-8, as above
  }
  check_same(reload(std::vector<std::uint8_t>(text.begin(), text.end())), margin);
  if (b.num_boosted_rounds() > 1) (void)check_predictions(b.with_iteration_range(0, 1));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)claimlens::looks_like_xgboost_model(claimlens::Span<const std::uint8_t>(data, size));
  std::vector<std::uint8_t> bytes(data, data + size);
  XGBoostBooster booster;
  try {
    booster = XGBoostBooster::load(bytes, limits(), "input");
  } catch (const claimlens::ModelFormatError& e) {
    FUZZ_CHECK(std::string(e.what()).rfind("input: ", 0) == 0);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "load threw something else than ModelFormatError: %s\n", e.what());
    std::abort();
  }
  check_round_trips(booster);
  return 0;
}
