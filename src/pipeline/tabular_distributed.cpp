// TabularPipeline::fit_distributed: the plan learned from a sample gathered from every rank, the
// estimator fitted on every rank's rows (docs/scale-out.md).
#include <cmath>
#include <cstring>
#include <functional>

#include "claimlens/communicator.hpp"
#include "claimlens/dataframe/csv.hpp"
#include "claimlens/dataframe/csv_writer.hpp"
#include "claimlens/dataframe/frame_chunks.hpp"
#include "claimlens/error.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"
#include "claimlens/random.hpp"
#include "tabular_support.hpp"

namespace claimlens {

using Json = nlohmann::json;
using namespace tabular_detail;  // NOLINT: private helpers of the tabular pipeline

namespace {

// Streams of random_state apart from the estimators' own.
constexpr std::uint64_t kPlanSampleStream = (std::uint64_t{1} << 63) + 31;
constexpr std::uint64_t kHoldOutStream = (std::uint64_t{1} << 63) + 37;

// A uniform draw in [0, 1) for global row `row` of a stream: the same on whichever rank holds it.
double row_draw(std::uint64_t seed, std::uint64_t stream, std::uint64_t row) {
  return static_cast<double>(derive_seed(derive_seed(seed, stream), row) >> 11) * 0x1p-53;
}

// Runs `step` on this rank and agrees on its outcome: an error on any rank is thrown on all.
template <class F>
void agreed(Communicator& comm, F&& step) {
  std::string error;
  try {
    step();
  } catch (const Error& e) {
    error = e.what();
  }
  comm.agree(error);
}

// The rows of this rank's chunks, and those with a target.
struct ShardRows {
  std::size_t rows = 0;
  std::size_t labelled = 0;
};

// Counts this rank's rows (a pass over its chunks), checking that each chunk has the columns the
// options name; the column types are checked on the plan's sample, as a chunk may type an empty
// column float64.
ShardRows count_rows(const FrameChunks& shard, const TabularPipelineOptions& options,
                     Communicator& comm) {
  ShardRows counts;
  agreed(comm, [&] {
    shard.for_each([&](const DataFrame& chunk) {
      const Column& target = required_column(chunk, options.target, "target");
      for (const auto& name : options.drop) required_column(chunk, name, "drop");
      if (options.text) required_column(chunk, *options.text, "text");
      counts.rows += chunk.num_rows();
      counts.labelled += chunk.num_rows() - target.null_count();
    });
  });
  return counts;
}

// This rank's rows drawn for the plan (each with probability sample_rows / rows, all when
// fewer) as CSV text: its header line(s), a NUL marking their end (column names hold none),
// then the rows. Empty when the rank has no rows.
std::string local_sample_csv(const FrameChunks& shard, const RowShard& rows, std::uint64_t seed) {
  const double keep = static_cast<double>(TabularPipeline::kPlanSampleRows) /
                      static_cast<double>(std::max<std::uint64_t>(rows.total_rows, 1));
  std::string text;
  std::size_t header_size = 0, seen = 0;
  shard.for_each([&](const DataFrame& chunk) {
    if (text.empty()) {
      text = to_csv(chunk.take(Span<const std::size_t>()));
      header_size = text.size();
      text.push_back('\0');
    }
    std::vector<std::size_t> picked;
    for (std::size_t r = 0; r < chunk.num_rows(); ++r) {
      if (keep >= 1.0 || row_draw(seed, kPlanSampleStream, rows.first_row + seen + r) < keep) {
        picked.push_back(r);
      }
    }
    seen += chunk.num_rows();
    if (!picked.empty()) text.append(to_csv(chunk.take(picked)).substr(header_size));
  });
  return text;
}

// The rows of every rank drawn for the plan, as one frame parsed from their CSV text: every rank
// gets the same frame.
DataFrame gather_sample(const FrameChunks& shard, const RowShard& rows, std::uint64_t seed,
                        Communicator& comm) {
  std::string text;
  agreed(comm, [&] { text = local_sample_csv(shard, rows, seed); });
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all = comm.allgather(text.data(), text.size(), offsets);
  std::string header, body;
  int header_rank = -1;
  for (int k = 0; k < comm.size(); ++k) {
    const auto* part = reinterpret_cast<const char*>(all.data()) + offsets[std::size_t(k)];
    const std::size_t size = offsets[std::size_t(k) + 1] - offsets[std::size_t(k)];
    if (size == 0) continue;  // a rank without data
    const std::string_view view(part, size);
    const std::size_t mark = view.find('\0');
    const std::string_view h = view.substr(0, mark);
    if (header_rank < 0) {
      header.assign(h);
      header_rank = k;
    } else if (h != header) {
      throw SchemaError("rank " + std::to_string(k) + "'s data has the columns " +
                        std::string(h.substr(0, h.find('\n'))) + " but rank " +
                        std::to_string(header_rank) + "'s has " +
                        header.substr(0, header.find('\n')));
    }
    body.append(view.substr(mark + 1));
  }
  if (header_rank < 0) throw InvalidArgument("no rank holds any data");
  return read_csv_buffer(header + body, CsvOptions{}, "<the plan's sample of every rank's rows>");
}

// Every rank's values, concatenated in rank order.
std::vector<double> gather_doubles(const std::vector<double>& mine, Communicator& comm) {
  std::vector<std::size_t> offsets;
  const std::vector<unsigned char> all =
      comm.allgather(mine.data(), mine.size() * sizeof(double), offsets);
  std::vector<double> out(all.size() / sizeof(double));
  if (!out.empty()) std::memcpy(out.data(), all.data(), all.size());
  return out;
}

std::int64_t global_sum(std::int64_t value, Communicator& comm) {
  comm.allreduce_sum(&value, 1);
  return value;
}

// The estimator's parameters on shards: checked, gbdt with quantized gradients unless asked
// otherwise; tune and logreg refused.
JsonDocument distributed_params(const TabularPipelineOptions& options) {
  options.validate();
  if (options.tune) {
    throw InvalidArgument("distributed training does not tune (--tune): tune on a sample first");
  }
  if (options.algorithm == TabularAlgorithm::LogisticRegression) {
    throw InvalidArgument("distributed training fits rf or gbdt, not logreg");
  }
  JsonDocument params = model_params(options);
  if (options.algorithm == TabularAlgorithm::GradientBoosting &&
      !params->contains("use_quantized_grad")) {
    (*params)["use_quantized_grad"] = true;  // integer histograms: exact sums across ranks
  }
  Model::validate_params(*params);
  return params;
}

// This rank's labelled rows, a chunk at a time: visit(rows, first), first being the chunk's first
// labelled row among this rank's.
void for_each_labelled(const FrameChunks& shard, const std::string& target,
                       const std::function<void(const DataFrame&, std::size_t)>& visit) {
  std::size_t first = 0;
  shard.for_each([&](const DataFrame& chunk) {
    const DataFrame labelled = chunk.filter(chunk.column(target).validity());
    if (labelled.num_rows() == 0) return;
    visit(labelled, first);
    first += labelled.num_rows();
  });
}

// The hold-out's metrics: each labelled row held out by a hash of its global id (stratified in
// expectation), a model fitted on the others over every rank (binned as the whole), and the
// held-out rows' scores of every rank gathered.
Json holdout_validation(const Json& params, const BinnedMatrix& X, const std::vector<double>& y,
                        const FrameChunks& shard, const TabularPipeline& pipeline,
                        const RowShard& rows, const TabularPipelineOptions& options,
                        Communicator& comm) {
  std::vector<std::size_t> train;
  std::vector<bool> is_held(y.size());
  std::vector<double> y_train, y_held;
  for (std::size_t i = 0; i < y.size(); ++i) {
    is_held[i] = row_draw(options.random_state, kHoldOutStream, rows.first_row + i) <
                 options.validation_fraction;
    if (is_held[i]) {
      y_held.push_back(y[i]);
    } else {
      train.push_back(i);
      y_train.push_back(y[i]);
    }
  }
  const Model part = Model::fit_distributed(params, X.take_rows(train), y_train, comm);
  std::vector<double> p_held;
  agreed(comm, [&] {
    if (y_held.empty()) return;
    for_each_labelled(shard, options.target, [&](const DataFrame& rows, std::size_t first) {
      std::vector<std::size_t> held;  // only these are transformed
      for (std::size_t r = 0; r < rows.num_rows(); ++r) {
        if (is_held[first + r]) held.push_back(r);
      }
      if (held.empty()) return;
      const std::vector<double> p = part.predict_proba(pipeline.model_matrix(rows.take(held)));
      p_held.insert(p_held.end(), p.begin(), p.end());
    });
  });
  const std::vector<double> y_all = gather_doubles(y_held, comm);
  const std::vector<double> p_all = gather_doubles(p_held, comm);
  if (y_all.empty()) throw InvalidArgument("the validation hold-out drew no row");
  Json validation = binary_evaluation(y_all, p_all);
  validation["rows"] = y_all.size();
  validation["fraction"] = options.validation_fraction;
  return validation;
}

// This rank's labelled rows binned under the plan for the estimator of `params`
// (Model::bin_distributed; the rows transformed a chunk at a time, twice), and their labels.
BinnedMatrix bin_shard(const Json& params, const FrameChunks& shard,
                       const TabularPipeline& pipeline, std::size_t labelled,
                       const std::string& target, std::vector<double>& y, Communicator& comm) {
  int pass = 0;
  const BinnedMatrix::RowBlocks blocks = [&](const BinnedMatrix::RowBlockVisitor& visit) {
    const bool first_pass = pass++ == 0;
    for_each_labelled(shard, target, [&](const DataFrame& rows, std::size_t first) {
      if (first_pass) {
        const std::vector<double> labels = pipeline.encode_target(rows, target, first);
        y.insert(y.end(), labels.begin(), labels.end());
      }
      const RowMatrix X = pipeline.model_matrix(rows);
      visit(X.data(), static_cast<std::size_t>(X.rows()));
    });
  };
  return Model::bin_distributed(params, blocks, labelled, pipeline.num_features(), comm);
}

}  // namespace

TabularPipeline TabularPipeline::fit_distributed(const DataFrame& shard,
                                                 const TabularPipelineOptions& options,
                                                 Communicator& comm) {
  return fit_distributed(FrameSlices(shard), options, comm);
}

TabularPipeline TabularPipeline::fit_distributed(const FrameChunks& shard,
                                                 const TabularPipelineOptions& options,
                                                 Communicator& comm) {
  const JsonDocument params = distributed_params(options);
  const ShardRows counts = count_rows(shard, options, comm);
  const DataFrame sample =
      gather_sample(shard, row_shard(comm, counts.rows), options.random_state, comm);
  check_frame(sample, options);
  const DataFrame sample_labelled = sample.filter(sample.column(options.target).validity());
  TabularPipeline out;
  out.target_ = options.target;
  out.algorithm_ = options.algorithm;
  std::tie(out.positive_, out.negative_) =
      choose_classes(sample_labelled.column(options.target), options.target, options.positive);
  out.learn_plan(sample_labelled, options);

  std::vector<double> y;
  const BinnedMatrix X = bin_shard(*params, shard, out, counts.labelled, options.target, y, comm);
  const RowShard rows = row_shard(comm, y.size());
  const std::int64_t positives =
      global_sum(static_cast<std::int64_t>(std::count(y.begin(), y.end(), 1.0)), comm);

  JsonDocument doc(Json::object());
  Json& report = *doc;
  const auto all_rows = global_sum(static_cast<std::int64_t>(counts.rows), comm);
  report["rows"] = all_rows;
  report["rows_used"] = rows.total_rows;
  report["rows_without_target"] = static_cast<std::uint64_t>(all_rows) - rows.total_rows;
  Json& classes = report["classes"] = Json::object();
  classes[out.positive_] = positives;
  classes[out.negative_] = static_cast<std::int64_t>(rows.total_rows) - positives;
  report["validation"] = nullptr;
  if (options.validation_fraction > 0) {
    report["validation"] = holdout_validation(*params, X, y, shard, out, rows, options, comm);
  }
  out.model_ = Model::fit_distributed(*params, X, y, comm);
  report["features"] = out.num_features();
  report["notes"] = out.notes_;
  report["plan_sample_rows"] = sample.num_rows();
  out.report_ = std::move(doc);
  return out;
}

}  // namespace claimlens
