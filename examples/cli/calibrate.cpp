// `claimlens calibrate`: a model of any type made a calibrated model (Platt scaling or isotonic
// regression), on a calibration split or out of fold on its training rows.
#include <iostream>

#include "claimlens/error.hpp"
#include "claimlens/metrics/calibration.hpp"
#include "claimlens/model_io/calibrate.hpp"
#include "command.hpp"
#include "model_support.hpp"
#include "progress.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens calibrate --model M --data FILE --method sigmoid|isotonic [--cv K]\n"
    "                           [--target COLUMN] [--positive VALUE] [--quiet] --out M2\n"
    "\n"
    "Makes M a calibrated model, saved to M2: its probabilities pass through a calibrator fitted\n"
    "on labelled rows, so that among rows given P = 0.8 about 80% are positive. M2 is a model\n"
    "file like any other (model_type \"calibrated\"; predict, evaluate, triage, threshold and the\n"
    "C ABI read it). The calibrator is Platt scaling (sigmoid: on the log-odds of the probability\n"
    "of a model built on a margin, gradient boosting or logistic regression, and on a random\n"
    "forest's probability) or isotonic regression (on the probability), as scikit-learn's\n"
    "CalibratedClassifierCV (docs/calibration.md).\n"
    "\n"
    "Which rows:\n"
    "  without --cv  FILE is a calibration split M did not train on; the calibrator is fitted on\n"
    "                M's probabilities of its rows. Works for every model type.\n"
    "  --cv K        FILE is the data M was trained on (all of it); M is refitted K times, on K-1\n"
    "                stratified folds each, to score the remaining fold (out-of-fold\n"
    "                probabilities, scikit-learn's cv=K with ensemble=False), and the calibrator\n"
    "                is fitted on them; M itself stays as trained. Needs a model that can be\n"
    "                refitted: a `claimlens train` model (its estimator is refitted on its "
    "feature\n"
    "                plan) or a random forest, gradient boosting or logistic regression trained\n"
    "                on a matrix; K >= 2 with at least K rows of each class.\n"
    "\n"
    "options:\n"
    "  --model M          the model file (a calibrated model is recalibrated from its base)\n"
    "  --data FILE        a labelled CSV with the model's input columns\n"
    "  --method NAME      sigmoid or isotonic\n"
    "  --cv K             out-of-fold on the training data (see above)\n"
    "  --target COLUMN    the label column (default: the model's own)\n"
    "  --positive VALUE   the label value of the positive class (default: the model's)\n"
    "  --out M2           where to save (JSON when it ends in .json, CBOR otherwise)\n"
    "  --quiet            no progress of the --cv refits on stderr\n"
    "  --help             this text\n"
    "\n"
    "Rows without a label, or that the model cannot score, are left out (counted). One class,\n"
    "fewer than K rows of a class, or probabilities that are all equal are errors (exit 2, no\n"
    "file written).\n";

int run(const std::vector<std::string>& argv) {
  Args args(argv,
            Args::Spec{{"model", "data", "method", "cv", "target", "positive", "out"}, {"quiet"}});
  const std::string out = args.get("out");
  if (out.empty()) throw UsageError{"option --out needs a file name"};
  Progress progress("calibrate", args.has("quiet"));
  CalibrateOptions options = calibrate_options(args, "method", 0);
  options.progress = [&progress](double f) { progress("out-of-fold refits", f); };
  const Model model = load_model(args.get("model"));
  const LabelledData d =
      labelled_data(model, args.get("data"), args.get("target", ""), args.get("positive", ""));
  const Model calibrated = calibrate_model(model, d.frame, d.y, {d.target}, options);
  const std::vector<double> after = calibrated.predict_proba(d.frame, {d.target});
  save_model(calibrated, out);
  std::cout << "calibrated " << model.model_type() << " with " << args.get("method") << " on "
            << d.y.size() << " rows"
            << (options.cv ? " (out-of-fold, " + std::to_string(options.cv) + " folds)"
                           : std::string(" (a calibration split)"));
  if (d.skipped) std::cout << "; " << d.skipped << " rows without a label or a score left out";
  std::cout << "\n";
  if (options.cv == 0) {
    std::cout << "on those rows: ECE " << format_fixed(expected_calibration_error(d.y, d.proba), 4)
              << " -> " << format_fixed(expected_calibration_error(d.y, after), 4) << ", Brier "
              << format_fixed(brier_score_loss(d.y, d.proba), 4) << " -> "
              << format_fixed(brier_score_loss(d.y, after), 4)
              << " (fitted there: measure on other rows with `claimlens evaluate`)\n";
  }
  std::cout << "model saved to " << out << "\n";
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"calibrate", "calibrate a model's probabilities (sigmoid or isotonic)", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
