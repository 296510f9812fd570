// TabularPipeline as JSON: the feature plan, the text vocabulary and the model, validated on load.
#include <algorithm>
#include <cmath>
#include <set>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"
#include "claimlens/pipeline/tabular_pipeline.hpp"

namespace claimlens {

using Json = nlohmann::json;

namespace {

const char* kind_name(PlanColumn::Kind kind) {
  switch (kind) {
    case PlanColumn::Kind::Categorical:
      return "categorical";
    case PlanColumn::Kind::Text:
      return "text";
    default:
      return "numeric";
  }
}

Json stop_words_json(const StopWords& s) {
  if (s.kind == StopWords::Kind::English) return "english";
  if (s.kind == StopWords::Kind::Custom) return s.words;
  return nullptr;
}

StopWords stop_words_from(const JsonReader& j) {
  if (j.value().is_null()) return StopWords::none();
  if (json_string_equals(j.value(), "english")) return StopWords::english();
  if (!j.value().is_array()) j.fail_value("must be null, \"english\" or a list of strings");
  return StopWords::custom(j.strings());
}

PlanColumn plan_column_from(const JsonReader& j) {
  PlanColumn p;
  const JsonReader name = j.at("name");
  p.name = name.string();
  if (p.name.empty()) name.fail("must not be empty");
  const JsonReader kind = j.at("kind");
  const std::size_t k = kind.choice({"numeric", "categorical", "text"});
  if (k == 0) {
    p.fill = j.at("fill").finite();
  } else if (k == 1) {
    p.kind = PlanColumn::Kind::Categorical;
    const JsonReader categories = j.at("categories");
    p.categories = categories.strings();
    if (p.categories.empty()) categories.fail("must hold at least one category");
    if (!std::is_sorted(p.categories.begin(), p.categories.end()) ||
        std::adjacent_find(p.categories.begin(), p.categories.end()) != p.categories.end()) {
      categories.fail("must be sorted and distinct");
    }
  } else {
    p.kind = PlanColumn::Kind::Text;
  }
  return p;
}

CountVectorizerOptions text_options_from(const JsonReader& text) {
  CountVectorizerOptions o;
  const JsonReader range = text.at("ngram_range");
  if (range.array_size() != 2) range.fail_value("must be [low, high]");
  const auto low = range.at(0).integer(1, 8);
  const auto high = range.at(1).integer(low, 8);
  o.ngram_range = {static_cast<std::size_t>(low), static_cast<std::size_t>(high)};
  o.lowercase = text.at("lowercase").boolean();
  o.stop_words = stop_words_from(text.at("stop_words"));
  o.binary = text.at("binary").boolean();
  o.vocabulary = text.at("vocabulary").strings();
  return o;
}

}  // namespace

Json TabularPipeline::to_json() const {
  // Built key by key inside an owned document: initializer-list {key, value} pairs and copied
  // locals would die as non-empty DOMs, whose destructor allocates (claimlens/json_document.hpp).
  JsonDocument doc(Json::object());
  Json& j = *doc;
  j["target"] = target_;
  j["positive"] = positive_;
  j["negative"] = negative_;
  j["algorithm"] = tabular_algorithm_name(algorithm());
  Json& plan = j["plan"] = Json::array();
  for (const auto& p : plan_) {
    plan.push_back(Json::object());
    Json& c = plan.back();
    c["name"] = p.name;
    c["kind"] = kind_name(p.kind);
    if (p.kind == PlanColumn::Kind::Numeric) c["fill"] = p.fill;
    if (p.kind == PlanColumn::Kind::Categorical) c["categories"] = p.categories;
  }
  Json& text = j["text"] = nullptr;
  if (text_column_) {
    const auto& o = vectorizer_.options();
    text = Json::object();
    text["column"] = *text_column_;
    text["ngram_range"] = Json::array({o.ngram_range.first, o.ngram_range.second});
    text["lowercase"] = o.lowercase;
    text["stop_words"] = stop_words_json(o.stop_words);
    text["binary"] = o.binary;
    text["vocabulary"] = vectorizer_.get_feature_names_out();
  }
  j["feature_names"] = feature_names_;
  j["notes"] = notes_;
  j["report"] = *report_;
  j["model"] = model_->to_json();
  return std::move(j);
}

TabularPipeline TabularPipeline::from_json(const Json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

TabularPipeline TabularPipeline::from_json(const JsonReader& j) {
  TabularPipeline out;
  out.target_ = j.at("target").string();
  out.positive_ = j.at("positive").string();
  out.negative_ = j.at("negative").string();
  if (out.target_.empty()) j.at("target").fail("must not be empty");
  if (out.positive_ == out.negative_) j.at("negative").fail_value("must differ from 'positive'");
  out.read_plan(j.at("plan"));
  const JsonReader text = j.at("text");
  if (text.value().is_null() != !out.text_column_) {
    text.fail_value(out.text_column_ ? "must describe the plan's text column" : "must be null");
  }
  if (out.text_column_) {
    const JsonReader column = text.at("column");
    if (column.string() != *out.text_column_) {
      column.fail_value("must be the plan's text column \"" + *out.text_column_ + "\"");
    }
    try {
      out.vectorizer_ = CountVectorizer(text_options_from(text));
      out.vectorizer_.fit(std::vector<std::string>{});  // a fixed vocabulary: nothing to learn
    } catch (const InvalidArgument& e) {                // e.g. a repeated vocabulary term
      text.fail(std::string("does not make a vectorizer: ") + e.what());
    }
  }
  out.fit_plan_encoder();
  out.rebuild_feature_names();
  const JsonReader names = j.at("feature_names");
  if (names.strings() != out.feature_names_) names.fail("do not match the plan");
  if (out.feature_names_.empty()) names.fail("must not be empty");
  out.notes_ = j.at("notes").strings();
  out.report_ = JsonDocument(j.at("report").value());
  out.read_model(j.at("algorithm"), j.at("model"));
  return out;
}

void TabularPipeline::read_plan(const JsonReader& plan) {
  std::set<std::string> names{target_};
  for (std::size_t i = 0; i < plan.array_size(); ++i) {
    const JsonReader at = plan.at(i);
    PlanColumn p = plan_column_from(at);
    if (!names.insert(p.name).second) at.at("name").fail_value("appears twice (or is the target)");
    if (p.kind == PlanColumn::Kind::Text) {
      if (text_column_) at.at("kind").fail("is a second text column");
      text_column_ = p.name;
    }
    plan_.push_back(std::move(p));
  }
}

void TabularPipeline::fit_plan_encoder() {
  std::vector<std::string> categorical;
  std::vector<std::vector<std::string>> categories;
  for (const auto& p : plan_) {
    if (p.kind != PlanColumn::Kind::Categorical) continue;
    categorical.push_back(p.name);
    categories.push_back(p.categories);
  }
  if (categorical.empty()) return;
  // Refit on the categories themselves (padded to equal length): the same sorted sets.
  std::size_t longest = 0;
  for (const auto& c : categories) longest = std::max(longest, c.size());
  for (auto& c : categories) c.resize(longest, c.front());
  encoder_.fit(categorical, categories);
}

void TabularPipeline::read_model(const JsonReader& algorithm, const JsonReader& model) {
  // choice()'s order is the enum's.
  algorithm_ = static_cast<TabularAlgorithm>(algorithm.choice({"rf", "gbdt", "logreg"}));
  model_ = read_model_document(matrix_model_types(), tabular_model_type(algorithm_), model);
  if (model_->num_features() != feature_names_.size()) {
    model.fail("has " + std::to_string(model_->num_features()) + " features but the plan makes " +
               std::to_string(feature_names_.size()));
  }
}

}  // namespace claimlens
