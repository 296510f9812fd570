// Parity with pandas / numpy / scipy on the real data (after dropna), against
// tests/fixtures/scipy_stats.json written by tests/fixtures/scripts/scipy_stats.py.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "claimlens/stats/stats.hpp"
#include "real_data.hpp"
#include "stats_testing.hpp"

using namespace claimlens;
using namespace claimlens::stats;
using claimlens::testing::close;
using claimlens::testing::num;
using claimlens::testing::nums;
using claimlens::testing::real_columns_dropna;
using claimlens::testing::stats_fixture;

namespace {

const std::vector<double>& column(const std::string& name) {
  return real_columns_dropna().numbers.at(name);
}

// The view counts of one verified_status group.
std::vector<double> views_of(const std::string& group) {
  const auto& data = real_columns_dropna();
  const auto& status = data.texts.at("verified_status");
  const auto& views = data.numbers.at("video_view_count");
  std::vector<double> out;
  for (std::size_t i = 0; i < views.size(); ++i) {
    if (status[i] == group) out.push_back(views[i]);
  }
  return out;
}

void check_ttest(const TTestResult& r, const nlohmann::json& want, double rel) {
  CHECK(close(r.statistic, num(want["statistic"]), rel));
  CHECK(close(r.df, num(want["df"]), rel));
  CHECK(close(r.p_value, num(want["p_value"]), rel));
}

}  // namespace

TEST_CASE("parity: the real data after dropna has the fixture's row count") {
  CHECK(real_columns_dropna().rows == stats_fixture()["rows"].get<std::size_t>());
}

TEST_CASE("parity: Welch's t-test of views, not verified vs verified (the seed's test)") {
  const auto& f = stats_fixture()["ttest"];
  const std::vector<double> a = views_of("not verified");
  const std::vector<double> b = views_of("verified");
  REQUIRE(a.size() == f["n_a"].get<std::size_t>());
  REQUIRE(b.size() == f["n_b"].get<std::size_t>());
  const TTestResult welch = welch_ttest(a, b);
  check_ttest(welch, f["welch"]["two-sided"], 1e-9);
  INFO("t = " << welch.statistic << ", df = " << welch.df << ", p = " << welch.p_value);
  CHECK(close(welch.statistic, num(f["welch"]["two-sided"]["statistic"]), 1e-12));
  CHECK(close(welch.df, num(f["welch"]["two-sided"]["df"]), 1e-12));
  for (const char* test : {"welch", "student"}) {
    for (const char* alt : {"two-sided", "less", "greater"}) {
      INFO(test << " " << alt);
      check_ttest(ttest_ind(a, b, std::string(test) == "student", alternative_from_name(alt)),
                  f[test][alt], 1e-9);
    }
  }
}

TEST_CASE("parity: one-sample t-test and t intervals") {
  const auto& f = stats_fixture()["ttest"];
  const std::vector<double> b = views_of("verified");
  for (const char* alt : {"two-sided", "less", "greater"}) {
    INFO(alt);
    check_ttest(ttest_1samp(b, num(f["one_sample"]["popmean"]), alternative_from_name(alt)),
                f["one_sample"][alt], 1e-9);
  }
  for (const auto& c : f["intervals"]) {
    const Interval i = mean_confidence_interval(views_of(c["group"]), num(c["confidence"]));
    INFO(c["group"].get<std::string>() << " " << num(c["confidence"]));
    CHECK(close(i.low, num(c["low"]), 1e-12));
    CHECK(close(i.high, num(c["high"]), 1e-12));
  }
}

TEST_CASE("parity: descriptive statistics of the numeric columns") {
  for (const auto& [name, want] : stats_fixture()["descriptive"].items()) {
    const std::vector<double>& x = column(name);
    INFO(name);
    CHECK(close(sum(x), num(want["sum"])));
    CHECK(close(mean(x), num(want["mean"])));
    CHECK(close(variance(x, 0), num(want["var0"])));
    CHECK(close(variance(x, 1), num(want["var1"])));
    CHECK(close(stddev(x, 1), num(want["std1"])));
    CHECK(close(sem(x), num(want["sem"])));
    CHECK(close(median(x), num(want["median"]), 0));
    CHECK(close(skew(x), num(want["skew_pandas"])));
    CHECK(close(skew(x, true), num(want["skew_scipy"])));
    CHECK(min(x) == num(want["min"]));
    CHECK(max(x) == num(want["max"]));
    CHECK(close(iqr(x), num(want["iqr"])));
  }
}

