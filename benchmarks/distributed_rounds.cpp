// Distributed boosting per round under mpirun (issue 20; benchmarks/README.md, "Distributed
// training", and docs/scale-out.md): every rank generates its shard of a synthetic data set
// (25 features shaped like the seed's: counts with long tails, small integers, 0/1 flags, a
// NaN-rich column; each row from a hash of its global id) in blocks of 65,536 rows straight into
// the bins (from_row_blocks_distributed: the shard's float64 matrix never exists whole, as in
// `claimlens train` on shards) and fits use_quantized_grad boosting; rank 0 prints one JSON line:
// the binning's seconds (which generate the rows twice), the fit's seconds per round, the seconds
// per round spent inside collectives (the largest over the ranks, waiting for the slowest
// included), the rest as compute, and the payload bytes and collectives per round.
//
//   mpirun -np N distributed_rounds [--rows 1000000] [--rounds 20] [--depth 6]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <string>
#include <vector>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/mpi/mpi_communicator.hpp"
#include "claimlens/random.hpp"

using namespace claimlens;

namespace {

constexpr std::size_t kFeatures = 25;

// Rows [first, last) row-major, and their labels.
void make_rows(std::uint64_t first, std::uint64_t last, std::vector<double>& x,
               std::vector<double>& y) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  x.resize((last - first) * kFeatures);
  y.resize(last - first);
  for (std::uint64_t g = first; g < last; ++g) {
    Random rng(derive_seed(20261205, g));
    double* v = &x[(g - first) * kFeatures];
    const double views = std::floor(std::exp(rng.normal() * 2.0 + 8.0));
    v[0] = views;
    v[1] = std::floor(views * 0.1 * rng.uniform());
    v[2] = std::floor(views * 0.02 * rng.uniform());
    v[3] = std::floor(views * 0.005 * rng.uniform());
    v[4] = static_cast<double>(5 + rng.uniform_int(56));
    for (std::size_t c = 5; c < 20; ++c) v[c] = rng.uniform() < 0.08 ? 1.0 : 0.0;
    for (std::size_t c = 20; c < 24; ++c) v[c] = rng.normal();
    v[24] = rng.uniform() < 0.3 ? nan : rng.normal();
    const double z = 0.8 * (std::log1p(views) - 8.0) + 1.5 * v[5] - 1.2 * v[6] + 0.5 * v[20] +
                     (std::isnan(v[24]) ? 0.3 : 0.4 * v[24]);
    y[g - first] = rng.uniform() < 1.0 / (1.0 + std::exp(-z)) ? 1.0 : 0.0;
  }
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  MpiCommunicator comm;
  try {
    std::uint64_t rows = 1000000;
    int rounds = 20, depth = 6;
    for (int i = 1; i + 1 < argc; i += 2) {
      const std::string key = argv[i];
      const long long value = std::atoll(argv[i + 1]);
      if (key == "--rows") rows = static_cast<std::uint64_t>(value);
      if (key == "--rounds") rounds = static_cast<int>(value);
      if (key == "--depth") depth = static_cast<int>(value);
    }
    const auto n = static_cast<std::uint64_t>(comm.size());
    const auto k = static_cast<std::uint64_t>(comm.rank());
    const std::uint64_t first = rows * k / n, last = rows * (k + 1) / n;
    std::vector<double> y;
    const BinnedMatrix::RowBlocks blocks = [&](const BinnedMatrix::RowBlockVisitor& visit) {
      std::vector<double> x, labels;
      y.clear();
      for (std::uint64_t b = first; b < last; b += 65536) {
        make_rows(b, std::min<std::uint64_t>(b + 65536, last), x, labels);
        y.insert(y.end(), labels.begin(), labels.end());
        visit(x.data(), labels.size());
      }
    };
    auto t = std::chrono::steady_clock::now();
    const BinnedMatrix X =
        BinnedMatrix::from_row_blocks_distributed(blocks, last - first, kFeatures, 256, comm, 0);
    const double binning = seconds_since(t);
    GradientBoostingParams p;
    p.n_estimators = rounds;
    p.max_depth = depth;
    p.learning_rate = 0.1;
    p.use_quantized_grad = true;
    p.n_jobs = 0;  // the CLI's rule: this rank's share of the cores
    const MpiCommunicator::Traffic before = comm.traffic();
    t = std::chrono::steady_clock::now();
    GradientBoostingClassifier model(p);
    model.fit_distributed(X, y, comm);
    const double fit = seconds_since(t);
    const MpiCommunicator::Traffic after = comm.traffic();
    double in_collectives = after.seconds - before.seconds;
    comm.allreduce_max(&in_collectives, 1);
    if (comm.rank() == 0) {
      const double r = rounds;
      std::printf(
          "{\"ranks\": %d, \"rows\": %llu, \"rounds\": %d, \"max_depth\": %d, "
          "\"binning_s\": %.3f, \"fit_s\": %.3f, \"round_s\": %.4f, \"collectives_s_per_round\": "
          "%.4f, \"compute_s_per_round\": %.4f, \"payload_bytes_per_round\": %.0f, "
          "\"collectives_per_round\": %.1f}\n",
          comm.size(), static_cast<unsigned long long>(rows), rounds, depth, binning, fit, fit / r,
          in_collectives / r, (fit - in_collectives) / r,
          static_cast<double>(after.bytes - before.bytes) / r,
          static_cast<double>(after.collectives - before.collectives) / r);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "distributed_rounds: %s\n", e.what());
    comm.abort(2);
  }
  return 0;
}
