// The rows of a frame with tiktok_dataset.csv's columns as VideoRecords (views into the frame:
// valid while it lives). Rows must have no null among the claim classifier's input columns.
#pragma once

#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/pipeline/claim_features.hpp"

namespace claimlens::testing {

inline std::vector<VideoRecord> video_records(const DataFrame& frame) {
  std::vector<VideoRecord> records(frame.num_rows());
  for (std::size_t i = 0; i < records.size(); ++i) {
    VideoRecord& r = records[i];
    r.transcription = frame.column("video_transcription_text").string_at(i);
    r.verified_status = frame.column("verified_status").string_at(i);
    r.author_ban_status = frame.column("author_ban_status").string_at(i);
    r.duration_sec = frame.column("video_duration_sec").as_double(i);
    r.view_count = frame.column("video_view_count").as_double(i);
    r.like_count = frame.column("video_like_count").as_double(i);
    r.share_count = frame.column("video_share_count").as_double(i);
    r.download_count = frame.column("video_download_count").as_double(i);
    r.comment_count = frame.column("video_comment_count").as_double(i);
  }
  return records;
}

}  // namespace claimlens::testing
