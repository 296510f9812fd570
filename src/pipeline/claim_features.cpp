#include "claimlens/pipeline/claim_features.hpp"

#include <cmath>
#include <cstdint>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/text/unicode.hpp"

namespace claimlens {

namespace {

// The engagement columns in the seed's feature order (after dropping `#` and video_id).
const char* const kCountColumns[] = {"video_duration_sec",   "video_view_count",
                                     "video_like_count",     "video_share_count",
                                     "video_download_count", "video_comment_count"};
constexpr std::size_t kNumCounts = 6;
// text_length, verified_status_verified, author_ban_status_banned, author_ban_status_under review
constexpr std::size_t kNumDense = kNumCounts + 4;

double verified_indicator(std::string_view status, std::size_t row) {
  if (status == "verified") return 1.0;
  if (status == "not verified") return 0.0;
  throw InvalidArgument("verified_status must be \"verified\" or \"not verified\", got \"" +
                        std::string(status) + "\" (row " + std::to_string(row) + ")");
}

// (banned, under review) indicators; "active" is the dropped first category.
std::pair<double, double> ban_indicators(std::string_view status, std::size_t row) {
  if (status == "active") return {0.0, 0.0};
  if (status == "banned") return {1.0, 0.0};
  if (status == "under review") return {0.0, 1.0};
  throw InvalidArgument(
      "author_ban_status must be \"active\", \"under review\" or \"banned\", got \"" +
      std::string(status) + "\" (row " + std::to_string(row) + ")");
}

std::string_view cell(const Column& column, const char* name, std::size_t row) {
  if (column.is_null(row)) {
    throw InvalidArgument(std::string("null ") + name + " in row " + std::to_string(row));
  }
  return column.string_at(row);
}

void fill_dense(const VideoRecord& v, std::size_t row, double* out) {
  const double counts[kNumCounts] = {v.duration_sec, v.view_count,     v.like_count,
                                     v.share_count,  v.download_count, v.comment_count};
  for (std::size_t c = 0; c < kNumCounts; ++c) {
    if (!std::isfinite(counts[c])) {
      throw InvalidArgument(std::string(kCountColumns[c]) + " must be finite (row " +
                            std::to_string(row) + ")");
    }
    out[c] = counts[c];
  }
  out[kNumCounts] = static_cast<double>(text_length(v.transcription));
  out[kNumCounts + 1] = verified_indicator(v.verified_status, row);
  auto [banned, under_review] = ban_indicators(v.author_ban_status, row);
  out[kNumCounts + 2] = banned;
  out[kNumCounts + 3] = under_review;
}

}  // namespace

const std::vector<std::string>& claim_input_columns() {
  static const std::vector<std::string> columns = {
      "video_duration_sec", "video_transcription_text", "verified_status",
      "author_ban_status",  "video_view_count",         "video_like_count",
      "video_share_count",  "video_download_count",     "video_comment_count"};
  return columns;
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
    docs[row] = cell(text, "video_transcription_text", row);
  }
  vectorizer_.fit(Span<const std::string_view>(docs.data(), docs.size()));
  return *this;
}

std::size_t ClaimFeaturizer::num_features() const {
  return kNumDense + vectorizer_.num_features();
}

std::vector<std::string> ClaimFeaturizer::feature_names() const {
  std::vector<std::string> names(std::begin(kCountColumns), std::end(kCountColumns));
  names.insert(names.end(), {"text_length", "verified_status_verified", "author_ban_status_banned",
                             "author_ban_status_under review"});
  for (auto& term : vectorizer_.get_feature_names_out()) names.push_back(term);
  return names;
}

std::vector<std::string> ClaimFeaturizer::feature_groups() const {
  std::vector<std::string> groups(std::begin(kCountColumns), std::end(kCountColumns));
  groups.insert(groups.end(), {"video_transcription_text", "verified_status", "author_ban_status",
                               "author_ban_status"});
  groups.insert(groups.end(), num_features() - groups.size(), "video_transcription_text");
  return groups;
}

RowMatrix ClaimFeaturizer::transform(const DataFrame& videos) const {
  if (!is_fitted()) throw StateError("ClaimFeaturizer: transform called before fit");
  for (const auto& name : claim_input_columns()) videos.column(name);  // SchemaError if missing
  const std::size_t rows = videos.num_rows();
  const Column& text = videos.column("video_transcription_text");
  const Column& verified = videos.column("verified_status");
  const Column& ban = videos.column("author_ban_status");
  std::vector<const Column*> counts;
  for (const char* name : kCountColumns) counts.push_back(&videos.column(name));

  RowMatrix X =
      RowMatrix::Zero(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(num_features()));
  std::vector<std::string_view> docs(rows);
  for (std::size_t row = 0; row < rows; ++row) {
    VideoRecord v;
    // A null transcription is empty text, as a NULL one is in claimlens_video; other nulls are
    // refused (a record without a status or a count cannot be scored).
    v.transcription = docs[row] = text.is_null(row) ? std::string_view() : text.string_at(row);
    v.verified_status = cell(verified, "verified_status", row);
    v.author_ban_status = cell(ban, "author_ban_status", row);
    double* values[kNumCounts] = {&v.duration_sec, &v.view_count,     &v.like_count,
                                  &v.share_count,  &v.download_count, &v.comment_count};
    for (std::size_t c = 0; c < kNumCounts; ++c) {
      if (counts[c]->is_null(row)) {
        throw InvalidArgument(std::string("null ") + kCountColumns[c] + " in row " +
                              std::to_string(row));
      }
      *values[c] = counts[c]->as_double(row);
    }
    fill_dense(v, row, X.row(static_cast<Eigen::Index>(row)).data());
  }
  const CsrMatrix grams = vectorizer_.transform(Span<const std::string_view>(docs.data(), rows));
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t k = grams.indptr[row]; k < grams.indptr[row + 1]; ++k) {
      X(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(kNumDense + grams.indices[k])) =
          static_cast<double>(grams.data[k]);
    }
  }
  return X;
}

void ClaimFeaturizer::transform(const VideoRecord& video, double* out) const {
  if (!is_fitted()) throw StateError("ClaimFeaturizer: transform called before fit");
  fill_dense(video, 0, out);  // validates the record (statuses, finite counts, UTF-8) first
  vectorizer_.transform_row(video.transcription, out + kNumDense);
}

void ClaimFeaturizer::validate(const VideoRecord& video, std::size_t index) const {
  double dense[kNumDense];
  fill_dense(video, index, dense);
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
