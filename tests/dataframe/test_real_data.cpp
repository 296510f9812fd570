// The real tiktok_dataset.csv against pandas (tests/fixtures/pandas_describe.json).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "support/paths.hpp"

using namespace claimlens;
using nlohmann::json;

namespace {

const json& fixture() {
  static const json j =
      json::parse(testing::read_text_file(testing::fixture_path("pandas_describe.json")));
  return j;
}

const DataFrame& real() {
  static const DataFrame f = read_csv(testing::real_dataset_path());
  return f;
}

const std::vector<std::string> kCounts = {"video_view_count", "video_like_count",
                                          "video_share_count", "video_download_count",
                                          "video_comment_count"};

bool close(double a, double b, double rel = 1e-12) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b));
}

}  // namespace

TEST_CASE("real data: shape, nulls, dtypes", "[real]") {
  const DataFrame& f = real();
  CHECK(f.num_rows() == 19382);
  CHECK(f.num_columns() == 12);
  CHECK(f.shape().first == fixture()["shape"][0].get<size_t>());
  CHECK(f.column_names() == fixture()["columns"].get<std::vector<std::string>>());
  CHECK(f.null_counts() == fixture()["null_counts"].get<std::vector<size_t>>());
  for (const char* c : {"claim_status", "video_transcription_text"}) {
    CHECK(f.column(c).null_count() == 298);
  }
  for (const auto& c : kCounts) CHECK(f.column(c).null_count() == 298);
  // pandas' dtypes, except that the count columns with nulls stay int64 here (float64 in pandas).
  auto pandas_dtypes = fixture()["dtypes"].get<std::vector<std::string>>();
  for (size_t i = 0; i < f.num_columns(); ++i) {
    const std::string& name = f.column_names()[i];
    bool count_column = std::find(kCounts.begin(), kCounts.end(), name) != kCounts.end();
    INFO(name);
    if (count_column) {
      CHECK(pandas_dtypes[i] == "float64");
      CHECK(f.column(i).dtype() == DType::Int64);
    } else {
      CHECK(dtype_name(f.column(i).dtype()) == pandas_dtypes[i]);
    }
  }
  CHECK(f.column("#").dtype() == DType::Int64);
  CHECK(f.column("video_id").dtype() == DType::Int64);
  CHECK(f.column("video_duration_sec").dtype() == DType::Int64);
  // The UTF-8 text survives byte for byte.
  bool has_curly_quote = false;
  const Column& text = f.column("video_transcription_text");
  for (size_t i = 0; i < f.num_rows() && !has_curly_quote; ++i) {
    has_curly_quote =
        !text.is_null(i) && text.string_at(i).find("\xE2\x80\x99") != std::string::npos;
  }
  CHECK(has_curly_quote);
}

TEST_CASE("real data: dropna and value counts", "[real]") {
  const DataFrame& f = real();
  DataFrame clean = f.dropna();
  CHECK(clean.num_rows() == 19084);
  CHECK(clean.num_rows() == fixture()["dropna_rows"].get<size_t>());
  ValueCounts claims = f.value_counts("claim_status");
  CHECK(claims.values == std::vector<std::string>{"claim", "opinion"});
  CHECK(claims.counts == std::vector<size_t>{9608, 9476});
  for (const char* c : {"claim_status", "verified_status", "author_ban_status"}) {
    INFO(c);
    const json& ref = fixture()["value_counts"][c];
    ValueCounts vc = f.value_counts(c);
    CHECK(vc.values == ref["values"].get<std::vector<std::string>>());
    CHECK(vc.counts == ref["counts"].get<std::vector<size_t>>());
    CHECK(vc.to_string() == ref["text"].get<std::string>());
  }
}

