#include <omp.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pipeline/synth.hpp"
#include "support/paths.hpp"

using claimlens::SynthOptions;

namespace {

// A small CSV splitter for the synth format (quoted fields never hold line breaks there).
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      REQUIRE(fields.back().empty());  // quotes only open a field
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  REQUIRE_FALSE(quoted);
  return fields;
}

/// Lines of a CRLF file: every '\n' must be preceded by '\r' and the text must end with CRLF.
std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    REQUIRE(nl != std::string::npos);  // final CRLF present
    REQUIRE(nl > start);
    REQUIRE(text[nl - 1] == '\r');
    lines.push_back(text.substr(start, nl - 1 - start));
    REQUIRE(lines.back().find('\r') == std::string::npos);
    start = nl + 1;
  }
  return lines;
}

std::int64_t to_int(const std::string& s) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  INFO("field '" << s << "'");
  REQUIRE(ec == std::errc());
  REQUIRE(end == s.data() + s.size());
  return value;
}

struct Row {
  std::vector<std::string> f;
};

std::vector<Row> parse(const std::string& csv) {
  auto lines = crlf_lines(csv);
  REQUIRE(!lines.empty());
  REQUIRE(lines[0] == claimlens::synth_header());
  std::vector<Row> rows;
  rows.reserve(lines.size() - 1);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    rows.push_back(Row{split_csv_line(lines[i])});
    INFO("line " << i + 1 << ": " << lines[i]);
    REQUIRE(rows.back().f.size() == 12);
  }
  return rows;
}

std::string synth(std::int64_t rows, std::uint64_t seed) {
  SynthOptions options;
  options.rows = rows;
  options.seed = seed;
  return claimlens::synth_csv_string(options);
}

bool file_exists(const std::string& path) {
  return std::ifstream(path).good();
}

}  // namespace

TEST_CASE("synth: exact header, CRLF line endings, row numbering and field formats") {
  const std::string csv = synth(5000, 3);
  REQUIRE(csv.rfind(std::string(claimlens::synth_header()) + "\r\n", 0) == 0);
  REQUIRE(std::string(claimlens::synth_header()) ==
          "#,claim_status,video_id,video_duration_sec,video_transcription_text,verified_status,"
          "author_ban_status,video_view_count,video_like_count,video_share_count,"
          "video_download_count,video_comment_count");
  REQUIRE(csv.substr(csv.size() - 2) == "\r\n");
  const auto rows = parse(csv);
  REQUIRE(rows.size() == 5000);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& f = rows[i].f;
    REQUIRE(to_int(f[0]) == static_cast<std::int64_t>(i + 1));
    REQUIRE(f[2].size() == 10);
    const auto id = to_int(f[2]);
    REQUIRE(id >= 1'000'000'000);
    ids.insert(id);
    const auto duration = to_int(f[3]);
    REQUIRE(duration >= 5);
    REQUIRE(duration <= 60);
    REQUIRE((f[5] == "verified" || f[5] == "not verified"));
    REQUIRE((f[6] == "active" || f[6] == "under review" || f[6] == "banned"));
  }
  REQUIRE(ids.size() == rows.size());  // video ids never repeat
}

TEST_CASE("synth: text is quoted exactly when it holds a comma or a quote") {
  const std::string csv = synth(20000, 11);
  auto lines = crlf_lines(csv);
  std::size_t quoted = 0, with_quote = 0, non_ascii = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto fields = split_csv_line(lines[i]);
    const std::string& text = fields[4];
    const bool needs_quotes = text.find_first_of(",\"") != std::string::npos;
    const bool is_quoted = lines[i].find(",\"") != std::string::npos;
    INFO(lines[i]);
    REQUIRE(needs_quotes == is_quoted);
    quoted += is_quoted;
    with_quote += text.find('"') != std::string::npos;
    for (unsigned char c : text) {
      if (c >= 0x80) {
        ++non_ascii;
        break;
      }
    }
    if (text.find('"') != std::string::npos) {
      // Re-escaped form is what the line carries.
      std::string escaped;
      for (char c : text) escaped += c == '"' ? std::string("\"\"") : std::string(1, c);
      REQUIRE(lines[i].find("\"" + escaped + "\"") != std::string::npos);
    }
  }
  REQUIRE(quoted > 0);
  REQUIRE(with_quote > 0);
  REQUIRE(non_ascii > 0);  // UTF-8 letters such as ’ and ö appear
}

