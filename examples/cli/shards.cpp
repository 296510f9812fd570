// Data in CSV shards (shards.hpp).
#include "shards.hpp"

#include <glob.h>

#include <algorithm>
#include <iostream>

#include "command.hpp"
#include "model_support.hpp"
#ifdef CLAIMLENS_HAVE_MPI
#include "claimlens/mpi/mpi_communicator.hpp"
#endif

namespace claimlens::cli {

namespace {

bool has_glob(const std::string& s) {
  return s.find_first_of("*?[") != std::string::npos;
}

}  // namespace

bool wants_shards(const std::string& data) {
#ifdef CLAIMLENS_HAVE_MPI
  if (MpiCommunicator::launched_by_mpirun()) return true;
#endif
  return has_glob(data) || data.find(',') != std::string::npos;
}

std::vector<std::string> data_files(const std::string& data) {
  std::vector<std::string> files;
  for (const std::string& item : split_list(data, "data")) {
    if (!has_glob(item)) {
      files.push_back(item);
      continue;
    }
    glob_t g{};
    const int status = glob(item.c_str(), 0, nullptr, &g);
    std::vector<std::string> matches;
    for (std::size_t i = 0; status == 0 && i < g.gl_pathc; ++i) matches.push_back(g.gl_pathv[i]);
    globfree(&g);
    if (matches.empty()) throw IoError("--data '" + item + "' matches no file");
    std::sort(matches.begin(), matches.end());
    files.insert(files.end(), matches.begin(), matches.end());
  }
  return files;
}

std::unique_ptr<Communicator> make_communicator() {
#ifdef CLAIMLENS_HAVE_MPI
  if (MpiCommunicator::launched_by_mpirun()) return std::make_unique<MpiCommunicator>();
#endif
  return std::make_unique<SingleProcess>();
}

std::vector<std::string> rank_files(const std::vector<std::string>& files,
                                    const Communicator& comm) {
  const std::size_t n = files.size(), ranks = static_cast<std::size_t>(comm.size());
  const std::size_t k = static_cast<std::size_t>(comm.rank());
  return std::vector<std::string>(files.begin() + static_cast<std::ptrdiff_t>(k * n / ranks),
                                  files.begin() + static_cast<std::ptrdiff_t>((k + 1) * n / ranks));
}

int report_collective_error(const std::string& command, const CollectiveError& e,
                            Communicator& comm) {
  if (comm.rank() == 0) std::cerr << "claimlens " << command << ": " << e.what() << std::endl;
  std::int64_t barrier = 0;
  comm.allreduce_sum(&barrier, 1);
  return kExitUsage;
}

void end_on_local_error(const std::string& command, const Error& e, Communicator& comm) {
#ifdef CLAIMLENS_HAVE_MPI
  if (comm.size() > 1) {
    std::cerr << "claimlens " << command << ": rank " << comm.rank() << ": " << e.what()
              << std::endl;
    static_cast<MpiCommunicator&>(comm).abort(kExitUsage);
  }
#else
  (void)command;
  (void)comm;
#endif
  throw e;
}

}  // namespace claimlens::cli
