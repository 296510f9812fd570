// csv_rank_parts and CsvChunks: files shared among ranks (threads, support/thread_communicator.hpp)
// by byte ranges at row boundaries and read a chunk at a time give read_csv's rows, in order,
// whatever the rank count and chunk size, and read_csv's error messages (file and line).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv_parts.hpp"
#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "support/paths.hpp"
#include "support/thread_communicator.hpp"

using namespace claimlens;
using claimlens::testing::run_ranks;
using claimlens::testing::ThreadCommunicator;

namespace {

namespace fs = std::filesystem;

// A folder of the test's files, removed at the end.
struct TempDir {
  fs::path dir = fs::temp_directory_path() / ("claimlens_csv_parts_" + std::to_string(getpid()));
  TempDir() { fs::create_directories(dir); }
  ~TempDir() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

int pick(Random& rng, int lo, int hi) {
  return lo + static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(hi - lo + 1)));
}

struct Shape {
  std::string eol = "\n";  // "\n", "\r\n", a lone "\r", or "mixed": any of them, row by row
  bool blank_lines = false;
  bool bom = false;
  bool quoted_header = false;  // a header name holding a comma, a quote and a newline
  bool final_eol = true;
};

// Rows whose columns keep one type in any run of rows (so per-chunk inference agrees with the
// whole file's): ints, floats with a fraction, bools, text with letters that is often quoted and
// holds commas, doubled quotes and newlines (LF and CRLF), nulls.
std::string make_csv(std::uint64_t seed, int rows, const Shape& shape) {
  Random rng(seed);
  const char* eols[] = {"\n", "\r\n", "\r"};
  const auto eol = [&] { return shape.eol == "mixed" ? eols[pick(rng, 0, 2)] : shape.eol; };
  std::string out = shape.bom ? "\xEF\xBB\xBF" : "";
  if (shape.blank_lines) out += eol();
  out += shape.quoted_header ? "id,score,\"odd, \"\"name\"\"\nhere\",text" : "id,score,flag,text";
  out += eol();
  const char* words[] = {"media",       "claim",    "a,b", "say \"\"hi\"\"",
                         "line\nbreak", "cr\r\nlf", ",",   "\"\""};
  for (int r = 0; r < rows; ++r) {
    if (shape.blank_lines && pick(rng, 0, 5) == 0) out += eol();
    out += std::to_string(r) + ",";
    out += pick(rng, 0, 9) == 0 ? "#N/A" : std::to_string(pick(rng, -500, 500)) + ".5";
    out += pick(rng, 0, 1) ? ",True," : ",false,";
    const int kind = pick(rng, 0, 5);
    if (kind == 0) {
      out += "";  // null text
    } else if (kind == 1) {
      out += "plain" + std::to_string(r);
    } else {
      out += "\"t";
      for (int w = pick(rng, 1, 3); w > 0; --w) out += words[pick(rng, 0, 7)];
      out += "\"";
    }
    if (r + 1 < rows || shape.final_eol) out += eol();
  }
  return out;
}

// Every rank's chunks over its parts of `files`, in rank order; the number of chunks in `chunks`.
std::vector<DataFrame> rank_chunks(const std::vector<std::string>& files, int ranks,
                                   std::size_t chunk_bytes, std::size_t* chunks = nullptr) {
  std::vector<std::vector<DataFrame>> per_rank(static_cast<std::size_t>(ranks));
  run_ranks(ranks, [&](ThreadCommunicator& comm) {
    const CsvChunks reader(csv_rank_parts(files, comm), {}, chunk_bytes);
    reader.for_each([&](const DataFrame& f) {
      CHECK(f.num_rows() > 0);
      per_rank[static_cast<std::size_t>(comm.rank())].push_back(f);
    });
  });
  std::vector<DataFrame> all;
  for (auto& frames : per_rank) all.insert(all.end(), frames.begin(), frames.end());
  if (chunks != nullptr) *chunks = all.size();
  return all;
}

DataFrame concat(const std::vector<DataFrame>& frames) {
  return concat_rows(frames, std::vector<std::string>(frames.size(), "chunk"));
}

