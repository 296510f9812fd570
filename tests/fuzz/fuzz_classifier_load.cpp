// libFuzzer target: the claim classifier loader (claimlens_classifier_load_buffer; JSON text and
// CBOR). When an input loads, the classifier must score fixed records (single records and a frame,
// with the same results both ways), produce a report that is valid JSON, and survive a
// save_buffer/load_buffer round trip with bit-identical scores and identical bytes on a second
// save.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.hpp"

using claimlens_fuzz::check_failure;
using claimlens_fuzz::is_probability;
using claimlens_fuzz::same_bits;

namespace {

// Records in the dataset's shape: real phrasing, every status value, a one-letter text, zeros.
// (No empty text: until session 5 predict_frame refused a null text that predict takes as empty;
// both now score it as empty text, checked by test_capi.)
const char kVideosCsv[] =
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,"
    "video_download_count,video_comment_count\r\n"
    "1,claim,7017666017,59,\"someone shared with me that drone deliveries are already happening "
    "and will become common by 2025\",not verified,under review,343296,19425,241,1,0\r\n"
    "2,opinion,1234567890,32,\"i think that the moon is made of cheese, and i’m sure\",verified,"
    "active,1200,45,3,0,1\r\n"
    "3,claim,2345678901,10,a,not verified,banned,0,0,0,0,0\r\n"
    "4,opinion,3456789012,5,\"our colleagues learned from the media that a shark's skin is "
    "rough\",verified,under review,999999,500000,250000,1000,999\r\n";

struct Probe {
  claimlens_frame* frame = nullptr;
  std::vector<std::string> texts, verified, banned;
  std::vector<claimlens_video> videos;
};

const Probe& probe() {
  static const Probe p = [] {
    Probe q;
    FUZZ_OK(claimlens_frame_read_csv_buffer(kVideosCsv, sizeof kVideosCsv - 1, &q.frame));
    const std::size_t n = claimlens_frame_num_rows(q.frame);
    auto text = [&](const char* column, std::size_t row) {
      const char* s = nullptr;
      FUZZ_OK(claimlens_frame_get_string(q.frame, column, row, &s));
      return std::string(s ? s : "");
    };
    auto numbers = [&](const char* column) {
      std::vector<double> v(n);
      FUZZ_OK(claimlens_frame_get_doubles(q.frame, column, n, v.data()));
      return v;
    };
    const auto duration = numbers("video_duration_sec"), views = numbers("video_view_count"),
               likes = numbers("video_like_count"), shares = numbers("video_share_count"),
               downloads = numbers("video_download_count"),
               comments = numbers("video_comment_count");
    for (std::size_t i = 0; i < n; ++i) {
      q.texts.push_back(text("video_transcription_text", i));
      q.verified.push_back(text("verified_status", i));
      q.banned.push_back(text("author_ban_status", i));
    }
    for (std::size_t i = 0; i < n; ++i) {
      q.videos.push_back(claimlens_video{sizeof(claimlens_video), q.texts[i].c_str(),
                                         q.verified[i].c_str(), q.banned[i].c_str(), duration[i],
                                         views[i], likes[i], shares[i], downloads[i], comments[i]});
    }
    return q;
  }();
  return p;
}

std::vector<double> score(const claimlens_classifier* clf) {
  const Probe& p = probe();
  const std::size_t n = p.videos.size();
  std::vector<double> single(n), framed(n);
  FUZZ_OK(claimlens_classifier_predict(clf, p.videos.data(), n, single.data()));
  FUZZ_OK(claimlens_classifier_predict_frame(clf, p.frame, n, framed.data()));
  for (std::size_t i = 0; i < n; ++i) {
    FUZZ_CHECK(is_probability(single[i]));
    FUZZ_CHECK(same_bits(single[i], framed[i]));
  }
  std::vector<std::size_t> order(n);
  std::vector<double> p_claim(n), priority(n);
  FUZZ_OK(claimlens_classifier_triage(clf, p.videos.data(), n, order.data(), p_claim.data(),
                                      priority.data()));
  std::vector<bool> seen(n);
  for (std::size_t i : order) {
    FUZZ_CHECK(i < n && !seen[i]);
    FUZZ_CHECK(same_bits(p_claim[i], single[i]));
    seen[i] = true;
  }
  return single;
}

void check_classifier(claimlens_classifier* clf) {
  const std::vector<double> first = score(clf);
  char* report = nullptr;
  FUZZ_OK(claimlens_classifier_report_json(clf, &report));
  FUZZ_CHECK(nlohmann::json::accept(report));
  claimlens_free(report);

  void* saved = nullptr;
  std::size_t saved_len = 0;
  FUZZ_OK(claimlens_classifier_save_buffer(clf, &saved, &saved_len));
  claimlens_classifier* again = nullptr;
  FUZZ_OK(claimlens_classifier_load_buffer(saved, saved_len, &again));
  const std::vector<double> second = score(again);
  for (std::size_t i = 0; i < first.size(); ++i) FUZZ_CHECK(same_bits(first[i], second[i]));
  void* resaved = nullptr;
  std::size_t resaved_len = 0;
  FUZZ_OK(claimlens_classifier_save_buffer(again, &resaved, &resaved_len));
  FUZZ_CHECK(resaved_len == saved_len && std::memcmp(saved, resaved, saved_len) == 0);
  claimlens_free(resaved);
  claimlens_free(saved);
  claimlens_classifier_free(again);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t empty = 0;
  (void)probe();  // built once, outside the measured behaviour of the first input
  auto* sentinel = reinterpret_cast<claimlens_classifier*>(const_cast<std::uint8_t*>(&empty));
  claimlens_classifier* clf = sentinel;
  const claimlens_status status =
      claimlens_classifier_load_buffer(size ? data : &empty, size, &clf);
  if (status != CLAIMLENS_OK) {
    check_failure(status, {CLAIMLENS_E_MODEL_FORMAT}, "claimlens_classifier_load_buffer");
    FUZZ_CHECK(clf == sentinel);
    return 0;
  }
  check_classifier(clf);
  claimlens_classifier_free(clf);
  return 0;
}
