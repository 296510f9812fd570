// Truncated and corrupted model data: every outcome is a valid model or a ModelFormatError,
// never a crash, a hang or another exception (run under -fsanitize=address,undefined too).
#include <catch2/catch.hpp>
#include <functional>

#include "claimlens/io/model_file.hpp"
#include "claimlens/random.hpp"
#include "io/toy_model.hpp"

using claimlens::ModelFormatError;
using claimlens::io::ModelEncoding;
using claimlens::testing::ToyModel;
using Bytes = std::vector<std::uint8_t>;

namespace claimlens::testing {

/// Loads `bytes` with `load`; returns true when it loaded, false on ModelFormatError, and fails
/// the test on any other exception.
bool loads_or_rejects(const Bytes& bytes, const std::function<void(const Bytes&)>& load) {
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

namespace {

ToyModel small_model() {
  ToyModel m;
  m.weights = {0.25, -1.5, 3.0e-7, 42.0};
  m.bias = 0.125;
  m.label = "ok";
  return m;
}

void load_toy(const Bytes& bytes) {
  claimlens::io::load_model_buffer<ToyModel>(bytes);
}

}  // namespace

TEST_CASE("toy model: truncation at every offset is rejected", "[io][fuzz]") {
  for (auto encoding : {ModelEncoding::Json, ModelEncoding::Cbor}) {
    const Bytes bytes = claimlens::io::save_model_buffer(small_model(), encoding);
    claimlens::testing::check_truncations(bytes, load_toy, encoding == ModelEncoding::Json);
  }
}

TEST_CASE("toy model: random byte flips load or fail cleanly", "[io][fuzz]") {
  for (auto encoding : {ModelEncoding::Json, ModelEncoding::Cbor}) {
    const Bytes bytes = claimlens::io::save_model_buffer(small_model(), encoding);
    const auto rejected = claimlens::testing::check_flips(bytes, load_toy, 3000, 11);
    CHECK(rejected > 1500);  // most corruptions are detected
  }
}
