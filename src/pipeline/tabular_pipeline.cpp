// TabularPipeline: learning the feature plan, building feature matrices, fitting and predicting.
// Serialization is in tabular_pipeline_json.cpp.
#include "claimlens/pipeline/tabular_pipeline.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "claimlens/error.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/model_selection/split.hpp"
#include "claimlens/pipeline/claim_classifier.hpp"
#include "claimlens/pipeline/claim_features.hpp"
#include "tabular_support.hpp"
#include "tabular_tuning.hpp"

namespace claimlens {

using Json = nlohmann::json;
using namespace tabular_detail;  // NOLINT: private helpers of the tabular pipeline

namespace {

// The pipeline's algorithms: the CLI's name, the estimator's model type, whether missing values
// are imputed with the training median (the forest and the logistic regression) or left as NaN
// for the estimator to route (boosting), and whether the estimator takes random_state / n_jobs.
struct AlgorithmInfo {
  TabularAlgorithm algorithm;
  const char* name;
  const char* model_type;
  bool imputes;
  bool seeded;
};

const AlgorithmInfo kAlgorithms[] = {
    {TabularAlgorithm::RandomForest, "rf", "random_forest", true, true},
    {TabularAlgorithm::GradientBoosting, "gbdt", "gradient_boosting", false, true},
    {TabularAlgorithm::LogisticRegression, "logreg", "logistic_regression", true, false},
};

const AlgorithmInfo& info(TabularAlgorithm algorithm) {
  for (const auto& a : kAlgorithms) {
    if (a.algorithm == algorithm) return a;
  }
  throw InvalidArgument("unknown tabular algorithm");
}

}  // namespace

const char* tabular_algorithm_name(TabularAlgorithm algorithm) {
  return info(algorithm).name;
}

const char* tabular_model_type(TabularAlgorithm algorithm) {
  return info(algorithm).model_type;
}

TabularAlgorithm parse_tabular_algorithm(const std::string& name) {
  for (const auto& a : kAlgorithms) {
    if (name == a.name) return a.algorithm;
  }
  throw InvalidArgument("unknown algorithm '" + name + "' (use rf, gbdt or logreg)");
}

CountVectorizerOptions TabularPipelineOptions::default_text_options() {
  return ClaimFeaturizer::seed_vectorizer_options();
}

namespace tabular_detail {

// The parameters of Model::fit: the options' params with the algorithm's model type and, for the
// estimators that take them, the options' random_state and n_jobs where params lacks them.
JsonDocument model_params(const TabularPipelineOptions& options) {
  if (options.params.contains("algorithm")) {
    throw InvalidArgument("unknown key 'params.algorithm': the algorithm is chosen by the " +
                          std::string("options (rf, gbdt or logreg), not by params"));
  }
  JsonDocument copy(options.params);  // disposed (claimlens/json_document.hpp)
  Json& params = *copy;
  const AlgorithmInfo& algorithm = info(options.algorithm);
  if (algorithm.seeded) {
    if (!params.contains("random_state")) params["random_state"] = options.random_state;
    if (!params.contains("n_jobs")) params["n_jobs"] = options.n_jobs;
  }
  params["algorithm"] = algorithm.model_type;
  return copy;
}

// The two classes of the target (sorted) and which is positive.
std::pair<std::string, std::string> choose_classes(const Column& target, const std::string& name,
                                                   const std::optional<std::string>& positive) {
  std::set<std::string> classes;
  for (std::size_t i = 0; i < target.size(); ++i) {
    if (target.is_null(i)) continue;
    classes.insert(cell_label(target, i));
    if (classes.size() > 2) break;
  }
  if (classes.size() != 2) {
    std::string listed;
    for (const auto& c : classes) listed += (listed.empty() ? "'" : ", '") + c + "'";
    throw InvalidArgument(
        "target '" + name + "' has " +
        (classes.size() > 2
             ? std::string("more than 2 classes")
             : std::to_string(classes.size()) + " class" + (classes.size() == 1 ? "" : "es")) +
        (listed.empty() ? "" : " (" + listed + (classes.size() > 2 ? ", ..." : "") + ")") +
        "; a binary classifier needs exactly 2");
  }
  const std::string a = *classes.begin(), b = *classes.rbegin();
  const std::string both = "'" + a + "' and '" + b + "'";
  std::string pos;
  if (positive) {
    pos = normalize_label(target.dtype(), *positive);
    if (pos != a && pos != b) {
      throw InvalidArgument("positive class '" + *positive + "' is not a value of target '" + name +
                            "' (its classes are " + both + ")");
    }
  } else if (target.dtype() == DType::Bool || (a == "0" && b == "1")) {
    pos = b;  // True / 1
  } else {
    throw InvalidArgument("target '" + name + "' has classes " + both +
                          ": name the positive one (--positive VALUE)");
  }
  return {pos, pos == a ? b : a};
}

}  // namespace tabular_detail

namespace {

double median_of(const Column& column) {
  std::vector<double> values;
  values.reserve(column.size());
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (!column.is_null(i)) values.push_back(column.as_double(i));
  }
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

std::size_t distinct_up_to(const Column& column, std::size_t limit) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < column.size() && seen.size() <= limit; ++i) {
    if (!column.is_null(i)) seen.insert(column.string_at(i));
  }
  return seen.size();
}

}  // namespace

