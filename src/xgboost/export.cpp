// claimlens gradient boosting written as an XGBoost 1.7 JSON document (the layout of
// RegTree::SaveModel and GBTreeModel::SaveModel, src/tree/tree_model.cc and src/gbm/).
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "claimlens/xgboost/booster.hpp"

namespace claimlens {

using nlohmann::json;

namespace {

// The smallest float32 >= t: for every float32 v, v < result exactly when v < t.
float float_at_or_above(double t) {
  float f = static_cast<float>(t);
  if (static_cast<double>(f) < t) f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

std::string float_string(float x) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);  // shortest, locale-independent
  return std::string(buf, r.ptr);
}

std::string int_string(std::size_t x) {
  return std::to_string(x);
}

// One tree in XGBoost's arrays: breadth-first, each split's children allocated together so
// the right child is left + 1 (what XGBoost's predictor reads).
json export_tree(const Tree& tree, std::size_t id, std::size_t n_features) {
  std::vector<std::size_t> order{0};             // claimlens node of each XGBoost node
  std::vector<std::int64_t> parent{2147483647};  // XGBoost writes the root's parent so
  for (std::size_t q = 0; q < order.size(); ++q) {
    const TreeNode& n = tree.nodes()[order[q]];
    if (n.is_leaf()) continue;
    order.push_back(static_cast<std::size_t>(n.left));
    order.push_back(static_cast<std::size_t>(n.right));
    parent.push_back(static_cast<std::int64_t>(q));
    parent.push_back(static_cast<std::int64_t>(q));
  }
  json j = json::object();
  json &left = j["left_children"] = json::array(), &right = j["right_children"] = json::array();
  json &feature = j["split_indices"] = json::array(), &cond = j["split_conditions"] = json::array();
  json &dleft = j["default_left"] = json::array(), &type = j["split_type"] = json::array();
  json &hess = j["sum_hessian"] = json::array(), &loss = j["loss_changes"] = json::array();
  json& weight = j["base_weights"] = json::array();
  std::size_t next = 1;
  for (std::size_t q = 0; q < order.size(); ++q) {
    const TreeNode& n = tree.nodes()[order[q]];
    const bool leaf = n.is_leaf();
    left.push_back(leaf ? -1 : static_cast<std::int64_t>(next));
    right.push_back(leaf ? -1 : static_cast<std::int64_t>(next + 1));
    if (!leaf) next += 2;
    feature.push_back(leaf ? 0 : n.feature);
    const float c = leaf ? static_cast<float>(n.value) : float_at_or_above(n.threshold);
    if (!std::isfinite(c)) {
      throw InvalidArgument("export_xgboost_json: tree " + std::to_string(id) +
                            " has a value past float32's range: " + std::to_string(n.threshold));
    }
    cond.push_back(static_cast<double>(c));
    dleft.push_back(!leaf && n.default_left ? 1 : 0);
    type.push_back(0);
    hess.push_back(static_cast<double>(static_cast<float>(n.cover)));
    loss.push_back(leaf ? 0.0 : static_cast<double>(static_cast<float>(n.gain)));
    weight.push_back(static_cast<double>(static_cast<float>(n.value)));
  }
  j["parents"] = parent;
  j["categories"] = json::array();
  j["categories_nodes"] = json::array();
  j["categories_segments"] = json::array();
  j["categories_sizes"] = json::array();
  j["id"] = id;
  j["tree_param"] = {{"num_deleted", "0"},
                     {"num_feature", int_string(n_features)},
                     {"num_nodes", int_string(order.size())},
                     {"size_leaf_vector", "0"}};
  return j;
}

}  // namespace

json export_xgboost_json(const GradientBoostingClassifier& model,
                         const std::vector<std::string>& feature_names) {
  if (!model.is_fitted()) {
    throw InvalidArgument("export_xgboost_json: the gradient-boosting model is not fitted");
  }
  const std::size_t F = model.n_features_in();
  if (!feature_names.empty() && feature_names.size() != F) {
    throw InvalidArgument("export_xgboost_json: " + std::to_string(feature_names.size()) +
                          " feature names for a model of " + std::to_string(F) + " features");
  }
  JsonDocument doc(json::object());
  json& learner = (*doc)["learner"] = json::object();
  learner["attributes"] = json::object();
  learner["feature_names"] = feature_names;
  learner["feature_types"] = json::array();
  json& booster = learner["gradient_booster"] = json::object();
  booster["name"] = "gbtree";
  json& m = booster["model"] = json::object();
  const auto& trees = model.trees();
  m["gbtree_model_param"] = {{"num_parallel_tree", "1"},
                             {"num_trees", int_string(trees.size())},
                             {"size_leaf_vector", "0"}};
  json& out = m["trees"] = json::array();
  for (std::size_t t = 0; t < trees.size(); ++t) out.push_back(export_tree(trees[t], t, F));
  m["tree_info"] = std::vector<int>(trees.size(), 0);
  learner["learner_model_param"] = {
      {"base_score", float_string(static_cast<float>(model.base_score()))},
      {"boost_from_average", "1"},
      {"num_class", "0"},
      {"num_feature", int_string(F)},
      {"num_target", "1"}};
  learner["objective"] = {{"name", "binary:logistic"},
                          {"reg_loss_param", {{"scale_pos_weight", "1"}}}};
  (*doc)["version"] = {1, 7, 4};
  return std::move(*doc);
}

void export_xgboost_json(const RandomForestClassifier&, const std::vector<std::string>&) {
  throw InvalidArgument(
      "export_xgboost_json: a random forest cannot be written as an XGBoost model exactly: its "
      "probability is the mean of its trees' leaf probabilities, and XGBoost adds leaf values "
      "in float32 (leaves divided by the tree count under reg:squarederror would round every "
      "leaf and partial sum), so the file would not predict the forest's probabilities; export "
      "a gradient-boosting model instead");
}

}  // namespace claimlens
