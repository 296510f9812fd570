// A downstream C++ program built against the installed claimlens (find_package): reads one CSV
// buffer through the C++ headers and through the C ABI, and checks both give the same frame,
// quantile and Welch t-test, and that these agree with the definitions computed here by hand.
// Exit status 1 on any mismatch.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "claimlens.h"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/stats/descriptive.hpp"
#include "claimlens/stats/hypothesis.hpp"
#include "claimlens/version.hpp"
#include "sample.h"

namespace {

int failures = 0;

void expect(bool ok, const std::string& what) {
  std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what.c_str());
  if (!ok) ++failures;
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::fabs(b));
}

// Reads the sample through the C ABI; nullptr (and a printed message) on failure.
claimlens_frame* read_with_c_api() {
  claimlens_frame* frame = nullptr;
  const claimlens_status s =
      claimlens_frame_read_csv_buffer(kSampleCsv, std::strlen(kSampleCsv), &frame);
  if (s != CLAIMLENS_OK) {
    std::printf("claimlens_frame_read_csv_buffer: %s: %s\n", claimlens_status_name(s),
                claimlens_last_error());
  }
  return frame;
}

void check_version() {
  int major = -1, minor = -1, patch = -1;
  claimlens_version(&major, &minor, &patch);
  const std::string linked =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  expect(linked == CLAIMLENS_VERSION_STRING && linked == claimlens::version_string(),
         "version " + linked + " (C ABI) = " + claimlens::version_string() + " (C++)");
}

void check_frames(const claimlens::DataFrame& df, const claimlens_frame* frame) {
  expect(df.num_rows() == kSampleRows && claimlens_frame_num_rows(frame) == kSampleRows,
         "both read " + std::to_string(df.num_rows()) + " rows");
  expect(df.num_columns() == 3 && claimlens_frame_num_columns(frame) == 3, "both read 3 columns");

  const claimlens::Column& views = df.column("video_view_count");
  std::size_t c_nulls = 0;
  claimlens_frame_null_count(frame, "video_view_count", &c_nulls);
  expect(views.null_count() == 1 && c_nulls == 1, "#N/A is the one null view count");

  const std::vector<double> cpp_views = views.to_doubles();
  std::vector<double> c_views(kSampleRows);
  const claimlens_status s =
      claimlens_frame_get_doubles(frame, "video_view_count", c_views.size(), c_views.data());
  expect(s == CLAIMLENS_OK && std::equal(cpp_views.begin(), cpp_views.end(), c_views.begin(), same),
         "view counts equal through both APIs (NaN for the null)");

  const char* text = nullptr;
  claimlens_frame_get_string(frame, "video_transcription_text", 1, &text);
  const std::string_view cpp_text = df.column("video_transcription_text").string_at(1);
  expect(text != nullptr && cpp_text == text && cpp_text.find("\"cats\"") != std::string::npos,
         "quoted text with doubled quotes: " + std::string(cpp_text));
}

void check_statistics(const claimlens::DataFrame& df) {
  const std::vector<double> views = df.column("video_view_count").to_doubles();
  std::vector<double> verified, unverified;
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (std::isnan(views[i])) continue;
    (df.column("verified_status").string_at(i) == "verified" ? verified : unverified)
        .push_back(views[i]);
  }

  std::vector<double> sorted = verified;
  std::sort(sorted.begin(), sorted.end());
  const double by_hand = sorted[sorted.size() / 2];  // odd count: the middle value
  double c_median = NAN;
  claimlens_quantile(verified.data(), verified.size(), 0.5, &c_median);
  const double cpp_median = claimlens::stats::quantile(verified, 0.5);
  expect(c_median == by_hand && cpp_median == by_hand,
         "median of verified views = " + std::to_string(by_hand) + " (C, C++, by hand)");

  // Welch's t by its definition.
  auto mean_var = [](const std::vector<double>& x, double& m, double& v) {
    m = 0;
    for (double value : x) m += value;
    m /= static_cast<double>(x.size());
    v = 0;
    for (double value : x) v += (value - m) * (value - m);
    v /= static_cast<double>(x.size() - 1);
  };
  double ma, va, mb, vb;
  mean_var(verified, ma, va);
  mean_var(unverified, mb, vb);
  const double se2 = va / verified.size() + vb / unverified.size();
  const double t = (ma - mb) / std::sqrt(se2);

  claimlens_ttest c_result = CLAIMLENS_TTEST_INIT;  // struct_size set (claimlens.h)
  const claimlens_status s = claimlens_ttest_ind(
      verified.data(), verified.size(), unverified.data(), unverified.size(), 0, &c_result);
  const claimlens::stats::TTestResult cpp_result =
      claimlens::stats::ttest_ind(verified, unverified, false);
  expect(s == CLAIMLENS_OK && c_result.statistic == cpp_result.statistic &&
             c_result.df == cpp_result.df && c_result.p_value == cpp_result.p_value,
         "Welch t-test identical through both APIs");
  expect(close(cpp_result.statistic, t) && cpp_result.p_value > 0 && cpp_result.p_value < 1,
         "Welch t = " + std::to_string(t) + ", p = " + std::to_string(cpp_result.p_value));
}

void check_errors() {
  const char ragged[] = "a,b\n1,2\n3\n";
  std::string cpp_message;
  try {
    claimlens::read_csv_buffer(ragged);
  } catch (const claimlens::ParseError& e) {
    cpp_message = e.what();
  }
  claimlens_frame* frame = nullptr;
  const claimlens_status s = claimlens_frame_read_csv_buffer(ragged, sizeof ragged - 1, &frame);
  // The C message is the C++ one behind the name of the function that failed.
  const std::string c_message = claimlens_last_error();
  expect(!cpp_message.empty() && s == CLAIMLENS_E_PARSE && frame == nullptr &&
             c_message == "claimlens_frame_read_csv_buffer: " + cpp_message,
         "a ragged row: claimlens::ParseError and CLAIMLENS_E_PARSE: " + c_message);
}

}  // namespace

int main() {
  check_version();
  const claimlens::DataFrame df = claimlens::read_csv_buffer(kSampleCsv);
  claimlens_frame* frame = read_with_c_api();
  if (frame == nullptr) return 1;
  check_frames(df, frame);
  claimlens_frame_free(frame);
  check_statistics(df);
  check_errors();
  std::printf("%s\n",
              failures == 0 ? "consumer_static: all checks passed" : "consumer_static: FAILED");
  return failures == 0 ? 0 : 1;
}
