// Transcription texts for `claimlens synth`: class-specific phrase templates + shared topic facts.
#pragma once

#include <string>

#include "claimlens/random.hpp"

namespace claimlens::detail {

/// Appends one transcription (lower case, UTF-8, not CSV-quoted) for a claim or an opinion video.
void append_transcription(Random& rng, bool claim, std::string& out);

}  // namespace claimlens::detail
