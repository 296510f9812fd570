// LabelEncoder, BinaryLabelEncoder and OneHotEncoder.
#include "claimlens/preprocessing/encoders.hpp"

#include <algorithm>
#include <set>

#include "claimlens/error.hpp"

namespace claimlens {
namespace {

std::vector<Column> columns_of(const std::vector<std::vector<std::string>>& columns,
                               const char* who) {
  if (columns.empty()) throw InvalidArgument(std::string(who) + ": no columns given");
  std::vector<Column> out;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].size() != columns[0].size()) {
      throw InvalidArgument(std::string(who) + ": column " + std::to_string(c) + " has " +
                            std::to_string(columns[c].size()) + " rows, column 0 has " +
                            std::to_string(columns[0].size()));
    }
    out.push_back(Column::from_strings(columns[c]));
  }
  return out;
}

std::vector<const Column*> pointers(const std::vector<Column>& columns) {
  std::vector<const Column*> out;
  for (const auto& c : columns) out.push_back(&c);
  return out;
}

}  // namespace

// ---- LabelEncoder -----------------------------------------------------------------------------

LabelEncoder& LabelEncoder::fit(const std::vector<std::string>& labels) {
  if (labels.empty()) throw InvalidArgument("LabelEncoder.fit: no labels given");
  const std::set<std::string> distinct(labels.begin(), labels.end());
  classes_.assign(distinct.begin(), distinct.end());
  fitted_ = true;
  return *this;
}

std::vector<std::int64_t> LabelEncoder::transform(const std::vector<std::string>& labels) const {
  if (!fitted_) throw StateError("LabelEncoder.transform called before fit");
  std::vector<std::int64_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto it = std::lower_bound(classes_.begin(), classes_.end(), labels[i]);
    if (it == classes_.end() || *it != labels[i]) {
      throw InvalidArgument("LabelEncoder.transform: y contains a previously unseen label '" +
                            labels[i] + "' at row " + std::to_string(i));
    }
    out[i] = it - classes_.begin();
  }
  return out;
}

std::vector<std::int64_t> LabelEncoder::fit_transform(const std::vector<std::string>& labels) {
  fit(labels);
  return transform(labels);
}

std::vector<std::string> LabelEncoder::inverse_transform(
    const std::vector<std::int64_t>& codes) const {
  if (!fitted_) throw StateError("LabelEncoder.inverse_transform called before fit");
  std::vector<std::string> out;
  out.reserve(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] < 0 || static_cast<std::size_t>(codes[i]) >= classes_.size()) {
      throw InvalidArgument("LabelEncoder.inverse_transform: code " + std::to_string(codes[i]) +
                            " at row " + std::to_string(i) + " is not in 0.." +
                            std::to_string(classes_.size() - 1));
    }
    out.push_back(classes_[static_cast<std::size_t>(codes[i])]);
  }
  return out;
}

const std::vector<std::string>& LabelEncoder::classes() const {
  if (!fitted_) throw StateError("LabelEncoder.classes called before fit");
  return classes_;
}

// ---- BinaryLabelEncoder -----------------------------------------------------------------------

BinaryLabelEncoder::BinaryLabelEncoder(std::string positive, std::string negative)
    : positive_(std::move(positive)), negative_(std::move(negative)) {
  if (positive_ == negative_) {
    throw InvalidArgument("BinaryLabelEncoder: positive and negative labels are both '" +
                          positive_ + "'");
  }
}

std::vector<double> BinaryLabelEncoder::transform(const std::vector<std::string>& labels) const {
  return transform(Column::from_strings(labels));
}

std::vector<double> BinaryLabelEncoder::transform(const Column& column) const {
  if (column.dtype() != DType::String) {
    throw SchemaError(std::string("BinaryLabelEncoder: expected a string column, got ") +
                      dtype_name(column.dtype()));
  }
  std::vector<double> out(column.size());
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column.is_null(i)) {
      throw InvalidArgument("BinaryLabelEncoder: missing label at row " + std::to_string(i));
    }
    const std::string_view v = column.string_at(i);
    if (v == positive_) {
      out[i] = 1.0;
    } else if (v == negative_) {
      out[i] = 0.0;
    } else {
      throw InvalidArgument("BinaryLabelEncoder: label '" + std::string(v) + "' at row " +
                            std::to_string(i) + " is neither '" + positive_ + "' nor '" +
                            negative_ + "'");
    }
  }
  return out;
}

// ---- OneHotEncoder ----------------------------------------------------------------------------

OneHotEncoder::OneHotEncoder(OneHotOptions options) : options_(options) {}

