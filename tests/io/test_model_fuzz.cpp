// Truncated and corrupted model data: every outcome is a valid model or a ModelFormatError,
// never a crash, a hang or another exception (run under -fsanitize=address,undefined too).
#include <catch2/catch.hpp>
#include <functional>

#include "claimlens/io/model_file.hpp"
#include "claimlens/random.hpp"
#include "io/model_damage.hpp"
#include "io/toy_model.hpp"

using claimlens::ModelFormatError;
using claimlens::io::ModelEncoding;
using claimlens::testing::ToyModel;
using Bytes = std::vector<std::uint8_t>;

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
