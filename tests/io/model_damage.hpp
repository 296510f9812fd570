// Damaged model data for the loaders' tests: every truncation and random byte flips must load
// or fail with ModelFormatError, never crash or throw anything else.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/random.hpp"

namespace claimlens::testing {

using Bytes = std::vector<std::uint8_t>;

/// Loads `bytes` with `load`; returns true when it loaded, false on ModelFormatError, and fails
/// the test on any other exception.
inline bool loads_or_rejects(const Bytes& bytes, const std::function<void(const Bytes&)>& load) {
  try {
    load(bytes);
    return true;
  } catch (const ModelFormatError& e) {
    if (std::string(e.what()).empty()) FAIL("empty ModelFormatError message");
    return false;
  } catch (const std::exception& e) {
    FAIL("unexpected exception type: " << e.what());
  }
  return false;
}

/// Every strict prefix of `bytes` must be rejected (a JSON text may lose its final newline).
inline void check_truncations(const Bytes& bytes, const std::function<void(const Bytes&)>& load,
                              bool json_text) {
  std::size_t loaded = 0;
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    if (loads_or_rejects(prefix, load)) {
      ++loaded;
      CHECK((json_text && n + 1 == bytes.size()));  // only "...}" without the newline
    }
  }
  CHECK(loaded <= 1);
}

/// `trials` copies of `bytes` with 1 to 4 random bytes replaced.
inline std::size_t check_flips(const Bytes& bytes, const std::function<void(const Bytes&)>& load,
                               int trials, std::uint64_t seed) {
  claimlens::Random rng(seed);
  std::size_t rejected = 0;
  for (int t = 0; t < trials; ++t) {
    Bytes copy = bytes;
    const auto flips = 1 + rng.uniform_int(4);
    for (std::uint64_t f = 0; f < flips; ++f) {
      copy[rng.uniform_int(copy.size())] = static_cast<std::uint8_t>(rng.uniform_int(256));
    }
    rejected += !loads_or_rejects(copy, load);
  }
  return rejected;
}

}  // namespace claimlens::testing