void TabularPipeline::learn_plan(const DataFrame& frame, const TabularPipelineOptions& options) {
  plan_.clear();
  notes_.clear();
  text_column_ = options.text;
  std::vector<std::string> categorical;
  for (const auto& name : frame.column_names()) {
    if (name == options.target || (options.text && name == *options.text)) continue;
    if (std::find(options.drop.begin(), options.drop.end(), name) != options.drop.end()) continue;
    const Column& column = frame.column(name);
    PlanColumn planned;
    planned.name = name;
    if (column.dtype() != DType::String) {
      planned.fill = median_of(column);
      if (column.null_count() == column.size()) {
        notes_.push_back("'" + name + "': no value in the training rows (used as missing)");
      }
      plan_.push_back(std::move(planned));
      continue;
    }
    const auto max_categories = static_cast<std::size_t>(options.max_categories);
    const std::size_t distinct = distinct_up_to(column, max_categories);
    if (distinct > max_categories) {
      notes_.push_back("'" + name + "': more than " + std::to_string(options.max_categories) +
                       " distinct values, not used (pass it as the text column, or drop it)");
      continue;
    }
    planned.kind = PlanColumn::Kind::Categorical;
    categorical.push_back(name);
    plan_.push_back(std::move(planned));
  }
  encoder_ = OneHotEncoder(OneHotOptions{false, UnknownCategory::Ignore});
  if (!categorical.empty()) {
    encoder_.fit(frame, categorical);
    std::size_t c = 0;
    for (auto& p : plan_) {
      if (p.kind == PlanColumn::Kind::Categorical) p.categories = encoder_.categories()[c++];
    }
  }
  if (text_column_) {
    PlanColumn text;
    text.name = *text_column_;
    text.kind = PlanColumn::Kind::Text;
    plan_.push_back(text);
    vectorizer_ = CountVectorizer(options.text_options);
    try {
      vectorizer_.fit(text_documents(frame.column(*text_column_)));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("text column '" + *text_column_ + "': " + e.what());
    }
  }
  rebuild_feature_names();
  if (feature_names_.empty()) {
    throw InvalidArgument(
        "no usable feature column: every column is the target, dropped, or text "
        "with more than " +
        std::to_string(options.max_categories) + " distinct values");
  }
}

void TabularPipeline::rebuild_feature_names() {
  feature_names_.clear();
  for (const auto& p : plan_) {
    if (p.kind == PlanColumn::Kind::Numeric) feature_names_.push_back(p.name);
  }
  if (!encoder_.input_names().empty()) {
    for (auto& name : encoder_.get_feature_names_out()) feature_names_.push_back(std::move(name));
  }
  if (text_column_) {
    for (const auto& term : vectorizer_.get_feature_names_out()) {
      feature_names_.push_back(*text_column_ + ": " + term);
    }
  }
}

