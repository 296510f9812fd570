#include "claimlens/version.hpp"

namespace claimlens {

/// The library's version as built (the headers' macros may differ when mixing builds).
const char* version_string() { return CLAIMLENS_VERSION_STRING; }

}  // namespace claimlens
