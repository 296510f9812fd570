// The Open MPI transport of claimlens::Communicator (library claimlens_mpi, built when CMake
// finds MPI: cmake option CLAIMLENS_WITH_MPI). libclaimlens itself never links MPI.
//
// Every collective is nonblocking underneath and waited for with a bound (timeout_seconds): a
// rank that hangs or dies without mpirun noticing ends the others with claimlens::Error naming
// the collective and the wait, instead of a job that never ends. After such an error the
// communicator is unusable: the caller reports it and calls abort().
#pragma once

#include <string>

#include "claimlens/communicator.hpp"

namespace claimlens {

class MpiCommunicator final : public Communicator {
 public:
  /// Initializes MPI (MPI_Init_thread, funneled: only the calling thread talks to MPI) unless
  /// it already is, over MPI_COMM_WORLD. timeout_seconds <= 0: the default, 600 s, or the
  /// environment's CLAIMLENS_MPI_TIMEOUT (seconds). With several ranks on this machine
  /// (OMPI_COMM_WORLD_LOCAL_SIZE), OpenMP's default thread count becomes this rank's share of
  /// the cores, which is what n_jobs 0 / -1 then use.
  explicit MpiCommunicator(double timeout_seconds = 0.0);
  /// Finalizes MPI if this object initialized it.
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void allreduce_sum(std::int64_t* values, std::size_t n) override;
  void allreduce_sum(std::int32_t* values, std::size_t n) override;
  void allreduce_sum(double* values, std::size_t n) override;
  void allreduce_max(double* values, std::size_t n) override;
  std::vector<unsigned char> allgather(const void* data, std::size_t bytes,
                                       std::vector<std::size_t>& offsets) override;

  /// What this rank has put through the collectives so far: their count, its payload bytes (an
  /// allreduce's array, an allgather's part; the wire carries about 2 (N - 1) / N times an
  /// allreduce's payload with a ring algorithm) and the seconds spent inside them (waiting for
  /// the slowest rank included).
  struct Traffic {
    std::uint64_t collectives = 0;
    std::uint64_t bytes = 0;
    double seconds = 0.0;
  };
  const Traffic& traffic() const { return traffic_; }

  /// Ends every rank of the job now (MPI_Abort) with `status`: for an error the ranks did not
  /// agree on, where the others may be waiting in a collective.
  [[noreturn]] void abort(int status);

  /// True when an MPI launcher (mpirun) started this process: OMPI_COMM_WORLD_SIZE or
  /// PMI_SIZE is in the environment.
  static bool launched_by_mpirun();

 private:
  // Waits for a request with the bound; `what` names the collective in the error.
  void wait(void* request, const char* what);
  // An in-place MPI_Iallreduce of n values of `width` bytes, waited for; type and op point to an
  // MPI_Datatype and an MPI_Op (this header does not include mpi.h).
  void allreduce(void* values, std::size_t n, std::size_t width, const void* type, const void* op,
                 const char* what);

  int rank_ = 0;
  int size_ = 1;
  double timeout_ = 600.0;
  bool finalize_ = false;
  Traffic traffic_;
};

}  // namespace claimlens
