// Two hand-made dataset records the claim classifier must tell apart: a claim-like one (hearsay
// wording, high engagement) and an opinion-like one (opinion wording, low engagement).
#pragma once

#include "claimlens/pipeline/claim_classifier.hpp"

namespace claimlens::testing {

inline VideoRecord claim_like() {
  VideoRecord v;
  v.transcription = "someone shared with me that the earth has more trees than stars in the galaxy";
  v.verified_status = "not verified";
  v.author_ban_status = "active";
  v.duration_sec = 30;
  v.view_count = 500000;
  v.like_count = 150000;
  v.share_count = 30000;
  v.download_count = 2000;
  v.comment_count = 500;
  return v;
}

inline VideoRecord opinion_like() {
  VideoRecord v = claim_like();
  v.transcription = "i think that the earth has more trees than stars in the galaxy";
  v.view_count = 5000;
  v.like_count = 1000;
  v.share_count = 200;
  v.download_count = 10;
  v.comment_count = 2;
  return v;
}

}  // namespace claimlens::testing
