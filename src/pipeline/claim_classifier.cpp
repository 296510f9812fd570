#include "claimlens/pipeline/claim_classifier.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "claimlens/ensemble/gradient_boosting.hpp"
#include "claimlens/ensemble/random_forest.hpp"
#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/metrics/binary.hpp"
#include "claimlens/metrics/classification.hpp"
#include "claimlens/metrics/ranking.hpp"
#include "claimlens/model_selection/grid_search.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/param_table.hpp"
#include "claimlens/preprocessing/encoders.hpp"
#include "claimlens/random.hpp"
#include "claimlens/threads.hpp"

namespace claimlens {

namespace {

using Json = nlohmann::json;

// The smallest frame that still leaves every fold of the search both classes.
constexpr std::size_t kMinRows = 50;

std::vector<double> gather(Span<const double> values, const std::vector<std::size_t>& rows) {
  std::vector<double> out(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) out[i] = values[rows[i]];
  return out;
}

}  // namespace

// The seed's two calls: train_test_split(test_size=0.2), then train_test_split(test_size=0.25)
// of the remaining 80%, giving 60/20/20.
ClaimSplit claim_classifier_split(std::size_t rows, std::uint64_t seed) {
  TrainTestSplitOptions first;
  first.test_size = TestSize::fraction(0.2);
  first.seed = seed;
  SplitIndices outer = train_test_split(rows, first);
  TrainTestSplitOptions second;
  second.test_size = TestSize::fraction(0.25);
  second.seed = derive_seed(seed, 1);
  SplitIndices inner = train_test_split(outer.train.size(), second);
  ClaimSplit split;
  for (std::size_t i : inner.train) split.train.push_back(outer.train[i]);
  for (std::size_t i : inner.test) split.validation.push_back(outer.train[i]);
  split.test = std::move(outer.test);
  return split;
}

namespace {

template <class Estimator>
struct Tuned {
  Estimator model;
  JsonDocument report;
};

// DOMs here are built key by key inside a JsonDocument, never from an initializer list of
// {key, value} pairs: those pairs die as non-empty arrays, and nlohmann's destructor allocates
// for them (claimlens/json_document.hpp).

// Grid search (or a single fit with the seed's best parameters), then validation metrics.
template <class Estimator>
Tuned<Estimator> tune(const char* name, const Json& grid, const Json& best_known,
                      const RowMatrix& X_train, const std::vector<double>& y_train,
                      const RowMatrix& X_val, const std::vector<double>& y_val,
                      const ClaimClassifierOptions& options) {
  JsonDocument base(Json::object());
  (*base)["random_state"] = options.random_state;
  Tuned<Estimator> tuned;
  tuned.report = Json::object();
  Json& report = *tuned.report;
  if (options.seed_grid) {
    GridSearchOptions search;
    search.cv = options.cv_folds;
    search.refit = "recall";
    search.n_jobs = options.n_jobs;  // saved as asked (0 = all cores), not resolved here
    if (options.progress) {
      search.progress = [&](double f) { options.progress(std::string(name) + " grid search", f); };
    }
    GridSearchCV<Estimator> cv(grid, search, *base);
    cv.fit(X_train, y_train);
    tuned.model = cv.best_estimator();
    report["cv_recall"] = cv.best_score();
    report["best_params"] = cv.best_params();
    report["cv_results"] = cv.cv_results().to_json();
  } else {
    Json& params = *base;
    for (const auto& item : best_known.items()) params[item.key()] = item.value();
    params["n_jobs"] = options.n_jobs;  // as asked: a model file does not depend on the machine
    using Params = std::decay_t<decltype(std::declval<const Estimator&>().params())>;
    tuned.model = Estimator(Params::from_json(params));
    tuned.model.fit(X_train, y_train);
    report["cv_recall"] = nullptr;
    report["best_params"] = best_known;
  }
  report["validation"] = binary_evaluation(y_val, tuned.model.predict_proba(X_val));
  return tuned;
}

// The input rules (claim_features.hpp) and the labels, for the rows train keeps, by their row in
// `videos`.
void check_training_rows(const DataFrame& videos, const std::vector<std::size_t>& rows) {
  ClaimFeaturizer().validate(videos, rows);
  const Column& labels = videos.column("claim_status");
  if (labels.dtype() != DType::String) return;  // BinaryLabelEncoder names the column's type
  for (std::size_t row : rows) {
    const std::string_view label = labels.string_at(row);
    if (label != "claim" && label != "opinion") {
      throw InvalidArgument(
          "row " + std::to_string(row) + ", column 'claim_status': unknown value " +
          json_shown(Json(std::string(label))) + " (expected \"claim\" or \"opinion\")");
    }
  }
}

Json importances_json(const std::vector<std::string>& names, const std::vector<double>& values) {
  JsonDocument out(Json::object());
  for (std::size_t i = 0; i < names.size(); ++i) (*out)[names[i]] = values[i];
  return std::move(*out);
}

}  // namespace

Json seed_forest_grid() {
  JsonDocument doc(Json::object());
  Json& g = *doc;
  g["max_depth"] = Json::array({5, 7, nullptr});
  g["max_features"] = Json::array({0.3, 0.6});
  g["max_samples"] = Json::array({0.7});
  g["min_samples_leaf"] = Json::array({1, 2});
  g["min_samples_split"] = Json::array({2, 3});
  g["n_estimators"] = Json::array({75, 100, 200});
  return std::move(g);
}

Json seed_boosting_grid() {
  JsonDocument doc(Json::object());
  Json& g = *doc;
  g["max_depth"] = Json::array({4, 8, 12});
  g["min_child_weight"] = Json::array({3, 5});
  g["learning_rate"] = Json::array({0.01, 0.1});
  g["n_estimators"] = Json::array({300, 500});
  return std::move(g);
}

namespace {

using O = ClaimClassifierOptions;

ParamRow<O> grid_row() {
  return {"grid",
          "string",
          "\"seed\" or \"none\"",
          "\"seed\" searches the seed's grids; \"none\" fits their best parameters",
          [](O& o, const JsonReader& r) {
            o.seed_grid = r.choice({"seed", "none"}) == 0;
          },
          [](const O& o) { return Json(o.seed_grid ? "seed" : "none"); },
          [](const O&) { return true; }};
}

ParamTable<O> make_options_table() {
  using A = O::Algorithm;
  return ParamTable<O>(
      "options",
      {
          choice_param<O, A>("algorithm", &O::algorithm,
                             {{"random_forest", A::RandomForest},
                              {"gradient_boosting", A::GradientBoosting},
                              {"champion", A::Champion}},
                             "the model; \"champion\" = the better of both on validation recall"),
          grid_row(),
          int_param<O>("cv_folds", &O::cv_folds, 2, 20, "cross-validation folds of the search"),
          seed_param<O>("random_state", &O::random_state, "seed of the split and the models"),
          n_jobs_param<O>(&O::n_jobs),
      });
}

}  // namespace

CLAIMLENS_DEFINE_PARAMS(ClaimClassifierOptions, make_options_table)

Json binary_evaluation(Span<const double> y_true, Span<const double> proba) {
  if (y_true.size() != proba.size() || y_true.empty()) {
    throw InvalidArgument("binary_evaluation: need equal, non-empty label and score vectors");
  }
  std::vector<int> truth(y_true.size());
  for (std::size_t i = 0; i < truth.size(); ++i) truth[i] = y_true[i] > 0.5 ? 1 : 0;
  // The class at P(y=1) = 0.5 exactly is the one cross-validation and predict() give.
  const std::vector<int> pred = predicted_classes(proba);
  const ConfusionMatrix cm = confusion_matrix(truth, pred, {0, 1});
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["accuracy"] = accuracy_score(truth, pred);
  j["precision"] = precision_score(truth, pred);
  j["recall"] = recall_score(truth, pred);
  j["f1"] = f1_score(truth, pred);
  j["roc_auc"] = roc_auc_score(truth, proba);
  j["confusion_matrix"] =
      Json::array({Json::array({cm(0, 0), cm(0, 1)}), Json::array({cm(1, 0), cm(1, 1)})});
  return std::move(j);
}

ClaimClassifier ClaimClassifier::train(const DataFrame& videos,
                                       const ClaimClassifierOptions& options) {
  std::vector<std::string> needed = claim_input_columns();
  needed.push_back("claim_status");
  // Every complete row is checked first, so that a message names its row in `videos`.
  const std::vector<std::size_t> complete = claim_complete_rows(videos, needed);
  check_training_rows(videos, complete);
  const DataFrame data = videos.select(needed).take(complete);
  if (data.num_rows() < kMinRows) {
    throw InvalidArgument("claim classifier: need at least " + std::to_string(kMinRows) +
                          " complete rows, got " + std::to_string(data.num_rows()));
  }
  const std::vector<double> y =
      BinaryLabelEncoder("claim", "opinion").transform(data.column("claim_status"));
  const ClaimSplit split = claim_classifier_split(data.num_rows(), options.random_state);

  ClaimClassifier clf;
  const DataFrame train_frame = data.take(split.train);
  clf.featurizer_.fit(train_frame);
  const RowMatrix X_train = clf.featurizer_.transform(train_frame);
  const RowMatrix X_val = clf.featurizer_.transform(data.take(split.validation));
  const RowMatrix X_test = clf.featurizer_.transform(data.take(split.test));
  const auto y_train = gather(y, split.train), y_val = gather(y, split.validation),
             y_test = gather(y, split.test);

  using A = ClaimClassifierOptions::Algorithm;
  JsonDocument doc(Json::object());
  Json& report = *doc;
  report["rows"] = videos.num_rows();
  report["rows_after_dropna"] = data.num_rows();
  Json& sizes = report["split"] = Json::object();
  sizes["train"] = split.train.size();
  sizes["validation"] = split.validation.size();
  sizes["test"] = split.test.size();
  report["vocabulary"] = clf.featurizer_.vocabulary();
  report["feature_names"] = clf.featurizer_.feature_names();
  double best_recall = -1.0;
  if (options.algorithm != A::GradientBoosting) {
    JsonDocument best(Json::object());
    (*best)["max_depth"] = nullptr;
    (*best)["max_features"] = 0.6;
    (*best)["max_samples"] = 0.7;
    (*best)["min_samples_leaf"] = 1;
    (*best)["min_samples_split"] = 2;
    (*best)["n_estimators"] = 200;
    const JsonDocument grid = seed_forest_grid();
    auto rf = tune<RandomForestClassifier>("random_forest", *grid, *best, X_train, y_train, X_val,
                                           y_val, options);
    best_recall = (*rf.report)["validation"]["recall"].get<double>();
    report["random_forest"] = std::move(*rf.report);
    clf.model_ = Model(std::move(rf.model));
  }
  if (options.algorithm != A::RandomForest) {
    JsonDocument best(Json::object());
    (*best)["learning_rate"] = 0.1;
    (*best)["max_depth"] = 4;
    (*best)["min_child_weight"] = 5;
    (*best)["n_estimators"] = 300;
    const JsonDocument grid = seed_boosting_grid();
    auto gb = tune<GradientBoostingClassifier>("gradient_boosting", *grid, *best, X_train, y_train,
                                               X_val, y_val, options);
    const double recall = (*gb.report)["validation"]["recall"].get<double>();
    report["gradient_boosting"] = std::move(*gb.report);
    if (recall > best_recall)
      clf.model_ = Model(std::move(gb.model));  // ties keep the forest, as the seed
  }
  report["champion"] = clf.champion();
  report["test"] = binary_evaluation(y_test, clf.model_->predict_proba(X_test));
  report["feature_importances"] =
      importances_json(clf.featurizer_.feature_names(), clf.feature_importances());
  clf.report_ = std::move(doc);
  return clf;
}

std::string ClaimClassifier::champion() const {
  return model_->model_type();
}

std::vector<double> ClaimClassifier::feature_importances() const {
  return model_->feature_importances();
}

double ClaimClassifier::predict_proba(const VideoRecord& video) const {
  constexpr std::size_t kMaxFeatures = 256;
  const std::size_t n = featurizer_.num_features();
  if (n > kMaxFeatures) throw StateError("claim classifier: too many features for one record");
  double row[kMaxFeatures];
  featurizer_.transform(video, row);
  double p;
  model_->predict_proba_rows(row, 1, &p);
  return p;
}

void ClaimClassifier::predict_proba(Span<const VideoRecord> videos, double* out) const {
  const RecordSource element = [](const void* context, std::size_t i) {
    return static_cast<const VideoRecord*>(context)[i];
  };
  predict_proba(videos.size(), element, videos.data(), out);
}

namespace {

// Checks every record (nothing is written for a bad one), then featurizes them in blocks on the
// stack and hands each block to use(block, first record, count): a block stays in cache while
// each tree serves all of it. No heap allocation for valid records.
template <class Use>
void featurized_blocks(const ClaimFeaturizer& featurizer, std::size_t n,
                       ClaimClassifier::RecordSource record, const void* context, Use&& use) {
  for (std::size_t i = 0; i < n; ++i) featurizer.validate(record(context, i), i);
  constexpr std::size_t kBlockValues = 2048;
  double block[kBlockValues];
  const std::size_t nf = featurizer.num_features();
  if (nf == 0 || nf > kBlockValues) {
    throw StateError("claim classifier: too many features for a block of records");
  }
  const std::size_t per_block = kBlockValues / nf;
  for (std::size_t i = 0; i < n; i += per_block) {
    const std::size_t m = std::min(per_block, n - i);
    for (std::size_t k = 0; k < m; ++k)
      featurizer.transform(record(context, i + k), block + k * nf);
    use(block, i, m);
  }
}

}  // namespace

void ClaimClassifier::predict_proba(std::size_t n, RecordSource record, const void* context,
                                    double* out) const {
  if (n == 1) {  // the latency path: featurizing checks the record, and nothing is written first
    *out = predict_proba(record(context, 0));
    return;
  }
  featurized_blocks(featurizer_, n, record, context,
                    [&](const double* block, std::size_t first, std::size_t m) {
                      model_->predict_proba_rows(block, m, out + first);
                    });
}

void ClaimClassifier::explain(std::size_t n, RecordSource record, const void* context, double* out,
                              double* residual, double* output) const {
  const std::size_t width = featurizer_.num_features() + 1;
  featurized_blocks(featurizer_, n, record, context,
                    [&](const double* block, std::size_t first, std::size_t m) {
                      model_->explain_rows(block, m, out + first * width, residual + first,
                                           output == nullptr ? nullptr : output + first);
                    });
}

ShapValues ClaimClassifier::explain(const DataFrame& videos) const {
  return model_->explain(featurizer_.transform(videos));
}

std::vector<double> ClaimClassifier::predict_proba(const DataFrame& videos) const {
  return predict_proba(featurizer_.transform(videos));
}

std::vector<double> ClaimClassifier::predict_proba(const DataFrame& videos,
                                                   const std::vector<std::size_t>& rows) const {
  return predict_proba(featurizer_.transform(videos, rows));
}

ShapValues ClaimClassifier::explain(const DataFrame& videos,
                                    const std::vector<std::size_t>& rows) const {
  return model_->explain(featurizer_.transform(videos, rows));
}

std::vector<double> ClaimClassifier::predict_proba(const RowMatrix& features) const {
  if (static_cast<std::size_t>(features.cols()) != featurizer_.num_features()) {
    throw InvalidArgument("claim classifier: feature matrix has " +
                          std::to_string(features.cols()) + " columns, expected " +
                          std::to_string(featurizer_.num_features()));
  }
  return model_->predict_proba(features);
}

namespace {
// Indices by priority, highest first (ties by index), NaN last.
std::vector<std::size_t> review_order(const std::vector<double>& priority) {
  std::vector<std::size_t> order(priority.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  const auto key = [&](std::size_t i) {
    return std::isnan(priority[i]) ? -std::numeric_limits<double>::infinity() : priority[i];
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
  return order;
}
}  // namespace

ClaimClassifier::Triage ClaimClassifier::triage(std::size_t n, RecordSource record,
                                                const void* context) const {
  Triage t;
  t.p_claim.resize(n);
  predict_proba(n, record, context, t.p_claim.data());  // checks every record first
  t.priority.resize(n);
  for (std::size_t i = 0; i < n; ++i) t.priority[i] = t.p_claim[i] * record(context, i).view_count;
  t.order = review_order(t.priority);
  return t;
}

std::vector<std::size_t> ClaimClassifier::triage(const std::vector<VideoRecord>& videos) const {
  const RecordSource element = [](const void* context, std::size_t i) {
    return static_cast<const VideoRecord*>(context)[i];
  };
  return triage(videos.size(), element, videos.data()).order;
}

std::vector<std::size_t> ClaimClassifier::triage(const DataFrame& videos) const {
  std::vector<double> priority = predict_proba(videos);
  const Column& views = videos.column("video_view_count");
  for (std::size_t i = 0; i < priority.size(); ++i) priority[i] *= views.as_double(i);
  return review_order(priority);
}

ClaimSplit claim_classifier_rows(const DataFrame& videos, std::uint64_t random_state) {
  std::vector<std::string> needed = claim_input_columns();
  needed.push_back("claim_status");
  // The rows train keeps, by their index in `videos`.
  const std::vector<std::size_t> kept = claim_complete_rows(videos, needed);
  ClaimSplit split = claim_classifier_split(kept.size(), random_state);
  for (auto* part : {&split.train, &split.validation, &split.test}) {
    for (std::size_t& i : *part) i = kept[i];
  }
  return split;
}

std::vector<std::size_t> claim_classifier_test_rows(const DataFrame& videos,
                                                    std::uint64_t random_state) {
  return claim_classifier_rows(videos, random_state).test;
}

Json ClaimClassifier::to_json() const {
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["featurizer"] = featurizer_.to_json();
  j["model_type"] = champion();
  j["model"] = model_->to_json();
  j["report"] = *report_;
  return std::move(j);
}

ClaimClassifier ClaimClassifier::from_json(const Json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

ClaimClassifier ClaimClassifier::from_json(const JsonReader& j) {
  ClaimClassifier clf;
  clf.featurizer_ = ClaimFeaturizer::from_json(j.at("featurizer"));
  const JsonReader type = j.at("model_type");
  const JsonReader model = j.at("model");
  // The types train() makes.
  const char* kChampions[] = {RandomForestClassifier::kModelType,
                              GradientBoostingClassifier::kModelType};
  const std::size_t champion = type.choice({kChampions[0], kChampions[1]});
  clf.model_ = read_model_document(matrix_model_types(), kChampions[champion], model);
  const std::size_t n = clf.model_->num_features();
  if (n != clf.featurizer_.num_features()) {
    model.at("n_features")
        .fail_value("must be the featurizer's " + std::to_string(clf.featurizer_.num_features()) +
                    " features");
  }
  clf.report_ = JsonDocument(j.at("report").object().value());
  return clf;
}

}  // namespace claimlens
