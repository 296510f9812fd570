#pragma once

#define CLAIMLENS_VERSION_MAJOR 0
#define CLAIMLENS_VERSION_MINOR 1
#define CLAIMLENS_VERSION_PATCH 0
#define CLAIMLENS_VERSION_STRING "0.1.0"

namespace claimlens {
const char* version_string();
}