TEST_CASE("real data: describe equals pandas", "[real]") {
  Description d = real().describe();
  const json& ref = fixture()["describe"];
  REQUIRE(d.columns.size() == ref.size());
  for (const auto& c : d.columns) {
    INFO(c.name);
    auto expected = ref[c.name].get<std::vector<double>>();
    auto got = c.values();
    for (size_t k = 0; k < 8; ++k) {
      INFO(Description::kStatNames[k] << ": " << got[k] << " vs " << expected[k]);
      CHECK(close(got[k], expected[k]));
    }
  }
  CHECK(d.to_string() == fixture()["describe_text"].get<std::string>());
  CHECK(real().dropna().describe().to_string() ==
        fixture()["clean_describe_text"].get<std::string>());
}

TEST_CASE("real data: info and head print as pandas", "[real]") {
  DataFrame clean = real().dropna();
  CHECK(clean.info() == fixture()["clean_info_text"].get<std::string>());
  CHECK(real().head(5).info() == fixture()["info_head_text"].get<std::string>());
  CHECK(clean.head(5).to_string() == fixture()["clean_head_text"].get<std::string>());
  CHECK(clean.tail(3).to_string() == fixture()["clean_tail_text"].get<std::string>());
}

TEST_CASE("real data: sort, groupby and duplicates equal pandas", "[real]") {
  DataFrame clean = real().dropna();
  DataFrame sorted = clean.sort_values({"author_ban_status", "video_view_count"}, {true, false});
  auto ids = sorted.column("#").int64_values();
  auto head = fixture()["sorted_ids_head"].get<std::vector<int64_t>>();
  auto tail = fixture()["sorted_ids_tail"].get<std::vector<int64_t>>();
  for (size_t i = 0; i < head.size(); ++i) CHECK(ids[i] == head[i]);
  for (size_t i = 0; i < tail.size(); ++i) CHECK(ids[ids.size() - tail.size() + i] == tail[i]);

  GroupBy g = clean.groupby({"verified_status", "author_ban_status"});
  auto keys = fixture()["group_keys"].get<std::vector<std::vector<std::string>>>();
  REQUIRE(g.ngroups() == keys.size());
  DataFrame sizes = g.size();
  for (size_t i = 0; i < keys.size(); ++i) {
    CHECK(sizes.column("verified_status").string_at(i) == keys[i][0]);
    CHECK(sizes.column("author_ban_status").string_at(i) == keys[i][1]);
    CHECK(sizes.column("size").int64_at(i) == fixture()["group_sizes"][i].get<int64_t>());
  }
  const std::vector<std::pair<std::string, Aggregation>> aggs = {
      {"count", Aggregation::Count},   {"sum", Aggregation::Sum}, {"mean", Aggregation::Mean},
      {"median", Aggregation::Median}, {"min", Aggregation::Min}, {"max", Aggregation::Max},
      {"std", Aggregation::Std}};
  for (const auto& [name, aggregation] : aggs) {
    DataFrame result = g.agg(aggregation);
    CHECK(result.column_names()[0] == "verified_status");
    for (const auto& c : kCounts) {
      auto expected = fixture()["groupby"][name][c].get<std::vector<double>>();
      for (size_t i = 0; i < expected.size(); ++i) {
        INFO(name << " of " << c << " in group " << i);
        CHECK(close(result.column(c).as_double(i), expected[i], 1e-10));
      }
    }
  }
  CHECK(real().duplicated_count() == fixture()["duplicated_all"].get<size_t>());
  CHECK(real().select({"verified_status", "author_ban_status"}).duplicated_count() ==
        fixture()["duplicated_status_pairs"].get<size_t>());
}

TEST_CASE("real data: claimlens describe prints the tables", "[real][cli]") {
  std::string cli = testing::cli_path();
  if (cli.empty()) return;  // built without examples
  std::string command = cli + " describe --data " + testing::real_dataset_path() + " 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  CHECK(status == 0);
  CHECK(out.rfind("shape: (19382, 12)\n", 0) == 0);
  CHECK(out.find(fixture()["describe_text"].get<std::string>()) != std::string::npos);
  for (const char* c : {"claim_status", "verified_status", "author_ban_status"}) {
    CHECK(out.find(fixture()["value_counts"][c]["text"].get<std::string>()) != std::string::npos);
  }
  CHECK(out.find("video_transcription_text\n") == std::string::npos);  // many distinct: no counts
}
