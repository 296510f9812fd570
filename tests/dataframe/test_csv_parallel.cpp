// read_csv on several threads: the frame and the errors are the serial reader's, whatever the
// thread count and block size (blocks of a few bytes force many cuts, guessed by quote parity,
// through quoted newlines, doubled quotes, CRLF, blank lines and late type changes).
#include <catch2/catch.hpp>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "csv_parallel.hpp"

using namespace claimlens;

namespace {

// An integer of [lo, hi].
int pick(Random& rng, int lo, int hi) {
  return lo + static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(hi - lo + 1)));
}

struct Shape {
  bool crlf = false;
  bool blank_lines = false;
  bool literal_quotes = false;  // a quote inside an unquoted field: parity guesses go wrong
  bool late_text = false;       // a numeric column turns to text near the end: a re-read
};

// A CSV of `rows` rows: ints, floats (some written as ints), bools, nulls, quoted text with
// commas, doubled quotes and newlines, a column of nulls first and numbers later.
std::string make_csv(std::uint64_t seed, std::size_t rows, const Shape& shape) {
  Random rng(seed);
  const std::string eol = shape.crlf ? "\r\n" : "\n";
  std::string out = "id,score,flag,text,late,mixed" + eol;
  const char* words[] = {"media", "claim", "a,b", "say \"\"hi\"\"", "line\nbreak", "x"};
  for (std::size_t r = 0; r < rows; ++r) {
    out += std::to_string(r) + ",";
    if (pick(rng, 0, 9) == 0) {
      out += "#N/A";
    } else if (pick(rng, 0, 3) == 0) {
      out += std::to_string(pick(rng, -50, 50));
    } else {
      out += std::to_string(pick(rng, 0, 100000)) + ".25";
    }
    out += pick(rng, 0, 1) ? ",True," : ",false,";
    if (pick(rng, 0, 7) == 0) {
      out += "";  // null text
    } else {
      out += "\"";
      for (int w = pick(rng, 1, 4); w > 0; --w) {
        out += words[pick(rng, 0, 5)];
        out += " ";
      }
      out += "\"";
    }
    out += ",";
    if (r > rows / 2) out += std::to_string(pick(rng, 0, 9));
    out += ",";
    if (shape.late_text && r == rows - 3) {
      out += "text";
    } else if (shape.literal_quotes && r % 7 == 3) {
      out += "5\"";  // kept literally, as pandas does
    } else {
      out += "0" + std::to_string(pick(rng, 0, 9));
    }
    out += eol;
    if (shape.blank_lines && r % 11 == 0) out += eol;
  }
  return out;
}

void require_same_frame(const DataFrame& got, const DataFrame& expected) {
  REQUIRE(got.column_names() == expected.column_names());
  REQUIRE(got.num_rows() == expected.num_rows());
  for (const std::string& name : expected.column_names()) {
    INFO("column " << name);
    CHECK(got.column(name).dtype() == expected.column(name).dtype());
    CHECK(got.column(name).equals(expected.column(name)));
  }
}

CsvOptions with_threads(int n_jobs, std::size_t block_bytes) {
  CsvOptions options;
  options.n_jobs = n_jobs;
  options.parallel_block_bytes = block_bytes;
  return options;
}

