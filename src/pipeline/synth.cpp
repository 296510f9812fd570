// `claimlens synth`: synthetic tiktok_dataset.csv files fitted to the real data.
//
// Fitted model (numbers from tests/fixtures/scripts/synth_profile.py on the real file, 19,084
// labelled rows; the engagement chain was checked by simulating it against the real means,
// correlations and zero-count rates):
//   class            claim with p = 9,608 / 19,084 = 0.50346, else opinion
//   views            uniform integer: claims [1,000, 999,999] (real min 1,049, mean 501,029),
//                    opinions [20, 9,999] (real min 20, mean 4,956); both are flat histograms
//   likes            floor(views * U(0, m)), m = 2/3 for claims, 4/9 for opinions (real
//                    likes/views: mean 0.332 / 0.220, max 0.6666 / 0.4444: never above m, so
//                    floor here; the other counts round, which matches the real zero-count
//                    rates and the real comments/downloads maximum above c)
//   shares           round(likes * U(0, 0.4))          (real shares/likes mean 0.199 / 0.200)
//   downloads        round(likes * U(0, 0.025))        (real downloads/likes mean 0.0125 / 0.0119)
//   comments         round(downloads * U(0, c)), c = 2/3 claims, 0.4 opinions (real comments/
//                    downloads for downloads >= 40: mean 0.335 / 0.202, max 0.674 / 0.408)
//   duration         uniform integer 5..60 s (flat histogram in the real file)
//   verified, ban    drawn from the real per-class crosstab counts below
//   video_id         a seeded permutation of the ten-digit numbers, so ids never repeat
//   null rows        the last round(rows * 298 / 19,382) rows, like the real file: empty
//                    claim_status and text, "#N/A" counts, verified/ban from the real null rows
#include "claimlens/pipeline/synth.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>
#include <vector>

#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "synth_text.hpp"

namespace claimlens {

namespace {

constexpr const char* kHeader =
    "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
    "author_ban_status,video_view_count,video_like_count,video_share_count,video_download_count,"
    "video_comment_count";

constexpr double kClaimFraction = 9608.0 / 19084.0;
constexpr std::int64_t kChunkRows = 8192;  // rows per random stream (fixed: output identity)
constexpr std::int64_t kBatchChunks = 32;  // chunks formatted in parallel before each write

enum Ban { kActive, kUnderReview, kBanned };
constexpr const char* kBanNames[3] = {"active", "under review", "banned"};

// Crosstab counts of the real file: [verified?][active, under review, banned].
struct StatusModel {
  double verified_rate;
  int ban_counts[2][3];
};
constexpr StatusModel kClaimStatus{209.0 / 9608.0, {{6407, 1575, 1417}, {159, 28, 22}}};
constexpr StatusModel kOpinionStatus{991.0 / 9476.0, {{7898, 414, 173}, {919, 49, 23}}};
constexpr StatusModel kNullStatus{40.0 / 298.0, {{244, 11, 3}, {36, 3, 1}}};

struct EngagementModel {
  std::int64_t views_low, views_high;  // inclusive
  double like_share_max, comment_share_max;
};
constexpr EngagementModel kClaimEngagement{1000, 999999, 2.0 / 3.0, 2.0 / 3.0};
constexpr EngagementModel kOpinionEngagement{20, 9999, 4.0 / 9.0, 0.4};
constexpr double kShareShareMax = 0.4;
constexpr double kDownloadShareMax = 0.025;

/// Keyed permutation of [0, 9e9): a 34-bit Feistel network with cycle-walking, so that the ten-
/// digit video ids look random yet never collide.
class IdPermutation {
 public:
  explicit IdPermutation(std::uint64_t seed) {
    for (std::size_t i = 0; i < kRounds; ++i) keys_[i] = derive_seed(seed ^ 0x5EEDF00DULL, i);
  }
  std::uint64_t operator()(std::uint64_t x) const {
    do {
      x = encrypt(x);
    } while (x >= kSpace);
    return x;
  }

 private:
  static constexpr std::uint64_t kSpace = 9'000'000'000ULL;
  static constexpr int kHalfBits = 17;  // 2^34 > 9e9
  static constexpr std::uint64_t kMask = (1ULL << kHalfBits) - 1;
  static constexpr std::size_t kRounds = 4;

