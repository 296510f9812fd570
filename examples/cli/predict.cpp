// `claimlens predict`: a model's probability for every row of a CSV, written as a new CSV.
#include <cmath>
#include <cstdint>
#include <iostream>

#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "command.hpp"
#include "model_support.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens predict --model M --data FILE --out OUT.csv\n"
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
    "A model trained on a matrix reads the columns named as its features (f0, f1, ..., or an\n"
    "XGBoost file's feature_names), or else\n"
    "every column in order when their number is its feature count.\n"
    "A train model scores every row (missing values are handled as in training). A claim\n"
    "classifier cannot score a row with an empty cell among the columns it reads: its probability\n"
    "is left empty. An existing column of the same name is replaced. Text is quoted as RFC 4180\n"
    "asks; numbers are printed shortest round-trip, independent of the locale.\n";

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "out"}, {}});
  const std::string out = args.get("out");
  if (out.empty()) throw UsageError{"option --out needs a file name"};
  const Model model = load_model(args.get("model"));
  const DataFrame frame = read_data(args.get("data"));
  const std::vector<double> p = model.predict_proba(frame);
  DataFrame result = frame;
  const std::string name = "p_" + model.schema().positive;
  result.set_column(name, Column::from_float64(p));  // NaN (unscored) becomes an empty cell
  std::vector<std::int64_t> decisions(p.size());
  std::vector<bool> scored(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) {
    decisions[i] = model.predicts_positive(p[i]) ? 1 : 0;
    scored[i] = !std::isnan(p[i]);  // an unscored row's decision is left empty too
  }
  const std::string decision = "pred_" + model.schema().positive;
  result.set_column(decision, Column::from_int64(decisions, scored));
  io::atomic_write_file(out, to_csv(result));
  std::size_t unscored = 0;
  for (double v : p) unscored += std::isnan(v) ? 1 : 0;
  std::cout << "wrote " << frame.num_rows() << " rows to " << out << " (columns " << name << ", "
            << decision << ": 1 when " << name << " > " << format_number(model.threshold());
  if (unscored) std::cout << "; " << unscored << " rows with missing inputs left empty";
  std::cout << ")\n";
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"predict", "add a model's probability column to every row of a CSV", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
