// libFuzzer target: the model loader (claimlens_model_load_buffer; JSON text and CBOR, detected
// from the content). When an input loads, the model must predict on a small fixed matrix
// (probabilities in [0, 1]; a tabular pipeline that encodes text or categories on a fixed frame
// of four records instead), report its importances (and coefficients for logistic regression),
// and survive a save_buffer/load_buffer round trip with bit-identical predictions and identical
// bytes on a second save.
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_support.hpp"

using claimlens_fuzz::check_failure;
using claimlens_fuzz::is_probability;
using claimlens_fuzz::same_bits;

namespace {

// Models with more features than this are loaded and round-tripped but not predicted on (the
// matrix would dominate the run time; the loader's own bounds are what is under test).
constexpr std::size_t kMaxPredictFeatures = 4096;
constexpr std::size_t kRows = 4;

// Row-major kRows x cols: ordinary values, a NaN (missing) row for the tree models, extremes.
std::vector<double> probe_matrix(std::size_t cols, bool with_missing) {
  std::vector<double> x(kRows * cols);
  for (std::size_t j = 0; j < cols; ++j) {
    x[0 * cols + j] = static_cast<double>(j % 7) - 3.0;
    x[1 * cols + j] = 0.5 * static_cast<double>(j);
    x[2 * cols + j] = with_missing && j % 2 == 0 ? std::nan("") : -1e12;
    x[3 * cols + j] = 1e12;
  }
  return x;
}

// Four records in the data set's schema (a null row, an unseen status, a quoted comma) for
// tabular pipelines whose plan encodes text or categories: they predict from raw columns.
const claimlens_frame* probe_frame() {
  static const char kCsv[] =
      "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
      "author_ban_status,video_view_count,video_like_count,video_share_count,"
      "video_download_count,video_comment_count\r\n"
      "1,claim,7017666017,59,someone shared with me that drone deliveries are already "
      "happening,not verified,under review,343296,19425,241,1,0\r\n"
      "2,opinion,4014381136,32,i think that the earth has more trees than stars,verified,active,"
      "1000,200,10,1,0\r\n"
      "3,claim,9859838091,20,,not verified,banned,,,,,\r\n"
      "4,opinion,1234,5,\"a colleague read, in the news\",unknown,active,1e12,0,0,0,0\r\n";
  static claimlens_frame* frame = [] {
    claimlens_frame* f = nullptr;
    FUZZ_OK(claimlens_frame_read_csv_buffer(kCsv, sizeof kCsv - 1, &f));
    return f;
  }();
  return frame;
}

// A pipeline's or claim classifier's predictions on the probe frame; empty when its plan does not
// fit the frame (a column missing or of another type), which must be refused with no partial
// output.
std::vector<double> predict_frame(const claimlens_model* model) {
  std::vector<double> p(kRows, -1.0);
  const claimlens_status status =
      claimlens_model_predict_frame(model, probe_frame(), kRows, p.data());
  if (status != CLAIMLENS_OK) {
    check_failure(status, {CLAIMLENS_E_SCHEMA, CLAIMLENS_E_INVALID_ARGUMENT}, "predict_frame");
    for (double v : p) FUZZ_CHECK(v == -1.0);
    return {};
  }
  // NaN: a row a claim classifier cannot score (a null among its input columns).
  for (double v : p) FUZZ_CHECK(is_probability(v) || std::isnan(v));
  return p;
}

std::vector<double> predict(const claimlens_model* model, std::size_t cols) {
  // Logistic regression needs complete rows: a NaN row must be refused, not predicted.
  std::vector<double> x = probe_matrix(cols, true);
  std::vector<double> p(kRows, -1.0);
  const claimlens_status status =
      claimlens_model_predict_proba(model, x.data(), kRows, cols, p.data());
  if (status == CLAIMLENS_E_STATE) {  // a pipeline that needs raw columns
    FUZZ_CHECK(std::strlen(claimlens_last_error()) > 0);
    for (double v : p) FUZZ_CHECK(v == -1.0);
    return predict_frame(model);
  }
  if (status != CLAIMLENS_OK) {
    check_failure(status, {CLAIMLENS_E_INVALID_ARGUMENT}, "predict_proba(with NaN)");
    for (double v : p) FUZZ_CHECK(v == -1.0);  // no partial result
    x = probe_matrix(cols, false);
    FUZZ_OK(claimlens_model_predict_proba(model, x.data(), kRows, cols, p.data()));
  }
  for (double v : p) FUZZ_CHECK(is_probability(v));
  return p;
}

void check_model(claimlens_model* model) {
  std::size_t cols = 0;
  FUZZ_OK(claimlens_model_num_features(model, &cols));
  FUZZ_CHECK(cols > 0);
  std::vector<double> first;
  if (cols <= kMaxPredictFeatures) {
    first = predict(model, cols);
    std::vector<double> importances(cols);
    FUZZ_OK(claimlens_model_feature_importances(model, importances.data(), cols));
    for (double v : importances) FUZZ_CHECK(std::isfinite(v) && v >= 0.0);
    std::vector<double> coef(cols + 1);
    const claimlens_status s = claimlens_model_coefficients(model, coef.data(), cols + 1);
    if (s != CLAIMLENS_OK) check_failure(s, {CLAIMLENS_E_STATE}, "coefficients");
    double x = 0;
    check_failure(claimlens_model_predict_proba(model, &x, 1, cols + 1, &x),
                  {CLAIMLENS_E_INVALID_ARGUMENT, CLAIMLENS_E_STATE}, "predict_proba(wrong cols)");
  }

  void* saved = nullptr;
  std::size_t saved_len = 0;
  FUZZ_OK(claimlens_model_save_buffer(model, &saved, &saved_len));
  claimlens_model* again = nullptr;
  FUZZ_OK(claimlens_model_load_buffer(saved, saved_len, &again));
  std::size_t cols_again = 0;
  FUZZ_OK(claimlens_model_num_features(again, &cols_again));
  FUZZ_CHECK(cols_again == cols);
  if (cols <= kMaxPredictFeatures) {
    const std::vector<double> second = predict(again, cols);
    FUZZ_CHECK(second.size() == first.size());
    for (std::size_t i = 0; i < first.size(); ++i) FUZZ_CHECK(same_bits(first[i], second[i]));
  }
  void* resaved = nullptr;
  std::size_t resaved_len = 0;
  FUZZ_OK(claimlens_model_save_buffer(again, &resaved, &resaved_len));
  FUZZ_CHECK(resaved_len == saved_len && std::memcmp(saved, resaved, saved_len) == 0);
  claimlens_free(resaved);
  claimlens_free(saved);
  claimlens_model_free(again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t empty = 0;
  claimlens_model* model = reinterpret_cast<claimlens_model*>(const_cast<std::uint8_t*>(&empty));
  const claimlens_status status = claimlens_model_load_buffer(size ? data : &empty, size, &model);
  if (status != CLAIMLENS_OK) {
    check_failure(status, {CLAIMLENS_E_MODEL_FORMAT}, "claimlens_model_load_buffer");
    FUZZ_CHECK(model == reinterpret_cast<const claimlens_model*>(&empty));
    return 0;
  }
  check_model(model);
  claimlens_model_free(model);
  return 0;
}
