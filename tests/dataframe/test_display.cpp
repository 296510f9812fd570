// Every dtype through pandas' display paths, on a small frame and its empty slices
// (tests/fixtures/pandas_describe.json, "small": written by pandas_describe.py).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/dataframe.hpp"
#include "support/paths.hpp"

using namespace claimlens;
using nlohmann::json;

namespace {

const json& small() {
  static const json j =
      json::parse(testing::read_text_file(testing::fixture_path("pandas_describe.json")))["small"];
  return j;
}

DataFrame small_frame() {
  return read_csv_buffer(small()["csv"].get<std::string>(), {}, "<small>");
}

std::string expected(const char* key) {
  return small()[key].get<std::string>();
}

}  // namespace

TEST_CASE("display of every dtype equals pandas': to_string, info, describe, value_counts") {
  const DataFrame f = small_frame();
  std::vector<std::string> dtypes;
  for (const auto& name : f.column_names()) dtypes.push_back(dtype_name(f.column(name).dtype()));
  CHECK(dtypes == small()["dtypes"].get<std::vector<std::string>>());
  CHECK(f.to_string() == expected("to_string"));
  CHECK(f.info() == expected("info"));
  CHECK(f.describe().to_string() == expected("describe"));
  for (const auto& name : f.column_names()) {
    INFO(name);
    CHECK(f.value_counts(name).to_string() == small()["value_counts"][name].get<std::string>());
  }
}

TEST_CASE("display of empty frames equals pandas': no rows, no columns") {
  const DataFrame f = small_frame();
  CHECK(f.head(0).to_string() == expected("empty_rows_to_string"));
  CHECK(f.head(0).info() == expected("empty_rows_info"));
  const DataFrame none = f.select({});
  CHECK(none.to_string() == expected("no_columns_to_string"));
  CHECK(none.info() == expected("no_columns_info"));
}
