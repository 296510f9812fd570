// FUZZ_CHECK for the targets that call the C++ API and do not link the C ABI (fuzz_support.hpp
// has the C ABI's, which also reports claimlens_last_error()): a broken invariant aborts, so
// libFuzzer (and the replay driver) keeps the input.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                       \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (0)
