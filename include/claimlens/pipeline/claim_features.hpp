// The seed analysis' 25 claim features: six engagement counts and duration, text length, the
// one-hot verified and ban status (drop_first), and 15 word n-gram counts of the transcription.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/json_reader.hpp"

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"
#include "claimlens/text/count_vectorizer.hpp"

namespace claimlens {

/// One reported video, as a row of tiktok_dataset.csv.
struct VideoRecord {
  std::string_view transcription;
  std::string_view verified_status;    // "verified" | "not verified"
  std::string_view author_ban_status;  // "active" | "under review" | "banned"
  double duration_sec = 0, view_count = 0, like_count = 0, share_count = 0, download_count = 0,
         comment_count = 0;
};

/// Columns a frame of videos must have to be featurized (claim_status only for training).
const std::vector<std::string>& claim_input_columns();

/// The rows of `videos` with no null among `columns`, in order. SchemaError naming a column the
/// frame lacks.
std::vector<std::size_t> claim_complete_rows(const DataFrame& videos,
                                             const std::vector<std::string>& columns);

/// The input rules, one wording for records and frames. A record's value is named by its index
/// and VideoRecord's (claimlens_video's) field, as videos[3].view_count; a frame's by row and
/// column, as row 3, column 'video_view_count'. Then what is wrong: NULL (null in a frame), not
/// finite (NaN), negative (-2.0), not valid UTF-8 (invalid byte at offset 16), or unknown value
/// "x" (expected "verified" or "not verified"). Counts and the duration must be finite and >= 0,
/// the statuses one of their values, the transcription valid UTF-8.

class ClaimFeaturizer {
 public:
  /// The seed's vectorizer: CountVectorizer(ngram_range=(2, 3), max_features=15,
  /// stop_words='english').
  static CountVectorizerOptions seed_vectorizer_options();

  ClaimFeaturizer() = default;
  explicit ClaimFeaturizer(CountVectorizerOptions options) : vectorizer_(std::move(options)) {}

  /// Learns the n-gram vocabulary from the training transcriptions only.
  ClaimFeaturizer& fit(const DataFrame& videos);
  bool is_fitted() const { return vectorizer_.is_fitted(); }

  /// One row per video, feature_names() order. SchemaError for a missing column; InvalidArgument
  /// for a null cell (a null transcription is empty text) or a value the input rules above
  /// refuse, naming its row and column.
  RowMatrix transform(const DataFrame& videos) const;
  /// The same for the frame rows `rows` (row i of the result is frame row rows[i]); messages name
  /// the frame's rows.
  RowMatrix transform(const DataFrame& videos, const std::vector<std::size_t>& rows) const;
  /// Throws what transform(videos, rows) would throw, without featurizing the text (the
  /// featurizer need not be fitted).
  void validate(const DataFrame& videos, const std::vector<std::size_t>& rows) const;
  /// One record into out[num_features()], equal to the frame transform's row; no heap
  /// allocation (see CountVectorizer::transform_row). InvalidArgument as validate(video, 0).
  void transform(const VideoRecord& video, double* out) const;
  /// Throws what transform(video) would throw for this record (InvalidArgument naming
  /// "videos[index]" and the field), without featurizing the text: lets a batch check every
  /// record before writing any output. No heap allocation when the record is valid.
  void validate(const VideoRecord& video, std::size_t index) const;

  std::size_t num_features() const;
  std::vector<std::string> feature_names() const;
  /// Per feature, the dataset column it is made from: the counts their own column, the status
  /// dummies verified_status / author_ban_status, text_length and every n-gram
  /// video_transcription_text.
  std::vector<std::string> feature_groups() const;
  std::vector<std::string> vocabulary() const { return vectorizer_.get_feature_names_out(); }
  const CountVectorizer& vectorizer() const { return vectorizer_; }

  nlohmann::json to_json() const;
  /// ModelFormatError when the stored vocabulary or options are inconsistent.
  static ClaimFeaturizer from_json(const nlohmann::json& j);
  /// The same at `j`'s path (e.g. "featurizer" inside a claim classifier): ModelFormatError
  /// naming the path of the value at fault.
  static ClaimFeaturizer from_json(const JsonReader& j);

 private:
  CountVectorizer vectorizer_{seed_vectorizer_options()};
};

}  // namespace claimlens
