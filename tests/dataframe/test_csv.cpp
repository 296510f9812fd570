// read_csv: accepted forms, type inference, nulls and every malformed form with its message.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"

using namespace claimlens;

namespace {

DataFrame parse(const std::string& text) {
  return read_csv_buffer(text, {}, "t.csv");
}

std::string parse_error(const std::string& text) {
  try {
    parse(text);
  } catch (const ParseError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string temp_file(const std::string& name, const std::string& content) {
  std::string path = "/tmp/claimlens_test_csv_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

TEST_CASE("csv: accepted forms give the same frame", "[csv]") {
  struct Case {
    const char* what;
    std::string text;
  };
  const std::vector<Case> cases = {
      {"LF", "a,b,c\n1,x y,2.5\n3,z,4\n"},
      {"CRLF", "a,b,c\r\n1,x y,2.5\r\n3,z,4\r\n"},
      {"no final line end", "a,b,c\n1,x y,2.5\n3,z,4"},
      {"UTF-8 BOM",
       "\xEF\xBB\xBF"
       "a,b,c\n1,x y,2.5\n3,z,4\n"},
      {"quoted fields", "\"a\",\"b\",\"c\"\n\"1\",\"x y\",\"2.5\"\n3,\"z\",4\n"},
      {"blank lines skipped", "a,b,c\n\n1,x y,2.5\r\n\r\n3,z,4\n\n"},
      {"old Mac CR", "a,b,c\r1,x y,2.5\r3,z,4\r"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    DataFrame f = parse(c.text);
    REQUIRE(f.shape() == std::make_pair(size_t{2}, size_t{3}));
    CHECK(f.column_names() == std::vector<std::string>{"a", "b", "c"});
    CHECK(f.column("a").dtype() == DType::Int64);
    CHECK(f.column("a").int64_at(1) == 3);
    CHECK(f.column("b").dtype() == DType::String);
    CHECK(f.column("b").string_at(0) == "x y");
    CHECK(f.column("c").dtype() == DType::Float64);
    CHECK(f.column("c").float64_at(0) == 2.5);
    CHECK(f.column("c").float64_at(1) == 4.0);
  }
}

TEST_CASE("csv: RFC 4180 quoting", "[csv]") {
  DataFrame f = parse(
      "id,text\n"
      "1,\"hello, world\"\n"
      "2,\"she said \"\"hi\"\"\"\n"
      "3,\"two\nlines\"\n"
      "4,\"crlf\r\ninside\"\n"
      "5,\"\"\"\"\n"
      "6,it's a \"bare\" quote\n"
      "7,\"caf\xC3\xA9 \xE2\x80\x99\"\n");
  const Column& t = f.column("text");
  REQUIRE(f.num_rows() == 7);
  CHECK(t.string_at(0) == "hello, world");
  CHECK(t.string_at(1) == "she said \"hi\"");
  CHECK(t.string_at(2) == "two\nlines");
  CHECK(t.string_at(3) == "crlf\r\ninside");
  CHECK(t.string_at(4) == "\"");
  CHECK(t.string_at(5) == "it's a \"bare\" quote");
  CHECK(t.string_at(6) == "caf\xC3\xA9 \xE2\x80\x99");
}

TEST_CASE("csv: header names", "[csv]") {
  DataFrame f = parse("a,,\"b,c\",\"\"\n1,2,3,4\n");
  CHECK(f.column_names() == std::vector<std::string>{"a", "Unnamed: 1", "b,c", "Unnamed: 3"});
  DataFrame only = parse("x,y\n");
  CHECK(only.shape() == std::make_pair(size_t{0}, size_t{2}));
  CHECK(only.column("x").dtype() == DType::String);
}

TEST_CASE("csv: type inference", "[csv]") {
  DataFrame f = parse(
      "i,f,big,s,b,mixed,lead,nulls,sci,neg\n"
      "1,1,9223372036854775807,x,True,1,007,,1e3,-5\n"
      "+2,2.5,9223372036854775808,y,false,True,10,NA,-2.5E-3,-0\n"
      " 3 ,-3,1,z,TRUE,2,abc,nan,inf,+7\n");
  CHECK(f.column("i").dtype() == DType::Int64);
  CHECK(f.column("i").int64_at(1) == 2);
  CHECK(f.column("i").int64_at(2) == 3);
  CHECK(f.column("f").dtype() == DType::Float64);
  CHECK(f.column("f").float64_at(2) == -3.0);
  CHECK(f.column("big").dtype() == DType::Float64);  // past int64: float64
  CHECK(f.column("s").dtype() == DType::String);
  CHECK(f.column("b").dtype() == DType::Bool);
  CHECK(f.column("b").bool_at(0));
  CHECK_FALSE(f.column("b").bool_at(1));
  CHECK(f.column("b").bool_at(2));
  // Numbers and booleans mixed: text, each value with its original spelling.
  CHECK(f.column("mixed").dtype() == DType::String);
  CHECK(f.column("mixed").to_strings() == std::vector<std::string>{"1", "True", "2"});
  // Integers first, text later: the column is re-read so "007" keeps its zeros.
  CHECK(f.column("lead").dtype() == DType::String);
  CHECK(f.column("lead").to_strings() == std::vector<std::string>{"007", "10", "abc"});
  CHECK(f.column("nulls").dtype() == DType::Float64);
  CHECK(f.column("nulls").null_count() == 3);
  CHECK(f.column("sci").float64_at(0) == 1000.0);
  CHECK(f.column("sci").float64_at(1) == -2.5e-3);
  CHECK(std::isinf(f.column("sci").float64_at(2)));
  CHECK(f.column("neg").dtype() == DType::Int64);
  CHECK(f.column("neg").int64_at(2) == 7);
}

TEST_CASE("csv: booleans then numbers, and escaped quotes, re-read as text as pandas does",
          "[csv]") {
  // pandas 1.5: three object columns, ['True', '5', '1.5'], ['1', 'a"b"', '2'], ['False', nan,
  // 'x'].
  DataFrame f = parse("x,y,z\nTrue,1,False\n5,\"a\"\"b\"\"\",\n1.5,2,x\n");
  for (const char* name : {"x", "y", "z"}) CHECK(f.column(name).dtype() == DType::String);
  CHECK(f.column("x").to_strings() == std::vector<std::string>{"True", "5", "1.5"});
  CHECK(f.column("y").to_strings() == std::vector<std::string>{"1", "a\"b\"", "2"});
  CHECK(f.column("z").is_null(1));
  CHECK(f.column("z").string_at(2) == "x");
}

TEST_CASE("csv: re-read of a column turning to text also works from a file", "[csv]") {
  std::string big = "code,n\n";
  for (int i = 0; i < 200000; ++i)
    big += "00" + std::to_string(i % 10) + "," + std::to_string(i) + "\n";
  big += "x1,5\n";
  std::string path = temp_file("rescan.csv", big);
  DataFrame f = read_csv(path);
  std::remove(path.c_str());
  REQUIRE(f.num_rows() == 200001);
  CHECK(f.column("code").dtype() == DType::String);
  CHECK(f.column("code").string_at(0) == "000");
  CHECK(f.column("code").string_at(123457) == "007");
  CHECK(f.column("code").string_at(200000) == "x1");
  CHECK(f.column("n").dtype() == DType::Int64);
  CHECK(f.column("n").int64_at(199999) == 199999);
}

TEST_CASE("csv: nulls per type are kept in the bitmap", "[csv]") {
  DataFrame f = parse(
      "i,f,s,b\n"
      "1,1.5,x,True\n"
      "#N/A,NaN,,NULL\n"
      "0,0,\"\",False\n"
      "n/a,-nan,None,<NA>\n");
  const Column& i = f.column("i");
  CHECK(i.dtype() == DType::Int64);  // an int column with nulls stays int64
  CHECK(i.null_count() == 2);
  CHECK(i.is_null(1));
  CHECK_FALSE(i.is_null(2));
  CHECK(i.int64_at(2) == 0);  // a real 0, distinct from the null above it
  CHECK(f.column("f").null_count() == 2);
  CHECK(f.column("f").dtype() == DType::Float64);
  const Column& s = f.column("s");
  CHECK(s.dtype() == DType::String);
  CHECK(s.null_count() == 3);  // empty, quoted empty and None are all null, as in pandas
  CHECK(f.column("b").dtype() == DType::Bool);
  CHECK(f.column("b").null_count() == 2);
  CHECK(std::isnan(i.as_double(1)));
  CHECK(i.as_double(2) == 0.0);
}

TEST_CASE("csv: options", "[csv]") {
  CsvOptions semi;
  semi.delimiter = ';';
  DataFrame f = read_csv_buffer("a;b\n1,5;x\n", semi);
  CHECK(f.column("a").string_at(0) == "1,5");
  CsvOptions raw;
  raw.infer_types = false;
  raw.default_na = false;
  raw.na_values = {"missing"};
  DataFrame g = read_csv_buffer("a,b\n1,NA\nmissing,\n", raw);
  CHECK(g.column("a").dtype() == DType::String);
  CHECK(g.column("a").is_null(1));
  CHECK(g.column("b").string_at(0) == "NA");
  CHECK(g.column("b").string_at(1) == "");
  CHECK_FALSE(g.column("b").is_null(1));
}

TEST_CASE("csv: malformed input names file, line and field", "[csv]") {
  struct Case {
    const char* what;
    std::string text;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"too few fields", "a,b,c\n1,2,3\n4,5\n", "t.csv:3:3: expected 3 fields, found 2"},
      {"too many fields", "a,b\n1,2\n3,4,5\n", "t.csv:3:3: expected 2 fields, found 3"},
      {"ragged after a multi-line field", "a,b\n\"x\ny\",1\n2\n",
       "t.csv:4:2: expected 2 fields, found 1"},
      {"ragged line after CRLF rows", "a,b\r\n1,2\r\n1,2,\r\n",
       "t.csv:3:3: expected 2 fields, found 3"},
      {"unterminated quote", "a,b\n1,\"open\n2,3\n",
       "t.csv:2:2: unterminated quoted field (no closing quote before the end of the input)"},
      {"unterminated quote in the header", "\"a,b\n1,2\n",
       "t.csv:1:1: unterminated quoted field (no closing quote before the end of the input)"},
      {"text after a closing quote", "a,b\n1,\"x\"y\n",
       "t.csv:2:2: unexpected character 'y' after the closing quote of a quoted field"},
      {"duplicate header", "a,b,a\n1,2,3\n", "t.csv:1:3: duplicate column name 'a' (also field 1)"},
      {"empty input", "", "t.csv:1:1: empty input: no header row"},
      {"only blank lines", "\n\r\n\n", "t.csv:1:1: empty input: no header row"},
      {"only a BOM", "\xEF\xBB\xBF", "t.csv:1:1: empty input: no header row"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(parse_error(c.text) == c.message);
  }
}

TEST_CASE("csv: file errors", "[csv]") {
  CHECK_THROWS_AS(read_csv("/nonexistent/dir/x.csv"), IoError);
  CHECK_THROWS_WITH(read_csv("/nonexistent/dir/x.csv"), Catch::Contains("/nonexistent/dir/x.csv"));
  CHECK_THROWS_AS(read_csv("/tmp"), IoError);  // a directory cannot be read
  std::string path = temp_file("ragged.csv", "a,b\n1,2\n3\n");
  CHECK_THROWS_WITH(read_csv(path), path + ":3:2: expected 2 fields, found 1");
  std::string empty = temp_file("empty.csv", "");
  CHECK_THROWS_WITH(read_csv(empty), empty + ":1:1: empty input: no header row");
  std::remove(path.c_str());
  std::remove(empty.c_str());
}

TEST_CASE("csv: rows longer than a read block and errors far into a file", "[csv]") {
  std::string longtext(9 << 20, 'x');  // 9 MiB field: wider than the 4 MiB read block
  std::string content = "id,text\n1,\"" + longtext + "\"\n2,short\n";
  for (int i = 0; i < 100000; ++i) content += std::to_string(i) + ",t\n";
  content += "1,2,3\n";
  std::string path = temp_file("long.csv", content);
  CHECK_THROWS_WITH(read_csv(path), path + ":100004:3: expected 2 fields, found 3");
  content.resize(content.size() - 6);
  std::ofstream(path, std::ios::binary) << content;
  DataFrame f = read_csv(path);
  std::remove(path.c_str());
  REQUIRE(f.num_rows() == 100002);
  CHECK(f.column("text").string_at(0).size() == longtext.size());
  CHECK(f.column("text").string_at(1) == "short");
}
