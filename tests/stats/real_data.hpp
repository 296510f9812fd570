// The real data set after pandas' dropna(), read with claimlens::read_csv, for the parity tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "support/paths.hpp"

namespace claimlens::testing {

/// tiktok_dataset.csv with every row holding a null dropped (pandas' dropna()).
inline const DataFrame& real_frame_dropna() {
  static const DataFrame frame = read_csv(real_dataset_path()).dropna();
  return frame;
}

struct RealColumns {
  std::map<std::string, std::vector<double>> numbers;     // numeric columns as doubles
  std::map<std::string, std::vector<std::string>> texts;  // string columns
  std::size_t rows = 0;
};

inline const RealColumns& real_columns_dropna() {
  static const RealColumns columns = [] {
    const DataFrame& frame = real_frame_dropna();
    RealColumns out;
    out.rows = frame.num_rows();
    for (std::size_t i = 0; i < frame.num_columns(); ++i) {
      const Column& c = frame.column(i);
      const std::string& name = frame.column_names()[i];
      if (c.dtype() == DType::String) {
        out.texts[name] = c.to_strings();
      } else {
        out.numbers[name] = c.to_doubles();
      }
    }
    return out;
  }();
  return columns;
}

}  // namespace claimlens::testing
