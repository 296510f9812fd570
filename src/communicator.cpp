// Communicator::agree, SingleProcess and row_shard (claimlens/communicator.hpp).
#include "claimlens/communicator.hpp"

#include <cstring>

namespace claimlens {

void Communicator::agree(const std::string& error) {
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all = allgather(error.data(), error.size(), offsets);
  for (int k = 0; k < size(); ++k) {
    const std::size_t begin = offsets[static_cast<std::size_t>(k)];
    const std::size_t end = offsets[static_cast<std::size_t>(k) + 1];
    if (end > begin) {
      const std::string message(reinterpret_cast<const char*>(all.data()) + begin, end - begin);
      throw CollectiveError("rank " + std::to_string(k) + ": " + message);
    }
  }
}

std::vector<unsigned char> SingleProcess::allgather(const void* data, std::size_t bytes,
                                                    std::vector<std::size_t>& offsets) {
  offsets = {0, bytes};
  const auto* p = static_cast<const unsigned char*>(data);
  return bytes == 0 ? std::vector<unsigned char>{} : std::vector<unsigned char>(p, p + bytes);
}

RowShard row_shard(Communicator& comm, std::uint64_t local_rows) {
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all = comm.allgather(&local_rows, sizeof local_rows, offsets);
  RowShard shard;
  shard.local_rows = local_rows;
  for (int k = 0; k < comm.size(); ++k) {
    std::uint64_t rows = 0;
    std::memcpy(&rows, all.data() + offsets[static_cast<std::size_t>(k)], sizeof rows);
    if (k < comm.rank()) shard.first_row += rows;
    shard.total_rows += rows;
  }
  return shard;
}

}  // namespace claimlens
