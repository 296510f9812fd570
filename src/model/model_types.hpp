// Private to the model layer: what its implementations of ModelInterface share.
#pragma once

#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "claimlens/error.hpp"
#include "claimlens/explain/linear_shap.hpp"
#include "claimlens/explain/tree_shap.hpp"
#include "claimlens/model/model.hpp"

namespace claimlens::model_detail {

/// "f0", "f1", ...: the names of a bare matrix's columns (XGBoost's default feature names).
std::vector<std::string> default_feature_names(std::size_t n);

/// The matrix a model of `names` features reads from a frame: the columns of those names when
/// the frame has them all, else the frame's columns less `ignore`, in order, when there are
/// exactly names.size() of them. Nulls become NaN. SchemaError naming what does not fit.
RowMatrix frame_matrix(const DataFrame& frame, const std::vector<std::string>& names,
                       const std::vector<std::string>& ignore, const char* model_type);

/// An explainer made once per model, on the first explanation asked for (so loading a model that
/// is never explained costs nothing), then shared by every thread. A model that cannot be
/// explained keeps the error and throws it again on every request.
template <class E>
class OnceExplainer {
 public:
  template <class Build>
  const E& get(Build&& build) const {
    std::call_once(once_, [&] {
      try {
        explainer_.emplace(build());
      } catch (const Error&) {
        error_ = std::current_exception();  // out of memory is not kept: the next call retries
      }
    });
    if (error_) std::rethrow_exception(error_);
    return *explainer_;
  }

 private:
  mutable std::once_flag once_;
  mutable std::optional<E> explainer_;
  mutable std::exception_ptr error_;
};

/// Checks explain's arguments before anything is written: the pointers (when rows > 0) and every
/// value (infinite: InvalidArgument naming row and column; NaN too unless `missing_ok`).
void check_explain_input(const double* x, std::size_t rows, std::size_t cols, const double* out,
                         const double* residual, bool missing_ok, const char* model_type);

/// Rows explained on the calling thread into out / residual / output (output may be null). The
/// tree explainer uses one workspace per thread, kept across calls and grown to fit: after a
/// thread's first row nothing is allocated. Arguments must have been checked.
void explain_rows_with(const TreeShapExplainer& e, const double* x, std::size_t rows, double* out,
                       double* residual, double* output);
void explain_rows_with(const LinearShapExplainer& e, const double* x, std::size_t rows, double* out,
                       double* residual, double* output);

/// The explainer of an imported booster, over the trees it predicts with: float32 comparisons,
/// the margin scale. ModelFormatError naming the tree when the file has no covers.
TreeShapExplainer booster_explainer(const XGBoostBooster& booster);

}  // namespace claimlens::model_detail