// read_csv of each file, concatenated (a header-only file's string columns of no rows left out:
// concat_rows would take their dtype for the column's).
DataFrame read_all(const std::vector<std::string>& files) {
  std::vector<DataFrame> frames;
  std::vector<std::string> sources;
  for (const std::string& f : files) {
    frames.push_back(read_csv(f));
    sources.push_back(f);
    if (frames.back().num_rows() == 0) {
      frames.pop_back();
      sources.pop_back();
    }
  }
  return concat_rows(frames, sources);
}

void require_same(const DataFrame& a, const DataFrame& b) {
  REQUIRE(a.column_names() == b.column_names());
  REQUIRE(a.num_rows() == b.num_rows());
  for (std::size_t c = 0; c < a.num_columns(); ++c) {
    INFO("column " << a.column_names()[c]);
    CHECK(a.column(c).dtype() == b.column(c).dtype());
    CHECK(a.column(c).equals(b.column(c)));
  }
  CHECK(to_csv(a) == to_csv(b));
}

// The message of the error `read` raised ("no error" when it raised none).
template <class Read>
std::string error_of(Read&& read) {
  try {
    read();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

// The message of the error reading `files` on `ranks` ranks (the lowest failing rank's).
std::string rank_error(const std::vector<std::string>& files, int ranks, std::size_t chunk_bytes) {
  return error_of([&] { rank_chunks(files, ranks, chunk_bytes); });
}

std::string read_error(const std::string& file) {
  return error_of([&] { read_csv(file); });
}

}  // namespace

TEST_CASE("csv parts: synthetic files, 1-5 ranks, any chunk size, give read_csv's rows",
          "[csv_parts]") {
  TempDir tmp;
  Shape crlf;
  crlf.eol = "\r\n";
  crlf.blank_lines = true;
  crlf.bom = true;
  Shape lone_cr;
  lone_cr.eol = "\r";
  lone_cr.final_eol = false;
  Shape mixed;
  mixed.eol = "mixed";
  mixed.blank_lines = true;
  Shape header;
  header.quoted_header = true;
  header.blank_lines = true;
  const std::vector<std::string> files = {tmp.write("a.csv", make_csv(1, 120, Shape{})),
                                          tmp.write("b.csv", make_csv(2, 7, crlf)),
                                          tmp.write("empty_rows.csv", "id,score,flag,text\n"),
                                          tmp.write("c.csv", make_csv(3, 90, crlf)),
                                          tmp.write("d.csv", make_csv(4, 60, lone_cr)),
                                          tmp.write("e.csv", make_csv(5, 150, mixed))};
  const std::vector<std::string> quoted_header = {tmp.write("h1.csv", make_csv(5, 80, header)),
                                                  tmp.write("h2.csv", make_csv(6, 1, header))};
  for (const auto& set : {files, quoted_header}) {
    const DataFrame expected = read_all(set);
    for (int ranks = 1; ranks <= 5; ++ranks) {
      for (const std::size_t chunk :
           {std::size_t{1}, std::size_t{64}, std::size_t{700}, std::size_t{1} << 30}) {
        INFO(ranks << " ranks, chunks of " << chunk << " bytes");
        std::size_t chunks = 0;
        require_same(concat(rank_chunks(set, ranks, chunk, &chunks)), expected);
        if (chunk == 64) CHECK(chunks > expected.num_rows() / 4);  // many chunks
      }
    }
  }
}

TEST_CASE("csv parts: many cut points through quoted newlines give the same rows", "[csv_parts]") {
  TempDir tmp;
  for (std::uint64_t seed = 10; seed < 40; ++seed) {
    Random rng(seed);
    Shape shape;
    shape.eol = pick(rng, 0, 1) ? "\r\n" : "\n";
    shape.blank_lines = pick(rng, 0, 1) == 1;
    shape.final_eol = pick(rng, 0, 1) == 1;
    const std::string path = tmp.write("s.csv", make_csv(seed, pick(rng, 1, 25), shape));
    const DataFrame expected = read_csv(path);
    for (int ranks = 2; ranks <= 5; ++ranks) {
      INFO("seed " << seed << ", " << ranks << " ranks");
      require_same(concat(rank_chunks({path}, ranks, 48)), expected);
    }
  }
}

TEST_CASE("csv parts: the real data set, 1-5 ranks, gives read_csv's frame", "[csv_parts]") {
  const std::string path = testing::real_dataset_path();
  const DataFrame expected = read_csv(path);
  REQUIRE(expected.num_rows() == 19382);
  for (int ranks = 1; ranks <= 5; ++ranks) {
    for (const std::size_t chunk : {std::size_t{4096}, std::size_t{300000}, std::size_t{1} << 30}) {
      INFO(ranks << " ranks, chunks of " << chunk << " bytes");
      require_same(concat(rank_chunks({path}, ranks, chunk)), expected);
    }
  }
  INFO("chunks of 64 bytes (shorter than most rows), 3 ranks");
  require_same(concat(rank_chunks({path}, 3, 64)), expected);
  INFO("the file twice, 3 ranks: the middle rank's range spans the two");
  require_same(concat(rank_chunks({path, path}, 3, 4096)), read_all({path, path}));
}

TEST_CASE("csv parts: the ranks share the real data set's rows nearly equally", "[csv_parts]") {
  const std::string path = testing::real_dataset_path();
  std::vector<std::size_t> rows(4);
  run_ranks(4, [&](ThreadCommunicator& comm) {
    CsvChunks(csv_rank_parts({path}, comm), {}, 1 << 20).for_each([&](const DataFrame& f) {
      rows[static_cast<std::size_t>(comm.rank())] += f.num_rows();
    });
  });
  for (const std::size_t r : rows) {
    CHECK(r > 19382 / 5);
    CHECK(r < 19382 / 3);
  }
}

TEST_CASE("csv parts: the ranks' parts are contiguous rows of the files", "[csv_parts]") {
  TempDir tmp;
  const std::string a = tmp.write("a.csv", "x,y\n1,\"p\nq\"\n2,r\n3,s\n");
  const std::string b = tmp.write("b.csv", "x,y\r\n4,t\r\n");
  std::vector<std::vector<CsvPart>> parts(4);
  run_ranks(4, [&](ThreadCommunicator& comm) {
    parts[static_cast<std::size_t>(comm.rank())] = csv_rank_parts({a, b}, comm);
  });
  std::vector<CsvPart> all;
  for (const auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  REQUIRE(!all.empty());
  CHECK(all.front().path == a);
  CHECK(all.front().begin == 4);
  CHECK(all.front().first_line == 2);
  CHECK(all.back().path == b);
  CHECK(all.back().end == 10);
  for (std::size_t i = 0; i + 1 < all.size(); ++i) {
    if (all[i].path == all[i + 1].path) CHECK(all[i].end == all[i + 1].begin);
  }
  // Line numbers of row starts: "2,r" is line 4, "3,s" line 5, "4,t" line 2 of b.
  for (const CsvPart& p : all) {
    if (p.path == a && p.begin == 12) CHECK(p.first_line == 4);
    if (p.path == a && p.begin == 16) CHECK(p.first_line == 5);
    if (p.path == b) CHECK(p.first_line == 2);
  }
  const std::vector<CsvPart> whole = CsvChunks::whole_file(a);
  REQUIRE(whole.size() == 1);
  CHECK(whole[0].begin == 4);
  CHECK(whole[0].end == 20);
  CHECK(whole[0].file_size == 20);
}

TEST_CASE("csv parts: a rank whose range falls inside one row gets no part", "[csv_parts]") {
  TempDir tmp;
  const std::string long_row = "1,\"" + std::string(400, 'w') + "\"\n";
  const std::string path = tmp.write("long.csv", "x,y\n" + long_row + "2,b\n");
  std::vector<std::size_t> counts(4);
  run_ranks(4, [&](ThreadCommunicator& comm) {
    counts[static_cast<std::size_t>(comm.rank())] = csv_rank_parts({path}, comm).size();
  });
  CHECK(counts[1] == 0);
  CHECK(counts[2] == 0);
  require_same(concat(rank_chunks({path}, 4, 16)), read_csv(path));
  // More ranks than bytes: most ranks have empty ranges.
  const std::string tiny = tmp.write("tiny.csv", "x\n1\n");
  require_same(concat(rank_chunks({tiny}, 5, 1)), read_csv(tiny));
}

TEST_CASE("csv parts: a malformed row in a later part names the file and line as read_csv",
          "[csv_parts]") {
  TempDir tmp;
  Shape crlf;
  crlf.eol = "\r\n";
  Shape mixed;  // lone '\r' line ends and blank lines among '\n's: lines '\n' alone does not count
  mixed.eol = "mixed";
  mixed.blank_lines = true;
  const std::string ok = tmp.write("ok.csv", make_csv(8, 50, crlf));
  for (const Shape& shape : {crlf, mixed}) {
    const std::string text = make_csv(7, 200, shape);
    // Bad rows deep in the file: a ragged one, text after a closing quote, invalid UTF-8.
    for (const char* row :
         {"999,1.5,True,x,extra", "999,1.5,True,\"x\"y", "999,1.5,True,\xff\xfe"}) {
      std::size_t at = 0;  // a row start after a '\n', deep in the file
      for (int r = 170; at == 0 && r < 200; ++r) at = text.find("\n" + std::to_string(r) + ",") + 1;
      REQUIRE(at > 1);
      const std::string path =
          tmp.write("bad.csv", text.substr(0, at) + std::string(row) + "\r\n" + text.substr(at));
      const std::string expected = read_error(path);
      REQUIRE(expected.find("bad.csv:") != std::string::npos);
      for (int ranks = 1; ranks <= 4; ++ranks) {
        for (const std::size_t chunk : {std::size_t{64}, std::size_t{1000}, std::size_t{1} << 20}) {
          INFO(ranks << " ranks, chunks of " << chunk << ", " << expected);
          CHECK(rank_error({ok, path}, ranks, chunk) == expected);
        }
      }
    }
  }
}

TEST_CASE("csv parts: an unterminated quote at the end fails as read_csv", "[csv_parts]") {
  TempDir tmp;
  const std::string path =
      tmp.write("open.csv", make_csv(9, 80, Shape{}) + "80,1.5,True,\"never\nclosed\n");
  const std::string expected = read_error(path);
  REQUIRE(expected.find("unterminated quoted field") != std::string::npos);
  for (int ranks = 1; ranks <= 5; ++ranks) {
    CHECK(rank_error({path}, ranks, 64) == expected);
  }
}

TEST_CASE("csv parts: missing, empty and headerless files fail on every rank", "[csv_parts]") {
  TempDir tmp;
  const std::string good = tmp.write("good.csv", "x,y\n1,2\n");
  const std::string missing = (tmp.dir / "missing.csv").string();
  const std::string empty = tmp.write("empty.csv", "");
  const std::string blank = tmp.write("blank.csv", "\n\r\n");
  const std::string other = tmp.write("other.csv", "x,z\n1,2\n");
  struct Case {
    std::vector<std::string> files;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{good, missing}, "csv_rank_parts: cannot open " + missing + ": No such file or directory"},
      {{good, empty, missing}, empty + ":1:1: empty input: no header row"},
      {{blank, good}, blank + ":1:1: empty input: no header row"},
      {{good, other},
       "csv_rank_parts: " + other + " does not have the header of " + good +
           " (the same column names in the same order)"}};
  for (const Case& c : cases) {
    for (int ranks = 1; ranks <= 3; ++ranks) {
      std::vector<std::string> errors(static_cast<std::size_t>(ranks));
      run_ranks(ranks, [&](ThreadCommunicator& comm) {
        try {
          csv_rank_parts(c.files, comm);
        } catch (const CollectiveError& e) {
          errors[static_cast<std::size_t>(comm.rank())] = e.what();
        }
      });
      for (const std::string& e : errors) {
        INFO(e);
        CHECK(e.find(c.message) != std::string::npos);
        CHECK(e.rfind("rank ", 0) == 0);
      }
    }
  }
  CHECK_THROWS_WITH(read_csv(empty), empty + ":1:1: empty input: no header row");
  CHECK_THROWS_WITH(CsvChunks::whole_file(missing), Catch::Contains("cannot open " + missing));
}

TEST_CASE("csv parts: CsvChunks refuses files with another header, bad parts and chunk sizes",
          "[csv_parts]") {
  TempDir tmp;
  const std::string a = tmp.write("a.csv", "x,y\n1,2\n");
  const std::string b = tmp.write("b.csv", "y,x\n1,2\n");
  std::vector<CsvPart> parts = CsvChunks::whole_file(a);
  const std::vector<CsvPart> other = CsvChunks::whole_file(b);
  parts.insert(parts.end(), other.begin(), other.end());
  CHECK_THROWS_AS(CsvChunks(parts), SchemaError);
  CHECK_THROWS_WITH(CsvChunks(parts), "CsvChunks: " + b + " does not have the header of " + a +
                                          " (the same column names in the same order)");
  CHECK_THROWS_WITH(CsvChunks(CsvChunks::whole_file(a), {}, 0),
                    "CsvChunks: chunk_bytes must be >= 1");
  CHECK_THROWS_WITH(CsvChunks({CsvPart{a, 1, 8, 2, 0}}),
                    Catch::Contains("CsvChunks: the part [1, 8) at line 2 is not rows of " + a));
  CHECK_THROWS_WITH(CsvChunks({CsvPart{a, 4, 8, 1, 0}}),
                    "CsvChunks: the part [4, 8) at line 1 is not rows of " + a +
                        " (its rows are bytes [4, 8), from line 2)");
  CHECK(CsvChunks::whole_file(tmp.write("h.csv", "x,y\n")).empty());
}

TEST_CASE("csv parts: a file that changed after its parts were computed is an IoError",
          "[csv_parts]") {
  TempDir tmp;
  const std::string text = make_csv(11, 100, Shape{});
  const std::string path = tmp.write("t.csv", text);
  const std::vector<CsvPart> parts = CsvChunks::whole_file(path);
  const CsvChunks reader(parts, {}, 128);
  std::size_t rows = 0;
  reader.for_each([&](const DataFrame& f) { rows += f.num_rows(); });
  CHECK(rows == 100);
  tmp.write("t.csv", text.substr(0, text.size() / 2));
  CHECK_THROWS_AS(reader.for_each([](const DataFrame&) {}), IoError);
  CHECK_THROWS_WITH(reader.for_each([](const DataFrame&) {}),
                    "CsvChunks: " + path + " has " + std::to_string(text.size() / 2) +
                        " bytes, not the " + std::to_string(text.size()) +
                        " it had when its parts were computed: it changed");
  CHECK_THROWS_AS(CsvChunks(parts), IoError);
}

TEST_CASE("csv parts: visits are repeatable, chunks hold whole rows", "[csv_parts]") {
  TempDir tmp;
  const std::string path = tmp.write("r.csv", make_csv(12, 300, Shape{}));
  const CsvChunks reader(CsvChunks::whole_file(path), {}, 256);
  std::vector<DataFrame> first, second;
  reader.for_each([&](const DataFrame& f) { first.push_back(f); });
  reader.for_each([&](const DataFrame& f) { second.push_back(f); });
  REQUIRE(first.size() == second.size());
  CHECK(first.size() > 10);
  for (std::size_t i = 0; i < first.size(); ++i) CHECK(to_csv(first[i]) == to_csv(second[i]));
  require_same(concat(first), read_csv(path));
  // A visitor's error propagates.
  CHECK_THROWS_WITH(reader.for_each([](const DataFrame&) { throw StateError("stop"); }), "stop");
}

TEST_CASE("csv parts: a quote inside an unquoted field that upsets the cuts is reported",
          "[csv_parts]") {
  TempDir tmp;
  // Row 1's literal quote makes every later quoted newline look like a row end to the parity.
  std::string text = "x,y\n1,ab\"c\n";
  for (int r = 2; r < 60; ++r) text += std::to_string(r) + ",\"p\nq\"\n";
  const std::string path = tmp.write("lit.csv", text);
  const DataFrame expected = read_csv(path);
  CHECK(expected.num_rows() == 59);
  require_same(concat(rank_chunks({path}, 1, 32)), expected);  // one rank: exact
  const std::string error = rank_error({path}, 2, 32);
  CHECK_THAT(error, Catch::StartsWith(path + ":"));
  CHECK_THAT(error, Catch::Contains("where its part ends: the part was not cut at a row boundary"));
}

TEST_CASE("read_csv: CsvOptions::first_line numbers the lines of errors", "[csv_parts]") {
  CsvOptions options;
  options.first_line = 41;
  CHECK_THROWS_WITH(read_csv_buffer("a,b\n1,2\n3\n", options, "f.csv"),
                    "f.csv:43:2: expected 2 fields, found 1");
  options.first_line = 0;
  CHECK_THROWS_WITH(read_csv_buffer("a\n", options), Catch::Contains("first_line must be >= 1"));
}
