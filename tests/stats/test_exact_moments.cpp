// Means, variances, t-tests and Pearson's r on hard samples (a large common offset plus small
// noise; near-constant samples) against exact rational arithmetic, tests/fixtures/
// exact_moments.json (tests/fixtures/scripts/exact_moments.py, issue 23). On every case claimlens'
// relative error must be at most 1e-12 or the peer's (numpy, pandas, scipy), whichever is larger;
// an exact 0 must come out as 0.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/error.hpp"
#include "claimlens/random.hpp"
#include "claimlens/stats/stats.hpp"
#include "stats_testing.hpp"
#include "support/paths.hpp"

using namespace claimlens;
using namespace claimlens::stats;
using claimlens::testing::num;

namespace {

const nlohmann::json& fixture() {
  static const nlohmann::json f = nlohmann::json::parse(
      claimlens::testing::read_text_file(claimlens::testing::fixture_path("exact_moments.json")));
  return f;
}

// FNV-1a over the little-endian bytes of the doubles, as the script hashes numpy's array.
std::string fnv1a64(const std::vector<double>& x) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (double v : x) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    for (int b = 0; b < 8; ++b) {
      h = (h ^ ((bits >> (8 * b)) & 0xFF)) * 0x100000001b3ULL;
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

// Noise integers k: base + scale * (Irwin-Hall sum of 12 uniform 20-bit integers - 6 * 2^20) +
// mean_units, as the script's noise_values.
std::vector<std::int64_t> noise_values(
    const nlohmann::json& spec, const std::map<std::string, std::vector<std::int64_t>>& done) {
  const auto n = spec["n"].get<std::size_t>();
  const std::int64_t scale = spec.value("scale", std::int64_t{1});
  const std::int64_t mean_units = spec.value("mean_units", std::int64_t{0});
  // SplitMix64 (claimlens/random.hpp), the script's portable generator.
  std::uint64_t state = spec["seed"].get<std::uint64_t>();
  std::vector<std::int64_t> k(n, 0);
  if (spec.contains("base")) k = done.at(spec["base"].get<std::string>());
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t sum = -6 * (std::int64_t{1} << 20);
    for (int u = 0; u < 12; ++u) sum += static_cast<std::int64_t>(splitmix64(state) >> 44);
    k[i] += scale * sum + mean_units;
  }
  return k;
}

// Base value or the next double up, as the script's near_constant_values.
std::vector<double> near_constant_values(const nlohmann::json& spec) {
  const double base = spec["base"].get<double>();
  const double up = std::nextafter(base, INFINITY);
  const auto m = spec["up_one_in"].get<std::uint64_t>();
  std::uint64_t state = spec["seed"].get<std::uint64_t>();
  std::vector<double> x(spec["n"].get<std::size_t>());
  for (double& v : x) v = (m > 0 && splitmix64(state) % m == 0) ? up : base;
  return x;
}

// The samples as the script built them: offset + k * 2^unit_exponent (one rounding), or near
// constant.
const std::map<std::string, std::vector<double>>& samples() {
  static const std::map<std::string, std::vector<double>> all = [] {
    std::map<std::string, std::vector<std::int64_t>> noise;
    // Vectors built on another ("base") second: the JSON object's keys come back sorted.
    for (bool with_base : {false, true}) {
      for (const auto& [name, spec] : fixture()["noise"].items()) {
        if (spec.contains("base") == with_base) noise.emplace(name, noise_values(spec, noise));
      }
    }
    std::map<std::string, std::vector<double>> out;
    const int unit = fixture()["unit_exponent"].get<int>();
    for (const auto& [name, s] : fixture()["samples"].items()) {
      std::vector<double> x;
      if (s.contains("near_constant")) {
        x = near_constant_values(s["near_constant"]);
      } else {
        const double offset = num(s["offset"]);
        for (std::int64_t k : noise.at(s["noise"].get<std::string>())) {
          x.push_back(offset + std::ldexp(static_cast<double>(k), unit));
        }
      }
      out.emplace(name, std::move(x));
    }
    return out;
  }();
  return all;
}

// Relative error of got against the exact value (stored as its nearest double; that rounding,
// <= 1.1e-16, is far below the bounds). An exact 0 allows only 0.
double rel_err(double got, double exact) {
  if (exact == 0) return got == 0 ? 0.0 : INFINITY;
  return std::fabs(got - exact) / std::fabs(exact);
}

struct Check {
  std::string what;
  double got, exact, peer_err;
};

// One CHECK per figure, with everything needed to read a failure.
void check_all(const std::vector<Check>& checks) {
  for (const Check& c : checks) {
    INFO(c.what << ": claimlens " << c.got << ", exact " << c.exact << ", claimlens error "
                << rel_err(c.got, c.exact) << ", peer error " << c.peer_err);
    if (c.exact == 0) {
      CHECK(c.got == 0);
    } else {
      CHECK(rel_err(c.got, c.exact) <= std::max(1e-12, c.peer_err));
    }
  }
}

}  // namespace

TEST_CASE("exact moments: the samples rebuild bit for bit", "[exact]") {
  for (const auto& [name, s] : fixture()["samples"].items()) {
    INFO(name);
    REQUIRE(samples().at(name).size() == s["n"].get<std::size_t>());
    CHECK(fnv1a64(samples().at(name)) == s["fnv1a64"].get<std::string>());
  }
}

