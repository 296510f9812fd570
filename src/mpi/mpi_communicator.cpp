// MpiCommunicator (claimlens/mpi/mpi_communicator.hpp).
#include "claimlens/mpi/mpi_communicator.hpp"

#include <mpi.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <limits>
#include <thread>

#include "claimlens/error.hpp"

namespace claimlens {

namespace {

// MPI counts are int: a larger collective is refused rather than truncated.
int checked_count(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw InvalidArgument(std::string("MpiCommunicator.") + what + ": " + std::to_string(n) +
                          " elements exceed MPI's int count");
  }
  return static_cast<int>(n);
}

double timeout_from_environment() {
  const char* env = std::getenv("CLAIMLENS_MPI_TIMEOUT");
  if (env == nullptr || *env == '\0') return 600.0;
  char* end = nullptr;
  const double v = std::strtod(env, &end);
  if (end == env || *end != '\0' || !(v > 0.0)) {
    throw InvalidArgument(std::string("CLAIMLENS_MPI_TIMEOUT = '") + env +
                          "' is not a positive number of seconds");
  }
  return v;
}

}  // namespace

MpiCommunicator::MpiCommunicator(double timeout_seconds) {
  timeout_ = timeout_seconds > 0.0 ? timeout_seconds : timeout_from_environment();
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    int provided = 0;
    if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
      throw Error("MpiCommunicator: MPI_Init_thread failed");
    }
    finalize_ = true;
  }
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  // Ranks on one machine share its cores: n_jobs 0 / -1 ("all cores") becomes this rank's share,
  // or the OpenMP threads of oversubscribed ranks spin against each other (4 ranks on 2 cores:
  // 52 s instead of 7 for a CLI training). Thread counts never change a model.
  if (const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE")) {
    const int ranks_here = std::max(1, std::atoi(local));
    if (ranks_here > 1) omp_set_num_threads(std::max(1, omp_get_num_procs() / ranks_here));
  }
}

MpiCommunicator::~MpiCommunicator() {
  if (finalize_) MPI_Finalize();
}

void MpiCommunicator::wait(void* request, const char* what) {
  auto* req = static_cast<MPI_Request*>(request);
  const auto start = std::chrono::steady_clock::now();
  struct Clock {  // adds the wait to traffic_.seconds however it ends
    MpiCommunicator::Traffic& t;
    std::chrono::steady_clock::time_point start;
    ~Clock() {
      t.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
  } clock{traffic_, start};
  ++traffic_.collectives;
  // Spin briefly (a histogram sum takes microseconds), then back off so a waiting rank does not
  // take a core from the others when the machine is oversubscribed.
  for (long spins = 0;; ++spins) {
    int done = 0;
    MPI_Test(req, &done, MPI_STATUS_IGNORE);
    if (done) return;
    if (spins < 1000) continue;
    const double waited =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (waited > timeout_) {
      throw Error("rank " + std::to_string(rank_) + ": " + what + " waited " +
                  std::to_string(static_cast<long long>(waited)) +
                  " s for the other ranks (CLAIMLENS_MPI_TIMEOUT); a rank died or hangs");
    }
    std::this_thread::sleep_for(std::chrono::microseconds(spins < 20000 ? 20 : 1000));
  }
}

void MpiCommunicator::allreduce(void* values, std::size_t n, std::size_t width, const void* type,
                                const void* op, const char* what) {
  traffic_.bytes += n * width;
  MPI_Request req;
  MPI_Iallreduce(MPI_IN_PLACE, values, checked_count(n, what),
                 *static_cast<const MPI_Datatype*>(type), *static_cast<const MPI_Op*>(op),
                 MPI_COMM_WORLD, &req);
  wait(&req, what);
}

void MpiCommunicator::allreduce_sum(std::int64_t* values, std::size_t n) {
  const MPI_Datatype type = MPI_INT64_T;
  const MPI_Op op = MPI_SUM;
  allreduce(values, n, sizeof *values, &type, &op, "allreduce_sum");
}

void MpiCommunicator::allreduce_sum(std::int32_t* values, std::size_t n) {
  const MPI_Datatype type = MPI_INT32_T;
  const MPI_Op op = MPI_SUM;
  allreduce(values, n, sizeof *values, &type, &op, "allreduce_sum");
}

void MpiCommunicator::allreduce_sum(double* values, std::size_t n) {
  const MPI_Datatype type = MPI_DOUBLE;
  const MPI_Op op = MPI_SUM;
  allreduce(values, n, sizeof *values, &type, &op, "allreduce_sum");
}

void MpiCommunicator::allreduce_max(double* values, std::size_t n) {
  const MPI_Datatype type = MPI_DOUBLE;
  const MPI_Op op = MPI_MAX;
  allreduce(values, n, sizeof *values, &type, &op, "allreduce_max");
}

std::vector<unsigned char> MpiCommunicator::allgather(const void* data, std::size_t bytes,
                                                      std::vector<std::size_t>& offsets) {
  // The sizes first, then the bytes (counts and displacements in int: refused past 2 GiB).
  std::vector<long long> sizes(static_cast<std::size_t>(size_));
  long long mine = static_cast<long long>(bytes);
  MPI_Request req;
  MPI_Iallgather(&mine, 1, MPI_LONG_LONG, sizes.data(), 1, MPI_LONG_LONG, MPI_COMM_WORLD, &req);
  wait(&req, "allgather");
  offsets.assign(static_cast<std::size_t>(size_) + 1, 0);
  std::vector<int> counts(static_cast<std::size_t>(size_)), displs(counts.size());
  for (std::size_t k = 0; k < counts.size(); ++k) {
    offsets[k + 1] = offsets[k] + static_cast<std::size_t>(sizes[k]);
    counts[k] = checked_count(static_cast<std::size_t>(sizes[k]), "allgather");
    displs[k] = checked_count(offsets[k], "allgather");
  }
  checked_count(offsets.back(), "allgather");
  traffic_.bytes += bytes;
  std::vector<unsigned char> all(offsets.back());
  MPI_Iallgatherv(data, checked_count(bytes, "allgather"), MPI_BYTE, all.data(), counts.data(),
                  displs.data(), MPI_BYTE, MPI_COMM_WORLD, &req);
  wait(&req, "allgather");
  return all;
}

void MpiCommunicator::abort(int status) {
  MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);  // MPI_Abort does not return; this is for the compiler
}

bool MpiCommunicator::launched_by_mpirun() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr;
}

}  // namespace claimlens