TEST_CASE("parity: quantiles with every numpy method") {
  const auto& f = stats_fixture()["quantiles"];
  const std::vector<double> qs = nums(f["qs"]);
  for (const auto& [method, per_column] : f["methods"].items()) {
    for (const auto& [name, want] : per_column.items()) {
      const std::vector<double> got =
          quantiles(column(name), qs, quantile_method_from_name(method));
      for (std::size_t i = 0; i < qs.size(); ++i) {
        INFO(method << " " << name << " q=" << qs[i]);
        CHECK(close(got[i], num(want[i])));
      }
    }
  }
}

TEST_CASE("parity: Pearson and Spearman matrices of the numeric columns") {
  const auto& f = stats_fixture()["correlation"];
  std::vector<std::string> names;
  std::vector<Span<const double>> columns;
  for (const auto& n : f["columns"]) {
    names.push_back(n.get<std::string>());
    columns.emplace_back(column(names.back()));
  }
  for (const char* method : {"pearson", "spearman"}) {
    const RowMatrix m = corr_matrix(columns, corr_method_from_name(method), names);
    for (std::size_t i = 0; i < names.size(); ++i) {
      for (std::size_t j = 0; j < names.size(); ++j) {
        INFO(method << " " << names[i] << " x " << names[j]);
        CHECK(close(m(i, j), num(f[method][i][j]), 1e-12, 1e-15));
      }
    }
  }
}

TEST_CASE("parity: chi-square tests of independence") {
  const auto& data = real_columns_dropna();
  for (const auto& [key, f] : stats_fixture()["chi2"].items()) {
    const ContingencyTable table = crosstab(data.texts.at(f["row"].get<std::string>()),
                                            data.texts.at(f["col"].get<std::string>()));
    CHECK(table.row_labels == f["row_labels"].get<std::vector<std::string>>());
    CHECK(table.col_labels == f["col_labels"].get<std::vector<std::string>>());
    for (Eigen::Index i = 0; i < table.counts.rows(); ++i) {
      for (Eigen::Index j = 0; j < table.counts.cols(); ++j) {
        CHECK(table.counts(i, j) == num(f["observed"][i][j]));
      }
    }
    for (const char* variant : {"pearson", "pearson_uncorrected", "log_likelihood"}) {
      INFO(key << " " << variant);
      const auto& want = f[variant];
      const ChiSquareResult r = chi2_contingency(
          table.counts, std::string(variant) != "pearson_uncorrected",
          std::string(variant) == "log_likelihood" ? ChiSquareStatistic::LogLikelihood
                                                   : ChiSquareStatistic::Pearson);
      CHECK(close(r.statistic, num(want["statistic"])));
      CHECK(close(r.p_value, num(want["p_value"]), 1e-9));
      CHECK(r.dof == want["dof"].get<std::size_t>());
      for (Eigen::Index i = 0; i < r.expected.rows(); ++i) {
        for (Eigen::Index j = 0; j < r.expected.cols(); ++j) {
          CHECK(close(r.expected(i, j), num(want["expected"][i][j])));
        }
      }
    }
  }
}

TEST_CASE("parity: IQR caps of like and comment counts") {
  for (const auto& [name, f] : stats_fixture()["iqr_caps"].items()) {
    INFO(name);
    const std::vector<double>& x = column(name);
    const IqrFences fences = iqr_fences(x);
    CHECK(close(fences.q1, num(f["q1"])));
    CHECK(close(fences.q3, num(f["q3"])));
    CHECK(close(fences.iqr, num(f["iqr"])));
    CHECK(close(fences.lower, num(f["lower"])));
    CHECK(close(fences.upper, num(f["upper"])));
    CHECK(count_outliers(x, fences, Tail::Upper) == f["n_above"].get<std::size_t>());
    CHECK(count_outliers(x, fences, Tail::Lower) == f["n_below"].get<std::size_t>());
    const std::vector<double> capped = cap_outliers(x, fences, Tail::Upper);
    CHECK(close(sum(capped), num(f["capped_sum"])));
    CHECK(close(mean(capped), num(f["capped_mean"])));
    CHECK(close(stddev(capped, 1), num(f["capped_std"])));
    CHECK(max(capped) == num(f["capped_max"]));
    const auto positions = f["positions"].get<std::vector<std::size_t>>();
    for (std::size_t k = 0; k < positions.size(); ++k) {
      CHECK(capped[positions[k]] == num(f["capped_at"][k]));
    }
  }
}
