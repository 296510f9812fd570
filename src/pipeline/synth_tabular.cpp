// Wide and noisy synthetic binary-classification data
// (include/claimlens/pipeline/synth_tabular.hpp).
#include "claimlens/pipeline/synth_tabular.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

#include "claimlens/enum_names.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "claimlens/random.hpp"

namespace claimlens {
namespace {

constexpr EnumNames<SynthShape, 2> kShapes{
    {{{SynthShape::Wide, "wide"}, {SynthShape::Noisy, "noisy"}}}};
constexpr std::int64_t kMaxRows = 100'000'000;
constexpr std::uint64_t kConceptStream = 0xC0FFEE;  // the concept's stream, apart from the rows'

struct WideConcept {
  static constexpr int kInformative = 10, kRedundant = 10, kNoise = 80;
  std::array<double, kInformative> weight{};
  std::array<std::array<double, kInformative>, kRedundant> mix{};
};

struct NoisyConcept {
  static constexpr int kFeatures = 20, kSignal = 4, kSegments = 6;
  std::array<double, kSignal> weight{};
  std::array<double, kSegments> segment_effect{};
};

double sigmoid(double z) {
  return 1.0 / (1.0 + std::exp(-z));
}

void append_value(std::string& out, double value) {
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 4);
  out.append(buffer, result.ptr);
}

void append_label(std::string& out, Random& rng, double probability, double flip) {
  int label = rng.uniform() < probability ? 1 : 0;
  if (rng.uniform() < flip) label = 1 - label;
  out += static_cast<char>('0' + label);
}

WideConcept wide_concept(std::uint64_t seed) {
  Random rng(derive_seed(seed, kConceptStream));
  WideConcept c;
  for (double& w : c.weight) w = (rng.uniform() < 0.5 ? -1.0 : 1.0) * (0.3 + 0.7 * rng.uniform());
  for (auto& row : c.mix) {
    for (double& m : row) m = rng.normal() * 0.5;
  }
  return c;
}

void wide_row(const WideConcept& c, Random& rng, std::string& line) {
  std::array<double, WideConcept::kInformative> x{};
  for (double& v : x) v = rng.normal();
  double z =
      -0.4 + 0.8 * x[0] * x[1] + 1.2 * (x[2] > 0.5 ? 1.0 : 0.0) - 1.0 * std::exp(-x[3] * x[3]);
  for (int i = 0; i < WideConcept::kInformative; ++i) z += c.weight[i] * x[i];
  std::string values;
  for (double v : x) {
    values += ',';
    append_value(values, v);
  }
  for (const auto& mix : c.mix) {
    double v = 0.3 * rng.normal();
    for (int i = 0; i < WideConcept::kInformative; ++i) v += mix[i] * x[i];
    values += ',';
    append_value(values, v);
  }
  for (int i = 0; i < WideConcept::kNoise; ++i) {
    values += ',';
    append_value(values, rng.normal());
  }
  append_label(line, rng, sigmoid(1.5 * z), 0.02);
  line += values;
}

NoisyConcept noisy_concept(std::uint64_t seed) {
  Random rng(derive_seed(seed, kConceptStream));
  NoisyConcept c;
  for (double& w : c.weight) w = (rng.uniform() < 0.5 ? -1.0 : 1.0) * (0.2 + 0.3 * rng.uniform());
  for (double& e : c.segment_effect) e = rng.normal() * 0.3;
  return c;
}

void noisy_row(const NoisyConcept& c, Random& rng, std::string& line) {
  std::array<double, NoisyConcept::kFeatures> x{};
  for (double& v : x) v = rng.normal();
  const auto segment = static_cast<int>(rng.uniform_int(NoisyConcept::kSegments));
  double z = -0.8 + c.segment_effect[segment] + 0.3 * std::sin(2.0 * x[4]);
  for (int i = 0; i < NoisyConcept::kSignal; ++i) z += c.weight[i] * x[i];
  z += 0.25 * x[0] * x[1];
  std::string values;
  for (double v : x) {
    values += ',';
    if (rng.uniform() >= 0.08) append_value(values, v);  // else missing: an empty field
  }
  values += ",s";
  values += static_cast<char>('0' + segment);
  append_label(line, rng, sigmoid(z), 0.10);
  line += values;
}

std::string header(SynthShape shape) {
  std::string out = "label";
  const int columns = shape == SynthShape::Wide ? 100 : NoisyConcept::kFeatures;
  for (int i = 0; i < columns; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "f%03d", i);
    out += ',';
    out += name;
  }
  if (shape == SynthShape::Noisy) out += ",segment";
  return out + "\n";
}

void validate(const TabularSynthOptions& o) {
  if (o.rows < 1 || o.rows > kMaxRows) {
    throw InvalidArgument("synth: rows must be 1.." + std::to_string(kMaxRows) + ", got " +
                          std::to_string(o.rows));
  }
  if (o.first_row < 0 || o.first_row > kMaxRows) {
    throw InvalidArgument("synth: first_row must be 0.." + std::to_string(kMaxRows) + ", got " +
                          std::to_string(o.first_row));
  }
}

}  // namespace

const char* synth_shape_name(SynthShape shape) {
  return kShapes.name(shape);
}

SynthShape parse_synth_shape(const std::string& name) {
  return kShapes.parse(name, "shape");
}

std::string synth_tabular_csv(const TabularSynthOptions& o) {
  validate(o);
  const WideConcept wide = wide_concept(o.seed);
  const NoisyConcept noisy = noisy_concept(o.seed);
  std::string out = header(o.shape), line;
  for (std::int64_t row = o.first_row; row < o.first_row + o.rows; ++row) {
    Random rng(derive_seed(o.seed, static_cast<std::uint64_t>(row)));
    line.clear();
    if (o.shape == SynthShape::Wide) {
      wide_row(wide, rng, line);
    } else {
      noisy_row(noisy, rng, line);
    }
    out += line;
    out += '\n';
  }
  return out;
}

void synth_tabular_to_file(const TabularSynthOptions& options, const std::string& path) {
  io::atomic_write_file(path, synth_tabular_csv(options));
}

}  // namespace claimlens
