// Column and DataFrame operations on small frames.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "support/paths.hpp"

using namespace claimlens;

namespace {

DataFrame sample() {
  DataFrame f;
  f.add_column("k", Column::from_strings({"b", "a", "b", "a", "c", ""}, {1, 1, 1, 1, 1, 0}));
  f.add_column("n", Column::from_int64({3, 1, 3, 5, 7, 2}, {1, 1, 1, 0, 1, 1}));
  f.add_column("x", Column::from_float64({0.5, 1.5, 0.5, 2.5, std::nan(""), 4.0}));
  f.add_column("t", Column::from_bool({true, false, true, true, false, true}));
  return f;
}

}  // namespace

TEST_CASE("column: construction, nulls and typed access", "[column]") {
  Column i = Column::from_int64({1, 0, 3}, {true, false, true});
  CHECK(i.dtype() == DType::Int64);
  CHECK(i.size() == 3);
  CHECK(i.null_count() == 1);
  CHECK(i.is_null(1));
  CHECK(std::isnan(i.as_double(1)));
  CHECK(i.as_double(2) == 3.0);
  CHECK_THROWS_AS(i.float64_at(0), SchemaError);
  CHECK_THROWS_WITH(i.string_at(0), "Column::string_at: the column is int64, not object");
  CHECK_THROWS_WITH(i.int64_at(3), "Column: row 3 out of range for a column of 3 rows");
  Column f = Column::from_float64({1.0, std::nan(""), 2.0});
  CHECK(f.null_count() == 1);  // NaN counts as null
  Column s = Column::from_strings({"", "x", ""}, {true, true, false});
  CHECK(s.string_at(0) == "");
  CHECK_FALSE(s.is_null(0));  // "" is a value, the null is distinct
  CHECK(s.is_null(2));
  CHECK(s.to_strings() == std::vector<std::string>{"", "x", ""});
  CHECK_THROWS_AS(s.as_double(0), SchemaError);
  CHECK_THROWS_AS(s.to_doubles(), SchemaError);
  Column b = Column::from_bool({true, false});
  CHECK(b.to_doubles() == std::vector<double>{1.0, 0.0});
  CHECK_THROWS_WITH(Column::from_int64({1, 2}, {true}),
                    "Column::from_int64: valid has 1 entries for 2 values");
  std::vector<size_t> rows = {2, 0, 2};
  Column t = s.take(rows);
  CHECK(t.size() == 3);
  CHECK(t.is_null(0));
  CHECK(t.string_at(1) == "");
  CHECK(t.is_null(2));
  std::vector<size_t> bad = {5};
  CHECK_THROWS_AS(s.take(bad), InvalidArgument);
  CHECK(s.string_offsets().size() == 4);
  CHECK(s.string_chars() == "x");
  CHECK(i.equals(Column::from_int64({1, 7, 3}, {true, false, true})));
  CHECK_FALSE(i.equals(Column::from_int64({1, 7, 3})));
  CHECK(std::string(dtype_name(DType::String)) == "object");
}

TEST_CASE("frame: columns, select, drop, add", "[frame]") {
  DataFrame f = sample();
  CHECK(f.shape() == std::make_pair(size_t{6}, size_t{4}));
  CHECK(f.has_column("n"));
  CHECK_THROWS_WITH(f.column("missing"), "DataFrame: no column named 'missing'");
  CHECK_THROWS_AS(f.column(9), InvalidArgument);
  CHECK_THROWS_WITH(f.add_column("n", Column::from_int64({1, 2, 3, 4, 5, 6})),
                    "DataFrame::add_column: a column named 'n' already exists");
  CHECK_THROWS_WITH(f.add_column("z", Column::from_int64({1})),
                    "DataFrame::add_column: column 'z' has 1 rows, the frame has 6");
  DataFrame s = f.select({"x", "k"});
  CHECK(s.column_names() == std::vector<std::string>{"x", "k"});
  CHECK_THROWS_AS(f.select({"nope"}), SchemaError);
  DataFrame d = f.drop({"k", "t"});
  CHECK(d.column_names() == std::vector<std::string>{"n", "x"});
  CHECK_THROWS_AS(f.drop({"nope"}), SchemaError);
  // A computed column, as df["y"] = df["x"] * 2.
  std::vector<double> doubled;
  for (double v : f.column("x").to_doubles()) doubled.push_back(v * 2);
  f.add_column("y", Column::from_float64(doubled));
  CHECK(f.column("y").as_double(3) == 5.0);
  CHECK(f.column("y").is_null(4));
  f.set_column("y", Column::from_int64({0, 0, 0, 0, 0, 0}));
  CHECK(f.column("y").dtype() == DType::Int64);
}

