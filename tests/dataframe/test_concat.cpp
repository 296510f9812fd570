// concat_rows: frames of one schema one after another (pandas.concat with ignore_index).
#include <catch2/catch.hpp>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"

using namespace claimlens;

TEST_CASE("concat_rows: rows in order, numeric dtypes unified, all-null parts adopt",
          "[dataframe][concat]") {
  const DataFrame a = read_csv_buffer("n,x,s\n1,1,a\n2,,b\n");
  const DataFrame b = read_csv_buffer("n,x,s\n3,2.5,\n");  // x float64, s all null (float64)
  const DataFrame c = concat_rows({a, b}, {"a.csv", "b.csv"});
  REQUIRE(c.num_rows() == 3);
  CHECK(c.column("n").dtype() == DType::Int64);
  CHECK(c.column("n").int64_at(2) == 3);
  CHECK(c.column("x").dtype() == DType::Float64);
  CHECK(c.column("x").float64_at(0) == 1.0);
  CHECK(c.column("x").is_null(1));
  CHECK(c.column("x").float64_at(2) == 2.5);
  CHECK(c.column("s").dtype() == DType::String);
  CHECK(c.column("s").string_at(1) == "b");
  CHECK(c.column("s").is_null(2));
}

TEST_CASE("concat_rows: frames of another schema are refused, naming the sources",
          "[dataframe][concat]") {
  const DataFrame a = read_csv_buffer("n,s\n1,a\n");
  CHECK_THROWS_MATCHES(concat_rows({a, read_csv_buffer("s,n\na,1\n")}, {"a.csv", "b.csv"}),
                       SchemaError,
                       Catch::Matchers::Message("'b.csv' does not have the columns of 'a.csv' "
                                                "(the same names in the same order)"));
  CHECK_THROWS_MATCHES(
      concat_rows({a, read_csv_buffer("n,s\nx,a\n")}, {"a.csv", "b.csv"}), SchemaError,
      Catch::Matchers::Message("column 'n' holds int64 values in 'a.csv' but object in 'b.csv'"));
  CHECK(concat_rows({}, {}).num_rows() == 0);
}
