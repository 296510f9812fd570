// `claimlens analyze` end to end through the built CLI: outputs on the real data, and every bad
// input giving one line on stderr, exit code 2 and no output file.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/io/model_file.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "io/temp_dir.hpp"
#include "support/paths.hpp"

using namespace claimlens;
using namespace claimlens::testing;
using Json = nlohmann::json;

namespace {

struct CliResult {
  int status = -1;
  std::string out, err;
};

// Runs `claimlens <arguments>` (a shell fragment), stdout and stderr captured in `dir`.
CliResult run_cli(const TempDir& dir, const std::string& arguments) {
  const std::string out = dir.file("stdout.txt"), err = dir.file("stderr.txt");
  const int raw = std::system((cli_path() + " " + arguments + " >" + out + " 2>" + err).c_str());
  CliResult r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.out = read_text_file(out);
  r.err = read_text_file(err);
  return r;
}

std::string quoted(const std::string& s) {
  return "'" + s + "'";
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string real_data() {
  return quoted(real_dataset_path());
}

std::size_t lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// A bad command: exit 2, one line naming `needle`, no stdout, and no file in the folder but the
// captured stdout/stderr.
void expect_rejected(const TempDir& dir, const std::string& arguments, const std::string& needle) {
  INFO(arguments);
  const CliResult r = run_cli(dir, arguments);
  INFO(r.err);
  CHECK(r.status == 2);
  CHECK(lines(r.err) == 1);
  CHECK(r.err.find(needle) != std::string::npos);
  CHECK(r.out.empty());
  auto entries = dir.entries();
  std::sort(entries.begin(), entries.end());
  CHECK(entries == std::vector<std::string>{"stderr.txt", "stdout.txt"});
}

}  // namespace

TEST_CASE("analyze writes the summary, the JSON document, the report and a loadable model") {
  if (cli_path().empty()) return;
  TempDir dir;
  const std::string json = dir.file("analysis.json"), model = dir.file("claims.cbor"),
                    html = dir.file("report.html");
  const CliResult r =
      run_cli(dir, "analyze --data " + real_data() + " --grid none --json " + quoted(json) +
                       " --model " + quoted(model) + " --report " + quoted(html));
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.find("== 5. Claim classifier") != std::string::npos);
  CHECK(r.out.find("t = 25.4994") != std::string::npos);
  CHECK(r.err.find("[analyze] inspect: 0.0%") != std::string::npos);
  CHECK(r.err.find("[analyze] claim_classifier: 100.0%") != std::string::npos);

  const Json doc = Json::parse(read_text_file(json));
  const Json want = Json::parse(read_text_file(fixture_path("analysis_seed.json")));
  CHECK(doc["data"]["rows_after_dropna"] == want["data"]["rows_after_dropna"]);
  CHECK(doc["hypothesis_test"]["t"].get<double>() ==
        Approx(want["hypothesis_test"]["t"].get<double>()).epsilon(1e-9));
  CHECK(doc["claim_classifier"]["champion"].is_string());

  const std::string page = read_text_file(html);
  CHECK(page.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(page.find("<svg") != std::string::npos);
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("<script") == std::string::npos);

  const auto clf = io::load_model<ClaimClassifier>(model);
  const DataFrame sample = read_csv(real_dataset_path()).dropna().head(50);
  const auto proba = clf.predict_proba(sample);
  REQUIRE(proba.size() == 50);
  CHECK(clf.champion() == doc["claim_classifier"]["champion"].get<std::string>());
}

TEST_CASE("analyze --quiet prints no progress") {
  if (cli_path().empty()) return;
  TempDir dir;
  const CliResult r = run_cli(dir, "analyze --data " + real_data() + " --grid none --quiet");
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("== 1. Inspect") != std::string::npos);
}

TEST_CASE("analyze rejects bad input with one line, exit 2 and no output file") {
  if (cli_path().empty()) return;
  SECTION("missing data file") {
    TempDir dir;
    expect_rejected(dir,
                    "analyze --data " + quoted(dir.file("nope.csv")) + " --json " +
                        quoted(dir.file("out.json")),
                    "nope.csv");
  }
  SECTION("a CSV without the TikTok columns") {
    TempDir dir, inputs;
    const std::string csv = inputs.file("loans.csv");
    std::string loans = "id,age,income,region,default\n";
    for (int i = 0; i < 100; ++i) {
      loans += std::to_string(i) + "," + std::to_string(20 + i % 50) + "," +
               std::to_string(20000 + 731 * i) + (i % 3 ? ",north," : ",south,") +
               (i % 4 ? "no" : "yes") + "\n";
    }
    write_file(csv, loans);
    expect_rejected(dir, "analyze --data " + quoted(csv) + " --json " + quoted(dir.file("o.json")),
                    "claim_status");
  }
  SECTION("a CSV whose count column holds text") {
    TempDir dir, inputs;
    const std::string csv = inputs.file("bad-counts.csv");
    std::string text = read_text_file(real_dataset_path()).substr(0, 20000);
    text = text.substr(0, text.rfind('\n') + 1);
    const auto first_row = text.find('\n') + 1;
    const auto comma = text.rfind(',', text.find('\n', first_row));
    text.replace(comma + 1, text.find('\r', comma) - comma - 1, "lots");
    write_file(csv, text);
    expect_rejected(dir, "analyze --data " + quoted(csv) + " --json " + quoted(dir.file("o.json")),
                    "video_comment_count");
  }
  SECTION("bad options") {
    TempDir dir;
    const std::string data = " --data " + real_data();
    expect_rejected(dir, "analyze" + data + " --seed -3", "--seed");
    expect_rejected(dir, "analyze" + data + " --seed x", "seed");
    expect_rejected(dir, "analyze" + data + " --threads -5", "--threads");
    expect_rejected(dir, "analyze" + data + " --grid huge", "--grid");
    expect_rejected(dir, "analyze" + data + " --colour red", "colour");
    expect_rejected(dir, "analyze --json x.json", "--data");
    expect_rejected(dir, "analyze" + data + " --json " + quoted(dir.file("no/such/out.json")),
                    "no such folder");
    expect_rejected(dir, "analyze" + data + " --model " + quoted(dir.path()), "folder");
    expect_rejected(dir, "analyze" + data + " --report " + quoted(dir.file("none/r.html")),
                    "no such folder");
  }
}
