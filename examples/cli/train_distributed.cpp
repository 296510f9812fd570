// `claimlens train` on shards: the data as one CSV file, a glob or a comma-separated list of them,
// cut among the ranks of `mpirun -np N claimlens train ...` into byte ranges at row boundaries
// (or read by one process without mpirun), each rank's part read a chunk at a time, one model
// whatever N (csv_rank_parts, CsvChunks, TabularPipeline::fit_distributed; docs/scale-out.md).
#include "train_distributed.hpp"

#include <iostream>
#include <memory>

#include "claimlens/communicator.hpp"
#include "claimlens/dataframe/csv_parts.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "command.hpp"
#include "model_support.hpp"
#include "shards.hpp"

namespace claimlens::cli {

int train_distributed(const std::string& data, const std::string& out,
                      TabularPipelineOptions options, const SummaryFn& summary) {
  const std::unique_ptr<Communicator> comm = make_communicator();
  const bool lead = comm->rank() == 0;
  try {
    std::vector<std::string> files;
    std::string error;
    try {  // the ranks agree on the first error
      files = data_files(data);
    } catch (const Error& e) {
      error = e.what();
    }
    comm->agree(error);
    const CsvChunks shard(csv_rank_parts(files, *comm));
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
