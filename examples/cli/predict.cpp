// `claimlens predict`: a model's probability for every row of a CSV, written as a new CSV.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <set>

#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "command.hpp"
#include "model_support.hpp"
#include "shards.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens predict --model M --data FILE --out OUT.csv\n"
    "       [mpirun -np N] claimlens predict --model M --data 'shards/*.csv' --out DIR\n"
    "\n"
    "Writes FILE's rows, every column as read, plus one column p_<positive class> (p_claim for a\n"
    "claim classifier) holding the model's probability of the positive class, and one column\n"
    "pred_<positive class> holding the decision: 1 when the probability is above the model's\n"
    "threshold (0.5, or its operating point's: `claimlens threshold`), else 0. M is any model "
    "file\n"
    "claimlens saves (JSON or CBOR, whatever its name): `claimlens train`, `claimlens analyze\n"
    "--model`, a model trained on a matrix through the C ABI (p_1), or an XGBoost model file\n"
    "(JSON or UBJSON, as Booster.save_model writes it; p_1).\n"
    "\n"
    "options:\n"
    "  --model M      the model file\n"
    "  --data FILE    the CSV to score (it needs the columns the model was trained on; the target\n"
    "                 column is not needed)\n"
    "  --out OUT.csv  where to write (replaced atomically: never a half-written file)\n"
    "  --help         this text\n"
    "\n"
    "Shards: with --data a glob or a comma-separated list of files, --out is a folder (made if\n"
    "missing) and each file FILE gets its scored copy DIR/<FILE's name>; under mpirun the ranks\n"
    "share the files (docs/scale-out.md). Two inputs of the same name are refused.\n"
    "\n"
    "A model trained on a matrix reads the columns named as its features (f0, f1, ..., or an\n"
    "XGBoost file's feature_names), or else\n"
    "every column in order when their number is its feature count.\n"
    "A train model scores every row (missing values are handled as in training). A claim\n"
    "classifier cannot score a row with an empty cell among the columns it reads: its probability\n"
    "is left empty. An existing column of the same name is replaced. Text is quoted as RFC 4180\n"
    "asks; numbers are printed shortest round-trip, independent of the locale.\n";

// The frame plus the model's probability and decision columns; `unscored` counts the rows it
// could not score (left empty).
DataFrame scored(const Model& model, const DataFrame& frame, std::size_t& unscored) {
  const std::vector<double> p = model.predict_proba(frame);
  DataFrame result = frame;
  const std::string name = "p_" + model.schema().positive;
  result.set_column(name, Column::from_float64(p));  // NaN (unscored) becomes an empty cell
  std::vector<std::int64_t> decisions(p.size());
  std::vector<bool> has_score(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    decisions[i] = model.predicts_positive(p[i]) ? 1 : 0;
    has_score[i] = !std::isnan(p[i]);  // an unscored row's decision is left empty too
  }
  const std::string decision = "pred_" + model.schema().positive;
  result.set_column(decision, Column::from_int64(decisions, has_score));
  unscored = 0;
  for (double v : p) unscored += std::isnan(v) ? 1 : 0;
  return result;
}

std::string columns_text(const Model& model, std::size_t unscored) {
  const std::string name = "p_" + model.schema().positive;
  std::string out = "columns " + name + ", pred_" + model.schema().positive + ": 1 when " + name +
                    " > " + format_number(model.threshold());
  if (unscored) out += "; " + std::to_string(unscored) + " rows with missing inputs left empty";
  return out;
}

// Each file of the shards scored into DIR/<its name>, the files shared among the ranks.
int predict_shards(const Model& model, const std::string& data, const std::string& dir) {
  const std::unique_ptr<Communicator> comm = make_communicator();
  try {
    std::vector<std::string> files;
    std::int64_t counts[2] = {0, 0};  // rows, unscored
    std::string error;
    try {  // every check and every file inside: the ranks agree on the first error
      files = data_files(data);
      std::set<std::string> names;
      for (const std::string& f : files) {
        const std::string name = std::filesystem::path(f).filename().string();
        if (!names.insert(name).second) {
          throw InvalidArgument("two inputs are named '" + name + "': their outputs in '" + dir +
                                "' would collide");
        }
      }
      std::filesystem::create_directories(dir);
      for (const std::string& f : rank_files(files, *comm)) {
        std::size_t unscored = 0;
        const DataFrame result = scored(model, read_data(f), unscored);
        const std::filesystem::path target =
            std::filesystem::path(dir) / std::filesystem::path(f).filename();
        io::atomic_write_file(target.string(), to_csv(result));
        counts[0] += static_cast<std::int64_t>(result.num_rows());
        counts[1] += static_cast<std::int64_t>(unscored);
      }
    } catch (const Error& e) {
      error = e.what();
    } catch (const std::filesystem::filesystem_error& e) {
      error = std::string("cannot make the folder '") + dir + "': " + e.code().message();
    }
    comm->agree(error);
    comm->allreduce_sum(counts, 2);
    if (comm->rank() == 0) {
      std::cout << "wrote " << counts[0] << " rows of " << files.size() << " files to " << dir
                << "/ by " << comm->size() << " process" << (comm->size() == 1 ? "" : "es") << " ("
                << columns_text(model, static_cast<std::size_t>(counts[1])) << ")\n";
    }
    return kExitOk;
  } catch (const CollectiveError& e) {
    return report_collective_error("predict", e, *comm);
  } catch (const Error& e) {
    end_on_local_error("predict", e, *comm);
  }
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "out"}, {}});
  const std::string out = args.get("out");
  if (out.empty()) throw UsageError{"option --out needs a file name"};
  const std::string data = args.get("data");
  const Model model = load_model(args.get("model"));
  if (wants_shards(data)) return predict_shards(model, data, out);
  const DataFrame frame = read_data(data);
  std::size_t unscored = 0;
  const DataFrame result = scored(model, frame, unscored);
  io::atomic_write_file(out, to_csv(result));
  std::cout << "wrote " << frame.num_rows() << " rows to " << out << " ("
            << columns_text(model, unscored) << ")\n";
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"predict", "add a model's probability column to every row of a CSV", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
