// Reads and validates an XGBoost 1.x document (learner / gradient_booster / trees) into an
// XGBoostBooster. Every refusal names the key path and the construct; see docs/model-format.md.
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "claimlens/xgboost/booster.hpp"

namespace claimlens {

using nlohmann::json;

namespace {

constexpr std::int64_t kMaxInt32 = std::numeric_limits<std::int32_t>::max();

// XGBoost 1.x stores its parameters as strings: "25", "5.060262E-1".
std::int64_t string_integer(const JsonReader& r, std::int64_t lo, std::int64_t hi) {
  const json& v = r.value();
  const auto* s = v.get_ptr<const json::string_t*>();
  std::int64_t x = 0;
  if (s != nullptr) {
    const auto res = std::from_chars(s->data(), s->data() + s->size(), x);
    if (res.ec == std::errc() && res.ptr == s->data() + s->size() && x >= lo && x <= hi) return x;
  }
  r.fail_value("must be a string holding an integer from " + std::to_string(lo) + " to " +
               std::to_string(hi));
}

float string_float(const JsonReader& r) {
  const auto* s = r.value().get_ptr<const json::string_t*>();
  float x = 0.0f;
  if (s != nullptr) {
    const auto res = std::from_chars(s->data(), s->data() + s->size(), x);
    if (res.ec == std::errc() && res.ptr == s->data() + s->size() && std::isfinite(x)) return x;
  }
  r.fail_value("must be a string holding a finite float32 number");
}

// A float32 of a tree array, as XGBoost reads the number (integers included).
float array_float(const JsonReader& a, std::size_t i) {
  const json& v = a.value()[i];
  if (v.is_number() && !v.is_boolean()) {
    const float f = static_cast<float>(v.get<double>());
    if (std::isfinite(f)) return f;
  }
  a.at(i).fail_value("must be a finite float32 number");
}

std::int64_t array_integer(const JsonReader& a, std::size_t i, std::int64_t lo, std::int64_t hi) {
  const auto x = json_integer_in(a.value()[i], lo, hi);
  return x ? *x : a.at(i).integer(lo, hi);
}

struct TreeArrays {
  JsonReader left, right, feature, condition, default_left, hessian, loss, weights;
};

JsonReader node_array(const JsonReader& tree, const char* key, std::size_t n) {
  const JsonReader a = tree.at(key);
  const std::size_t size = a.array_size();
  if (size != n) {
    a.fail("has " + std::to_string(size) +
           " entries, expected tree_param.num_nodes = " + std::to_string(n));
  }
  return a;
}

// Refuses categorical splits: any split_type other than 0 (numerical), or listed categories.
void refuse_categorical(const JsonReader& tree, std::size_t n) {
  if (auto types = tree.find("split_type")) {
    const JsonReader t = node_array(tree, "split_type", n);
    for (std::size_t i = 0; i < n; ++i) {
      if (array_integer(t, i, 0, 255) != 0) {
        t.at(i).fail(
            "is a categorical split (split_type 1): categorical splits are not "
            "supported (only numerical splits)");
      }
    }
  }
  if (auto nodes = tree.find("categories_nodes")) {
    if (nodes->array_size() != 0) {
      nodes->fail("lists categorical splits: categorical splits are not supported");
    }
  }
}

// One XGBoost tree as a claimlens Tree: reachable nodes only (XGBoost may keep deleted nodes in
// the arrays), numbered so that children follow their parent and siblings are adjacent.
Tree read_tree(const JsonReader& tree, std::size_t num_features) {
  const JsonReader param = tree.at("tree_param");
  const auto n = static_cast<std::size_t>(string_integer(param.at("num_nodes"), 1, kMaxInt32));
  if (auto leaf_vector = param.find("size_leaf_vector")) {
    if (string_integer(*leaf_vector, 0, kMaxInt32) != 0) {
      leaf_vector->fail("is not 0: vector leaves (multi-output trees) are not supported");
    }
  }
  refuse_categorical(tree, n);
  const TreeArrays a{node_array(tree, "left_children", n), node_array(tree, "right_children", n),
                     node_array(tree, "split_indices", n), node_array(tree, "split_conditions", n),
                     node_array(tree, "default_left", n),  node_array(tree, "sum_hessian", n),
                     node_array(tree, "loss_changes", n),  node_array(tree, "base_weights", n)};
  std::vector<std::uint8_t> seen(n, 0);
  std::vector<TreeNode> out(1);
  std::vector<std::pair<std::size_t, std::size_t>> queue{{0, 0}};  // (XGBoost node, our node)
  seen[0] = 1;
  for (std::size_t q = 0; q < queue.size(); ++q) {
    const auto [i, o] = queue[q];
    TreeNode node;
    node.value = node.threshold = array_float(a.condition, i);
    node.gain = array_float(a.loss, i);
    node.cover = array_float(a.hessian, i);
    (void)array_float(a.weights, i);
    const auto left = array_integer(a.left, i, -1, static_cast<std::int64_t>(n) - 1);
    const auto right = array_integer(a.right, i, -1, static_cast<std::int64_t>(n) - 1);
    if (left == -1) {
      if (right != -1) a.right.at(i).fail_value("must be -1: the node is a leaf (left child -1)");
      node.threshold = 0.0;
      out[o] = node;
      continue;
    }
    if (right != left + 1) {
      a.right.at(i).fail_value("must be the left child + 1 = " + std::to_string(left + 1) +
                               " (XGBoost's predictor takes the right child at left + 1)");
    }
    for (const auto child : {left, right}) {
      const auto c = static_cast<std::size_t>(child);
      if (seen[c]) {
        (child == left ? a.left : a.right)
            .at(i)
            .fail_value("names node " + std::to_string(c) +
                        ", reached twice (a cycle or a shared child)");
      }
      seen[c] = 1;
    }
    node.feature = static_cast<std::int32_t>(
        array_integer(a.feature, i, 0, static_cast<std::int64_t>(num_features) - 1));
    node.default_left = array_integer(a.default_left, i, 0, 1) == 1;
    if (node.gain < 0.0) {  // fuzz_xgboost_load finding 9: importances must stay >= 0
      a.loss.at(i).fail_value("must be >= 0 for a split (the loss reduction it gained)");
    }
    node.value = 0.0;
    node.left = static_cast<std::int32_t>(out.size());
    node.right = node.left + 1;
    out[o] = node;
    out.resize(out.size() + 2);
    queue.push_back({static_cast<std::size_t>(left), static_cast<std::size_t>(node.left)});
    queue.push_back({static_cast<std::size_t>(right), static_cast<std::size_t>(node.right)});
  }
  // An internal node's value: the cover-weighted mean of its children (children come later).
  for (std::size_t o = out.size(); o-- > 0;) {
    TreeNode& node = out[o];
    if (node.is_leaf()) continue;
    const TreeNode& l = out[static_cast<std::size_t>(node.left)];
    const TreeNode& r = out[static_cast<std::size_t>(node.right)];
    const double w = l.cover + r.cover;
    node.value = w > 0 ? (l.value * l.cover + r.value * r.cover) / w : (l.value + r.value) / 2;
  }
  return Tree(std::move(out));
}

// Refuses a NaN or infinity anywhere (UBJSON can hold them): a loaded booster's document must be
// one that a claimlens model file can store.
void require_finite(const json& root) {
  if (const auto where = io::find_non_finite(root)) {
    throw ModelFormatError("the number at '" + *where + "' is not finite");
  }
}

}  // namespace

/// Reads the document into the booster's fields (a friend of XGBoostBooster).
struct XGBoostReader {
  static void read_version(const JsonReader& root, XGBoostBooster& b);
  static void read_learner(const JsonReader& learner, XGBoostBooster& b);
  static void read_trees(const JsonReader& model, XGBoostBooster& b);
  static void read(const JsonReader& root, XGBoostBooster& b) {
    root.object();
    read_version(root, b);
    const JsonReader learner = root.at("learner");
    read_learner(learner, b);
    require_finite(root.value());
  }
};

void XGBoostReader::read_version(const JsonReader& root, XGBoostBooster& b) {
  const JsonReader v = root.at("version");
  if (v.array_size() != 3) v.fail_value("must be [major, minor, patch]");
  b.version_.clear();
  for (std::size_t i = 0; i < 3; ++i)
    b.version_.push_back(static_cast<int>(v.at(i).integer(0, 1000000)));
  if (b.version_[0] != 1) {
    v.fail_value(
        "is not 1.x: only XGBoost 1.x model files are read (the reference is 1.7; "
        "2.x stores base_score and leaves differently)");
  }
}

void XGBoostReader::read_learner(const JsonReader& learner, XGBoostBooster& b) {
  learner.object();
  const JsonReader booster = learner.at("gradient_booster");
  const JsonReader booster_name = booster.at("name");
  const std::string name = booster_name.string();
  if (name == "dart") {
    booster_name.fail(
        "is \"dart\": the dart booster is not supported (it weights each tree by "
        "its dropout; only gbtree)");
  }
  if (name == "gblinear") {
    booster_name.fail("is \"gblinear\": linear boosters are not supported (only gbtree)");
  }
  if (name != "gbtree") booster_name.fail_value("must be \"gbtree\"");

  const JsonReader param = learner.at("learner_model_param");
  const JsonReader num_class = param.at("num_class");
  if (string_integer(num_class, 0, kMaxInt32) > 1) {
    num_class.fail_value(
        "is more than 1: multi-class models are not supported (one binary "
        "output only)");
  }
  if (auto targets = param.find("num_target")) {
    if (string_integer(*targets, 0, kMaxInt32) > 1) {
      targets->fail_value("is more than 1: multi-output models are not supported");
    }
  }
  b.num_features_ = static_cast<std::size_t>(string_integer(param.at("num_feature"), 1, kMaxInt32));

  const JsonReader objective = learner.at("objective").at("name");
  const std::string obj = objective.string();
  if (obj == "binary:logistic") {
    b.objective_ = XGBoostObjective::BinaryLogistic;
  } else if (obj == "binary:logitraw") {
    b.objective_ = XGBoostObjective::BinaryLogitRaw;
  } else if (obj == "reg:logistic") {
    b.objective_ = XGBoostObjective::RegLogistic;
  } else if (obj.rfind("multi:", 0) == 0) {
    objective.fail_value("is a multi-class objective: multi-class models are not supported");
  } else {
    objective.fail_value(
        "is not supported (binary:logistic, binary:logitraw and reg:logistic "
        "are: a binary classifier's logistic margin)");
  }
  // XGBoost's ProbToMargin (src/objective/regression_loss.h), in float: the logit for
  // binary:logistic and reg:logistic; binary:logitraw takes base_score as the margin itself.
  const JsonReader base_score = param.at("base_score");
  b.base_score_ = string_float(base_score);
  if (b.objective_ == XGBoostObjective::BinaryLogitRaw) {
    b.base_margin_ = b.base_score_;
  } else {
    if (!(b.base_score_ > 0.0f && b.base_score_ < 1.0f)) {
      base_score.fail_value("must be a probability in (0, 1) for a logistic objective");
    }
    b.base_margin_ = -std::log(1.0f / b.base_score_ - 1.0f);
  }

  b.feature_names_.clear();
  if (auto names = learner.find("feature_names")) b.feature_names_ = names->strings();
  b.has_feature_names_ = !b.feature_names_.empty();
  if (b.has_feature_names_ && b.feature_names_.size() != b.num_features_) {
    learner.at("feature_names")
        .fail("has " + std::to_string(b.feature_names_.size()) +
              " names, expected learner_model_param.num_feature = " +
              std::to_string(b.num_features_));
  }
  if (!b.has_feature_names_) {
    for (std::size_t f = 0; f < b.num_features_; ++f)
      b.feature_names_.push_back("f" + std::to_string(f));
  }
  if (auto types = learner.find("feature_types")) {
    const std::vector<std::string> t = types->strings();
    for (std::size_t f = 0; f < t.size(); ++f) {
      if (t[f] == "c") {
        types->at(f).fail("is \"c\": categorical features are not supported");
      }
    }
  }
  b.best_iteration_.reset();
  if (auto attributes = learner.find("attributes")) {
    if (auto best = attributes->find("best_iteration")) {
      b.best_iteration_ = static_cast<int>(string_integer(*best, 0, kMaxInt32));
    }
  }
  read_trees(booster.at("model"), b);
  if (b.best_iteration_ && static_cast<std::size_t>(*b.best_iteration_) >= b.num_boosted_rounds()) {
    learner.at("attributes")
        .at("best_iteration")
        .fail_value("must be below the number of boosted rounds, " +
                    std::to_string(b.num_boosted_rounds()));
  }
}

void XGBoostReader::read_trees(const JsonReader& model, XGBoostBooster& b) {
  const JsonReader param = model.at("gbtree_model_param");
  const auto num_trees =
      static_cast<std::size_t>(string_integer(param.at("num_trees"), 0, kMaxInt32));
  const JsonReader parallel = param.at("num_parallel_tree");
  b.num_parallel_tree_ = static_cast<int>(string_integer(parallel, 1, kMaxInt32));
  if (num_trees % static_cast<std::size_t>(b.num_parallel_tree_) != 0) {
    parallel.fail_value("must divide num_trees = " + std::to_string(num_trees) +
                        " (whole boosting rounds)");
  }
  if (auto leaf_vector = param.find("size_leaf_vector")) {
    if (string_integer(*leaf_vector, 0, kMaxInt32) != 0) {
      leaf_vector->fail("is not 0: vector leaves (multi-output trees) are not supported");
    }
  }
  const JsonReader trees = model.at("trees");
  if (trees.array_size() != num_trees) {
    trees.fail("has " + std::to_string(trees.array_size()) +
               " trees, expected gbtree_model_param.num_trees = " + std::to_string(num_trees));
  }
  const JsonReader info = model.at("tree_info");
  if (info.array_size() != num_trees) {
    info.fail("has " + std::to_string(info.array_size()) + " entries, expected " +
              std::to_string(num_trees));
  }
  b.trees_.clear();
  b.trees_.reserve(num_trees);
  double bound = std::fabs(static_cast<double>(b.base_margin_));
  for (std::size_t t = 0; t < num_trees; ++t) {
    if (array_integer(info, t, 0, kMaxInt32) != 0) {
      info.at(t).fail_value(
          "must be 0: trees of other output groups (multi-class) are not "
          "supported");
    }
    const JsonReader tree = trees.at(t);
    tree.object();
    const JsonReader id = tree.at("id");
    if (id.integer(0, kMaxInt32) != static_cast<std::int64_t>(t)) {
      id.fail_value("must be " + std::to_string(t) + " (trees are stored in id order)");
    }
    b.trees_.push_back(read_tree(tree, b.num_features_));
    double largest = 0.0;
    for (const TreeNode& n : b.trees_.back().nodes()) {
      if (n.is_leaf()) largest = std::max(largest, std::fabs(n.value));
    }
    bound += largest;
    if (bound > static_cast<double>(std::numeric_limits<float>::max())) {
      tree.fail(
          "has leaf values that can take the margin past float32's range (XGBoost would "
          "predict infinity or NaN)");
    }
  }
}

XGBoostBooster XGBoostBooster::from_json(const json& j) {
  return from_json(JsonReader(j, "", JsonSource::Model));
}

XGBoostBooster XGBoostBooster::from_json(const JsonReader& j) {
  XGBoostBooster b;
  XGBoostReader::read(j, b);
  b.document_ = JsonDocument(j.value());
  b.round_begin_ = 0;
  b.round_end_ = b.num_boosted_rounds();
  b.build_forest();
  return b;
}

}  // namespace claimlens
