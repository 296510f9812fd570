// Categorical encoding like scikit-learn's LabelEncoder / OneHotEncoder and pandas' get_dummies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/matrix.hpp"

namespace claimlens {

/// sklearn's LabelEncoder: classes sorted (by code point), labels -> 0..k-1.
class LabelEncoder {
 public:
  /// InvalidArgument on empty input.
  LabelEncoder& fit(const std::vector<std::string>& labels);
  /// InvalidArgument naming the first unseen label and its row; StateError before fit.
  std::vector<std::int64_t> transform(const std::vector<std::string>& labels) const;
  std::vector<std::int64_t> fit_transform(const std::vector<std::string>& labels);
  /// InvalidArgument for a code outside 0..k-1.
  std::vector<std::string> inverse_transform(const std::vector<std::int64_t>& codes) const;
  const std::vector<std::string>& classes() const;

 private:
  std::vector<std::string> classes_;
  bool fitted_ = false;
};

/// Maps one chosen positive label to 1 and the other (negative) label to 0, e.g.
/// claim_status "claim" -> 1, "opinion" -> 0. Any third value is an error naming its row.
class BinaryLabelEncoder {
 public:
  BinaryLabelEncoder(std::string positive, std::string negative);
  std::vector<double> transform(const std::vector<std::string>& labels) const;
  /// A string column; nulls are an error naming the row.
  std::vector<double> transform(const Column& column) const;
  const std::string& positive() const { return positive_; }
  const std::string& negative() const { return negative_; }

 private:
  std::string positive_, negative_;
};

enum class UnknownCategory { Error, Ignore };  // Ignore: the row gets zeros for that column

struct OneHotOptions {
  bool drop_first = false;  // drop each column's first (smallest) category
  UnknownCategory handle_unknown = UnknownCategory::Error;
};

/// One-hot encoding of string columns. Categories are each column's distinct non-null values
/// sorted by code point (as OneHotEncoder and get_dummies sort them); output columns are named
/// `<column>_<category>` (get_dummies' default prefix). A null value encodes as all zeros.
class OneHotEncoder {
 public:
  explicit OneHotEncoder(OneHotOptions options = {});

  /// columns[c][row], one name per column. InvalidArgument on empty or ragged input.
  OneHotEncoder& fit(const std::vector<std::string>& names,
                     const std::vector<std::vector<std::string>>& columns);
  RowMatrix transform(const std::vector<std::vector<std::string>>& columns) const;

  /// Frame versions: the named columns must be string columns (SchemaError otherwise).
  OneHotEncoder& fit(const DataFrame& frame, const std::vector<std::string>& columns);
  RowMatrix transform(const DataFrame& frame) const;

  std::vector<std::string> get_feature_names_out() const;
  const std::vector<std::vector<std::string>>& categories() const;
  const std::vector<std::string>& input_names() const { return names_; }

 private:
  void learn(const std::vector<const Column*>& columns);
  RowMatrix encode(const std::vector<const Column*>& columns) const;

  OneHotOptions options_;
  std::vector<std::string> names_;
  std::vector<std::vector<std::string>> categories_;
  bool fitted_ = false;
};

/// pandas.get_dummies(frame, columns=columns, drop_first=drop_first): the other columns first (in
/// order), then `<column>_<category>` indicator columns (int64 0/1, pandas uses uint8) per encoded
/// column in the given order, categories sorted. Nulls give all zeros. Encodes string and bool
/// columns (bool categories False < True, named `_False` / `_True`).
DataFrame get_dummies(const DataFrame& frame, const std::vector<std::string>& columns,
                      bool drop_first = false);

}  // namespace claimlens
