// What the model layer's implementations share to explain a matrix (model_types.hpp).
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "claimlens/xgboost/booster.hpp"
#include "model_types.hpp"

namespace claimlens::model_detail {

void check_explain_input(const double* x, std::size_t rows, std::size_t cols, const double* out,
                         const double* residual, bool missing_ok, const char* model_type) {
  if (rows == 0) return;
  if (x == nullptr) throw InvalidArgument("x is null");
  if (out == nullptr) throw InvalidArgument("out is null");
  if (residual == nullptr) throw InvalidArgument("residual is null");
  for (std::size_t i = 0; i < rows * cols; ++i) {
    const double v = x[i];
    if (std::isinf(v) || (!missing_ok && std::isnan(v))) {
      throw InvalidArgument(
          "x has " + std::string(std::isnan(v) ? "a missing" : "an infinite") + " value at row " +
          std::to_string(i / cols) + ", column " + std::to_string(i % cols) + ": a " + model_type +
          " model explains finite values" + (missing_ok ? " (NaN = missing)" : " only"));
    }
  }
}

void explain_rows_with(const TreeShapExplainer& e, const double* x, std::size_t rows, double* out,
                       double* residual, double* output) {
  // One workspace per thread for every explainer of the process (fit_workspace grows it).
  thread_local TreeShapExplainer::Workspace ws;
  e.fit_workspace(ws);
  if (output != nullptr) {
    e.explain_rows(x, rows, out, output, residual, ws);
    return;
  }
  constexpr std::size_t kChunk = 64;
  double outputs[kChunk];  // not asked for: kept on the stack
  for (std::size_t begin = 0; begin < rows; begin += kChunk) {
    const std::size_t m = std::min(kChunk, rows - begin);
    e.explain_rows(x + begin * e.num_features(), m, out + begin * e.width(), outputs,
                   residual + begin, ws);
  }
}

void explain_rows_with(const LinearShapExplainer& e, const double* x, std::size_t rows, double* out,
                       double* residual, double* output) {
  const std::size_t n = e.num_features(), width = e.width();
  for (std::size_t r = 0; r < rows; ++r) {
    const RowAdditivity a = e.explain_row(x + r * n, out + r * width);
    residual[r] = a.residual;
    if (output != nullptr) output[r] = a.output;
  }
}

TreeShapExplainer booster_explainer(const XGBoostBooster& booster) {
  const std::size_t per_round = static_cast<std::size_t>(booster.num_parallel_tree());
  const std::size_t begin = booster.iteration_begin() * per_round;
  const std::size_t end = booster.iteration_end() * per_round;
  std::vector<TreeView> views;
  views.reserve(end - begin);
  for (std::size_t t = begin; t < end; ++t) views.emplace_back(booster.trees()[t]);
  TreeShapOutput output;
  output.scale = 1.0;  // the margin: base margin + the trees' leaves, as pred_contribs explains
  output.base = booster.base_margin();
  output.kind = ShapScale::Margin;
  const std::string what = begin == 0
                               ? "xgboost model"
                               : "xgboost model (trees counted from " + std::to_string(begin) + ")";
  try {
    return TreeShapExplainer::build(views, booster.num_features(), SplitCompare::Float32, output,
                                    what);
  } catch (const StateError& e) {
    // Covers come from the file's sum_hessian: without them the file cannot be explained.
    throw ModelFormatError(std::string(e.what()) +
                           " (an XGBoost model file keeps them in each tree's sum_hessian)");
  }
}

}  // namespace claimlens::model_detail