TEST_CASE("synth: deterministic per seed, sensitive to the seed, independent of thread count") {
  const std::string a = synth(30000, 42);
  REQUIRE(a == synth(30000, 42));
  REQUIRE(a != synth(30000, 43));
  const int threads = omp_get_max_threads();
  omp_set_num_threads(1);
  const std::string single = synth(30000, 42);
  omp_set_num_threads(3);
  const std::string three = synth(30000, 42);
  omp_set_num_threads(threads);
  REQUIRE(a == single);
  REQUIRE(a == three);
  // A longer file starts with the same rows as a shorter one, up to the trailing null rows.
  const std::string shorter = synth(1000, 42);
  const auto short_rows = parse(shorter);
  const auto long_rows = parse(a);
  for (std::size_t i = 0; i < 900; ++i) REQUIRE(short_rows[i].f == long_rows[i].f);
}

TEST_CASE("synth: null rows sit at the end in the real file's format") {
  SynthOptions options;
  options.rows = 19382;
  options.seed = 5;
  REQUIRE(claimlens::synth_null_rows(options) == 298);  // exactly the real count at real size
  const auto rows = parse(claimlens::synth_csv_string(options));
  REQUIRE(rows.size() == 19382);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& f = rows[i].f;
    if (i >= 19382 - 298) {
      REQUIRE(f[1].empty());
      REQUIRE(f[4].empty());
      for (int k = 7; k < 12; ++k) REQUIRE(f[k] == "#N/A");
      REQUIRE(f[2].size() == 10);
    } else {
      REQUIRE((f[1] == "claim" || f[1] == "opinion"));
      REQUIRE(!f[4].empty());
      for (int k = 7; k < 12; ++k) REQUIRE(to_int(f[k]) >= 0);
    }
  }
  options.null_fraction = 0.0;
  REQUIRE(claimlens::synth_null_rows(options) == 0);
  options.rows = 1;
  options.null_fraction = claimlens::kRealNullFraction;
  REQUIRE(parse(claimlens::synth_csv_string(options))[0].f[1].size() > 0);  // 1 row: no nulls
}

TEST_CASE("synth: distributions match the real data profile") {
  const auto profile = nlohmann::json::parse(
      claimlens::testing::read_text_file(claimlens::testing::fixture_path("synth_profile.json")));
  const auto rows = parse(synth(200000, 9));
  struct Acc {
    double n = 0, views = 0, likes = 0, shares = 0, downloads = 0, comments = 0, verified = 0,
           banned = 0, active = 0, text_len = 0, zero_comments = 0;
    double min_views = 1e18, max_views = 0, max_like_ratio = 0;
  };
  std::map<std::string, Acc> acc;
  double commas = 0, labelled = 0;
  for (const auto& row : rows) {
    const auto& f = row.f;
    if (f[1].empty()) continue;
    Acc& a = acc[f[1]];
    const double v = static_cast<double>(to_int(f[7])), l = static_cast<double>(to_int(f[8]));
    a.n += 1;
    a.views += v;
    a.likes += l;
    a.shares += static_cast<double>(to_int(f[9]));
    a.downloads += static_cast<double>(to_int(f[10]));
    const double c = static_cast<double>(to_int(f[11]));
    a.comments += c;
    a.zero_comments += c == 0;
    a.verified += f[5] == "verified";
    a.banned += f[6] == "banned";
    a.active += f[6] == "active";
    a.text_len += static_cast<double>(f[4].size());
    a.min_views = std::min(a.min_views, v);
    a.max_views = std::max(a.max_views, v);
    a.max_like_ratio = std::max(a.max_like_ratio, l / v);
    commas += f[4].find(',') != std::string::npos;
    labelled += 1;
  }
  REQUIRE(acc.size() == 2);
  const double claim_fraction = acc["claim"].n / labelled;
  CHECK(claim_fraction == Approx(profile["claim_fraction"].get<double>()).margin(0.01));
  CHECK(commas / labelled == Approx(profile["text_comma_fraction"].get<double>()).margin(0.03));
  for (const std::string cls : {"claim", "opinion"}) {
    INFO("class " << cls);
    const auto& p = profile["classes"][cls];
    const Acc& a = acc[cls];
    const auto mean = [&](const char* key) { return p["mean"][key].get<double>(); };
    CHECK(a.views / a.n == Approx(mean("video_view_count")).epsilon(0.02));
    CHECK(a.likes / a.n == Approx(mean("video_like_count")).epsilon(0.04));
    CHECK(a.shares / a.n == Approx(mean("video_share_count")).epsilon(0.06));
    CHECK(a.downloads / a.n == Approx(mean("video_download_count")).epsilon(0.06));
    CHECK(a.comments / a.n == Approx(mean("video_comment_count")).epsilon(0.08));
    CHECK(a.zero_comments / a.n == Approx(p["zero_comment_fraction"].get<double>()).margin(0.02));
    CHECK(a.max_like_ratio <= p["likes_per_view_max"].get<double>() + 0.001);
    CHECK(a.max_like_ratio >= p["likes_per_view_max"].get<double>() - 0.01);
    CHECK(a.max_views <= p["max"]["video_view_count"].get<double>() * 1.001 + 2);
    CHECK(a.verified / a.n == Approx(p["verified_rate"].get<double>()).margin(0.01));
    CHECK(a.banned / a.n == Approx(p["ban_rates"]["banned"].get<double>()).margin(0.01));
    CHECK(a.active / a.n == Approx(p["ban_rates"]["active"].get<double>()).margin(0.015));
    CHECK(a.text_len / a.n == Approx(p["text_length_mean"].get<double>()).epsilon(0.1));
  }
  // Claims get two orders of magnitude more views than opinions; ranges do not overlap much.
  CHECK(acc["claim"].views / acc["claim"].n > 50 * acc["opinion"].views / acc["opinion"].n);
  CHECK(acc["opinion"].max_views < 10000);
  CHECK(acc["claim"].min_views >= 1000);
}

