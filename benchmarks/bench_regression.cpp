// Fit times on the seed's 26,826 x 8 verified-status training design (benchmarks/peers/
// regression.py times scikit-learn / statsmodels on the same file). The design comes from
// tests/fixtures/scripts/regression_seed.py (it needs sklearn's resample, so it is not rebuilt
// here); the peer module writes it when missing.
#include <benchmark/benchmark.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/regression/logistic_regression.hpp"
#include "claimlens/regression/logit.hpp"
#include "claimlens/regression/ols.hpp"

namespace {

struct Design {
  claimlens::RowMatrix X;
  claimlens::Vector y;
};

std::string design_path() {
  const char* p = std::getenv("CLAIMLENS_BENCH_SEED_DESIGN");
  return p ? p : "build/regression/seed_train.csv";
}

// Header line, then numeric rows whose last column is the 0/1 target.
const Design& seed_design() {
  static const Design design = [] {
    const std::string path = design_path();
    std::ifstream in(path);
    if (!in) {
      throw std::runtime_error("missing " + path +
                               ": run /usr/bin/python3 tests/fixtures/scripts/regression_seed.py "
                               "(or set CLAIMLENS_BENCH_SEED_DESIGN)");
    }
    std::string line;
    std::getline(in, line);
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      std::vector<double> row;
      const char* p = line.data();
      const char* end = p + line.size();
      while (p < end) {
        double v = 0;
        auto res = std::from_chars(p, end, v);
        if (res.ec != std::errc()) throw std::runtime_error("bad number in " + path + ": " + line);
        row.push_back(v);
        p = res.ptr + (res.ptr < end ? 1 : 0);
      }
      rows.push_back(std::move(row));
    }
    Design d;
    const auto n = static_cast<Eigen::Index>(rows.size());
    const auto k = static_cast<Eigen::Index>(rows.at(0).size()) - 1;
    d.X.resize(n, k);
    d.y.resize(n);
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < k; ++j) d.X(i, j) = rows[i][j];
      d.y[i] = rows[i][k];
    }
    return d;
  }();
  return design;
}

// The true optimum of the full training design, from the committed fixture (NaN if unreadable).
double full_train_optimum() {
  const char* p = std::getenv("CLAIMLENS_BENCH_SEED_FIXTURE");
  std::ifstream in(p ? p : "tests/fixtures/regression_seed.json");
  if (!in) return std::nan("");
  const auto fx = nlohmann::json::parse(in);
  return fx["full_train"]["optimum_objective"].get<double>();
}

void fit_logreg(benchmark::State& state, claimlens::LogisticSolver solver) {
  const Design& d = seed_design();
  claimlens::LogisticRegressionOptions o;
  o.C = 1.0;
  o.max_iter = 800;
  o.solver = solver;
  claimlens::LogisticRegression model(o);
  for (auto _ : state) {
    model.fit(d.X, d.y);
    benchmark::DoNotOptimize(model.coef().data());
  }
  state.counters["objective"] = model.report().objective;
  state.counters["iterations"] = model.n_iter();
  state.counters["converged"] = model.converged() ? 1 : 0;
  const double optimum = full_train_optimum();
  if (std::isfinite(optimum)) {
    const double gap = (model.report().objective - optimum) / optimum;
    state.counters["rel_gap"] = gap;
    if (!(std::abs(gap) < 1e-9)) state.SkipWithError("did not reach the true optimum");
  }
}

void BM_logreg_seed_fit(benchmark::State& state) {
  fit_logreg(state, claimlens::LogisticSolver::Auto);
}

void BM_logreg_seed_fit_lbfgs(benchmark::State& state) {
  fit_logreg(state, claimlens::LogisticSolver::Lbfgs);
}

void BM_logit_seed_fit(benchmark::State& state) {
  const Design& d = seed_design();
  double llf = 0;
  for (auto _ : state) {
    const auto r = claimlens::fit_logit(d.X, d.y);
    llf = r.llf;
    benchmark::DoNotOptimize(r.bse.data());
  }
  state.counters["llf"] = llf;
}

void BM_ols_seed_fit(benchmark::State& state) {
  const Design& d = seed_design();
  double r2 = 0;
  for (auto _ : state) {
    const auto r = claimlens::fit_ols(d.X, d.y);
    r2 = r.rsquared;
    benchmark::DoNotOptimize(r.bse.data());
  }
  state.counters["rsquared"] = r2;
}

}  // namespace

BENCHMARK(BM_logreg_seed_fit)
    ->Name("logreg/seed_fit")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_logreg_seed_fit_lbfgs)
    ->Name("logreg/seed_fit_lbfgs")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_logit_seed_fit)->Name("logit/seed_fit")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ols_seed_fit)->Name("ols/seed_fit")->UseRealTime()->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
