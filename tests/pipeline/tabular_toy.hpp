// The toy data set of the tabular pipeline tests: numeric, categorical, high-cardinality and text
// columns with a yes/no target.
#pragma once

#include <string>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens::testing {

// 200 rows: y = 1 when x > 0 or colour is "red"; size has a missing value every 10 rows; code is
// unique per row (high cardinality); memo carries a phrase that also predicts y.
inline DataFrame toy_frame() {
  std::string csv = "x,size,colour,code,memo,y\n";
  const char* colours[] = {"red", "green", "blue"};
  for (int i = 0; i < 200; ++i) {
    const int x = (i * 37) % 21 - 10;
    const char* colour = colours[(i * 7) % 3];
    const bool y = x > 0 || std::string(colour) == "red";
    csv += std::to_string(x) + "," + (i % 10 == 0 ? "" : std::to_string(i % 13)) + "," + colour +
           ",c" + std::to_string(i) + "," + (y ? "urgent refund request" : "routine status note") +
           "," + (y ? "yes" : "no") + "\n";
  }
  return claimlens::read_csv_buffer(csv, {}, "<toy>");
}

inline TabularPipelineOptions toy_options(TabularAlgorithm algorithm) {
  TabularPipelineOptions o;
  o.target = "y";
  o.positive = "yes";
  o.algorithm = algorithm;
  o.text = "memo";
  o.text_options.ngram_range = {1, 2};
  if (algorithm != TabularAlgorithm::LogisticRegression) o.params = {{"n_estimators", 20}};
  return o;
}

}  // namespace claimlens::testing
