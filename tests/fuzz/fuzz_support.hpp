// Shared helpers of the libFuzzer targets (tests/fuzz/README.md).
//
// A target reports a finding by aborting: libFuzzer (and the replay driver) then keeps the input
// as a crash reproducer. Besides sanitizer reports, a finding is any broken promise of the C ABI
// (claimlens.h): CLAIMLENS_E_INTERNAL (documented as "a bug"), a failure without a message,
// an output written on failure, a save/load round trip that changes a prediction.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <string>

#include "claimlens.h"

namespace claimlens_fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what);
  std::fprintf(stderr, "last error: %s\n", claimlens_last_error());
  std::abort();
}

#define FUZZ_CHECK(cond)                                            \
  do {                                                              \
    if (!(cond)) ::claimlens_fuzz::fail(#cond, __FILE__, __LINE__); \
  } while (0)

// A failed call must carry one of the statuses the target expects and a non-empty message.
inline void check_failure(claimlens_status status, std::initializer_list<claimlens_status> allowed,
                          const char* call) {
  bool ok = false;
  for (claimlens_status s : allowed) ok = ok || s == status;
  if (!ok) {
    std::fprintf(stderr, "%s returned %s: %s\n", call, claimlens_status_name(status),
                 claimlens_last_error());
    fail("unexpected status", __FILE__, __LINE__);
  }
  FUZZ_CHECK(std::strlen(claimlens_last_error()) > 0);
}

// A status that must be CLAIMLENS_OK (the call was valid by construction).
#define FUZZ_OK(call)                                                                       \
  do {                                                                                      \
    const claimlens_status fuzz_status_ = (call);                                           \
    if (fuzz_status_ != CLAIMLENS_OK) {                                                     \
      std::fprintf(stderr, "%s returned %s\n", #call, claimlens_status_name(fuzz_status_)); \
      ::claimlens_fuzz::fail("call failed", __FILE__, __LINE__);                            \
    }                                                                                       \
  } while (0)

inline bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

inline bool is_probability(double p) {
  return p >= 0.0 && p <= 1.0;  // false for NaN
}

}  // namespace claimlens_fuzz
