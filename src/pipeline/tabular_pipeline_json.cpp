// TabularPipeline as JSON: the feature plan, the text vocabulary and the model, validated on load.
#include <algorithm>
#include <cmath>
#include <set>
#include <type_traits>

#include "claimlens/error.hpp"
#include "claimlens/json_document.hpp"
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

[[noreturn]] void bad(const std::string& why) {
  throw ModelFormatError("tabular_pipeline: " + why);
}

// What read<T> accepts, for its message.
template <class T>
bool holds(const Json& v, const char** expected) {
  if constexpr (std::is_same_v<T, std::string>) {
    *expected = "a string";
    return v.is_string();
  } else if constexpr (std::is_same_v<T, bool>) {
    *expected = "a boolean";
    return v.is_boolean();
  } else if constexpr (std::is_same_v<T, double>) {
    *expected = "a number";  // not a boolean, which nlohmann's get<double>() would take as 0 or 1
    return v.is_number();
  } else {
    static_assert(std::is_same_v<T, std::vector<std::string>>);
    *expected = "a list of strings";
    return v.is_array() &&
           std::all_of(v.begin(), v.end(), [](const Json& e) { return e.is_string(); });
  }
}

// j[key] as a T, or ModelFormatError naming the key by its path (`where` + key): nlohmann's own
// messages ("type must be string, but is number") do not say which key.
template <class T>
T read(const Json& j, const std::string& where, const char* key) {
  const std::string path = where.empty() ? key : where + "." + key;
  if (!j.is_object()) bad("'" + where + "' must be an object");
  const auto it = j.find(key);
  if (it == j.end()) bad("missing key '" + path + "'");
  const char* expected = "";
  if (!holds<T>(*it, &expected)) {
    std::string shown = it->dump(-1, ' ', false, Json::error_handler_t::replace);
    if (shown.size() > 64) {  // a whole vocabulary is no message: cut at a character boundary
      std::size_t cut = 60;
      while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
      shown = shown.substr(0, cut) + "...";
    }
    bad("'" + path + "' must be " + expected + ", not " + shown);
  }
  return it->template get<T>();
}

StopWords stop_words_from(const Json& j) {
  const char* unused = nullptr;
  if (j.is_null()) return StopWords::none();
  if (json_string_equals(j, "english")) return StopWords::english();
  if (holds<std::vector<std::string>>(j, &unused)) {
    return StopWords::custom(j.get<std::vector<std::string>>());
  }
  bad("'text.stop_words' must be null, \"english\" or a list of strings");
}

PlanColumn plan_column_from(const Json& j, const std::string& where) {
  PlanColumn p;
  p.name = read<std::string>(j, where, "name");
  if (p.name.empty()) bad("a plan column has an empty name");
  const std::string kind = read<std::string>(j, where, "kind");
  if (kind == "numeric") {
    p.fill = read<double>(j, where, "fill");
    if (!std::isfinite(p.fill)) bad("column '" + p.name + "' has a non-finite fill value");
  } else if (kind == "categorical") {
    p.kind = PlanColumn::Kind::Categorical;
    p.categories = read<std::vector<std::string>>(j, where, "categories");
    if (p.categories.empty()) bad("categorical column '" + p.name + "' has no category");
    if (!std::is_sorted(p.categories.begin(), p.categories.end()) ||
        std::adjacent_find(p.categories.begin(), p.categories.end()) != p.categories.end()) {
      bad("the categories of column '" + p.name + "' are not sorted and distinct");
    }
  } else if (kind == "text") {
    p.kind = PlanColumn::Kind::Text;
  } else {
    bad("column '" + p.name + "' has an unknown kind '" + kind + "'");
  }
  return p;
}

template <class M>
M model_from(const Json& j) {
  try {
    return M::from_json(j);
  } catch (const ModelFormatError&) {
    throw;
  } catch (const Error& e) {
    bad(std::string("model: ") + e.what());
  }
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
  j["model"] = std::visit([](const auto& m) { return m.to_json(); }, model_);
  return std::move(j);
}