RowMatrix TabularPipeline::transform(const DataFrame& frame) const {
  const auto rows = static_cast<Eigen::Index>(frame.num_rows());
  RowMatrix X = RowMatrix::Zero(rows, static_cast<Eigen::Index>(num_features()));
  Eigen::Index col = 0;
  DataFrame categorical;
  for (const auto& p : plan_) {
    const Column& column = plan_column(frame, p.name);
    if (p.kind == PlanColumn::Kind::Categorical) {
      categorical.add_column(p.name, as_string_column(column));
    } else if (p.kind == PlanColumn::Kind::Numeric) {
      if (column.dtype() == DType::String) {
        throw SchemaError("column '" + p.name + "' held numbers when the model was trained but " +
                          "holds text here");
      }
      for (Eigen::Index i = 0; i < rows; ++i) X(i, col) = column.as_double(std::size_t(i));
      ++col;
    }
  }
  if (categorical.num_columns() > 0) {
    const RowMatrix onehot = encoder_.transform(categorical);
    X.middleCols(col, onehot.cols()) = onehot;
    col += onehot.cols();
  }
  if (text_column_) {
    const Column text = as_string_column(plan_column(frame, *text_column_));
    const CsrMatrix counts = vectorizer_.transform(text_documents(text));
    for (std::size_t r = 0; r < counts.rows; ++r) {
      for (std::size_t k = counts.indptr[r]; k < counts.indptr[r + 1]; ++k) {
        X(Eigen::Index(r), col + Eigen::Index(counts.indices[k])) = double(counts.data[k]);
      }
    }
  }
  return X;
}

void TabularPipeline::impute(RowMatrix& X) const {
  if (!info(algorithm_).imputes) return;  // the estimator routes NaN itself
  Eigen::Index col = 0;
  for (const auto& p : plan_) {
    if (p.kind != PlanColumn::Kind::Numeric) continue;
    for (Eigen::Index i = 0; i < X.rows(); ++i) {
      if (std::isnan(X(i, col))) X(i, col) = p.fill;
    }
    ++col;
  }
}

RowMatrix TabularPipeline::model_matrix(const DataFrame& frame) const {
  RowMatrix X = transform(frame);
  impute(X);
  return X;
}

RowMatrix TabularPipeline::imputed(const RowMatrix& features) const {
  if (static_cast<std::size_t>(features.cols()) != num_features()) {
    throw InvalidArgument("the feature matrix has " + std::to_string(features.cols()) +
                          " columns but the model has " + std::to_string(num_features()) +
                          " features");
  }
  RowMatrix X = features;
  impute(X);
  return X;
}

std::vector<double> TabularPipeline::predict_proba(const RowMatrix& features) const {
  const RowMatrix X = imputed(features);
  if (X.rows() == 0) return {};
  return model_->predict_proba(X);
}

std::vector<double> TabularPipeline::predict_proba(const DataFrame& frame) const {
  return predict_proba(transform(frame));
}

std::vector<std::string> TabularPipeline::feature_groups() const {
  std::vector<std::string> groups;
  for (const auto& p : plan_) {
    if (p.kind == PlanColumn::Kind::Numeric) groups.push_back(p.name);
  }
  if (!encoder_.input_names().empty()) {
    // get_feature_names_out's order: each column's categories in turn (none dropped).
    const auto& categories = encoder_.categories();
    for (std::size_t c = 0; c < categories.size(); ++c) {
      groups.insert(groups.end(), categories[c].size(), encoder_.input_names()[c]);
    }
  }
  if (text_column_) groups.insert(groups.end(), num_features() - groups.size(), *text_column_);
  return groups;
}

ShapValues TabularPipeline::explain(const RowMatrix& features) const {
  return model_->explain(imputed(features));
}

ShapValues TabularPipeline::explain(const DataFrame& frame) const {
  return explain(transform(frame));
}

