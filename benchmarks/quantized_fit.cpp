// Quantized against float gradient boosting on the claim classifier's data (issue 19): reads a
// tiktok_dataset.csv-shaped file (the real one or `claimlens synth`), keeps its complete rows,
// splits them as the claim classifier does (claim_classifier_split), builds the seed's 25
// features on the training part, fits GradientBoostingClassifier with the given parameters and
// prints the fit's CPU and wall time and the test part's ROC AUC as one JSON line.
//
//   quantized_fit FILE.csv ['{"use_quantized_grad": true, ...}']
//
// Not a Google Benchmark program: one fit per run, so that `/usr/bin/time` can measure a fit of
// each kind in its own process (benchmarks/README.md, "Quantized gradients").
#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "claimlens/dataframe/csv.hpp"
#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/metrics/ranking.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/claim_features.hpp"
#include "claimlens/preprocessing/encoders.hpp"

using namespace claimlens;

namespace {

template <class T>
std::vector<T> gather(const std::vector<T>& v, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (std::size_t r : rows) out.push_back(v[r]);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: quantized_fit FILE.csv [PARAMS_JSON]\n");
    return 2;
  }
  try {
    const GradientBoostingParams params = GradientBoostingParams::from_json(
        argc == 3 ? nlohmann::json::parse(argv[2]) : nlohmann::json::object());
    std::vector<std::string> needed = claim_input_columns();
    needed.push_back("claim_status");
    const DataFrame data = read_csv(argv[1]).select(needed).dropna();
    const std::vector<double> y =
        BinaryLabelEncoder("claim", "opinion").transform(data.column("claim_status"));
    const ClaimSplit split = claim_classifier_split(data.num_rows(), 0);
    const DataFrame train = data.take(split.train);
    ClaimFeaturizer featurizer;
    featurizer.fit(train);
    const RowMatrix X_train = featurizer.transform(train);
    const RowMatrix X_test = featurizer.transform(data.take(split.test));
    const std::vector<double> y_train = gather(y, split.train);
    std::vector<int> y_test;
    for (std::size_t r : split.test) y_test.push_back(static_cast<int>(y[r]));

    GradientBoostingClassifier model(params);
    const std::clock_t cpu0 = std::clock();
    const auto wall0 = std::chrono::steady_clock::now();
    model.fit(X_train, y_train);
    const double cpu = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    const std::vector<double> proba = model.predict_proba(X_test);
    std::size_t nodes = 0;
    for (const Tree& t : model.trees()) nodes += t.size();
    nlohmann::json out = {{"train_rows", X_train.rows()},
                          {"test_rows", X_test.rows()},
                          {"fit_cpu_s", cpu},
                          {"fit_wall_s", wall},
                          {"test_roc_auc", roc_auc_score(y_test, proba)},
                          {"tree_nodes", nodes},
                          {"params", params.to_json()}};
    std::printf("%s\n", out.dump().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "quantized_fit: %s\n", e.what());
    return 2;
  }
  return 0;
}
