// Distributed boosting over Open MPI, checked: every rank fits on its shard of the data, and
// rank 0 compares the model with the single-process fit of all rows (byte for byte) and writes
// it. Run by ctest under mpirun with 1-4 ranks (tests/CMakeLists.txt, mpi.*).
//
//   mpi_fit_check --data seed|synthetic [--model boosting|forest] [--rows N] [--out PATH]
//                 [--die-rank K] [--hang-rank K]
// seed: the seed's claim features (tests/fixtures/ensemble_claim_train.json); synthetic: N rows
// (default 200,000) with NaNs, each rank generating only its own rows from their global ids.
// --die-rank K: rank K kills itself (SIGKILL) after binning; --hang-rank K: it sleeps instead,
// so the others' bounded waits must end the job. Exit status 0 only when the models agree.
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/mpi/mpi_communicator.hpp"
#include "claimlens/random.hpp"

using namespace claimlens;

namespace {

struct Data {
  std::size_t rows = 0, cols = 0;
  std::vector<double> x, y;  // x row-major
};

// The fixture's matrix (format of tests/fixtures/scripts/ensemble_claim.py).
Data seed_data() {
  std::ifstream in(std::string(CLAIMLENS_FIXTURE_DIR) + "/ensemble_claim_train.json");
  const nlohmann::json j = nlohmann::json::parse(in);
  Data d;
  d.rows = j.at("rows").get<std::size_t>();
  const auto& columns = j.at("columns");
  d.cols = columns.size();
  d.x.resize(d.rows * d.cols);
  for (std::size_t c = 0; c < d.cols; ++c) {
    const auto& col = columns[c];
    const std::string digits = col.contains("digits") ? col.at("digits").get<std::string>() : "";
    for (std::size_t r = 0; r < d.rows; ++r) {
      d.x[r * d.cols + c] =
          col.contains("digits") ? digits.at(r) - '0' : col.at("values").at(r).get<double>();
    }
  }
  for (char ch : j.at("y").get<std::string>()) d.y.push_back(ch - '0');
  return d;
}

// Rows [first, last) of the synthetic set: every value from a hash of (global row, column).
Data synthetic_rows(std::size_t first, std::size_t last) {
  Data d;
  d.rows = last - first;
  d.cols = 8;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t g = first; g < last; ++g) {
    Random rng(derive_seed(20261205, g));
    double v[8];
    v[0] = rng.normal();
    v[1] = rng.normal();
    for (int c = 2; c < 6; ++c) v[c] = rng.uniform() < 0.05 ? 1.0 : 0.0;
    v[6] = rng.uniform() < 0.9 ? 0.0 : static_cast<double>(rng.uniform_int(40));
    v[7] = rng.uniform() < 0.7 ? nan : rng.normal();
    const double z =
        v[0] + 2.0 * v[2] - 2.0 * v[3] + 0.05 * v[6] + (v[7] != v[7] ? 0.5 : v[7]) + 0.3 * v[1];
    d.x.insert(d.x.end(), v, v + 8);
    d.y.push_back(rng.uniform() < 1.0 / (1.0 + std::exp(-2.0 * z)) ? 1.0 : 0.0);
  }
  return d;
}

// Uneven contiguous shards: rank k's share grows with k.
std::size_t shard_start(std::size_t n, int ranks, int k) {
  return n * static_cast<std::size_t>(k * (k + 1)) / static_cast<std::size_t>(ranks * (ranks + 1));
}

GradientBoostingParams boosting_params() {
  GradientBoostingParams p;
  p.n_estimators = 20;
  p.max_depth = 6;
  p.learning_rate = 0.3;
  p.colsample_bytree = 0.8;
  p.use_quantized_grad = true;
  p.n_jobs = 1;
  return p;
}

RandomForestParams forest_params() {
  RandomForestParams p;
  p.n_estimators = 10;
  p.max_depth = 8;
  p.max_samples = {RandomForestParams::MaxSamples::Kind::Fraction, 0.7};
  p.class_weight = RandomForestParams::ClassWeight::Balanced;
  p.n_jobs = 1;
  return p;
}

std::string fit(const Data& d, const std::string& model, Communicator& comm) {
  const BinnedMatrix X =
      BinnedMatrix::from_dense_distributed(d.x.data(), d.rows, d.cols, 256, comm, 0);
  if (model == "forest") {
    RandomForestClassifier m(forest_params());
    m.fit_distributed(X, d.y, comm);
    return m.to_json().dump();
  }
  if (model != "boosting") throw InvalidArgument("--model must be boosting or forest");
  GradientBoostingClassifier m(boosting_params());
  m.fit_distributed(X, d.y, comm);
  return m.to_json().dump();
}

void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw IoError("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw IoError("cannot rename to " + path);
}

struct Options {
  std::string data = "seed", model = "boosting", out;
  std::size_t rows = 200000;
  int die_rank = -1, hang_rank = -1;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--data") {
      o.data = value;
    } else if (key == "--model") {
      o.model = value;
    } else if (key == "--rows") {
      o.rows = std::stoul(value);
    } else if (key == "--out") {
      o.out = value;
    } else if (key == "--die-rank") {
      o.die_rank = std::stoi(value);
    } else if (key == "--hang-rank") {
      o.hang_rank = std::stoi(value);
    } else {
      throw InvalidArgument("unknown option " + key);
    }
  }
  return o;
}

int run(MpiCommunicator& comm, const Options& o) {
  const int ranks = comm.size(), me = comm.rank();
  Data all;
  Data mine;
  if (o.data == "seed") {
    all = seed_data();
    const std::size_t first = shard_start(all.rows, ranks, me);
    const std::size_t last = shard_start(all.rows, ranks, me + 1);
    mine.rows = last - first;
    mine.cols = all.cols;
    mine.x.assign(all.x.begin() + static_cast<std::ptrdiff_t>(first * all.cols),
                  all.x.begin() + static_cast<std::ptrdiff_t>(last * all.cols));
    mine.y.assign(all.y.begin() + static_cast<std::ptrdiff_t>(first),
                  all.y.begin() + static_cast<std::ptrdiff_t>(last));
  } else {
    mine = synthetic_rows(shard_start(o.rows, ranks, me), shard_start(o.rows, ranks, me + 1));
  }
  if (me == o.die_rank) std::raise(SIGKILL);
  if (me == o.hang_rank) std::this_thread::sleep_for(std::chrono::hours(1));
  const std::string model = fit(mine, o.model, comm);
  if (me != 0) return 0;
  if (o.data != "seed") all = synthetic_rows(0, o.rows);
  SingleProcess alone;
  if (fit(all, o.model, alone) != model) {
    std::cerr << "mpi_fit_check: the " << ranks << "-rank model differs from the single-process "
              << "model\n";
    return 1;
  }
  if (!o.out.empty()) write_atomically(o.out, model);
  std::cout << "mpi_fit_check: " << o.model << ", " << o.data << ", " << ranks
            << " ranks: the single-process model (" << model.size() << " bytes)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  MpiCommunicator comm;
  int status = 1;
  try {
    status = run(comm, parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "mpi_fit_check: " << e.what() << "\n";
    comm.abort(2);  // the other ranks may be waiting in a collective
  }
  return status;
}
