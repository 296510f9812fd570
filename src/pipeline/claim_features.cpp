#include "claimlens/pipeline/claim_features.hpp"

#include <cmath>
#include <cstdint>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/text/unicode.hpp"
#include "claimlens/utf8.hpp"

namespace claimlens {

namespace {

constexpr std::size_t kNumCounts = 6;
// text_length, verified_status_verified, author_ban_status_banned, author_ban_status_under review
constexpr std::size_t kNumDense = kNumCounts + 4;

// A video's inputs: VideoRecord's (and claimlens_video's) field names, and the dataset's columns;
// the engagement counts first, in the seed's feature order.
enum Field : std::size_t {
  kDuration,
  kViews,
  kLikes,
  kShares,
  kDownloads,
  kComments,
  kText,
  kVerified,
  kBan
};
const char* const kFieldNames[] = {"duration_sec",  "view_count",      "like_count",
                                   "share_count",   "download_count",  "comment_count",
                                   "transcription", "verified_status", "author_ban_status"};
const char* const kColumnNames[] = {
    "video_duration_sec",       "video_view_count",     "video_like_count",
    "video_share_count",        "video_download_count", "video_comment_count",
    "video_transcription_text", "verified_status",      "author_ban_status"};

// Where a video's values come from: element `index` of the records, or row `index` of a frame.
struct Site {
  bool frame_row;
  std::size_t index;
};

// "videos[3].view_count" or "row 3, column 'video_view_count'". Only built for a message.
std::string site_name(Site site, Field field) {
  if (site.frame_row) {
    return "row " + std::to_string(site.index) + ", column '" + kColumnNames[field] + "'";
  }
  return "videos[" + std::to_string(site.index) + "]." + kFieldNames[field];
}

[[noreturn]] void refuse(Site site, Field field, const std::string& what) {
  throw InvalidArgument(site_name(site, field) + ": " + what);
}

// A number in a message: NaN and the infinities by name (claimlens/json_reader.hpp).
std::string shown(double v) {
  return json_shown(nlohmann::json(v));
}

[[noreturn]] void refuse_value(Site site, Field field, std::string_view value,
                               const char* expected) {
  refuse(site, field,
         "unknown value " + json_shown(nlohmann::json(std::string(value))) + " (expected " +
             expected + ")");
}

double verified_indicator(std::string_view status, Site site) {
  if (status == "verified") return 1.0;
  if (status == "not verified") return 0.0;
  refuse_value(site, kVerified, status, "\"verified\" or \"not verified\"");
}

// (banned, under review) indicators; "active" is the dropped first category.
std::pair<double, double> ban_indicators(std::string_view status, Site site) {
  if (status == "active") return {0.0, 0.0};
  if (status == "banned") return {1.0, 0.0};
  if (status == "under review") return {0.0, 1.0};
  refuse_value(site, kBan, status, "\"active\", \"under review\" or \"banned\"");
}

std::string_view cell(const Column& column, Site site, Field field) {
  if (column.is_null(site.index)) refuse(site, field, "null");
  return column.string_at(site.index);
}

// The dense features of one video, checking every input rule first (nothing allocates unless a
// value is refused).
void fill_dense(const VideoRecord& v, Site site, double* out) {
  const double counts[kNumCounts] = {v.duration_sec, v.view_count,     v.like_count,
                                     v.share_count,  v.download_count, v.comment_count};
  for (std::size_t c = 0; c < kNumCounts; ++c) {
    if (!std::isfinite(counts[c])) {
      refuse(site, static_cast<Field>(c), "not finite (" + shown(counts[c]) + ")");
    }
    if (counts[c] < 0) refuse(site, static_cast<Field>(c), "negative (" + shown(counts[c]) + ")");
    out[c] = counts[c];
  }
  const std::size_t bad = invalid_utf8_offset(v.transcription);
  if (bad != std::string_view::npos) {
    refuse(site, kText, "not valid UTF-8 (invalid byte at offset " + std::to_string(bad) + ")");
  }
  out[kNumCounts] = static_cast<double>(text_length(v.transcription));
  out[kNumCounts + 1] = verified_indicator(v.verified_status, site);
  auto [banned, under_review] = ban_indicators(v.author_ban_status, site);
  out[kNumCounts + 2] = banned;
  out[kNumCounts + 3] = under_review;
}

// The columns of a frame of videos, read row by row as records.
class FrameVideos {
 public:
  explicit FrameVideos(const DataFrame& videos)
      : text_(videos.column("video_transcription_text")),
        verified_(videos.column("verified_status")),
        ban_(videos.column("author_ban_status")) {
    for (std::size_t c = 0; c < kNumCounts; ++c) counts_[c] = &videos.column(kColumnNames[c]);
  }