OneHotEncoder& OneHotEncoder::fit(const std::vector<std::string>& names,
                                  const std::vector<std::vector<std::string>>& columns) {
  const auto owned = columns_of(columns, "OneHotEncoder.fit");
  if (names.size() != columns.size()) {
    throw InvalidArgument("OneHotEncoder.fit: " + std::to_string(names.size()) + " names for " +
                          std::to_string(columns.size()) + " columns");
  }
  names_ = names;
  learn(pointers(owned));
  return *this;
}

RowMatrix OneHotEncoder::transform(const std::vector<std::vector<std::string>>& columns) const {
  const auto owned = columns_of(columns, "OneHotEncoder.transform");
  return encode(pointers(owned));
}

OneHotEncoder& OneHotEncoder::fit(const DataFrame& frame, const std::vector<std::string>& columns) {
  if (columns.empty()) throw InvalidArgument("OneHotEncoder.fit: no columns given");
  std::vector<const Column*> cols;
  for (const auto& name : columns) cols.push_back(&frame.column(name));
  names_ = columns;
  learn(cols);
  return *this;
}

RowMatrix OneHotEncoder::transform(const DataFrame& frame) const {
  if (!fitted_) throw StateError("OneHotEncoder.transform called before fit");
  std::vector<const Column*> cols;
  for (const auto& name : names_) cols.push_back(&frame.column(name));
  return encode(cols);
}

void OneHotEncoder::learn(const std::vector<const Column*>& columns) {
  std::vector<std::vector<std::string>> categories;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& col = *columns[c];
    if (col.dtype() != DType::String) {
      throw SchemaError("OneHotEncoder: column '" + names_[c] + "' is " + dtype_name(col.dtype()) +
                        ", expected a string (object) column");
    }
    std::set<std::string, std::less<>> distinct;
    for (std::size_t i = 0; i < col.size(); ++i) {
      if (!col.is_null(i)) distinct.emplace(col.string_at(i));
    }
    if (distinct.empty()) {
      throw InvalidArgument("OneHotEncoder.fit: column '" + names_[c] + "' has no values");
    }
    categories.emplace_back(distinct.begin(), distinct.end());
  }
  categories_ = std::move(categories);
  fitted_ = true;
}

RowMatrix OneHotEncoder::encode(const std::vector<const Column*>& columns) const {
  if (!fitted_) throw StateError("OneHotEncoder.transform called before fit");
  if (columns.size() != categories_.size()) {
    throw InvalidArgument("OneHotEncoder.transform: " + std::to_string(columns.size()) +
                          " columns given, fitted on " + std::to_string(categories_.size()));
  }
  const std::size_t skip = options_.drop_first ? 1 : 0;
  std::size_t width = 0;
  for (const auto& cats : categories_) width += cats.size() - skip;
  const std::size_t rows = columns.empty() ? 0 : columns[0]->size();
  RowMatrix out =
      RowMatrix::Zero(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(width));
  std::size_t offset = 0;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const Column& col = *columns[c];
    const auto& cats = categories_[c];
    if (col.dtype() != DType::String) {
      throw SchemaError("OneHotEncoder: column '" + names_[c] + "' is " + dtype_name(col.dtype()) +
                        ", expected a string (object) column");
    }
    for (std::size_t i = 0; i < rows; ++i) {
      if (col.is_null(i)) continue;
      const std::string_view v = col.string_at(i);
      const auto it =
          std::lower_bound(cats.begin(), cats.end(), v,
                           [](const std::string& a, std::string_view b) { return a < b; });
      if (it == cats.end() || *it != v) {
        if (options_.handle_unknown == UnknownCategory::Ignore) continue;
        throw InvalidArgument("OneHotEncoder.transform: unknown category '" + std::string(v) +
                              "' in column '" + names_[c] + "' at row " + std::to_string(i));
      }
      const auto k = static_cast<std::size_t>(it - cats.begin());
      if (k >= skip) {
        out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(offset + k - skip)) = 1.0;
      }
    }
    offset += cats.size() - skip;
  }
  return out;
}

std::vector<std::string> OneHotEncoder::get_feature_names_out() const {
  if (!fitted_) throw StateError("OneHotEncoder.get_feature_names_out called before fit");
  std::vector<std::string> out;
  for (std::size_t c = 0; c < categories_.size(); ++c) {
    for (std::size_t k = options_.drop_first ? 1 : 0; k < categories_[c].size(); ++k) {
      out.push_back(names_[c] + "_" + categories_[c][k]);
    }
  }
  return out;
}

const std::vector<std::vector<std::string>>& OneHotEncoder::categories() const {
  if (!fitted_) throw StateError("OneHotEncoder.categories called before fit");
  return categories_;
}

}  // namespace claimlens