TEST_CASE("synth: transcriptions follow the class templates") {
  const auto rows = parse(synth(3000, 21));
  std::size_t claim_markers = 0, opinion_markers = 0, claims = 0, opinions = 0;
  for (const auto& row : rows) {
    const std::string& text = row.f[4];
    const bool opinion_words =
        text.rfind("in my ", 0) == 0 || text.rfind("in our ", 0) == 0 ||
        text.find(" is that ") != std::string::npos || text.find("think") != std::string::npos ||
        text.find(" feel") != std::string::npos || text.find("believe") != std::string::npos ||
        text.find("convinced") != std::string::npos || text.find("willing") != std::string::npos ||
        text.find("sure that") != std::string::npos || text.find("suspect") != std::string::npos ||
        text.find(" say") != std::string::npos || text.find("understand") != std::string::npos ||
        text.find("as far as") != std::string::npos || text.find("gut tells") != std::string::npos;
    if (row.f[1] == "claim") {
      ++claims;
      claim_markers += !opinion_words;
    } else if (row.f[1] == "opinion") {
      ++opinions;
      opinion_markers += opinion_words;
    }
  }
  REQUIRE(claims > 1000);
  REQUIRE(opinions > 1000);
  CHECK(opinion_markers == opinions);
  CHECK(claim_markers > claims * 95 / 100);
}

TEST_CASE("synth: bad options are rejected with clear messages") {
  SynthOptions options;
  options.rows = 0;
  REQUIRE_THROWS_WITH(claimlens::synth_csv_string(options),
                      Catch::Contains("rows must be at least 1, got 0"));
  options.rows = -5;
  REQUIRE_THROWS_AS(claimlens::synth_csv_string(options), claimlens::InvalidArgument);
  options.rows = claimlens::kSynthMaxRows + 1;
  REQUIRE_THROWS_WITH(claimlens::synth_csv_string(options), Catch::Contains("at most"));
  options.rows = 10;
  options.null_fraction = 1.0;
  REQUIRE_THROWS_WITH(claimlens::synth_csv_string(options), Catch::Contains("null_fraction"));
  options.null_fraction = std::nan("");
  REQUIRE_THROWS_AS(claimlens::synth_csv_string(options), claimlens::InvalidArgument);
  options.null_fraction = -0.1;
  REQUIRE_THROWS_AS(claimlens::synth_csv_string(options), claimlens::InvalidArgument);
}

