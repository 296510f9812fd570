// The collectives distributed training needs, behind one interface: the library's training code
// calls these and never a transport, so it compiles and runs without MPI (SingleProcess), and an
// MPI build plugs in claimlens/mpi/mpi_communicator.hpp (a separate library, claimlens_mpi).
//
// Every rank calls the same collectives in the same order with the same sizes; a collective
// returns the same result on every rank. Sums are asked for in integer types (or in doubles that
// hold integers) wherever the result must not depend on the rank count: an integer sum is exact
// whatever the order its parts are added in, a floating sum is not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/error.hpp"

namespace claimlens {

/// An error every rank raised together (Communicator::agree): no rank is left waiting, so a
/// program may report it once (rank 0) and end normally.
class CollectiveError : public Error {
 public:
  using Error::Error;
};

class Communicator {
 public:
  virtual ~Communicator() = default;

  /// This process's rank in [0, size()).
  virtual int rank() const = 0;
  /// The number of processes training together (1 without MPI).
  virtual int size() const = 0;

  /// values[i] = the sum of values[i] over all ranks, on every rank.
  virtual void allreduce_sum(std::int64_t* values, std::size_t n) = 0;
  virtual void allreduce_sum(std::int32_t* values, std::size_t n) = 0;
  /// Floating sums: exact (and so order-free) only while every partial sum is an integer below
  /// 2^53, which is how the forest uses it (counts and bootstrap multiplicities).
  virtual void allreduce_sum(double* values, std::size_t n) = 0;
  /// values[i] = the largest values[i] over all ranks (exact in any order), on every rank.
  virtual void allreduce_max(double* values, std::size_t n) = 0;
  /// Every rank's bytes, concatenated in rank order, on every rank; offsets (size() + 1 entries)
  /// says where each rank's part starts.
  virtual std::vector<unsigned char> allgather(const void* data, std::size_t bytes,
                                               std::vector<std::size_t>& offsets) = 0;

  /// Ends every rank on the first error of any: each rank passes its own error message (empty
  /// when it has none). When some rank has one, every rank throws CollectiveError with the
  /// lowest failing rank's message prefixed by "rank K: ", so no rank waits forever on a
  /// collective the failed rank will never join.
  void agree(const std::string& error);
};

/// The communicator of a process training alone: every collective returns its input.
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void allreduce_sum(std::int64_t*, std::size_t) override {}
  void allreduce_sum(std::int32_t*, std::size_t) override {}
  void allreduce_sum(double*, std::size_t) override {}
  void allreduce_max(double*, std::size_t) override {}
  std::vector<unsigned char> allgather(const void* data, std::size_t bytes,
                                       std::vector<std::size_t>& offsets) override;
};

/// The rows of a matrix split across ranks: this rank holds global rows [first_row, first_row +
/// local_rows) of total_rows. Rank k's rows follow rank k-1's, so the global row order (the
/// order of the shards) is the same whatever the rank count.
struct RowShard {
  std::uint64_t first_row = 0;
  std::uint64_t local_rows = 0;
  std::uint64_t total_rows = 0;
};

/// Every rank's row count gathered: this rank's place in the global row order.
RowShard row_shard(Communicator& comm, std::uint64_t local_rows);

}  // namespace claimlens
