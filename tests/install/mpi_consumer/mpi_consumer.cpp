// Three ranks sum their rank + 1 through the installed MpiCommunicator.
#include <cstdint>
#include <cstdio>

#include "claimlens/mpi/mpi_communicator.hpp"

int main() {
  claimlens::MpiCommunicator comm;
  std::int64_t value = comm.rank() + 1;
  comm.allreduce_sum(&value, 1);
  if (comm.rank() == 0) {
    std::printf("sum %lld over %d ranks\n", static_cast<long long>(value), comm.size());
  }
  return 0;
}