std::vector<double> TabularPipeline::encode_target(const DataFrame& frame,
                                                   const std::string& target,
                                                   std::size_t first_row) const {
  const Column& column = required_column(frame, target, "target");
  std::vector<double> y(column.size());
  for (std::size_t i = 0; i < column.size(); ++i) {
    if (column.is_null(i)) {
      y[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const std::string label = cell_label(column, i);
    if (label != positive_ && label != negative_) {
      throw InvalidArgument("target '" + target + "' row " + std::to_string(first_row + i + 1) +
                            ": '" + label + "' is neither '" + positive_ + "' nor '" + negative_ +
                            "'");
    }
    y[i] = label == positive_ ? 1.0 : 0.0;
  }
  return y;
}

Json TabularPipeline::fit_model(const RowMatrix& features, const std::vector<double>& y,
                                const TabularPipelineOptions& options) {
  algorithm_ = options.algorithm;
  RowMatrix X = features;
  impute(X);
  JsonDocument params = model_params(options);
  Json tuning = nullptr;
  if (options.tune) {
    detail::TuningOutcome outcome = detail::tune_model(*params, X, y, options);
    *params = std::move(outcome.params);
    tuning = std::move(outcome.report);
  }
  model_ = Model::fit(*params, X, y);
  return tuning;
}

namespace {

// The options of the final fit once tuning chose its parameters on the training part: those
// parameters, without tuning again.
TabularPipelineOptions tuned(const TabularPipelineOptions& options, const Json& tuning) {
  TabularPipelineOptions out = options;
  out.tune = false;
  for (const auto& item : tuning.at("fitted_params").items()) {
    if (item.key() != "algorithm") out.params[item.key()] = item.value();
  }
  return out;
}

}  // namespace

void tabular_detail::check_frame(const DataFrame& frame, const TabularPipelineOptions& options) {
  required_column(frame, options.target, "target");
  for (const auto& name : options.drop) {
    required_column(frame, name, "drop");
    if (name == options.target) throw InvalidArgument("the target '" + name + "' is also dropped");
  }
  if (options.text) {
    const Column& text = required_column(frame, *options.text, "text");
    if (text.dtype() != DType::String) {
      throw SchemaError("text column '" + *options.text + "' holds " + dtype_name(text.dtype()) +
                        " values, not text");
    }
    if (*options.text == options.target) {
      throw InvalidArgument("the target '" + options.target + "' cannot be the text column");
    }
  }
}

TabularPipeline TabularPipeline::fit(const DataFrame& frame,
                                     const TabularPipelineOptions& options) {
  options.validate();                              // bad options and parameters fail
  Model::validate_params(*model_params(options));  // before any data is read
  if (options.tune) detail::check_tuning(options, *model_params(options));
  check_frame(frame, options);
  const Column& target = frame.column(options.target);
  TabularPipeline out;
  out.target_ = options.target;
  std::tie(out.positive_, out.negative_) = choose_classes(target, options.target, options.positive);

  const DataFrame labelled = frame.filter(target.validity());
  const std::vector<double> y = out.encode_target(labelled, options.target);
  const std::size_t positives = static_cast<std::size_t>(std::count(y.begin(), y.end(), 1.0));
  // Key by key inside an owned document: initializer-list {key, value} pairs allocate when they
  // die (claimlens/json_document.hpp).
  JsonDocument doc(Json::object());
  Json& report = *doc;
  report["rows"] = frame.num_rows();
  report["rows_used"] = labelled.num_rows();
  report["rows_without_target"] = frame.num_rows() - labelled.num_rows();
  Json& classes = report["classes"] = Json::object();
  classes[out.positive_] = positives;
  classes[out.negative_] = y.size() - positives;
  report["validation"] = nullptr;
  Json tuning = nullptr;
  if (options.validation_fraction > 0) {
    std::vector<std::int64_t> labels(y.begin(), y.end());
    TrainTestSplitOptions split_options;
    split_options.test_size = TestSize::fraction(options.validation_fraction);
    split_options.seed = options.random_state;
    SplitIndices split;
    try {
      split = train_test_split_stratified(labels, split_options);
    } catch (const InvalidArgument& e) {
      throw InvalidArgument("too few rows for the stratified validation hold-out (" +
                            std::to_string(labelled.num_rows()) + " labelled rows): " + e.what());
    }
    const DataFrame train = labelled.take(split.train), held_out = labelled.take(split.test);
    TabularPipeline part = out;
    part.learn_plan(train, options);
    std::vector<double> y_train, y_val;
    for (std::size_t i : split.train) y_train.push_back(y[i]);
    for (std::size_t i : split.test) y_val.push_back(y[i]);
    tuning = part.fit_model(part.transform(train), y_train, options);
    Json& validation = report["validation"] =
        binary_evaluation(y_val, part.predict_proba(held_out));
    validation["rows"] = held_out.num_rows();
    validation["fraction"] = options.validation_fraction;
  }
  out.learn_plan(labelled, options);
  if (tuning.is_null()) {
    tuning = out.fit_model(out.transform(labelled), y, options);
  } else {
    out.fit_model(out.transform(labelled), y, tuned(options, tuning));
  }
  if (!tuning.is_null()) report["tuning"] = std::move(tuning);
  report["features"] = out.num_features();
  report["notes"] = out.notes_;
  out.report_ = std::move(doc);
  return out;
}

bool TabularPipeline::numeric_only() const {
  return std::all_of(plan_.begin(), plan_.end(),
                     [](const auto& p) { return p.kind == PlanColumn::Kind::Numeric; });
}

std::vector<double> TabularPipeline::feature_importances() const {
  return model_->feature_importances();
}

}  // namespace claimlens
