#include "claimlens/ensemble/tree.hpp"

#include <algorithm>
#include <cmath>

#include <omp.h>

#include "json_util.hpp"

namespace claimlens {

namespace ensemble_detail {
int resolve_threads(int n_jobs) {
  if (omp_in_parallel()) return 1;  // grid search already parallelizes across fits
  if (n_jobs < 0) return std::max(1, omp_get_max_threads());
  // More threads than cores only costs memory (found by fuzz_train_params: n_jobs 610666668
  // asked OpenMP for 10 GB of thread state); results do not depend on the count.
  return std::max(1, std::min(n_jobs, omp_get_num_procs()));
}
}  // namespace ensemble_detail

using ensemble_detail::bad_model;
using nlohmann::json;

std::size_t Tree::num_leaves() const {
  return static_cast<std::size_t>(
      std::count_if(nodes_.begin(), nodes_.end(), [](const TreeNode& n) { return n.is_leaf(); }));
}

int Tree::depth() const {
  if (nodes_.empty()) return 0;
  std::vector<int> d(nodes_.size(), 0);
  int best = 0;
  for (std::size_t i = 0; i < nodes_.size(); ++i) {  // children come after parents
    const TreeNode& n = nodes_[i];
    best = std::max(best, d[i]);
    if (!n.is_leaf()) {
      d[static_cast<std::size_t>(n.left)] = d[i] + 1;
      d[static_cast<std::size_t>(n.right)] = d[i] + 1;
    }
  }
  return best;
}

json Tree::to_json() const {
  // Built in place inside an owned document: no non-empty DOM dies outside dispose_json()
  // (claimlens/json_document.hpp), so a failed allocation never reaches nlohmann's destructor.
  JsonDocument doc(json::object());
  json& j = *doc;
  json& feature = j["feature"] = json::array();
  json& threshold = j["threshold"] = json::array();
  json& left = j["left"] = json::array();
  json& right = j["right"] = json::array();
  json& default_left = j["default_left"] = json::array();
  json& value = j["value"] = json::array();
  json& gain = j["gain"] = json::array();
  json& cover = j["cover"] = json::array();
  for (const TreeNode& n : nodes_) {
    feature.push_back(n.feature);
    threshold.push_back(n.threshold);
    left.push_back(n.left);
    right.push_back(n.right);
    default_left.push_back(n.default_left ? 1 : 0);
    value.push_back(n.value);
    gain.push_back(n.gain);
    cover.push_back(n.cover);
  }
  return std::move(j);
}

namespace {

const json& column(const json& j, const std::string& where, const char* key, std::size_t& n) {
  const json& a = ensemble_detail::model_field(j, where, key);
  if (!a.is_array()) bad_model(where + "." + key, "must be an array");
  if (n == static_cast<std::size_t>(-1)) n = a.size();
  if (a.size() != n) {
    bad_model(where + "." + key, "has " + std::to_string(a.size()) + " entries, expected " +
                                     std::to_string(n) + " (truncated or inconsistent arrays)");
  }
  return a;
}

void check_links(const std::vector<TreeNode>& nodes, std::size_t n_features,
                 const std::string& where) {
  const auto n = nodes.size();
  std::vector<std::uint8_t> parents(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const TreeNode& node = nodes[i];
    const std::string at = where + " node " + std::to_string(i);
    if (node.is_leaf()) {
      if (node.feature != -1 || node.left != -1 || node.right != -1) {
        bad_model(at, "a leaf must have feature -1 and children -1");
      }
      continue;
    }
    if (static_cast<std::size_t>(node.feature) >= n_features) {
      bad_model(at, "feature index " + std::to_string(node.feature) + " is past the " +
                        std::to_string(n_features) + " features");
    }
    for (std::int32_t child : {node.left, node.right}) {
      if (child < 0 || static_cast<std::size_t>(child) >= n) {
        bad_model(at, "child index " + std::to_string(child) + " is out of range [0, " +
                          std::to_string(n) + ")");
      }
      if (static_cast<std::size_t>(child) <= i) {
        bad_model(at, "child index " + std::to_string(child) +
                          " does not come after its parent (cycle or back edge)");
      }
      if (++parents[static_cast<std::size_t>(child)] > 1) {
        bad_model(at, "node " + std::to_string(child) + " has more than one parent");
      }
    }
    if (node.left == node.right) bad_model(at, "left and right children are the same node");
  }
  for (std::size_t i = 1; i < n; ++i) {
    if (parents[i] == 0) bad_model(where + " node " + std::to_string(i), "is unreachable");
  }
}

}  // namespace

Tree Tree::from_json(const json& j, std::size_t n_features, const std::string& where) {
  if (!j.is_object()) bad_model(where, "a tree must be a JSON object");
  std::size_t n = static_cast<std::size_t>(-1);
  const json& feature = column(j, where, "feature", n);
  const json& threshold = column(j, where, "threshold", n);
  const json& left = column(j, where, "left", n);
  const json& right = column(j, where, "right", n);
  const json& default_left = column(j, where, "default_left", n);
  const json& value = column(j, where, "value", n);
  const json& gain = column(j, where, "gain", n);
  const json& cover = column(j, where, "cover", n);
  if (n == 0) bad_model(where, "a tree needs at least one node");
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    bad_model(where, "too many nodes");
  }
  auto index = [&](const json& v, const char* key, std::size_t i) {
    const std::string at = where + "." + key + "[" + std::to_string(i) + "]";
    const auto x = ensemble_detail::model_int(v, at);
    if (x < -1 || x > std::numeric_limits<std::int32_t>::max()) bad_model(at, "is out of range");
    return static_cast<std::int32_t>(x);
  };
  auto number = [&](const json& v, const char* key, std::size_t i) {
    return ensemble_detail::model_finite(v, where + "." + key + "[" + std::to_string(i) + "]");
  };
  std::vector<TreeNode> nodes(n);
  for (std::size_t i = 0; i < n; ++i) {
    TreeNode& node = nodes[i];
    node.feature = index(feature[i], "feature", i);
    node.left = index(left[i], "left", i);
    node.right = index(right[i], "right", i);
    // Finite, like every number of a model file: the encoder refuses to save infinities, so a
    // loaded model must not hold one (found by fuzz_classifier_load: a leaf's unused threshold).
    node.threshold = number(threshold[i], "threshold", i);
    const auto dl = ensemble_detail::model_int(default_left[i],
                                               where + ".default_left[" + std::to_string(i) + "]");
    if (dl != 0 && dl != 1)
      bad_model(where + ".default_left[" + std::to_string(i) + "]", "not 0/1");
    node.default_left = dl == 1;
    node.value = number(value[i], "value", i);
    node.gain = number(gain[i], "gain", i);
    node.cover = number(cover[i], "cover", i);
  }
  check_links(nodes, n_features, where);
  return Tree(std::move(nodes));
}

}  // namespace claimlens
