// `claimlens train` on shards, by one process or by the ranks of mpirun (train_distributed.cpp).
#pragma once

#include <functional>
#include <string>

#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens::cli {

/// The printed summary of a trained pipeline saved to a path (train.cpp's).
using SummaryFn = std::function<std::string(const TabularPipeline&, const std::string&)>;

/// Trains on the files of `data` shared among the ranks; rank 0 saves the model to `out` and
/// prints `summary`. The exit status.
int train_distributed(const std::string& data, const std::string& out,
                      TabularPipelineOptions options, const SummaryFn& summary);

}  // namespace claimlens::cli
