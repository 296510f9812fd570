// Every file of tests/data/bad/ through the C ABI (status + message) and through the CLI (exit
// code 2, one line on stderr naming the problem, no output file), as MANIFEST.json expects.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "badinput/corpus.hpp"

using namespace claimlens::testing;

namespace {

void check_status(claimlens_status got, const BadInput& e, bool out_is_null) {
  INFO(e.file << " (" << e.interface << "): " << status_name(got) << ": "
              << claimlens_last_error());
  CHECK(status_name(got) == e.status);
  if (got != CLAIMLENS_OK) {
    CHECK(out_is_null);  // no partial result
    CHECK(std::string(claimlens_last_error()).find(e.message) != std::string::npos);
    CHECK(std::string(claimlens_last_error()).find('\n') == std::string::npos);
  }
}

void check_frame(const claimlens_frame* f, const BadInput& e) {
  INFO(e.file);
  if (e.expect.contains("rows"))
    CHECK(claimlens_frame_num_rows(f) == e.expect["rows"].get<size_t>());
  if (e.expect.contains("columns")) {
    CHECK(claimlens_frame_num_columns(f) == e.expect["columns"].get<size_t>());
  }
  if (e.expect.contains("names")) {
    for (size_t i = 0; i < e.expect["names"].size(); ++i) {
      const char* name = nullptr;
      REQUIRE(claimlens_frame_column_name(f, i, &name) == CLAIMLENS_OK);
      CHECK(std::string(name) == e.expect["names"][i].get<std::string>());
    }
  }
  if (e.expect.contains("dtypes")) {
    static const char* names[] = {"int64", "float64", "string", "bool"};
    for (const auto& [column, dtype] : e.expect["dtypes"].items()) {
      claimlens_dtype d{};
      REQUIRE(claimlens_frame_column_dtype(f, column.c_str(), &d) == CLAIMLENS_OK);
      CHECK(std::string(names[d]) == dtype.get<std::string>());
    }
  }
}

void check_model(const claimlens_model* m) {
  size_t n = 0;
  REQUIRE(claimlens_model_num_features(m, &n) == CLAIMLENS_OK);
  const std::vector<double> x(n * 2, 1.0);
  std::vector<double> p(2, -1.0);
  REQUIRE(claimlens_model_predict_proba(m, x.data(), 2, n, p.data()) == CLAIMLENS_OK);
  for (double v : p) CHECK((v >= 0.0 && v <= 1.0));
}

void feed_c_api(const BadInput& e) {
  const std::string bytes = read_text_file(e.path());
  if (e.interface == "csv") {
    claimlens_frame* f = nullptr;
    check_status(claimlens_frame_read_csv(e.path().c_str(), &f), e, f == nullptr);
    if (f) check_frame(f, e);
    claimlens_frame_free(f);
    f = nullptr;
    check_status(claimlens_frame_read_csv_buffer(bytes.data(), bytes.size(), &f), e, f == nullptr);
    if (f) check_frame(f, e);
    claimlens_frame_free(f);
  } else if (e.interface == "params") {
    TinyData d;
    claimlens_model* m = nullptr;
    check_status(claimlens_model_train(d.x.data(), d.rows, d.cols, d.y.data(), bytes.c_str(), &m),
                 e, m == nullptr);
    claimlens_model_free(m);
  } else if (e.interface == "model") {
    claimlens_model* m = nullptr;
    check_status(claimlens_model_load(e.path().c_str(), &m), e, m == nullptr);
    if (m) check_model(m);
    claimlens_model_free(m);
    m = nullptr;
    check_status(claimlens_model_load_buffer(bytes.data(), bytes.size(), &m), e, m == nullptr);
    if (m) check_model(m);
    claimlens_model_free(m);
  } else if (e.interface == "classifier") {
    claimlens_classifier* c = nullptr;
    check_status(claimlens_classifier_load(e.path().c_str(), &c), e, c == nullptr);
    claimlens_classifier_free(c);
    c = nullptr;
    check_status(claimlens_classifier_load_buffer(bytes.data(), bytes.size(), &c), e, c == nullptr);
    claimlens_classifier_free(c);
  } else {
    FAIL("unknown interface '" << e.interface << "' for " << e.file);
  }
}

/// A small CSV for `claimlens train` / `predict`: two numeric features and a 0/1 target.
std::string tiny_csv(const TempDir& dir) {
  TinyData d;
  std::string csv = "x1,x2,y\n";
  for (size_t i = 0; i < d.rows; ++i) {
    csv += std::to_string(d.x[2 * i]) + "," + std::to_string(d.x[2 * i + 1]) + "," +
           (d.y[i] > 0 ? "1" : "0") + "\n";
  }
  const std::string path = dir.file("tiny.csv");
  std::ofstream(path, std::ios::binary) << csv;
  return path;
}

/// The CLI's --algo and --params for a parameter file written for claimlens_model_train: its
/// "algorithm" becomes --algo; anything that is not such an object goes to --params verbatim.
std::vector<std::string> train_options(const std::string& text) {
  nlohmann::json params = nlohmann::json::parse(text, nullptr, false);
  std::string algo = "rf";
  if (params.is_object() && params.contains("algorithm") && params["algorithm"].is_string()) {
    const std::string a = params["algorithm"];
    if (a == "random_forest" || a == "gradient_boosting" || a == "logistic_regression") {
      algo = a == "random_forest" ? "rf" : a == "gradient_boosting" ? "gbdt" : "logreg";
      params.erase("algorithm");
      return {"--algo", algo, "--params", params.dump()};
    }
  }
  return {"--algo", algo, "--params", text};
}

std::string cli_message(const BadInput& e) {
  return e.cli_message.empty() ? e.message : e.cli_message;
}

}  // namespace

