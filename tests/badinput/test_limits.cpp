// The documented resource bounds (docs/limits.md) through the C++ API, with small custom limits:
// each is enforced with a message naming it, and the bound itself is still accepted.
#include <fstream>

#include "badinput/corpus.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/io/model_file.hpp"

using Catch::Matchers::Contains;
using claimlens::CsvOptions;
using claimlens::read_csv;
using claimlens::read_csv_buffer;
using namespace claimlens::testing;

TEST_CASE("CsvOptions::max_field_bytes: the limit passes, one byte more is a ParseError",
          "[badinput][limits]") {
  CsvOptions o;
  o.max_field_bytes = 8;
  CHECK(read_csv_buffer("a,b\n12345678,\"abcdefgh\"\n", o).num_rows() == 1);
  CHECK_THROWS_AS(read_csv_buffer("a,b\n123456789,x\n", o), claimlens::ParseError);
  CHECK_THROWS_WITH(read_csv_buffer("a,b\n1,123456789\n", o),
                    Contains("<buffer>:2:2: field is longer than the limit of 8 bytes"));
  CHECK_THROWS_WITH(read_csv_buffer("a,b\n1,\"abc\ndefgh\"\n", o),  // 9 bytes across lines
                    Contains("<buffer>:2:2: field is longer than the limit of 8 bytes"));
  CHECK_THROWS_WITH(read_csv_buffer("abcdefghi,b\n1,2\n", o), Contains(":1:1: field is longer"));
  o.max_field_bytes = 0;
  CHECK_THROWS_AS(read_csv_buffer("a\n1\n", o), claimlens::InvalidArgument);
}

TEST_CASE("the field limit stops the streaming file reader before it widens its block",
          "[badinput][limits]") {
  // 6 MiB in one field, past the 4 MiB block: rejected at a 5 MiB limit, accepted at 7 MiB.
  TempDir dir;
  const std::string path = dir.file("wide.csv");
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,text\n1,\"" << std::string(size_t{6} << 20, 'z') << "\"\n2,short\n";
  }
  CsvOptions o;
  o.max_field_bytes = size_t{5} << 20;
  CHECK_THROWS_WITH(read_csv(path, o), Contains(path + ":2:2: field is longer than the limit"));
  o.max_field_bytes = size_t{7} << 20;
  const claimlens::DataFrame f = read_csv(path, o);
  CHECK(f.num_rows() == 2);
  CHECK(f.column("text").string_at(0).size() == (size_t{6} << 20));
}

TEST_CASE("CsvOptions::max_columns: header and rows", "[badinput][limits]") {
  CsvOptions o;
  o.max_columns = 3;
  CHECK(read_csv_buffer("a,b,c\n1,2,3\n", o).num_columns() == 3);
  CHECK_THROWS_WITH(read_csv_buffer("a,b,c,d\n1,2,3,4\n", o),
                    Contains("<buffer>:1:4: more than the limit of 3 fields in a row"));
  // A data row past the limit is reported as the limit, not as a ragged row.
  CHECK_THROWS_WITH(read_csv_buffer("a,b\n1,2,3,4,5\n", o), Contains(":2:4: more than the limit"));
}

TEST_CASE("ensemble parameters: n_estimators and max_depth bounds", "[badinput][limits]") {
  using claimlens::kMaxEstimators;
  using claimlens::kMaxTreeDepth;
  claimlens::RandomForestParams rf;
  rf.n_estimators = kMaxEstimators;
  rf.max_depth = kMaxTreeDepth;
  CHECK_NOTHROW(rf.validate());
  rf.n_estimators = kMaxEstimators + 1;
  CHECK_THROWS_WITH(rf.validate(),
                    Contains("'params.n_estimators' must be from 1 to 100000, not 100001"));
  rf.n_estimators = 10;
  rf.max_depth = kMaxTreeDepth + 1;
  CHECK_THROWS_WITH(rf.validate(),
                    Contains("'params.max_depth' must be null or from 1 to 1024, not 1025"));
  claimlens::GradientBoostingParams gb;
  gb.n_estimators = kMaxEstimators;
  gb.max_depth = kMaxTreeDepth;
  CHECK_NOTHROW(gb.validate());
  gb.max_depth = 0;  // unlimited
  CHECK_NOTHROW(gb.validate());
  gb.max_depth = kMaxTreeDepth + 1;
  CHECK_THROWS_WITH(gb.validate(), Contains("'params.max_depth' must be from 0 to 1024, not 1025"));
  gb.max_depth = 6;
  gb.n_estimators = kMaxEstimators + 1;
  CHECK_THROWS_AS(gb.validate(), claimlens::InvalidArgument);
}

TEST_CASE("ModelLimits: size, nesting, values and string length of a model document",
          "[badinput][limits]") {
  const std::string valid = read_text_file(bad_dir() + "/model_valid_gradient_boosting.json");
  CHECK_NOTHROW(claimlens::io::decode_model(valid));
  claimlens::io::ModelLimits small;
  small.max_bytes = valid.size() - 1;
  CHECK_THROWS_WITH(claimlens::io::decode_model(valid, small),
                    Contains("exceeds ModelLimits::max_bytes"));
  small = {};
  small.max_depth = 3;
  CHECK_THROWS_WITH(claimlens::io::decode_model(valid, small), Contains("ModelLimits::max_depth"));
  small = {};
  small.max_values = 10;
  CHECK_THROWS_WITH(claimlens::io::decode_model(valid, small), Contains("ModelLimits::max_values"));
  small = {};
  small.max_string_bytes = 4;
  CHECK_THROWS_WITH(claimlens::io::decode_model(valid, small),
                    Contains("ModelLimits::max_string_bytes"));
}
