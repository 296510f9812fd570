// Private helpers shared by both ensembles: input checks, bin-space traversal, batch prediction.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/error.hpp"
#include "claimlens/span.hpp"

namespace claimlens::ensemble_detail {

// Checks the fit inputs; returns the row ids as uint32 and the count of positive labels.
inline std::vector<std::uint32_t> check_fit_inputs(const char* what, const BinnedMatrix& X,
                                                   Span<const double> y,
                                                   Span<const std::size_t> rows,
                                                   std::size_t& positives) {
  const std::string w = what;
  if (X.num_rows() == 0 || X.num_features() == 0) throw InvalidArgument(w + ": X is empty");
  if (X.num_rows() >= (std::size_t{1} << 32)) throw InvalidArgument(w + ": too many rows");
  if (y.size() != X.num_rows()) {
    throw InvalidArgument(w + ": y has " + std::to_string(y.size()) + " labels but X has " +
                          std::to_string(X.num_rows()) + " rows");
  }
  if (rows.empty()) throw InvalidArgument(w + ": rows is empty");
  std::vector<std::uint32_t> ids(rows.size());
  std::vector<bool> seen(X.num_rows(), false);
  positives = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::size_t r = rows[i];
    if (r >= X.num_rows()) {
      throw InvalidArgument(w + ": rows[" + std::to_string(i) + "] = " + std::to_string(r) +
                            " is past the " + std::to_string(X.num_rows()) + " rows of X");
    }
    if (seen[r]) {
      throw InvalidArgument(w + ": rows[" + std::to_string(i) + "] repeats row " +
                            std::to_string(r) + " (row indices must be distinct)");
    }
    seen[r] = true;
    const double label = y[r];
    if (label != 0.0 && label != 1.0) {
      throw InvalidArgument(w + ": y[" + std::to_string(r) +
                            "] must be 0 or 1 (binary classification)");
    }
    positives += label == 1.0;
    ids[i] = static_cast<std::uint32_t>(r);
  }
  return ids;
}

// The leaf value a training row reaches, walking the tree on its bins.
inline double predict_binned(const Tree& tree, const std::vector<std::int32_t>& left_bins,
                             const BinnedMatrix& X, std::size_t row) {
  const auto& nodes = tree.nodes();
  std::size_t i = 0;
  while (!nodes[i].is_leaf()) {
    const TreeNode& n = nodes[i];
    const std::uint8_t b = X.bin(row, static_cast<std::size_t>(n.feature));
    const bool left = b == BinnedMatrix::kMissingBin ? n.default_left : b <= left_bins[i];
    i = static_cast<std::size_t>(left ? n.left : n.right);
  }
  return nodes[i].value;
}

inline void check_predict_inputs(const char* what, const double* x, std::size_t rows,
                                 std::size_t cols, std::size_t n_features) {
  if (cols != n_features) {
    throw InvalidArgument(std::string(what) + ": X has " + std::to_string(cols) +
                          " columns but the model was fitted on " + std::to_string(n_features) +
                          " features");
  }
  if (rows > 0 && x == nullptr) throw InvalidArgument(std::string(what) + ": x is null");
}

}  // namespace claimlens::ensemble_detail
