// Dense matrix types shared by the feature and model modules.
#pragma once

#include <Eigen/Core>

namespace claimlens {

/// Row-major dense feature matrix: one row per sample, as scikit-learn's X.
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXd;

}  // namespace claimlens
