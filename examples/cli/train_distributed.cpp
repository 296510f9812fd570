// `claimlens train` on shards: the data as a glob or a comma-separated list of CSV files, shared
// among the ranks of `mpirun -np N claimlens train ...` by file (or read by one process without
// mpirun), one model whatever N (TabularPipeline::fit_distributed; docs/scale-out.md).
#include "train_distributed.hpp"

#include <iostream>
#include <memory>

#include "claimlens/communicator.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "command.hpp"
#include "model_support.hpp"
#include "shards.hpp"

namespace claimlens::cli {

namespace {

// This rank's files read and joined (an empty frame when it has none).
DataFrame read_shard(const std::vector<std::string>& files, const Communicator& comm) {
  const std::vector<std::string> mine = rank_files(files, comm);
  std::vector<DataFrame> frames;
  for (const std::string& file : mine) frames.push_back(read_data(file));
  if (frames.size() == 1) return std::move(frames[0]);
  return concat_rows(frames, mine);
}

}  // namespace

int train_distributed(const std::string& data, const std::string& out,
                      TabularPipelineOptions options, const SummaryFn& summary) {
  const std::unique_ptr<Communicator> comm = make_communicator();
  const bool lead = comm->rank() == 0;
  try {
    std::vector<std::string> files;
    DataFrame shard;
    std::string error;
    try {  // the ranks agree on the first error
      files = data_files(data);
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
    return report_collective_error("train", e, *comm);
  } catch (const Error& e) {
    end_on_local_error("train", e, *comm);
  }
}

}  // namespace claimlens::cli