TEST_CASE("the bad-input manifest lists every corpus file, at least 40", "[badinput]") {
  const auto entries = load_manifest();
  std::set<std::string> listed;
  for (const auto& e : entries) {
    INFO(e.file);
    CHECK(listed.insert(e.file).second);  // listed once
    CHECK(std::filesystem::is_regular_file(e.path()));
    CHECK(std::set<std::string>{"csv", "params", "model", "classifier"}.count(e.interface) == 1);
    if (e.status != "CLAIMLENS_OK") CHECK(!e.message.empty());
  }
  for (const auto& f : std::filesystem::directory_iterator(bad_dir())) {
    const std::string name = f.path().filename().string();
    if (name == "MANIFEST.json" || name == "make_corpus.py") continue;
    INFO("not in MANIFEST.json: " << name);
    CHECK(listed.count(name) == 1);
  }
  CHECK(entries.size() >= 40);
}

TEST_CASE("every corpus file through the C ABI gives the expected status and message",
          "[badinput]") {
  for (const auto& e : load_manifest()) {
    SECTION(e.file) {
      feed_c_api(e);
    }
  }
}

TEST_CASE("every corpus CSV through `claimlens describe`: exit 2 and one line naming the problem",
          "[badinput][cli]") {
  TempDir scratch;
  for (const auto& e : load_manifest()) {
    if (e.interface != "csv") continue;
    SECTION(e.file) {
      const CliResult r = run_cli({"describe", "--data", e.path()}, scratch);
      if (e.status == "CLAIMLENS_OK") {
        INFO(r.err);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("shape: (") == 0);
      } else {
        check_cli_failure(r, e.message);
        CHECK(r.err.find(e.file) != std::string::npos);  // names the file
        CHECK(r.out.empty());
      }
    }
  }
}

TEST_CASE("every bad parameter file through `claimlens train`: exit 2, one line, no model file",
          "[badinput][cli]") {
  TempDir scratch, out;
  if (!cli_has_command("train", scratch)) {
    WARN("skipped: this CLI has no train command");
    return;
  }
  const std::string data = tiny_csv(scratch);
  for (const auto& e : load_manifest()) {
    if (e.interface != "params" || e.status == "CLAIMLENS_OK") continue;
    if (!e.cli_skip.empty()) {
      SECTION(e.file + " (not through the CLI)") {
        WARN(e.file << ": " << e.cli_skip);
      }
      continue;
    }
    SECTION(e.file) {
      std::vector<std::string> args{"train", "--data", data, "--target", "y"};
      for (auto& a : train_options(read_text_file(e.path()))) args.push_back(a);
      args.insert(args.end(), {"--model", out.file("model.json")});
      check_cli_failure(run_cli(args, scratch), cli_message(e));
      CHECK(out.entries().empty());  // no model file, no temporary file
    }
  }
}

TEST_CASE("every bad model file through `claimlens predict`: exit 2, one line, no output file",
          "[badinput][cli]") {
  TempDir scratch, out;
  if (!cli_has_command("predict", scratch)) {
    WARN("skipped: this CLI has no predict command");
    return;
  }
  const std::string data = tiny_csv(scratch);
  for (const auto& e : load_manifest()) {
    if ((e.interface != "model" && e.interface != "classifier") || e.status == "CLAIMLENS_OK") {
      continue;
    }
    if (!e.cli_skip.empty()) {
      SECTION(e.file + " (not through the CLI)") {
        WARN(e.file << ": " << e.cli_skip);
      }
      continue;
    }
    SECTION(e.file) {
      const CliResult r =
          run_cli({"predict", "--model", e.path(), "--data", data, "--out", out.file("scored.csv")},
                  scratch);
      check_cli_failure(r, cli_message(e));
      CHECK(r.err.find(e.file) != std::string::npos);
      CHECK(out.entries().empty());
    }
  }
}

TEST_CASE("a model saved by `claimlens train`, truncated, through `claimlens predict`",
          "[badinput][cli]") {
  TempDir scratch, out;
  if (!cli_has_command("train", scratch) || !cli_has_command("predict", scratch)) {
    WARN("skipped: this CLI has no train/predict command");
    return;
  }
  const std::string data = tiny_csv(scratch);
  const std::string model = scratch.file("model.cbor");
  const CliResult trained =
      run_cli({"train", "--data", data, "--target", "y", "--algo", "gbdt", "--params",
               R"({"n_estimators": 2, "max_depth": 2})", "--model", model},
              scratch);
  INFO(trained.err);
  REQUIRE(trained.exit_code == 0);
  const std::string full = read_text_file(model);
  const std::string cut_path = scratch.file("cut.cbor");
  // 40 offsets spread over the file (every offset goes through the C ABI in test_generated).
  for (size_t k = 0; k < 40; ++k) {
    const size_t n = full.size() * k / 40;
    std::ofstream(cut_path, std::ios::binary) << full.substr(0, n);
    const CliResult r = run_cli(
        {"predict", "--model", cut_path, "--data", data, "--out", out.file("p.csv")}, scratch);
    INFO("truncated to " << n << " of " << full.size() << " bytes");
    check_cli_failure(r, n == 0 ? "model data is empty" : "cut.cbor");
    CHECK(out.entries().empty());
  }
}
