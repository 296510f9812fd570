#include "claimlens/explain/linear_shap.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/regression/logistic_regression.hpp"
#include "claimlens/threads.hpp"

namespace claimlens {

LinearShapExplainer::LinearShapExplainer(const LogisticRegression& model) {
  if (!model.is_fitted()) throw StateError("LogisticRegression.explain: the model is not fitted");
  if (model.feature_means().size() != model.coef().size()) {
    throw StateError(
        "LogisticRegression.explain: the model has no training feature means (it was saved "
        "before claimlens kept them): refit it to explain its predictions");
  }
  coef_ = model.coef();
  means_ = model.feature_means();
  intercept_ = model.intercept();
  expected_value_ = intercept_;
  for (Eigen::Index j = 0; j < coef_.size(); ++j) expected_value_ += coef_[j] * means_[j];
}

RowAdditivity LinearShapExplainer::explain_row(const double* row, double* out) const {
  const auto n = static_cast<std::size_t>(coef_.size());
  for (std::size_t j = 0; j < n; ++j) {
    if (!std::isfinite(row[j])) {
      throw InvalidArgument("LogisticRegression.explain: column " + std::to_string(j) +
                            " is not finite (a logistic regression has no rule for missing "
                            "values)");
    }
  }
  RowAdditivity a;
  a.output = intercept_;
  double total = 0.0;
  for (std::size_t j = 0; j < n; ++j) {
    const auto e = static_cast<Eigen::Index>(j);
    out[j] = coef_[e] * (row[j] - means_[e]);
    a.output += coef_[e] * row[j];
    total += out[j];
  }
  out[n] = expected_value_;
  total += expected_value_;
  a.residual = std::fabs(total - a.output);
  return a;
}

ShapValues LinearShapExplainer::explain(const double* x, std::size_t rows, std::size_t cols,
                                        int n_threads) const {
  const std::size_t n = num_features();
  if (cols != n) {
    throw InvalidArgument("LinearShapExplainer.explain: X has " + std::to_string(cols) +
                          " columns but the model has " + std::to_string(n) + " features");
  }
  if (rows > 0 && x == nullptr) throw InvalidArgument("LinearShapExplainer.explain: X is null");
  if (!valid_n_jobs(n_threads)) {
    throw InvalidArgument("LinearShapExplainer.explain: n_threads " + std::to_string(n_threads) +
                          " is below -1");
  }
  for (std::size_t i = 0; i < rows * cols; ++i) {  // refused before anything is written
    if (!std::isfinite(x[i])) {
      throw InvalidArgument("LogisticRegression.explain: row " + std::to_string(i / cols) +
                            " column " + std::to_string(i % cols) +
                            " is not finite (a logistic regression has no rule for missing "
                            "values)");
    }
  }
  ShapValues v;
  v.rows = rows;
  v.num_features = n;
  v.scale = ShapScale::Margin;
  v.values.assign(rows * (n + 1), 0.0);
  v.output.assign(rows, 0.0);
  v.residual.assign(rows, 0.0);
  const int threads = static_cast<int>(std::min<std::size_t>(
      static_cast<std::size_t>(resolve_n_jobs(n_threads)), std::max<std::size_t>(rows / 256, 1)));
  const auto count = static_cast<long long>(rows);
#pragma omp parallel for schedule(static) num_threads(threads) if (threads > 1)
  for (long long r = 0; r < count; ++r) {
    const auto i = static_cast<std::size_t>(r);
    const RowAdditivity a = explain_row(x + i * cols, v.values.data() + i * (n + 1));
    v.output[i] = a.output;
    v.residual[i] = a.residual;
  }
  return v;
}

ShapValues LinearShapExplainer::explain(const RowMatrix& X, int n_threads) const {
  return explain(X.data(), static_cast<std::size_t>(X.rows()), static_cast<std::size_t>(X.cols()),
                 n_threads);
}

}  // namespace claimlens