  std::uint64_t encrypt(std::uint64_t x) const {
    std::uint64_t left = x >> kHalfBits, right = x & kMask;
    for (std::uint64_t key : keys_) {
      std::uint64_t state = right ^ key;
      const std::uint64_t f = splitmix64(state) & kMask;
      const std::uint64_t next_right = left ^ f;
      left = right;
      right = next_right;
    }
    return (left << kHalfBits) | right;
  }
  std::uint64_t keys_[kRounds];
};

void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

std::int64_t scaled_round(double value, double share) {
  return static_cast<std::int64_t>(std::floor(value * share + 0.5));
}

void append_status(Random& rng, const StatusModel& model, std::string& out) {
  const bool verified = rng.uniform() < model.verified_rate;
  const int* counts = model.ban_counts[verified ? 1 : 0];
  const auto draw = static_cast<int>(rng.uniform_int(counts[0] + counts[1] + counts[2]));
  const int ban = draw < counts[0]               ? kActive
                  : draw < counts[0] + counts[1] ? kUnderReview
                                                 : kBanned;
  out += verified ? "verified," : "not verified,";
  out += kBanNames[ban];
  out += ',';
}

void append_engagement(Random& rng, const EngagementModel& model, std::string& out) {
  const auto span = static_cast<std::uint64_t>(model.views_high - model.views_low + 1);
  const std::int64_t views = model.views_low + static_cast<std::int64_t>(rng.uniform_int(span));
  const auto likes = static_cast<std::int64_t>(
      std::floor(static_cast<double>(views) * (rng.uniform() * model.like_share_max)));
  const std::int64_t shares =
      scaled_round(static_cast<double>(likes), rng.uniform() * kShareShareMax);
  const std::int64_t downloads =
      scaled_round(static_cast<double>(likes), rng.uniform() * kDownloadShareMax);
  const std::int64_t comments =
      scaled_round(static_cast<double>(downloads), rng.uniform() * model.comment_share_max);
  for (std::int64_t count : {views, likes, shares, downloads}) {
    append_int(out, count);
    out += ',';
  }
  append_int(out, comments);
}

/// One CSV line (with its CRLF) for 0-based row `index`. The draw order is part of the output
/// format: changing it changes every file for a given seed.
void append_row(std::int64_t index, bool null_row, Random& rng, const IdPermutation& ids,
                std::string& text, std::string& out) {
  append_int(out, index + 1);
  out += ',';
  const bool claim = !null_row && rng.uniform() < kClaimFraction;
  if (!null_row) out += claim ? "claim" : "opinion";
  out += ',';
  append_int(out,
             static_cast<std::int64_t>(1'000'000'000ULL + ids(static_cast<std::uint64_t>(index))));
  out += ',';
  append_int(out, 5 + static_cast<std::int64_t>(rng.uniform_int(56)));
  out += ',';
  if (!null_row) {
    text.clear();
    detail::append_transcription(rng, claim, text);
    append_csv_field(out, text);
  }
  out += ',';
  if (null_row) {
    append_status(rng, kNullStatus, out);
    out += "#N/A,#N/A,#N/A,#N/A,#N/A";
  } else {
    append_status(rng, claim ? kClaimStatus : kOpinionStatus, out);
    append_engagement(rng, claim ? kClaimEngagement : kOpinionEngagement, out);
  }
  out += "\r\n";
}

void validate(const SynthOptions& options) {
  if (options.rows < 1) {
    throw InvalidArgument("synth: rows must be at least 1, got " + std::to_string(options.rows));
  }
  if (options.rows > kSynthMaxRows) {
    throw InvalidArgument("synth: rows must be at most " + std::to_string(kSynthMaxRows) +
                          ", got " + std::to_string(options.rows));
  }
  if (!(options.null_fraction >= 0.0 && options.null_fraction < 1.0)) {
    throw InvalidArgument("synth: null_fraction must be in [0, 1), got " +
                          std::to_string(options.null_fraction));
  }
}

}  // namespace

const char* synth_header() {
  return kHeader;
}

std::int64_t synth_null_rows(const SynthOptions& options) {
  validate(options);
  return std::llround(static_cast<double>(options.rows) * options.null_fraction);
}

void write_synth_csv(const SynthOptions& options, std::ostream& out) {
  const std::int64_t null_rows = synth_null_rows(options);
  const std::int64_t first_null = options.rows - null_rows;
  const IdPermutation ids(options.seed);
  const std::int64_t chunks = (options.rows + kChunkRows - 1) / kChunkRows;

  out << kHeader << "\r\n";
  std::vector<std::string> buffers(static_cast<std::size_t>(std::min(chunks, kBatchChunks)));
  for (std::int64_t batch = 0; batch < chunks; batch += kBatchChunks) {
    const std::int64_t batch_end = std::min(chunks, batch + kBatchChunks);
#pragma omp parallel for schedule(dynamic, 1)
    for (std::int64_t chunk = batch; chunk < batch_end; ++chunk) {
      std::string& buffer = buffers[static_cast<std::size_t>(chunk - batch)];
      buffer.clear();
      Random rng(derive_seed(options.seed, static_cast<std::uint64_t>(chunk)));
      std::string text;
      const std::int64_t end = std::min(options.rows, (chunk + 1) * kChunkRows);
      for (std::int64_t row = chunk * kChunkRows; row < end; ++row) {
        append_row(row, row >= first_null, rng, ids, text, buffer);
      }
    }
    for (std::int64_t chunk = batch; chunk < batch_end; ++chunk) {
      const std::string& buffer = buffers[static_cast<std::size_t>(chunk - batch)];
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    }
    if (!out) throw IoError("synth: writing the CSV failed (stream error)");
  }
  out.flush();
  if (!out) throw IoError("synth: writing the CSV failed (stream error)");
}

std::string synth_csv_string(const SynthOptions& options) {
  std::ostringstream out;
  write_synth_csv(options, out);
  return out.str();
}

void synth_to_file(const SynthOptions& options, const std::string& path) {
  validate(options);
  if (path.empty()) throw InvalidArgument("synth: output path is empty");
  // Same folder as the target, so the final rename is atomic and never crosses file systems.
  const std::string temp = path + ".tmp" + std::to_string(static_cast<long>(::getpid()));
  {
    std::ofstream file(temp, std::ios::binary | std::ios::trunc);
    if (!file) {
      throw IoError("synth: cannot write '" + path + "': cannot create '" + temp +
                    "': " + std::strerror(errno));
    }
    try {
      write_synth_csv(options, file);
      file.close();
      if (!file) throw IoError("synth: writing '" + temp + "' failed (disk full?)");
    } catch (...) {
      file.close();
      std::remove(temp.c_str());
      throw;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temp.c_str());
    throw IoError("synth: cannot write '" + path + "': " + reason);
  }
}

}  // namespace claimlens
