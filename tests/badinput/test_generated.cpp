// Bad inputs too big or too many to commit, made at run time: a 100 MB field, a row past the
// column limit, a small model truncated at every offset and with seeded random byte flips.
#include <cmath>
#include <fstream>

#include "badinput/corpus.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/random.hpp"

using namespace claimlens::testing;

namespace {

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

/// Both readers of the C ABI and `claimlens describe` reject `csv` naming `reason`.
void check_csv_rejected(const std::string& csv, const std::string& reason) {
  claimlens_frame* f = nullptr;
  CHECK(claimlens_frame_read_csv_buffer(csv.data(), csv.size(), &f) == CLAIMLENS_E_PARSE);
  CHECK(f == nullptr);
  CHECK(std::string(claimlens_last_error()).find(reason) != std::string::npos);
  TempDir dir;
  const std::string path = dir.file("big.csv");
  write_file(path, csv);
  CHECK(claimlens_frame_read_csv(path.c_str(), &f) == CLAIMLENS_E_PARSE);
  CHECK(f == nullptr);
  CHECK(std::string(claimlens_last_error()).find(reason) != std::string::npos);
  TempDir scratch;
  check_cli_failure(run_cli({"describe", "--data", path}, scratch), reason);
}

std::string columns_csv(size_t n) {
  std::string header, row;
  for (size_t i = 0; i < n; ++i) {
    header += (i ? ",c" : "c") + std::to_string(i);
    row += i ? ",1" : "1";
  }
  return header + "\n" + row + "\n";
}

/// A small gradient-boosting model trained through the C ABI (3 trees, depth 2, 2 features).
claimlens_model* small_model() {
  TinyData d;
  claimlens_model* m = nullptr;
  REQUIRE(claimlens_model_train(
              d.x.data(), d.rows, d.cols, d.y.data(),
              R"({"algorithm": "gradient_boosting", "n_estimators": 3, "max_depth": 2})",
              &m) == CLAIMLENS_OK);
  return m;
}

std::string saved_cbor(const claimlens_model* m) {
  void* buffer = nullptr;
  size_t len = 0;
  REQUIRE(claimlens_model_save_buffer(m, &buffer, &len) == CLAIMLENS_OK);
  std::string bytes(static_cast<const char*>(buffer), len);
  claimlens_free(buffer);
  return bytes;
}

std::string saved_json(const claimlens_model* m) {
  TempDir dir;
  REQUIRE(claimlens_model_save(m, dir.file("m.json").c_str()) == CLAIMLENS_OK);
  return read_text_file(dir.file("m.json"));
}

bool only_whitespace(const std::string& s, size_t from) {
  return s.find_first_not_of(" \t\r\n", from) == std::string::npos;
}

/// Loads `bytes`; a success must give a usable model (probabilities in [0, 1]).
claimlens_status load_and_use(const std::string& bytes) {
  claimlens_model* m = nullptr;
  const claimlens_status s = claimlens_model_load_buffer(bytes.data(), bytes.size(), &m);
  if (s != CLAIMLENS_OK) {
    CHECK(m == nullptr);
    return s;
  }
  // A flip may change the declared feature count: predict with that many columns (a model
  // declaring millions of features is valid but not worth a row here).
  size_t n = 0;
  CHECK(claimlens_model_num_features(m, &n) == CLAIMLENS_OK);
  if (n <= 4096) {
    std::vector<double> x(2 * n, 1.0);
    if (n > 1) x[1] = NAN;
    double p[2] = {-1, -1};
    CHECK(claimlens_model_predict_proba(m, x.data(), 2, n, p) == CLAIMLENS_OK);
    CHECK((p[0] >= 0 && p[0] <= 1 && p[1] >= 0 && p[1] <= 1));
  }
  claimlens_model_free(m);
  return s;
}

}  // namespace

TEST_CASE("a 100 MB field is rejected at the field-length limit, file and buffer, C ABI and CLI",
          "[badinput][limits]") {
  std::string csv = "id,text\n1,";
  csv.append(size_t{100} << 20, 'x');
  csv += "\n";
  check_csv_rejected(csv,
                     "longer than the limit of " + std::to_string(claimlens::kCsvMaxFieldBytes));
  // Quoted, and with the closing quote never coming: still the limit, not an exhausted memory.
  std::string quoted = "id,text\n1,\"";
  quoted.append(size_t{100} << 20, 'y');
  check_csv_rejected(quoted, "longer than the limit");
}

TEST_CASE("a row wider than the column limit is rejected, the limit itself is accepted",
          "[badinput][limits]") {
  check_csv_rejected(columns_csv(claimlens::kCsvMaxColumns + 1),
                     "more than the limit of " + std::to_string(claimlens::kCsvMaxColumns));
  const std::string at_limit = columns_csv(claimlens::kCsvMaxColumns);
  claimlens_frame* f = nullptr;
  REQUIRE(claimlens_frame_read_csv_buffer(at_limit.data(), at_limit.size(), &f) == CLAIMLENS_OK);
  CHECK(claimlens_frame_num_columns(f) == claimlens::kCsvMaxColumns);
  claimlens_frame_free(f);
}

TEST_CASE("a small model truncated at every offset is CLAIMLENS_E_MODEL_FORMAT", "[badinput]") {
  claimlens_model* m = small_model();
  for (const std::string& full : {saved_cbor(m), saved_json(m)}) {
    REQUIRE(load_and_use(full) == CLAIMLENS_OK);
    size_t rejected = 0;
    for (size_t n = 0; n < full.size(); ++n) {
      const std::string cut = full.substr(0, n);
      claimlens_model* loaded = nullptr;
      const claimlens_status s = claimlens_model_load_buffer(cut.data(), cut.size(), &loaded);
      if (s == CLAIMLENS_OK && only_whitespace(full, n)) {  // JSON minus its final newline
        claimlens_model_free(loaded);
        continue;
      }
      INFO("prefix of " << n << " of " << full.size() << " bytes: " << claimlens_last_error());
      REQUIRE(s == CLAIMLENS_E_MODEL_FORMAT);
      REQUIRE(loaded == nullptr);
      REQUIRE(std::string(claimlens_last_error()).find("claimlens_model_load_buffer: ") == 0);
      ++rejected;
    }
    CHECK(rejected >= full.size() - 1);
  }
  claimlens_model_free(m);
}

TEST_CASE("seeded random byte flips of a small model never crash: rejected or still usable",
          "[badinput]") {
  claimlens_model* m = small_model();
  claimlens::Random rng(20261128);
  for (const std::string& full : {saved_cbor(m), saved_json(m)}) {
    size_t rejected = 0, loaded = 0;
    for (int trial = 0; trial < 3000; ++trial) {
      std::string bytes = full;
      const int flips = 1 + static_cast<int>(rng.uniform_int(4));
      for (int k = 0; k < flips; ++k) {
        const auto at = static_cast<size_t>(rng.uniform_int(bytes.size()));
        bytes[at] = static_cast<char>(bytes[at] ^ (1 << rng.uniform_int(8)));
      }
      const claimlens_status s = load_and_use(bytes);
      INFO("trial " << trial << ": " << claimlens_last_error());
      REQUIRE((s == CLAIMLENS_OK || s == CLAIMLENS_E_MODEL_FORMAT));
      (s == CLAIMLENS_OK ? loaded : rejected) += 1;
    }
    CHECK(rejected > 0);  // the validation does catch damage
    (void)loaded;
  }
  claimlens_model_free(m);
}
