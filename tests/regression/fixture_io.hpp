// Reads the regression fixtures (JSON written by tests/fixtures/scripts/regression_*.py).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "claimlens/matrix.hpp"
#include "support/paths.hpp"

namespace claimlens::testing {

inline nlohmann::json load_fixture(const std::string& name) {
  return nlohmann::json::parse(read_text_file(fixture_path(name)));
}

inline RowMatrix json_matrix(const nlohmann::json& rows) {
  RowMatrix X(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.at(0).size()));
  for (Eigen::Index i = 0; i < X.rows(); ++i) {
    for (Eigen::Index j = 0; j < X.cols(); ++j) X(i, j) = rows[i][j].get<double>();
  }
  return X;
}

inline Vector json_vector(const nlohmann::json& values) {
  Vector v(static_cast<Eigen::Index>(values.size()));
  for (Eigen::Index i = 0; i < v.size(); ++i) v[i] = values[i].get<double>();
  return v;
}

inline double rel_diff(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(b), 1e-300);
}

/// Largest relative difference between two vectors (entry by entry).
inline double max_rel_diff(const Vector& a, const Vector& b) {
  double out = 0;
  for (Eigen::Index i = 0; i < a.size(); ++i) out = std::max(out, rel_diff(a[i], b[i]));
  return out;
}

}  // namespace claimlens::testing
