// Dense matrix types shared by the feature and model modules.
#pragma once

#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace claimlens {

/// Row-major dense feature matrix: one row per sample, as scikit-learn's X.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;

/// The rows `rows` of X, in that order (numpy's X[rows]); each index must be below X.rows().
inline RowMatrix take_rows(const RowMatrix& X, const std::vector<std::size_t>& rows) {
  RowMatrix out(static_cast<Eigen::Index>(rows.size()), X.cols());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    out.row(static_cast<Eigen::Index>(k)) = X.row(static_cast<Eigen::Index>(rows[k]));
  }
  return out;
}

}  // namespace claimlens