TabularPipeline TabularPipeline::from_json(const Json& j) {
  if (!j.is_object()) bad("expected a JSON object");
  TabularPipeline out;
  try {
    out.target_ = read<std::string>(j, "", "target");
    out.positive_ = read<std::string>(j, "", "positive");
    out.negative_ = read<std::string>(j, "", "negative");
    if (out.target_.empty()) bad("empty target name");
    if (out.positive_ == out.negative_) bad("the positive and negative classes are the same");
    std::set<std::string> names{out.target_};
    std::vector<std::string> categorical;
    std::vector<std::vector<std::string>> categories;
    const Json& plan = j.at("plan");
    if (!plan.is_array()) bad("'plan' must be a list");
    for (std::size_t i = 0; i < plan.size(); ++i) {
      PlanColumn p = plan_column_from(plan[i], "plan[" + std::to_string(i) + "]");
      if (!names.insert(p.name).second)
        bad("column '" + p.name + "' appears twice (or is the target)");
      if (p.kind == PlanColumn::Kind::Categorical) {
        categorical.push_back(p.name);
        categories.push_back(p.categories);
      }
      if (p.kind == PlanColumn::Kind::Text) {
        if (out.text_column_) bad("more than one text column");
        out.text_column_ = p.name;
      }
      out.plan_.push_back(std::move(p));
    }
    const Json& text = j.at("text");
    if (text.is_null() != !out.text_column_) bad("the text settings do not match the plan");
    if (out.text_column_) {
      if (read<std::string>(text, "text", "column") != *out.text_column_) {
        bad("text.column is not the plan's text column '" + *out.text_column_ + "'");
      }
      CountVectorizerOptions o;
      // Each bound read with json_integer_in: get<std::size_t>() of a number past the integer
      // types (a double) is undefined behaviour, the bug of fuzz finding 7.
      const Json& range = text.at("ngram_range");
      const auto low =
          range.is_array() && range.size() == 2 ? json_integer_in(range[0], 1, 8) : std::nullopt;
      const auto high = low ? json_integer_in(range[1], *low, 8) : std::nullopt;
      if (!high) bad("text.ngram_range must be [low, high] with 1 <= low <= high <= 8");
      o.ngram_range = {static_cast<std::size_t>(*low), static_cast<std::size_t>(*high)};
      o.lowercase = read<bool>(text, "text", "lowercase");
      o.stop_words = stop_words_from(text.at("stop_words"));
      o.binary = read<bool>(text, "text", "binary");
      o.vocabulary = read<std::vector<std::string>>(text, "text", "vocabulary");
      out.vectorizer_ = CountVectorizer(std::move(o));
      out.vectorizer_.fit(std::vector<std::string>{});  // a fixed vocabulary: nothing to learn
    }
    if (!categorical.empty()) {
      // Refit on the categories themselves (padded to equal length): the same sorted sets.
      std::size_t longest = 0;
      for (const auto& c : categories) longest = std::max(longest, c.size());
      for (auto& c : categories) c.resize(longest, c.front());
      out.encoder_.fit(categorical, categories);
    }
    out.rebuild_feature_names();
    if (read<std::vector<std::string>>(j, "", "feature_names") != out.feature_names_) {
      bad("feature_names do not match the plan");
    }
    if (out.feature_names_.empty()) bad("no feature");
    out.notes_ = read<std::vector<std::string>>(j, "", "notes");
    out.report_ = JsonDocument(j.at("report"));
    const std::string algorithm = read<std::string>(j, "", "algorithm");
    const Json& model = j.at("model");
    std::size_t n_features = 0;
    if (algorithm == "rf") {
      out.model_ = model_from<RandomForestClassifier>(model);
      n_features = std::get<RandomForestClassifier>(out.model_).n_features_in();
    } else if (algorithm == "gbdt") {
      out.model_ = model_from<GradientBoostingClassifier>(model);
      n_features = std::get<GradientBoostingClassifier>(out.model_).n_features_in();
    } else if (algorithm == "logreg") {
      out.model_ = model_from<LogisticRegression>(model);
      n_features = std::size_t(std::get<LogisticRegression>(out.model_).coef().size());
    } else {
      bad("unknown algorithm '" + algorithm + "'");
    }
    if (n_features != out.feature_names_.size()) {
      bad("the model has " + std::to_string(n_features) + " features but the plan makes " +
          std::to_string(out.feature_names_.size()));
    }
  } catch (const Json::exception& e) {
    bad(e.what());
  } catch (const InvalidArgument& e) {
    bad(e.what());
  }
  return out;
}

}  // namespace claimlens
