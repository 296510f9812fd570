// stats on DataFrame columns: the seed's calls on the real frame, and bad frames.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/stats/stats.hpp"
#include "real_data.hpp"
#include "stats_testing.hpp"

using namespace claimlens;
using namespace claimlens::stats;
using claimlens::testing::close;
using claimlens::testing::num;
using claimlens::testing::real_frame_dropna;
using claimlens::testing::stats_fixture;

TEST_CASE("frame: corr over the numeric columns equals pandas' df.corr()") {
  const auto& f = stats_fixture()["correlation"];
  for (const char* method : {"pearson", "spearman"}) {
    const CorrelationMatrix m = corr(real_frame_dropna(), corr_method_from_name(method));
    REQUIRE(m.columns == f["columns"].get<std::vector<std::string>>());
    for (std::size_t i = 0; i < m.columns.size(); ++i) {
      for (std::size_t j = 0; j < m.columns.size(); ++j) {
        CHECK(close(m.values(i, j), num(f[method][i][j]), 1e-12, 1e-15));
      }
    }
  }
}

TEST_CASE("frame: Welch's t-test of views by verified status") {
  const auto& want = stats_fixture()["ttest"]["welch"]["two-sided"];
  const TTestResult r = ttest_by_group(real_frame_dropna(), "video_view_count", "verified_status",
                                       "not verified", "verified");
  CHECK(close(r.statistic, num(want["statistic"]), 1e-9));
  CHECK(close(r.df, num(want["df"]), 1e-9));
  CHECK(close(r.p_value, num(want["p_value"]), 1e-9));
}

TEST_CASE("frame: chi-square of claim_status x author_ban_status") {
  const auto& want = stats_fixture()["chi2"]["claim_x_ban"]["pearson"];
  const ChiSquareResult r =
      chi2_contingency(real_frame_dropna(), "claim_status", "author_ban_status");
  CHECK(close(r.statistic, num(want["statistic"])));
  CHECK(close(r.p_value, num(want["p_value"]), 1e-9));
  CHECK(r.dof == want["dof"].get<std::size_t>());
}

TEST_CASE("frame: capping like and comment counts at the upper fence") {
  const auto& f = stats_fixture()["iqr_caps"];
  const std::vector<std::string> cols{"video_like_count", "video_comment_count"};
  const DataFrame capped = cap_outliers(real_frame_dropna(), cols, Tail::Upper);
  CHECK(capped.num_rows() == real_frame_dropna().num_rows());
  for (const auto& name : cols) {
    INFO(name);
    CHECK(close(iqr_fences(real_frame_dropna(), name).upper, num(f[name]["upper"])));
    const Column& c = capped.column(name);
    CHECK(c.dtype() == DType::Float64);
    const std::vector<double> values = c.to_doubles();
    CHECK(close(sum(values), num(f[name]["capped_sum"])));
    CHECK(max(values) == num(f[name]["capped_max"]));
  }
  // other columns untouched
  CHECK(capped.column("video_view_count").equals(real_frame_dropna().column("video_view_count")));
}

TEST_CASE("frame: nulls are skipped and bad columns are refused") {
  DataFrame frame;
  frame.add_column("group", Column::from_strings({"a", "b", "a", "b", "a", "b", "c"},
                                                 {true, true, true, true, true, false, true}));
  frame.add_column("value", Column::from_float64({1.0, 2.0, 3.0, 5.0, 8.0, 100.0, 4.0},
                                                 {true, true, false, true, true, true, true}));
  frame.add_column("label", Column::from_strings({"x", "y", "x", "x", "y", "y", "y"}));
  frame.add_column("count", Column::from_int64({1, 2, 3, 4, 5, 6, 7}));
  // group null at row 5, value null at row 2: a = {1, 8}, b = {2, 5}
  const std::vector<double> a{1.0, 8.0}, b{2.0, 5.0};
  const TTestResult r = ttest_by_group(frame, "value", "group", "a", "b");
  CHECK(r.statistic == ttest_ind(a, b, false).statistic);
  const ContingencyTable t = crosstab(frame, "group", "label");
  CHECK(t.row_labels == std::vector<std::string>{"a", "b", "c"});
  CHECK(t.counts.sum() == 6);  // the null group is left out
  CHECK(numeric_columns(frame) == std::vector<std::string>{"value", "count"});

  CHECK_THROWS_AS(ttest_by_group(frame, "missing", "group", "a", "b"), SchemaError);
  CHECK_THROWS_WITH(ttest_by_group(frame, "label", "group", "a", "b"),
                    "stats::ttest_by_group: column 'label' is object, not numeric");
  CHECK_THROWS_WITH(ttest_by_group(frame, "value", "count", "a", "b"),
                    "stats::ttest_by_group: column 'count' is int64, not a string column");
  CHECK_THROWS_WITH(ttest_by_group(frame, "value", "group", "a", "z"),
                    "stats::ttest_by_group: no row of column 'group' equals 'z'");
  CHECK_THROWS_WITH(crosstab(frame, "group", "value"),
                    "stats::crosstab: column 'value' is float64, not a string column");
  CHECK_THROWS_WITH(corr(frame, std::vector<std::string>{"value", "label"}),
                    "stats::corr: column 'label' is object, not numeric");
  DataFrame text_only;
  text_only.add_column("s", Column::from_strings({"p", "q"}));
  CHECK_THROWS_WITH(corr(text_only), "stats::corr: the frame has no numeric column");
  CHECK_THROWS_AS(cap_outliers(frame, {"label"}, Tail::Upper), SchemaError);
}