  // Frame row `row` as a record (views into the frame). A null transcription is empty text, as
  // a NULL one is in claimlens_video; other nulls are refused (a record without a status or a
  // count cannot be scored).
  VideoRecord at(std::size_t row) const {
    const Site site{true, row};
    VideoRecord v;
    v.transcription = text_.is_null(row) ? std::string_view() : text_.string_at(row);
    v.verified_status = cell(verified_, site, kVerified);
    v.author_ban_status = cell(ban_, site, kBan);
    double* values[kNumCounts] = {&v.duration_sec, &v.view_count,     &v.like_count,
                                  &v.share_count,  &v.download_count, &v.comment_count};
    for (std::size_t c = 0; c < kNumCounts; ++c) {
      if (counts_[c]->is_null(row)) refuse(site, static_cast<Field>(c), "null");
      *values[c] = counts_[c]->as_double(row);
    }
    return v;
  }

 private:
  const Column& text_;
  const Column& verified_;
  const Column& ban_;
  const Column* counts_[kNumCounts] = {};
};

void require_columns(const DataFrame& videos, const std::vector<std::string>& columns) {
  for (const auto& name : columns) {
    if (!videos.has_column(name)) {
      throw SchemaError("column '" + name + "', which the claim classifier reads, is not in " +
                        "the data");
    }
  }
}

std::vector<std::size_t> all_rows(const DataFrame& videos) {
  std::vector<std::size_t> rows(videos.num_rows());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return rows;
}

}  // namespace

const std::vector<std::string>& claim_input_columns() {
  static const std::vector<std::string> columns = {
      "video_duration_sec", "video_transcription_text", "verified_status",
      "author_ban_status",  "video_view_count",         "video_like_count",
      "video_share_count",  "video_download_count",     "video_comment_count"};
  return columns;
}

std::vector<std::size_t> claim_complete_rows(const DataFrame& videos,
                                             const std::vector<std::string>& columns) {
  require_columns(videos, columns);
  std::vector<const Column*> used;
  for (const auto& name : columns) used.push_back(&videos.column(name));
  std::vector<std::size_t> complete;
  for (std::size_t i = 0; i < videos.num_rows(); ++i) {
    bool ok = true;
    for (const Column* c : used) ok = ok && !c->is_null(i);
    if (ok) complete.push_back(i);
  }
  return complete;
}

CountVectorizerOptions ClaimFeaturizer::seed_vectorizer_options() {
  CountVectorizerOptions options;
  options.ngram_range = {2, 3};
  options.max_features = 15;
  options.stop_words = StopWords::english();
  return options;
}

ClaimFeaturizer& ClaimFeaturizer::fit(const DataFrame& videos) {
  const Column& text = videos.column("video_transcription_text");
  std::vector<std::string_view> docs(videos.num_rows());
  for (std::size_t row = 0; row < docs.size(); ++row) {
    docs[row] = cell(text, Site{true, row}, kText);
  }
  vectorizer_.fit(Span<const std::string_view>(docs.data(), docs.size()));
  return *this;
}

std::size_t ClaimFeaturizer::num_features() const {
  return kNumDense + vectorizer_.num_features();
}

std::vector<std::string> ClaimFeaturizer::feature_names() const {
  std::vector<std::string> names(kColumnNames, kColumnNames + kNumCounts);
  names.insert(names.end(), {"text_length", "verified_status_verified", "author_ban_status_banned",
                             "author_ban_status_under review"});
  for (auto& term : vectorizer_.get_feature_names_out()) names.push_back(term);
  return names;
}

std::vector<std::string> ClaimFeaturizer::feature_groups() const {
  std::vector<std::string> groups(kColumnNames, kColumnNames + kNumCounts);
  groups.insert(groups.end(), {"video_transcription_text", "verified_status", "author_ban_status",
                               "author_ban_status"});
  groups.insert(groups.end(), num_features() - groups.size(), "video_transcription_text");
  return groups;
}

RowMatrix ClaimFeaturizer::transform(const DataFrame& videos) const {
  return transform(videos, all_rows(videos));
}

RowMatrix ClaimFeaturizer::transform(const DataFrame& videos,
                                     const std::vector<std::size_t>& rows) const {
  if (!is_fitted()) throw StateError("ClaimFeaturizer: transform called before fit");
  require_columns(videos, claim_input_columns());
  const FrameVideos frame(videos);
  RowMatrix X = RowMatrix::Zero(static_cast<Eigen::Index>(rows.size()),
                                static_cast<Eigen::Index>(num_features()));
  std::vector<std::string_view> docs(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const VideoRecord v = frame.at(rows[i]);
    docs[i] = v.transcription;
    fill_dense(v, Site{true, rows[i]}, X.row(static_cast<Eigen::Index>(i)).data());
  }
  const CsrMatrix grams =
      vectorizer_.transform(Span<const std::string_view>(docs.data(), docs.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t k = grams.indptr[i]; k < grams.indptr[i + 1]; ++k) {
      X(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(kNumDense + grams.indices[k])) =
          static_cast<double>(grams.data[k]);
    }
  }
  return X;
}

void ClaimFeaturizer::validate(const DataFrame& videos,
                               const std::vector<std::size_t>& rows) const {
  require_columns(videos, claim_input_columns());
  const FrameVideos frame(videos);
  double dense[kNumDense];
  for (std::size_t row : rows) fill_dense(frame.at(row), Site{true, row}, dense);
}

void ClaimFeaturizer::transform(const VideoRecord& video, double* out) const {
  if (!is_fitted()) throw StateError("ClaimFeaturizer: transform called before fit");
  fill_dense(video, Site{false, 0}, out);  // validates the record (statuses, counts, UTF-8) first
  vectorizer_.transform_row(video.transcription, out + kNumDense);
}

void ClaimFeaturizer::validate(const VideoRecord& video, std::size_t index) const {
  double dense[kNumDense];
  fill_dense(video, Site{false, index}, dense);
}

nlohmann::json ClaimFeaturizer::to_json() const {
  const auto& o = vectorizer_.options();
  // Key by key: an initializer list's {key, value} pairs allocate when they die
  // (claimlens/json_document.hpp).
  JsonDocument doc(nlohmann::json::object());
  nlohmann::json& j = *doc;
  j["ngram_range"] = nlohmann::json::array({o.ngram_range.first, o.ngram_range.second});
  j["stop_words"] = "english";
  j["lowercase"] = o.lowercase;
  j["vocabulary"] = vocabulary();
  return std::move(j);
}

ClaimFeaturizer ClaimFeaturizer::from_json(const nlohmann::json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

ClaimFeaturizer ClaimFeaturizer::from_json(const JsonReader& j) {
  CountVectorizerOptions options = seed_vectorizer_options();
  const JsonReader range = j.at("ngram_range");
  if (range.array_size() != 2) range.fail_value("must be [low, high]");
  const auto low = range.at(0).integer(1, 8);
  const auto high = range.at(1).integer(low, 8);  // names the bound at fault
  options.ngram_range = {static_cast<std::size_t>(low), static_cast<std::size_t>(high)};
  const JsonReader stop_words = j.at("stop_words");
  if (!json_string_equals(stop_words.value(), "english"))
    stop_words.fail_value("must be \"english\"");
  options.lowercase = j.at("lowercase").boolean();
  options.vocabulary = j.at("vocabulary").strings();
  options.max_features.reset();
  try {
    ClaimFeaturizer featurizer(std::move(options));
    featurizer.vectorizer_.fit(std::vector<std::string>{});
    return featurizer;
  } catch (const InvalidArgument& e) {  // e.g. a repeated vocabulary term
    j.at("vocabulary").fail(std::string("is not a vocabulary: ") + e.what());
  }
}

}  // namespace claimlens
