// Frame-level preprocessing: get_dummies, feature_matrix, resample.
#include <cmath>
#include <set>

#include "claimlens/error.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "claimlens/preprocessing/features.hpp"
#include "claimlens/preprocessing/resample.hpp"
#include "claimlens/random.hpp"

namespace claimlens {
namespace {

void append_dummies(DataFrame& out, const std::string& name, const Column& col, bool drop_first) {
  const std::size_t rows = col.size();
  std::vector<std::string> categories;
  std::vector<std::int64_t> code(rows, -1);
  if (col.dtype() == DType::String) {
    std::set<std::string, std::less<>> distinct;
    for (std::size_t i = 0; i < rows; ++i) {
      if (!col.is_null(i)) distinct.emplace(col.string_at(i));
    }
    categories.assign(distinct.begin(), distinct.end());
    for (std::size_t i = 0; i < rows; ++i) {
      if (col.is_null(i)) continue;
      const auto it = distinct.find(col.string_at(i));
      code[i] = std::distance(distinct.begin(), it);
    }
  } else if (col.dtype() == DType::Bool) {
    bool seen[2] = {false, false};
    for (std::size_t i = 0; i < rows; ++i) {
      if (!col.is_null(i)) seen[col.bool_at(i) ? 1 : 0] = true;
    }
    if (seen[0]) categories.push_back("False");
    if (seen[1]) categories.push_back("True");
    for (std::size_t i = 0; i < rows; ++i) {
      if (!col.is_null(i)) code[i] = col.bool_at(i) && seen[0] ? 1 : 0;
    }
  } else {
    throw SchemaError("get_dummies: column '" + name + "' is " + dtype_name(col.dtype()) +
                      "; only string (object) and bool columns are encoded");
  }
  for (std::size_t k = drop_first ? 1 : 0; k < categories.size(); ++k) {
    std::vector<std::int64_t> values(rows, 0);
    for (std::size_t i = 0; i < rows; ++i) values[i] = code[i] == static_cast<std::int64_t>(k);
    out.add_column(name + "_" + categories[k], Column::from_int64(std::move(values)));
  }
}

}  // namespace

DataFrame get_dummies(const DataFrame& frame, const std::vector<std::string>& columns,
                      bool drop_first) {
  if (columns.empty()) throw InvalidArgument("get_dummies: no columns given");
  for (const auto& name : columns) frame.column(name);  // SchemaError naming a missing column
  DataFrame out = frame.drop(columns);
  for (const auto& name : columns) append_dummies(out, name, frame.column(name), drop_first);
  return out;
}

RowMatrix feature_matrix(const std::vector<std::string>& names,
                         const std::vector<std::vector<double>>& columns) {
  if (columns.empty()) throw InvalidArgument("feature_matrix: no columns given");
  if (names.size() != columns.size()) {
    throw InvalidArgument("feature_matrix: " + std::to_string(names.size()) + " names for " +
                          std::to_string(columns.size()) + " columns");
  }
  const std::size_t rows = columns[0].size();
  RowMatrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(columns.size()));
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].size() != rows) {
      throw InvalidArgument("feature_matrix: column '" + names[c] + "' has " +
                            std::to_string(columns[c].size()) + " rows, expected " +
                            std::to_string(rows));
    }
    for (std::size_t i = 0; i < rows; ++i) {
      const double v = columns[c][i];
      if (!std::isfinite(v)) {
        throw InvalidArgument("feature_matrix: column '" + names[c] + "' has a " +
                              (std::isnan(v) ? "NaN" : "infinite") + " value at row " +
                              std::to_string(i));
      }
      m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(c)) = v;
    }
  }
  return m;
}

RowMatrix feature_matrix(const DataFrame& frame, const std::vector<std::string>& columns) {
  std::vector<std::vector<double>> values;
  for (const auto& name : columns) {
    const Column& col = frame.column(name);
    if (col.dtype() == DType::String) {
      throw SchemaError("feature_matrix: column '" + name +
                        "' is a string (object) column; encode it first (get_dummies)");
    }
    values.push_back(col.to_doubles());  // nulls become NaN and are reported below
  }
  return feature_matrix(columns, values);
}

std::vector<std::size_t> resample_indices(std::size_t n_rows, std::size_t n_samples,
                                          std::uint64_t seed, bool replace) {
  if (n_rows == 0) throw InvalidArgument("resample: cannot sample from 0 rows");
  Random rng(seed);
  if (!replace) {
    if (n_samples > n_rows) {
      throw InvalidArgument("resample: cannot sample " + std::to_string(n_samples) + " out of " +
                            std::to_string(n_rows) + " rows without replacement");
    }
    std::vector<std::size_t> order = rng.permutation(n_rows);
    order.resize(n_samples);
    return order;
  }
  std::vector<std::size_t> out(n_samples);
  for (auto& i : out) i = static_cast<std::size_t>(rng.uniform_int(n_rows));
  return out;
}

DataFrame resample(const DataFrame& frame, std::size_t n_samples, std::uint64_t seed,
                   bool replace) {
  const auto rows = resample_indices(frame.num_rows(), n_samples, seed, replace);
  return frame.take(rows);
}

}  // namespace claimlens