TEST_CASE("frame: masks, dropna, head and row labels", "[frame]") {
  DataFrame f = sample();
  CHECK(f.null_counts() == std::vector<size_t>{1, 1, 1, 0});
  DataFrame clean = f.dropna();
  CHECK(clean.num_rows() == 3);
  CHECK(clean.index() == std::vector<size_t>{0, 1, 2});
  DataFrame sub = f.dropna({"n"});
  CHECK(sub.index() == std::vector<size_t>{0, 1, 2, 4, 5});
  DataFrame masked = f.filter({false, true, false, true, false, false});
  CHECK(masked.column("n").is_null(1));
  CHECK(masked.index() == std::vector<size_t>{1, 3});
  CHECK_THROWS_WITH(f.filter({true}),
                    "DataFrame::filter: mask has 1 entries for a frame of 6 rows");
  CHECK(f.head(2).num_rows() == 2);
  CHECK(f.head(100).num_rows() == 6);
  CHECK(f.tail(2).index() == std::vector<size_t>{4, 5});
}

TEST_CASE("frame: stable multi-column sort with nulls last", "[frame]") {
  DataFrame f = sample();
  CHECK(f.argsort({"k"}) == std::vector<size_t>{1, 3, 0, 2, 4, 5});
  CHECK(f.argsort({"k"}, {false}) == std::vector<size_t>{4, 0, 2, 1, 3, 5});
  CHECK(f.argsort({"n"}, {false}) == std::vector<size_t>{4, 0, 2, 5, 1, 3});
  CHECK(f.argsort({"t", "x"}, {true, false}) == std::vector<size_t>{1, 4, 5, 3, 0, 2});
  DataFrame s = f.sort_values("x");
  CHECK(s.column("x").as_double(0) == 0.5);
  CHECK(s.column("x").is_null(5));
  CHECK_THROWS_AS(f.sort_values({"x"}, {true, false}), InvalidArgument);
}

TEST_CASE("frame: groupby aggregations", "[frame]") {
  DataFrame f = sample();
  GroupBy g = f.groupby({"k"});
  CHECK(g.ngroups() == 3);  // the null key is dropped
  DataFrame sum = g.sum();
  CHECK(sum.column_names() == std::vector<std::string>{"k", "n", "x", "t"});
  CHECK(sum.column("k").to_strings() == std::vector<std::string>{"a", "b", "c"});
  CHECK(sum.column("n").dtype() == DType::Int64);
  CHECK(sum.column("n").int64_values()[0] == 1);
  CHECK(sum.column("n").int64_values()[1] == 6);
  CHECK(sum.column("x").float64_at(2) == 0.0);  // all-null group sums to 0
  CHECK(sum.column("t").int64_at(0) == 1);
  DataFrame count = g.count();
  CHECK(count.column("n").int64_at(0) == 1);
  CHECK(count.column("x").int64_at(2) == 0);
  DataFrame mean = g.mean();
  CHECK(mean.column("x").float64_at(0) == 2.0);
  CHECK(mean.column("x").is_null(2));
  DataFrame std = g.std();
  CHECK(std.column("x").float64_at(0) == Approx(std::sqrt(0.5)));
  CHECK(std.column("x").float64_at(1) == 0.0);
  CHECK(std.column("n").is_null(0));  // one value: no spread
  DataFrame med = g.median();
  CHECK(med.column("n").float64_at(1) == 3.0);
  DataFrame mx = g.max();
  CHECK(mx.column("n").int64_at(2) == 7);
  DataFrame custom = g.agg({{"n", Aggregation::Min}, {"n", Aggregation::Max}});
  CHECK(custom.column_names() == std::vector<std::string>{"k", "n_min", "n_max"});
  CHECK_THROWS_WITH(g.agg({{"k", Aggregation::Sum}}),
                    "GroupBy::agg: 'k' is a group key, not a value column");
  DataFrame two;
  two.add_column("s", Column::from_strings({"x", "y"}));
  two.add_column("v", Column::from_strings({"p", "q"}));
  CHECK_THROWS_WITH(two.groupby({"s"}).agg({{"v", Aggregation::Mean}}),
                    "GroupBy::agg: cannot take the mean of object column 'v'");
  CHECK_THROWS_AS(f.groupby({"missing"}), SchemaError);
  CHECK_THROWS_AS(f.groupby({}), InvalidArgument);
  DataFrame multi = f.groupby({"t", "k"}).size();
  CHECK(multi.column("size").int64_values().size() == 4);
}

