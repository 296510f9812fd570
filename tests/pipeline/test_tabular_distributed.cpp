// TabularPipeline::fit_distributed with ranks as threads (support/thread_communicator.hpp): one
// pipeline, byte for byte, for 1-4 ranks; errors on one rank reach every rank. The CLI's runs
// under mpirun are tests/mpi (mpi.cli_*).
#include <catch2/catch.hpp>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/frame_chunks.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pipeline/synth_tabular.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "pipeline/tabular_toy.hpp"
#include "support/thread_communicator.hpp"

using namespace claimlens;
using claimlens::testing::run_ranks;
using claimlens::testing::ThreadCommunicator;

namespace {

// Rank k of `ranks`: rows [k n / ranks, (k + 1) n / ranks) of the frame; or, with `empty`, that
// rank none (an empty frame, as a rank without files) and the others share the rows.
DataFrame shard_of(const DataFrame& frame, int ranks, int k, int empty = -1) {
  if (k == empty) return DataFrame();
  if (empty >= 0) {  // the others share the rows
    --ranks;
    if (k > empty) --k;
  }
  const std::size_t n = frame.num_rows();
  std::vector<std::size_t> rows;
  for (std::size_t r = n * std::size_t(k) / std::size_t(ranks);
       r < n * std::size_t(k + 1) / std::size_t(ranks); ++r) {
    rows.push_back(r);
  }
  return frame.take(rows);
}

// Every rank's pipeline document (they must agree); with chunk_rows, each rank's shard is read
// in chunks of that many rows.
std::string fit_on_ranks(const DataFrame& frame, const TabularPipelineOptions& options, int ranks,
                         int empty = -1, std::size_t chunk_rows = 0) {
  std::vector<std::string> docs(static_cast<std::size_t>(ranks));
  run_ranks(ranks, [&](ThreadCommunicator& comm) {
    const DataFrame shard = shard_of(frame, ranks, comm.rank(), empty);
    const TabularPipeline p =
        chunk_rows == 0
            ? TabularPipeline::fit_distributed(shard, options, comm)
            : TabularPipeline::fit_distributed(FrameSlices(shard, chunk_rows), options, comm);
    docs[std::size_t(comm.rank())] = p.to_json().dump();
  });
  for (const std::string& d : docs) REQUIRE(d == docs[0]);
  return docs[0];
}

DataFrame noisy_frame(std::int64_t rows) {
  TabularSynthOptions o;
  o.shape = SynthShape::Noisy;
  o.rows = rows;
  return read_csv_buffer(synth_tabular_csv(o), {}, "<noisy>");
}

}  // namespace

TEST_CASE("distributed tabular pipeline: one model for 1-4 ranks", "[tabular][distributed]") {
  const DataFrame frame = noisy_frame(6000);
  for (const auto algorithm :
       {TabularAlgorithm::GradientBoosting, TabularAlgorithm::RandomForest}) {
    TabularPipelineOptions options;
    options.target = "label";
    options.algorithm = algorithm;
    options.params = {{"n_estimators", 10}, {"max_depth", 5}};
    INFO(tabular_algorithm_name(algorithm));
    const std::string one = fit_on_ranks(frame, options, 1);
    for (int ranks = 2; ranks <= 4; ++ranks) {
      INFO(ranks << " ranks");
      CHECK(fit_on_ranks(frame, options, ranks) == one);
    }
    CHECK(fit_on_ranks(frame, options, 3, 1) == one);       // rank 1 without data
    CHECK(fit_on_ranks(frame, options, 1, -1, 97) == one);  // a chunk at a time
    CHECK(fit_on_ranks(frame, options, 3, -1, 500) == one);
    const nlohmann::json doc = nlohmann::json::parse(one);
    CHECK(doc.dump().find("\"validation\":{") != std::string::npos);  // measured on a hold-out
  }
}

TEST_CASE("distributed tabular pipeline: text and categorical columns", "[tabular][distributed]") {
  const DataFrame frame = testing::toy_frame();
  const TabularPipelineOptions options = testing::toy_options(TabularAlgorithm::RandomForest);
  const std::string one = fit_on_ranks(frame, options, 1);
  CHECK(fit_on_ranks(frame, options, 3) == one);
  CHECK(fit_on_ranks(frame, options, 2, -1, 7) == one);
}

TEST_CASE("distributed tabular pipeline: errors reach every rank", "[tabular][distributed]") {
  const DataFrame frame = testing::toy_frame();
  TabularPipelineOptions options = testing::toy_options(TabularAlgorithm::GradientBoosting);
  SECTION("a third class: every rank refuses it (the plan's sample holds every row)") {
    std::string csv = "x,size,colour,code,memo,y\n";
    for (int i = 0; i < 300; ++i) {
      csv += std::to_string(i % 7) + ",1,red,c,memo," +
             (i == 250 ? "maybe"
              : i % 2  ? "yes"
                       : "no") +
             "\n";
    }
    const DataFrame odd = read_csv_buffer(csv, {}, "<odd>");
    std::vector<std::string> errors(3);
    run_ranks(3, [&](ThreadCommunicator& comm) {
      try {
        TabularPipeline::fit_distributed(shard_of(odd, 3, comm.rank()), options, comm);
      } catch (const Error& e) {
        errors[std::size_t(comm.rank())] = e.what();
      }
    });
    for (const std::string& e : errors) {
      CHECK(e ==
            "target 'y' has more than 2 classes ('maybe', 'no', 'yes', ...); a binary "
            "classifier needs exactly 2");
    }
  }
  SECTION("a label neither class names its row among the rank's rows") {
    // Reached only when the plan's sample misses the row (past kPlanSampleRows): each chunk's
    // labels are checked with its place among the rank's rows.
    claimlens::SingleProcess comm;
    const TabularPipeline p = TabularPipeline::fit_distributed(frame, options, comm);
    const DataFrame odd = read_csv_buffer("y\nyes\nmaybe\n", {}, "<odd>");
    CHECK_THROWS_WITH(p.encode_target(odd, "y", 1500),
                      "target 'y' row 1502: 'maybe' is neither 'yes' nor 'no'");
  }
  SECTION("a missing column on one rank") {
    std::vector<std::string> errors(2);
    run_ranks(2, [&](ThreadCommunicator& comm) {
      DataFrame shard = shard_of(frame, 2, comm.rank());
      if (comm.rank() == 1) shard = shard.select({"x", "size", "colour", "code", "memo"});
      try {
        TabularPipeline::fit_distributed(shard, options, comm);
      } catch (const Error& e) {
        errors[std::size_t(comm.rank())] = e.what();
      }
    });
    for (const std::string& e : errors) {
      INFO(e);
      CHECK(e.rfind("rank 1: ", 0) == 0);
      CHECK(e.find("'y'") != std::string::npos);
    }
  }
  SECTION("tuning and logistic regression are refused") {
    claimlens::SingleProcess comm;
    options.tune = true;
    CHECK_THROWS_WITH(TabularPipeline::fit_distributed(frame, options, comm),
                      Catch::Contains("does not tune"));
    options = testing::toy_options(TabularAlgorithm::LogisticRegression);
    CHECK_THROWS_WITH(TabularPipeline::fit_distributed(frame, options, comm),
                      Catch::Contains("not logreg"));
  }
}
