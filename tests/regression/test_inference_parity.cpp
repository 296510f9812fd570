// Unpenalized Logit and OLS against statsmodels on a fixed design (every 6th row of the real data).
#include <catch2/catch.hpp>

#include "claimlens/regression/logit.hpp"
#include "claimlens/regression/ols.hpp"
#include "fixture_io.hpp"

using namespace claimlens;
using claimlens::testing::json_matrix;
using claimlens::testing::json_vector;
using claimlens::testing::load_fixture;
using claimlens::testing::max_rel_diff;
using claimlens::testing::rel_diff;

namespace {

std::vector<std::string> names_of(const nlohmann::json& j) {
  return j.get<std::vector<std::string>>();
}

}  // namespace

TEST_CASE("Logit matches statsmodels: params, bse, z, p-values, CIs, likelihoods") {
  const auto fx = load_fixture("regression_inference.json");
  const auto& ref = fx["logit"];
  LogitOptions o;
  o.names = names_of(ref["names"]);
  o.dep_name = "verified_status";
  const LogitResults r = fit_logit(json_matrix(ref["X"]), json_vector(ref["y"]), o);
  REQUIRE(r.converged);
  REQUIRE(r.names.size() == 7);
  CHECK(r.names[0] == "const");
  CHECK(max_rel_diff(r.params, json_vector(ref["params"])) < 1e-6);
  CHECK(max_rel_diff(r.bse, json_vector(ref["bse"])) < 1e-6);
  CHECK(max_rel_diff(r.zvalues, json_vector(ref["zvalues"])) < 1e-6);
  CHECK(max_rel_diff(r.pvalues, json_vector(ref["pvalues"])) < 1e-6);
  CHECK(max_rel_diff(r.ci_low, json_vector(ref["ci_low"])) < 1e-6);
  CHECK(max_rel_diff(r.ci_high, json_vector(ref["ci_high"])) < 1e-6);
  CHECK(rel_diff(r.llf, ref["llf"].get<double>()) < 1e-9);
  CHECK(rel_diff(r.llnull, ref["llnull"].get<double>()) < 1e-9);
  CHECK(rel_diff(r.prsquared, ref["prsquared"].get<double>()) < 1e-6);
  CHECK(rel_diff(r.llr, ref["llr"].get<double>()) < 1e-6);
  CHECK(rel_diff(r.llr_pvalue, ref["llr_pvalue"].get<double>()) < 1e-6);
  CHECK(rel_diff(r.aic, ref["aic"].get<double>()) < 1e-9);
  CHECK(rel_diff(r.bic, ref["bic"].get<double>()) < 1e-9);
  CHECK(r.df_model == ref["df_model"].get<double>());
  CHECK(r.df_resid == ref["df_resid"].get<double>());
}

TEST_CASE("OLS matches statsmodels: params, inference, fit statistics and diagnostics") {
  const auto fx = load_fixture("regression_inference.json");
  const auto& ref = fx["ols"];
  OLSOptions o;
  o.names = names_of(ref["names"]);
  const OLSResults r = fit_ols(json_matrix(ref["X"]), json_vector(ref["y"]), o);
  CHECK(max_rel_diff(r.params, json_vector(ref["params"])) < 1e-6);
  CHECK(max_rel_diff(r.bse, json_vector(ref["bse"])) < 1e-6);
  CHECK(max_rel_diff(r.tvalues, json_vector(ref["tvalues"])) < 1e-6);
  CHECK(max_rel_diff(r.pvalues, json_vector(ref["pvalues"])) < 1e-6);
  CHECK(max_rel_diff(r.ci_low, json_vector(ref["ci_low"])) < 1e-6);
  CHECK(max_rel_diff(r.ci_high, json_vector(ref["ci_high"])) < 1e-6);
  for (const char* key :
       {"rsquared", "rsquared_adj", "fvalue", "llf", "aic", "bic", "ssr", "ess", "mse_resid",
        "omnibus", "jarque_bera", "skew", "kurtosis", "durbin_watson", "condition_number"}) {
    CAPTURE(key);
    const double mine = key == std::string("rsquared")        ? r.rsquared
                        : key == std::string("rsquared_adj")  ? r.rsquared_adj
                        : key == std::string("fvalue")        ? r.fvalue
                        : key == std::string("llf")           ? r.llf
                        : key == std::string("aic")           ? r.aic
                        : key == std::string("bic")           ? r.bic
                        : key == std::string("ssr")           ? r.ssr
                        : key == std::string("ess")           ? r.ess
                        : key == std::string("mse_resid")     ? r.mse_resid
                        : key == std::string("omnibus")       ? r.omnibus
                        : key == std::string("jarque_bera")   ? r.jarque_bera
                        : key == std::string("skew")          ? r.skew
                        : key == std::string("kurtosis")      ? r.kurtosis
                        : key == std::string("durbin_watson") ? r.durbin_watson
                                                              : r.condition_number;
    CHECK(rel_diff(mine, ref[key].get<double>()) < 1e-6);
  }
  // Tail probabilities this small are compared absolutely (statsmodels rounds through 1 - cdf).
  CHECK(std::abs(r.f_pvalue - ref["f_pvalue"].get<double>()) < 1e-12);
  CHECK(std::abs(r.omnibus_pvalue - ref["omnibus_pvalue"].get<double>()) < 1e-12);
  CHECK(std::abs(r.jb_pvalue - ref["jb_pvalue"].get<double>()) < 1e-12);
  CHECK(r.df_model == ref["df_model"].get<double>());
  CHECK(r.df_resid == ref["df_resid"].get<double>());
}

TEST_CASE("summaries are laid out like statsmodels' summary() tables") {
  const auto fx = load_fixture("regression_inference.json");
  const auto& ref = fx["logit"];
  LogitOptions o;
  o.names = names_of(ref["names"]);
  o.dep_name = "verified_status";
  const std::string mine = fit_logit(json_matrix(ref["X"]), json_vector(ref["y"]), o).summary();
  const std::string theirs = ref["summary"].get<std::string>();
  // Every line except Date/Time must be identical to statsmodels' text.
  auto lines = [](const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start < s.size()) {
      size_t end = s.find('\n', start);
      if (end == std::string::npos) end = s.size();
      out.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return out;
  };
  const auto a = lines(mine), b = lines(theirs);
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    if (b[i].rfind("Date:", 0) == 0 || b[i].rfind("Time:", 0) == 0) continue;
    CAPTURE(i);
    CHECK(a[i] == b[i]);
  }

  const auto& oref = fx["ols"];
  OLSOptions oo;
  oo.names = names_of(oref["names"]);
  oo.dep_name = "video_like_count";
  const auto c = lines(fit_ols(json_matrix(oref["X"]), json_vector(oref["y"]), oo).summary());
  const auto d = lines(oref["summary"].get<std::string>());
  // statsmodels appends a "Notes:" block after the tables; compare the tables.
  REQUIRE(d.size() >= c.size());
  for (size_t i = 0; i < c.size(); ++i) {
    if (d[i].rfind("Date:", 0) == 0 || d[i].rfind("Time:", 0) == 0) continue;
    CAPTURE(i);
    CHECK(c[i] == d[i]);
  }
}
