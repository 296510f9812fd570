// Private helpers shared by both ensembles: input checks, bin-space traversal, batch prediction,
// importances and the tree part of their model documents.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/ensemble/binning.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/tree.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/span.hpp"
#include "json_util.hpp"

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

// fit_distributed's checks of this rank's shard (every row; none is fine, the other ranks may
// hold them), agreed among the ranks: the row ids and (summed over the ranks) positives.
inline std::vector<std::uint32_t> check_shard(const char* what, const BinnedMatrix& X,
                                              Span<const double> y, Communicator& comm,
                                              std::size_t& positives, RowShard& shard) {
  std::string error;
  std::vector<std::uint32_t> ids;
  positives = 0;
  try {
    if (X.num_rows() > 0 || y.size() > 0) {
      std::vector<std::size_t> rows(X.num_rows());
      for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
      ids = check_fit_inputs(what, X, y, rows, positives);
    }
  } catch (const Error& e) {
    error = e.what();
  }
  comm.agree(error);
  shard = row_shard(comm, ids.size());
  if (shard.total_rows == 0) throw InvalidArgument(std::string(what) + ": no rank holds a row");
  std::int64_t count = static_cast<std::int64_t>(positives);
  comm.allreduce_sum(&count, 1);
  positives = static_cast<std::size_t>(count);
  return ids;
}

// The leaf a training row reaches, walking the tree on its bins.
inline std::size_t leaf_binned(const Tree& tree, const std::vector<std::int32_t>& left_bins,
                               const BinnedMatrix& X, std::size_t row) {
  const auto& nodes = tree.nodes();
  std::size_t i = 0;
  while (!nodes[i].is_leaf()) {
    const TreeNode& n = nodes[i];
    const std::uint8_t b = X.bin(row, static_cast<std::size_t>(n.feature));
    const bool left = b == BinnedMatrix::kMissingBin ? n.default_left : b <= left_bins[i];
    i = static_cast<std::size_t>(left ? n.left : n.right);
  }
  return i;
}

// The leaf value a training row reaches.
inline double predict_binned(const Tree& tree, const std::vector<std::int32_t>& left_bins,
                             const BinnedMatrix& X, std::size_t row) {
  return tree.nodes()[leaf_binned(tree, left_bins, X, row)].value;
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

// Scales importances to sum to 1; all zeros (no split anywhere) stay zeros.
inline void normalize_to_sum_one(std::vector<double>& values) {
  double sum = 0.0;
  for (double v : values) sum += v;
  if (sum > 0) {
    for (double& v : values) v /= sum;
  }
}

// ---- model documents: the parts both ensembles share ------------------------------------------

inline nlohmann::json trees_to_json(const std::vector<Tree>& trees) {
  JsonDocument out(nlohmann::json::array());  // disposed, not destroyed (json_document.hpp)
  out->get_ref<nlohmann::json::array_t&>().reserve(trees.size());
  for (const Tree& t : trees) out->push_back(t.to_json());  // no reallocation: nothing to throw
  return std::move(*out);
}

// The document both ensembles start from: format, version, n_features, params, trees. Built key
// by key in an owned document (an initializer list's pairs allocate when they die).
template <class Params>
JsonDocument ensemble_document(const char* format, int version, std::size_t n_features,
                               const Params& params, const std::vector<Tree>& trees) {
  JsonDocument doc(nlohmann::json::object());
  (*doc)["format"] = format;
  (*doc)["version"] = version;
  (*doc)["n_features"] = n_features;
  (*doc)["params"] = params.to_json();
  (*doc)["trees"] = trees_to_json(trees);
  return doc;
}

// Whether a model may hold fewer trees than n_estimators: a booster fitted with early stopping
// keeps the rounds up to its best.
template <class Params>
bool may_stop_early(const Params&) {
  return false;
}
inline bool may_stop_early(const GradientBoostingParams& p) {
  return p.early_stopping != GradientBoostingParams::EarlyStopping::Off;
}

// What ensemble_document() wrote, checked, into the model's members: the format and version,
// "params" by the model's own table (a bad value is a ModelFormatError at <path>.params), and
// exactly n_estimators valid trees over n_features (1 to n_estimators with early stopping).
template <class Params>
void read_ensemble_document(const JsonReader& j, const char* format, int version, Params& params,
                            std::size_t& n_features, std::vector<Tree>& out) {
  check_header(j, format, version);
  params = Params::from_json(j.at("params"));
  n_features = static_cast<std::size_t>(j.at("n_features").integer(1, std::int64_t{1} << 31));
  const JsonReader trees = j.at("trees");
  const std::size_t n = trees.array_size();
  const auto expected = static_cast<std::size_t>(params.n_estimators);
  if (may_stop_early(params) ? (n == 0 || n > expected) : n != expected) {
    trees.fail("has " + std::to_string(n) + " trees but params.n_estimators is " +
               std::to_string(params.n_estimators) +
               (may_stop_early(params) ? " (early stopping keeps 1 to n_estimators)" : ""));
  }
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(Tree::from_json(trees.at(i), n_features));
}

}  // namespace claimlens::ensemble_detail
