// to_csv / write_csv: pandas' to_csv(index=False) text, RFC 4180 quoting, and a round trip through
// read_csv.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"

using namespace claimlens;

namespace {

DataFrame sample_frame() {
  DataFrame f;
  f.add_column("id", Column::from_int64({1, -2, 3}, {true, true, false}));
  f.add_column("score", Column::from_float64({5.0, 0.1, std::nan("")}));
  f.add_column("text, quoted",
               Column::from_strings({"plain", "a, \"b\"\r\nnext line", "x"}, {true, true, false}));
  f.add_column("flag", Column::from_bool({true, false, true}, {true, true, false}));
  return f;
}

}  // namespace

TEST_CASE("to_csv writes pandas' text: quoting, whole floats, bools, nulls as empty fields") {
  const std::string text = to_csv(sample_frame());
  CHECK(text ==
        "id,score,\"text, quoted\",flag\n"
        "1,5.0,plain,True\n"
        "-2,0.1,\"a, \"\"b\"\"\r\nnext line\",False\n"
        ",,,\n");
}

TEST_CASE("to_csv then read_csv gives the same frame back") {
  const DataFrame original = sample_frame();
  const DataFrame back = read_csv_buffer(to_csv(original));
  REQUIRE(back.column_names() == original.column_names());
  for (std::size_t j = 0; j < original.num_columns(); ++j) {
    INFO(original.column_names()[j]);
    CHECK(back.column(j).dtype() == original.column(j).dtype());
    CHECK(back.column(j).equals(original.column(j)));
  }
  // Floats print shortest round-trip: the exact bits come back.
  const std::vector<double> values = {0.1 + 0.2, 1e-300, -123456789.125, 1e22, 3.0};
  DataFrame f;
  f.add_column("x", Column::from_float64(values));
  const DataFrame g = read_csv_buffer(to_csv(f));
  REQUIRE(g.column(0).dtype() == DType::Float64);
  for (std::size_t i = 0; i < values.size(); ++i) CHECK(g.column(0).float64_at(i) == values[i]);
}

TEST_CASE("to_csv options: delimiter and CRLF line ends, a bad delimiter is refused") {
  DataFrame f;
  f.add_column("a;b", Column::from_strings({"x;y", "z"}));
  f.add_column("n", Column::from_int64({1, 2}));
  CsvWriteOptions options;
  options.delimiter = ';';
  options.line_terminator = "\r\n";
  const std::string text = to_csv(f, options);
  CHECK(text == "\"a;b\";n\r\n\"x;y\";1\r\nz;2\r\n");
  CsvOptions read_options;
  read_options.delimiter = ';';
  CHECK(read_csv_buffer(text, read_options).column("a;b").equals(f.column("a;b")));

  for (char bad : {'"', '\n', '\r'}) {
    options.delimiter = bad;
    CHECK_THROWS_MATCHES(
        to_csv(f, options), InvalidArgument,
        Catch::Matchers::Message("to_csv: delimiter cannot be a double quote, CR or LF"));
  }
}

TEST_CASE("write_csv streams the same text and reports a failed stream") {
  const DataFrame f = sample_frame();
  std::ostringstream out;
  write_csv(f, out);
  CHECK(out.str() == to_csv(f));

  std::ostringstream broken;
  broken.setstate(std::ios::badbit);
  CHECK_THROWS_MATCHES(write_csv(f, broken), IoError,
                       Catch::Matchers::Message("write_csv: the output stream failed"));
}

TEST_CASE("append_csv_field quotes only what must be quoted") {
  std::string out;
  append_csv_field(out, "no quoting needed: ’ ö");
  CHECK(out == "no quoting needed: ’ ö");
  out.clear();
  append_csv_field(out, "tab\there", '\t');
  CHECK(out == "\"tab\there\"");
  out.clear();
  append_csv_field(out, "");
  CHECK(out.empty());
}