TEST_CASE("frame: duplicates and value counts", "[frame]") {
  DataFrame f = sample();
  CHECK(f.duplicated() == std::vector<bool>{false, false, true, false, false, false});
  CHECK(f.duplicated_count() == 1);
  DataFrame k = f.select({"k"});
  CHECK(k.duplicated_count() == 2);
  ValueCounts vc = f.value_counts("k");
  CHECK(vc.values == std::vector<std::string>{"b", "a", "c"});  // ties: first appearance
  CHECK(vc.counts == std::vector<size_t>{2, 2, 1});
  CHECK(vc.to_string() == "b    2\na    2\nc    1\nName: k, dtype: int64");
  ValueCounts nums = f.value_counts("x");
  CHECK(nums.values == std::vector<std::string>{"0.5", "1.5", "2.5", "4.0"});
}

TEST_CASE("frame: to_string and describe print like pandas", "[frame]") {
  DataFrame f;
  f.add_column("name", Column::from_strings({"ann", "bob\tx", ""}, {1, 1, 0}));
  f.add_column("v", Column::from_float64({1.5, -20.25, std::nan("")}));
  f.add_column("i", Column::from_int64({7, -3, 1000}));
  CHECK(f.to_string() ==
        "     name      v     i\n"
        "0     ann   1.50     7\n"
        "1  bob\\tx -20.25    -3\n"
        "2     NaN    NaN  1000");
  CHECK(DataFrame().to_string() == "Empty DataFrame\nColumns: []\nIndex: []");
  Description d = f.describe();
  REQUIRE(d.columns.size() == 2);
  CHECK(d.at("v").count == 2);
  CHECK(d.at("v").mean == Approx(-9.375));
  CHECK(d.at("i").q50 == 7.0);
  CHECK_THROWS_AS(d.at("name"), SchemaError);
  CHECK_THROWS_AS(f.select({"name"}).describe(), InvalidArgument);
  DataFrame big;
  big.add_column("x", Column::from_float64({1e7, 2.5}));
  big.add_column("y", Column::from_float64({1e-8, 1}));
  CHECK(big.to_string() ==
        "            x             y\n"
        "0  10000000.0  1.000000e-08\n"
        "1         2.5  1.000000e+00");
}

TEST_CASE("cli: describe reports a malformed file on one line", "[cli]") {
  std::string cli = testing::cli_path();
  if (cli.empty()) return;
  std::string path = "/tmp/claimlens_test_cli_bad.csv";
  std::ofstream(path, std::ios::binary) << "a,b\n1,2\n3\n";
  std::string command = cli + " describe --data " + path + " 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  std::remove(path.c_str());
  CHECK(status != 0);
  CHECK(out == "claimlens describe: " + path + ":3:2: expected 2 fields, found 1\n");
  FILE* missing = popen((cli + " describe 2>&1").c_str(), "r");
  REQUIRE(missing != nullptr);
  out.clear();
  while ((n = fread(buf, 1, sizeof buf, missing)) > 0) out.append(buf, n);
  CHECK(pclose(missing) != 0);
  CHECK(out.find("missing required option --data") != std::string::npos);
}
