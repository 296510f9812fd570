// `claimlens train` on shards: the data as a glob or a comma-separated list of CSV files, shared
// among the ranks of `mpirun -np N claimlens train ...` by file (or read by one process without
// mpirun), one model whatever N (TabularPipeline::fit_distributed; docs/scale-out.md).
#include "train_distributed.hpp"

#include <glob.h>

#include <algorithm>
#include <iostream>
#include <memory>

#include "claimlens/communicator.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/model_io/model_io.hpp"
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

// The files of --data: each comma-separated item a file or a glob (its matches sorted); in the
// order given, which is the global row order of the training.
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

// This rank's files read and joined (an empty frame when it has none): rank k of N reads files
// [k F / N, (k + 1) F / N).
DataFrame read_shard(const std::vector<std::string>& files, const Communicator& comm) {
  const std::size_t n = files.size(), ranks = static_cast<std::size_t>(comm.size());
  const std::size_t k = static_cast<std::size_t>(comm.rank());
  std::vector<DataFrame> frames;
  std::vector<std::string> mine(files.begin() + static_cast<std::ptrdiff_t>(k * n / ranks),
                                files.begin() + static_cast<std::ptrdiff_t>((k + 1) * n / ranks));
  for (const std::string& file : mine) frames.push_back(read_data(file));
  if (frames.size() == 1) return std::move(frames[0]);
  return concat_rows(frames, mine);
}

}  // namespace

bool wants_distributed(const std::string& data) {
#ifdef CLAIMLENS_HAVE_MPI
  if (MpiCommunicator::launched_by_mpirun()) return true;
#endif
  return has_glob(data) || data.find(',') != std::string::npos;
}

int train_distributed(const std::string& data, const std::string& out,
                      TabularPipelineOptions options, const SummaryFn& summary) {
  const std::unique_ptr<Communicator> comm = make_communicator();
  const bool lead = comm->rank() == 0;
  try {
    const std::vector<std::string> files = data_files(data);
    DataFrame shard;
    std::string error;
    try {
      shard = read_shard(files, *comm);
    } catch (const Error& e) {
      error = e.what();
    }
    comm->agree(error);
    const Model model(TabularPipeline::fit_distributed(shard, options, *comm));
    if (lead) {
      save_model(model, out);
      std::cout << summary(*model.get_if<TabularPipeline>(), out) << "trained on " << files.size()
                << " file" << (files.size() == 1 ? "" : "s") << " by " << comm->size() << " process"
                << (comm->size() == 1 ? "" : "es") << "\n";
    }
    return kExitOk;
  } catch (const CollectiveError& e) {
    // Every rank has it: rank 0 reports it, and the others wait until it has (mpirun ends the
    // job when a rank exits non-zero, which could cut rank 0 short).
    if (lead) std::cerr << "claimlens train: " << e.what() << std::endl;
    std::int64_t barrier = 0;
    comm->allreduce_sum(&barrier, 1);
    return kExitUsage;
  } catch (const Error& e) {
    if (comm->size() == 1) throw;
#ifdef CLAIMLENS_HAVE_MPI
    // This rank alone: the others may wait in a collective, so the job ends here.
    std::cerr << "claimlens train: rank " << comm->rank() << ": " << e.what() << "\n";
    static_cast<MpiCommunicator&>(*comm).abort(kExitUsage);
#endif
    throw;
  }
}

}  // namespace claimlens::cli
