// `claimlens threshold`: the decision threshold reaching a target precision (or recall) on
// held-out rows, with bootstrap intervals, stored in the model as its operating point.
#include <charconv>
#include <iostream>

#include "claimlens/error.hpp"
#include "claimlens/model/calibrated_model.hpp"
#include "claimlens/model_io/model_io.hpp"
#include "command.hpp"
#include "model_support.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens threshold --model M --data FILE (--precision P | --recall R)\n"
    "                           [--target COLUMN] [--positive VALUE] [--bootstrap N] [--seed S]\n"
    "                           --out M2\n"
    "\n"
    "Chooses the model's decision threshold on held-out rows (FILE: labelled rows the model did\n"
    "not train on, ideally not those it was calibrated on either): among the thresholds whose\n"
    "precision is at least P, the one with the highest recall (--precision), or among those whose\n"
    "recall is at least R, the one with the highest precision (--recall). A seeded bootstrap of\n"
    "the rows gives intervals for the precision and recall reached. The threshold and what it\n"
    "reached (the operating point) are stored in a new model file M2, bound to M: predict, "
    "triage,\n"
    "evaluate and the C ABI then decide positive iff P > threshold (docs/calibration.md).\n"
    "\n"
    "options:\n"
    "  --model M          any model file (calibrated or not; a model without a calibrator keeps\n"
    "                     its probabilities and gets the threshold only)\n"
    "  --data FILE        the held-out labelled CSV\n"
    "  --precision P      the target precision, in (0, 1]\n"
    "  --recall R         the target recall, in (0, 1]\n"
    "  --target COLUMN    the label column (default: the model's own)\n"
    "  --positive VALUE   the label value of the positive class (default: the model's)\n"
    "  --bootstrap N      bootstrap resamples (default 1000; 0 for none)\n"
    "  --seed S           the bootstrap's seed (default 0)\n"
    "  --confidence C     the intervals' coverage, in (0, 1) (default 0.95)\n"
    "  --out M2           where to save the model with its operating point\n"
    "  --help             this text\n"
    "\n"
    "A precision no threshold reaches is an error naming the best precision reachable (exit 2,\n"
    "no file written).\n";

double rate_option(const Args& args, const std::string& name) {
  const std::string text = args.get(name);
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw UsageError{"option --" + name + " needs a number, got '" + text + "'"};
  }
  if (!(value > 0.0 && value <= 1.0)) {
    throw UsageError{"option --" + name + " must be in (0, 1], got " + text};
  }
  return value;
}

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "data", "precision", "recall", "target", "positive",
                              "bootstrap", "seed", "confidence", "out"},
                             {}});
  const std::string out = args.get("out");
  if (out.empty()) throw UsageError{"option --out needs a file name"};
  if (args.has("precision") == args.has("recall")) {
    throw UsageError{"give one of --precision P and --recall R"};
  }
  const OperatingTarget metric =
      args.has("precision") ? OperatingTarget::Precision : OperatingTarget::Recall;
  const double target = rate_option(args, operating_target_name(metric));
  BootstrapOptions bootstrap;
  const long long resamples = args.get_int("bootstrap", 1000), seed = args.get_int("seed", 0);
  if (resamples < 0 || resamples > 1000000) {
    throw UsageError{"option --bootstrap needs a number from 0 to 1000000"};
  }
  if (seed < 0) throw UsageError{"option --seed needs a number >= 0"};
  bootstrap.n_resamples = static_cast<int>(resamples);
  bootstrap.seed = static_cast<std::uint64_t>(seed);
  if (args.has("confidence")) {
    const std::string text = args.get("confidence");
    const auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), bootstrap.confidence);
    if (ec != std::errc() || end != text.data() + text.size() ||
        !(bootstrap.confidence > 0 && bootstrap.confidence < 1)) {
      throw UsageError{"option --confidence must be a number in (0, 1), got '" + text + "'"};
    }
  }
  const Model model = load_model(args.get("model"));
  const LabelledData d =
      labelled_data(model, args.get("data"), args.get("target", ""), args.get("positive", ""));
  const Model chosen = choose_model_operating_point(model, d.proba, d.y, metric, target, bootstrap);
  save_model(chosen, out);
  std::cout << "chosen on " << d.y.size() << " held-out rows";
  if (d.skipped) std::cout << " (" << d.skipped << " without a label or a score left out)";
  std::cout << "\n" << operating_point_text(model_operating_point(chosen)->to_json());
  std::cout << "model saved to " << out << " (positive iff p_" << model.schema().positive << " > "
            << format_number(chosen.threshold()) << ")\n";
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"threshold", "choose the decision threshold for a target precision or recall", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