std::string error_of(const std::string& text, const CsvOptions& options) {
  try {
    read_csv_buffer(text, options, "t.csv");
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("csv parallel: the serial reader's frame at any thread count and block size",
          "[csv][parallel]") {
  const Shape shapes[] = {{},
                          {true, false, false, false},
                          {false, true, false, false},
                          {false, false, true, false},
                          {false, false, false, true},
                          {true, true, false, true}};
  std::uint64_t seed = 1;
  for (const Shape& shape : shapes) {
    const std::string text = make_csv(seed++, 600, shape);
    const DataFrame serial = read_csv_buffer(text, with_threads(1, 1024), "t.csv");
    REQUIRE(serial.num_rows() == 600);
    for (int threads : {2, 3, 4}) {
      for (std::size_t block :
           {std::size_t{7}, std::size_t{150}, std::size_t{700}, std::size_t{4096}}) {
        INFO("shape " << seed - 1 << ", " << threads << " threads, blocks of " << block);
        require_same_frame(read_csv_buffer(text, with_threads(threads, block), "t.csv"), serial);
      }
    }
  }
}

TEST_CASE("csv parallel: types decided across blocks as the serial reader decides them",
          "[csv][parallel]") {
  // Nulls first then ints; ints then floats; text then numbers (kept as written: "007");
  // numbers then text (re-read); bools then ints (re-read as text).
  std::string text = "a,b,c,d,e\n";
  for (int r = 0; r < 200; ++r) {
    text += (r < 150 ? std::string("") : std::to_string(r)) + ",";
    text += (r < 100 ? std::to_string(r) : std::to_string(r) + ".5") + ",";
    text += (r == 0 ? std::string("word") : "007") + ",";
    text += (r == 199 ? std::string("word") : "007") + ",";
    text += (r < 100 ? std::string("True") : "1") + "\n";
  }
  const DataFrame serial = read_csv_buffer(text, with_threads(1, 64), "t.csv");
  CHECK(serial.column("c").string_at(1) == "007");
  CHECK(serial.column("d").string_at(0) == "007");
  CHECK(serial.column("e").string_at(150) == "1");
  for (int threads : {2, 5}) {
    for (std::size_t block : {std::size_t{16}, std::size_t{300}}) {
      require_same_frame(read_csv_buffer(text, with_threads(threads, block), "t.csv"), serial);
    }
  }
}

TEST_CASE("csv parallel: from a file, windows carried over between reads", "[csv][parallel]") {
  const std::string text = make_csv(42, 3000, {true, true, false, false});
  const std::string path = "/tmp/claimlens_test_csv_parallel.csv";
  std::ofstream(path, std::ios::binary) << "\xEF\xBB\xBF" << text;
  const DataFrame serial = read_csv(path, with_threads(1, 1024));
  REQUIRE(serial.num_rows() == 3000);
  CHECK(serial.column_names().front() == "id");
  for (std::size_t block : {std::size_t{64}, std::size_t{5000}, std::size_t{60000}}) {
    INFO("blocks of " << block);
    require_same_frame(read_csv(path, with_threads(2, block)), serial);
  }
  std::remove(path.c_str());
}

TEST_CASE("csv parallel: a malformed row gives the serial reader's error", "[csv][parallel]") {
  std::string good = make_csv(7, 400, {});
  const std::string ragged = good + "1,2,3\n" + make_csv(8, 50, {}).substr(33);
  const std::string unterminated = good + "9,1.5,True,\"never closed,1,02\n";
  for (const std::string* text : {&ragged, &unterminated}) {
    const std::string serial = error_of(*text, with_threads(1, 1024));
    REQUIRE(serial != "(no error)");
    for (int threads : {2, 3}) {
      for (std::size_t block : {std::size_t{10}, std::size_t{2000}}) {
        CHECK(error_of(*text, with_threads(threads, block)) == serial);
      }
    }
  }
}

TEST_CASE("csv parallel: options are checked", "[csv][parallel]") {
  CHECK_THROWS_WITH(read_csv_buffer("a\n1\n", with_threads(-2, 1024)),
                    Catch::Contains("CsvOptions::n_jobs must be >= -1"));
  CHECK_THROWS_WITH(read_csv_buffer("a\n1\n", with_threads(2, 0)),
                    Catch::Contains("CsvOptions::parallel_block_bytes must be >= 1"));
}

namespace {
// The parallel first pass alone: true when its block guesses held to the end.
bool parallel_pass_holds(const std::string& text, int threads, std::size_t block) {
  const CsvOptions options;
  const detail::NullTokens nulls(options);
  const std::string source = "t.csv";
  detail::CsvInput input(nullptr, text);
  detail::CsvScanner scanner(',', source);
  detail::InferSink sink{scanner, nulls, options, source, {}, {}, false, 0, 1, false, {}};
  return detail::read_csv_parallel(input, scanner, sink, threads, block) && sink.rows == 600;
}
}  // namespace

TEST_CASE("csv parallel: block guesses hold on clean input and fail on literal quotes",
          "[csv][parallel]") {
  // Blocks of a few rows each: every window is cut in `threads` places.
  const Shape clean[] = {{}, {true, true, false, true}};
  for (const Shape& shape : clean) {
    const std::string text = make_csv(3, 600, shape);
    for (int threads : {2, 3}) {
      for (std::size_t block : {std::size_t{400}, std::size_t{3000}}) {
        CHECK(parallel_pass_holds(text, threads, block));
      }
    }
  }
  // A quote inside an unquoted field flips the parity: a guessed cut lands inside a row, its
  // block's scanner ends elsewhere, and the pass gives up (read_csv then reads serially).
  CHECK_FALSE(parallel_pass_holds(make_csv(3, 600, {false, false, true, false}), 2, 400));
  // Blocks smaller than a row: no progress in a window, serial instead.
  CHECK_FALSE(parallel_pass_holds(make_csv(3, 600, {}), 2, 7));
}