TEST_CASE("exact moments: mean and variances within 1e-12 or numpy's error", "[exact]") {
  for (const auto& [name, s] : fixture()["samples"].items()) {
    const std::vector<double>& x = samples().at(name);
    const auto& exact = s["exact"];
    const auto& peer = s["peer_rel_err"];
    check_all({{name + " mean", mean(x), num(exact["mean"]), num(peer["mean"])},
               {name + " var ddof 0", variance(x, 0), num(exact["var0"]), num(peer["var0"])},
               {name + " var ddof 1", variance(x, 1), num(exact["var1"]), num(peer["var1"])},
               {name + " std ddof 1", stddev(x, 1), num(exact["std1"]), num(peer["pandas_std"])}});
  }
}

TEST_CASE("exact moments: describe's mean and std within 1e-12 or pandas' error", "[exact]") {
  for (const auto& [name, s] : fixture()["samples"].items()) {
    const std::vector<double>& x = samples().at(name);
    DataFrame frame;
    frame.add_column("x", Column::from_float64(x));
    const auto description = frame.describe();  // a reference into the temporary would dangle
    const ColumnDescription& d = description.at("x");
    const Summary summary = stats::describe(x);
    const auto& exact = s["exact"];
    const auto& peer = s["peer_rel_err"];
    check_all({{name + " describe mean", d.mean, num(exact["mean"]), num(peer["pandas_mean"])},
               {name + " describe std", d.std, num(exact["std1"]), num(peer["pandas_std"])},
               {name + " stats::describe mean", summary.mean, num(exact["mean"]),
                num(peer["pandas_mean"])},
               {name + " stats::describe std", summary.std, num(exact["std1"]),
                num(peer["pandas_std"])}});
  }
}

TEST_CASE("exact moments: Student and Welch t-tests within 1e-12 or scipy's error", "[exact]") {
  for (const auto& c : fixture()["ttests"]) {
    const std::string pair = c["a"].get<std::string>() + " vs " + c["b"].get<std::string>();
    const std::vector<double>& a = samples().at(c["a"].get<std::string>());
    const std::vector<double>& b = samples().at(c["b"].get<std::string>());
    for (const char* test : {"student", "welch"}) {
      const TTestResult r = ttest_ind(a, b, std::string(test) == "student");
      const auto& exact = c["exact"][test];
      const auto& peer = c["scipy_rel_err"][test];
      const std::string what = pair + " " + test;
      // p against the p-value of scipy's t distribution at the exact t and df: the statistic's
      // error carried through, plus Boost's and scipy's distribution code (both far below 1e-12).
      check_all({{what + " t", r.statistic, num(exact["t"]), num(peer["t"])},
                 {what + " df", r.df, num(exact["df"]), num(peer["df"])},
                 {what + " p", r.p_value, num(exact["p_at_exact"]), num(peer["p"])}});
    }
  }
}

TEST_CASE("exact moments: issue 23's case (1e12 + N(0 1) with 100000 vs 50 values) to 1e-12",
          "[exact]") {
  // Named on its own so that a regression here reads as issue 23's example.
  const std::vector<double>& a = samples().at("n100000@1e+12");
  const std::vector<double>& b = samples().at("n50@1e+12");
  for (const auto& c : fixture()["ttests"]) {
    if (c["a"] != "n100000@1e+12") continue;
    for (const char* test : {"student", "welch"}) {
      const TTestResult r = ttest_ind(a, b, std::string(test) == "student");
      INFO(test << ": t = " << r.statistic << ", exact " << num(c["exact"][test]["t"])
                << ", scipy's error " << num(c["scipy_rel_err"][test]["t"]));
      CHECK(rel_err(r.statistic, num(c["exact"][test]["t"])) <= 1e-12);
      CHECK(rel_err(r.df, num(c["exact"][test]["df"])) <= 1e-12);
    }
  }
}

TEST_CASE("exact moments: Pearson's r within 1e-12 or scipy's error", "[exact]") {
  for (const auto& c : fixture()["pearson"]) {
    const std::string pair = c["x"].get<std::string>() + " ~ " + c["y"].get<std::string>();
    const std::vector<double>& x = samples().at(c["x"].get<std::string>());
    const std::vector<double>& y = samples().at(c["y"].get<std::string>());
    const double exact = num(c["exact_r"]);
    const double peer = num(c["scipy_rel_err"]);
    // pearson() and the matrix path (corr_matrix's blocked Gram) both.
    const RowMatrix m = corr_matrix({Span<const double>(x), Span<const double>(y)});
    check_all({{pair + " pearson", pearson(x, y), exact, peer},
               {pair + " corr_matrix", m(0, 1), exact, peer}});
    // With a missing value the pairwise-complete path: r of the rows left.
    std::vector<double> xm(x), ym(y);
    xm.push_back(std::nan(""));
    ym.push_back(1.0);
    check_all({{pair + " pearson with a NaN row", pearson(xm, ym), exact, peer}});
  }
}

TEST_CASE("exact moments: two constant samples are refused rather than given a t of noise",
          "[exact]") {
  for (const auto& p : fixture()["zero_variance_pairs"]) {
    const std::vector<double>& a = samples().at(p[0].get<std::string>());
    const std::vector<double>& b = samples().at(p[1].get<std::string>());
    CHECK(variance(a, 1) == 0.0);
    CHECK(variance(b, 1) == 0.0);
    CHECK_THROWS_WITH(ttest_ind(a, b),
                      Catch::Contains("a and b both have zero variance; the t statistic is "
                                      "undefined"));
  }
}
