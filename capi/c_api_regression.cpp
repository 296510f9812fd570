// The C ABI (claimlens.h, from capi/claimlens.h.in), part four: statsmodels-style logistic
// regression inference (claimlens/regression/logit.hpp), its table returned as JSON.
#include "c_api_internal.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/regression/logit.hpp"

using namespace claimlens::capi_detail;  // NOLINT: the C ABI's own helpers

namespace {

using claimlens::JsonReader;
using claimlens::JsonSource;

claimlens::LogitOptions logit_options(const char* options_json, std::size_t cols) {
  const claimlens::JsonDocument json = parse_json_argument(options_json, "options_json");
  const JsonReader r(*json, "options", JsonSource::Parameters);
  r.object().only_keys({"add_constant", "names", "dep_name", "max_iter", "tol"});
  claimlens::LogitOptions options;
  if (const auto v = r.find("add_constant")) options.add_constant = v->boolean();
  if (const auto v = r.find("names")) {
    options.names = v->strings();
    if (options.names.size() != cols) {
      v->fail_value("must name the " + std::to_string(cols) + " columns of x, not " +
                    std::to_string(options.names.size()));
    }
  }
  if (const auto v = r.find("dep_name")) options.dep_name = v->string();
  if (const auto v = r.find("max_iter")) options.max_iter = static_cast<int>(v->integer(1, 100000));
  if (const auto v = r.find("tol")) {
    options.tol = v->finite();
    if (!(options.tol > 0)) v->fail_value("must be > 0");
  }
  return options;
}

std::vector<double> values(const claimlens::Vector& v) {
  return {v.data(), v.data() + v.size()};
}

std::string results_json(const claimlens::LogitResults& r) {
  nlohmann::json out = {{"dep_name", r.dep_name},
                        {"names", r.names},
                        {"params", values(r.params)},
                        {"bse", values(r.bse)},
                        {"zvalues", values(r.zvalues)},
                        {"pvalues", values(r.pvalues)},
                        {"ci_low", values(r.ci_low)},
                        {"ci_high", values(r.ci_high)},
                        {"llf", r.llf},
                        {"llnull", r.llnull},
                        {"llr", r.llr},
                        {"llr_pvalue", r.llr_pvalue},
                        {"prsquared", r.prsquared},
                        {"aic", r.aic},
                        {"bic", r.bic},
                        {"df_model", r.df_model},
                        {"df_resid", r.df_resid},
                        {"nobs", r.nobs},
                        {"converged", r.converged},
                        {"iterations", r.iterations},
                        {"summary", r.summary()}};
  return out.dump();
}

}  // namespace

extern "C" {

claimlens_status claimlens_logit_json(const double* x, size_t rows, size_t cols, const double* y,
                                      const char* options_json, char** out_json) {
  return guarded(__func__, [&] {
    require_array(x, rows > 0 && cols > 0, "x");
    require_array(y, rows, "y");
    require(out_json, "out_json");
    const claimlens::LogitOptions options = logit_options(options_json, cols);
    const claimlens::RowMatrix X = matrix_argument(x, rows, cols, "x");
    const claimlens::Vector Y = Eigen::Map<const claimlens::Vector>(y, Eigen::Index(rows));
    *out_json = malloc_string(results_json(claimlens::fit_logit(X, Y, options)));
  });
}

}  // extern "C"