TEST_CASE("synth_to_file: writes atomically, leaves nothing behind on failure") {
  SynthOptions options;
  options.rows = 2500;
  options.seed = 77;
  const std::string path = "synth_test_output.csv";
  std::remove(path.c_str());
  claimlens::synth_to_file(options, path);
  REQUIRE(claimlens::testing::read_text_file(path) == claimlens::synth_csv_string(options));
  options.seed = 78;  // overwrite in place
  claimlens::synth_to_file(options, path);
  REQUIRE(claimlens::testing::read_text_file(path) == claimlens::synth_csv_string(options));
  std::remove(path.c_str());

  REQUIRE_THROWS_WITH(claimlens::synth_to_file(options, "/nonexistent-dir/sub/out.csv"),
                      Catch::Contains("/nonexistent-dir/sub/out.csv"));
  REQUIRE_THROWS_AS(claimlens::synth_to_file(options, "/nonexistent-dir/sub/out.csv"),
                    claimlens::IoError);
  REQUIRE_THROWS_AS(claimlens::synth_to_file(options, ""), claimlens::InvalidArgument);
  // A directory cannot be replaced by a file: error, and the temporary file is removed.
  const std::string dir = CLAIMLENS_SOURCE_DIR "/tests";
  REQUIRE_THROWS_AS(claimlens::synth_to_file(options, dir), claimlens::IoError);
  REQUIRE_FALSE(file_exists(dir + ".tmp" + std::to_string(static_cast<long>(::getpid()))));
  // Bad options fail before any file is created.
  options.rows = 0;
  REQUIRE_THROWS_AS(claimlens::synth_to_file(options, path), claimlens::InvalidArgument);
  REQUIRE_FALSE(file_exists(path));
}

TEST_CASE("claimlens synth CLI: writes the file and rejects bad arguments") {
  const std::string cli = claimlens::testing::cli_path();
  if (cli.empty()) return;  // built without the CLI
  const std::string out = "synth_cli_output.csv";
  std::remove(out.c_str());
  const std::string ok = cli + " synth --rows 1234 --seed 5 --out " + out + " 2>/dev/null";
  REQUIRE(std::system(ok.c_str()) == 0);
  SynthOptions options;
  options.rows = 1234;
  options.seed = 5;
  REQUIRE(claimlens::testing::read_text_file(out) == claimlens::synth_csv_string(options));
  std::remove(out.c_str());
  for (const std::string bad :
       {"--rows 0 --out x.csv", "--rows -3 --out x.csv", "--rows ten --out x.csv",
        "--rows 5 --seed -1 --out x.csv", "--rows 5", "--rows 5 --out /nonexistent-dir/x.csv"}) {
    INFO(bad);
    const int status = std::system((cli + " synth " + bad + " 2>/dev/null").c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 2);
    REQUIRE_FALSE(file_exists("x.csv"));
  }
}

TEST_CASE("synth: read_csv infers the same schema as for the real file") {
  const claimlens::DataFrame real = claimlens::read_csv(claimlens::testing::real_dataset_path());
  SynthOptions options;
  options.rows = 19382;
  options.seed = 12;
  const claimlens::DataFrame synthetic =
      claimlens::read_csv_buffer(claimlens::synth_csv_string(options), {}, "<synth>");
  REQUIRE(synthetic.num_rows() == 19382);
  REQUIRE(synthetic.column_names() == real.column_names());
  for (const auto& name : real.column_names()) {
    INFO("column " << name);
    CHECK(synthetic.column(name).dtype() == real.column(name).dtype());
    CHECK(synthetic.column(name).null_count() == real.column(name).null_count());
  }
  const claimlens::DataFrame labelled = synthetic.dropna();
  REQUIRE(labelled.num_rows() == 19382 - 298);
  const auto& status = labelled.column("claim_status");
  const auto views = labelled.column("video_view_count").to_doubles();
  double claim_views = 0, opinion_views = 0, claims = 0;
  for (std::size_t i = 0; i < labelled.num_rows(); ++i) {
    const bool claim = status.string_at(i) == "claim";
    (claim ? claim_views : opinion_views) += views[i];
    claims += claim;
  }
  const double opinions = static_cast<double>(labelled.num_rows()) - claims;
  CHECK(claim_views / claims > 50 * opinion_views / opinions);
}
