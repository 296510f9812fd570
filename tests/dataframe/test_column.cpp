// Column and ColumnBuilder: every dtype through each accessor, the raw views, take/filter, and
// the wrong-dtype and out-of-range refusals.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/dataframe/column.hpp"
#include "claimlens/error.hpp"

using namespace claimlens;

namespace {

// One column of each dtype, three rows, the middle one null.
std::vector<Column> one_of_each() {
  return {Column::from_int64({7, 0, -3}, {true, false, true}),
          Column::from_float64({1.5, NAN, -2.25}),
          Column::from_strings({"a", "", "ccc"}, {true, false, true}),
          Column::from_bool({true, false, false}, {true, false, true})};
}

}  // namespace

TEST_CASE("dtype names are pandas' (object for strings)") {
  CHECK(std::string(dtype_name(DType::Int64)) == "int64");
  CHECK(std::string(dtype_name(DType::Float64)) == "float64");
  CHECK(std::string(dtype_name(DType::String)) == "object");
  CHECK(std::string(dtype_name(DType::Bool)) == "bool");
}

TEST_CASE("each dtype: values, nulls, raw views and exactly its own accessors") {
  const auto columns = one_of_each();
  const Column& ints = columns[0];
  const Column& doubles = columns[1];
  const Column& strings = columns[2];
  const Column& bools = columns[3];
  for (const Column& c : columns) {
    INFO(dtype_name(c.dtype()));
    CHECK(c.size() == 3);
    CHECK(c.null_count() == 1);
    CHECK(c.validity() == std::vector<bool>{true, false, true});
    CHECK(c.memory_usage() > 0);
    CHECK_THROWS_AS(c.is_null(3), InvalidArgument);
    if (c.dtype() != DType::Int64) CHECK_THROWS_AS(c.int64_values(), SchemaError);
    if (c.dtype() != DType::Float64) CHECK_THROWS_AS(c.float64_values(), SchemaError);
    if (c.dtype() != DType::Bool) CHECK_THROWS_AS(c.bool_values(), SchemaError);
    if (c.dtype() != DType::String) {
      CHECK_THROWS_AS(c.string_offsets(), SchemaError);
      CHECK_THROWS_AS(c.string_chars(), SchemaError);
      CHECK_THROWS_AS(c.to_strings(), SchemaError);
    }
  }
  CHECK(ints.int64_values()[0] == 7);
  CHECK(ints.int64_values()[2] == -3);
  CHECK(doubles.float64_values()[2] == -2.25);
  CHECK(bools.bool_values()[0] == 1);
  CHECK(bools.bool_values()[2] == 0);
  CHECK(strings.string_chars() == "accc");
  const auto offsets = strings.string_offsets();
  CHECK(std::vector<std::uint64_t>(offsets.begin(), offsets.end()) ==
        std::vector<std::uint64_t>{0, 1, 1, 4});
  CHECK(strings.to_strings() == std::vector<std::string>{"a", "", "ccc"});
  CHECK(bools.as_double(0) == 1.0);
  CHECK(std::isnan(bools.as_double(1)));
}

TEST_CASE("take and filter keep values and nulls, bad rows and masks are refused") {
  for (const Column& c : one_of_each()) {
    INFO(dtype_name(c.dtype()));
    const std::vector<size_t> rows{2, 1, 2};
    const Column taken = c.take(rows);
    CHECK(taken.size() == 3);
    CHECK(taken.null_count() == 1);
    CHECK(taken.is_null(1));
    CHECK(taken.take(std::vector<size_t>{0}).equals(c.take(std::vector<size_t>{2})));
    const Column kept = c.filter({true, true, false});
    CHECK(kept.equals(c.take(std::vector<size_t>{0, 1})));
    CHECK_FALSE(kept.equals(c));
    CHECK_THROWS_WITH(c.filter({true}), Catch::Contains("mask has 1 entries for a column of 3"));
    CHECK_THROWS_AS(c.take(std::vector<size_t>{0, 3}), InvalidArgument);
  }
  const auto columns = one_of_each();
  CHECK_FALSE(columns[0].equals(columns[1]));  // another dtype
}

TEST_CASE("ColumnBuilder refuses values of another dtype, naming both") {
  ColumnBuilder ints(DType::Int64);
  CHECK_THROWS_WITH(ints.append_float64(1.0), Catch::Contains("append_float64 on a non-float64"));
  CHECK_THROWS_WITH(ints.append_string("x"), Catch::Contains("append_string on a non-string"));
  CHECK_THROWS_WITH(ints.append_bool(true), Catch::Contains("append_bool on a non-bool"));
  ColumnBuilder doubles(DType::Float64);
  CHECK_THROWS_WITH(doubles.append_int64(1), Catch::Contains("append_int64 on a non-int64"));
  const Column strings = Column::from_strings({"x"});
  CHECK_THROWS_WITH(ints.append_from(strings, 0),
                    Catch::Contains("cannot append a object value to a int64 column"));

  // Moving a builder hands over what it holds.
  ints.append_int64(4);
  ints.append_null();
  ColumnBuilder moved(DType::Bool);
  moved = std::move(ints);
  CHECK(moved.dtype() == DType::Int64);
  CHECK(moved.size() == 2);
  const Column done = moved.finish();
  CHECK(done.int64_at(0) == 4);
  CHECK(done.is_null(1));
}
