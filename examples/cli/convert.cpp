// `claimlens convert`: a model file written in another format (XGBoost's JSON, or claimlens' own).
#include <iostream>

#include "claimlens/error.hpp"
#include "claimlens/xgboost/booster.hpp"
#include "command.hpp"
#include "model_support.hpp"

namespace claimlens::cli {
namespace {

const char* kUsage =
    "usage: claimlens convert --model M --to xgboost-json|claimlens --out OUT\n"
    "\n"
    "Writes the model M (any model file load_model reads, XGBoost's JSON and UBJSON included) in\n"
    "another format, atomically (no half-written file):\n"
    "  xgboost-json  an XGBoost 1.7 JSON model that xgboost.Booster(model_file=OUT) loads and\n"
    "                predicts alike (docs/model-format.md gives the bound): a gradient-boosting\n"
    "                model, an imported booster, or the booster of a tabular pipeline or claim\n"
    "                classifier over their model features (named as the model names them); a\n"
    "                random forest or a logistic regression is refused, saying why\n"
    "  claimlens     claimlens' own model file: JSON text when OUT ends in .json, CBOR otherwise\n"
    "                (an imported XGBoost booster keeps XGBoost's document inside)\n"
    "\n"
    "options:\n"
    "  --model M    the model file\n"
    "  --to FORMAT  xgboost-json or claimlens\n"
    "  --out OUT    where to write\n"
    "  --help       this text\n";

int run(const std::vector<std::string>& argv) {
  Args args(argv, Args::Spec{{"model", "to", "out"}, {}});
  const std::string out = args.get("out");
  if (out.empty()) throw UsageError{"option --out needs a file name"};
  const std::string to = args.get("to");
  if (to != "xgboost-json" && to != "claimlens") {
    throw UsageError{"option --to: unknown format '" + to + "' (xgboost-json or claimlens)"};
  }
  const Model model = load_model(args.get("model"));
  if (to == "xgboost-json") {
    write_xgboost_json(model.to_xgboost_json(), out);
  } else {
    save_model(model, out);
  }
  std::cout << "wrote the " << model.model_type() << " model to " << out << " (" << to << ")\n";
  return std::cout ? kExitOk : kExitFailure;
}

const bool registered = register_command(
    {"convert", "write a model file as an XGBoost JSON model or a claimlens model", kUsage, run});

}  // namespace
}  // namespace claimlens::cli
