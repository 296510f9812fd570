#include "claimlens/ensemble/tree.hpp"

#include <algorithm>
#include <cmath>

#include <cstdint>
#include <limits>

#include "claimlens/json_document.hpp"
#include "claimlens/json_reader.hpp"

namespace claimlens {

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

// One of the node arrays: an array of exactly n entries (n set by the first one read).
JsonReader column(const JsonReader& j, const char* key, std::size_t& n) {
  const JsonReader a = j.at(key);
  const std::size_t size = a.array_size();
  if (n == static_cast<std::size_t>(-1)) n = size;
  if (size != n) {
    a.fail("has " + std::to_string(size) + " entries, expected " + std::to_string(n) +
           " (truncated or inconsistent arrays)");
  }
  return a;
}

// The arrays of the tree document, read as they are checked.
struct Columns {
  JsonReader feature, threshold, left, right, default_left, value, gain, cover;
};

void check_links(const std::vector<TreeNode>& nodes, std::size_t n_features, const Columns& c) {
  const auto n = nodes.size();
  std::vector<std::uint8_t> parents(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const TreeNode& node = nodes[i];
    if (node.is_leaf()) {
      if (node.feature != -1) c.feature.at(i).fail_value("must be -1 (a leaf) or a feature index");
      if (node.left != -1 || node.right != -1) {
        (node.left != -1 ? c.left : c.right)
            .at(i)
            .fail_value("must be -1 (the node is a leaf: its feature is -1)");
      }
      continue;
    }
    if (static_cast<std::size_t>(node.feature) >= n_features) {
      c.feature.at(i).fail_value("must be -1 or a feature index below " +
                                 std::to_string(n_features));
    }
    for (const JsonReader* side : {&c.left, &c.right}) {
      const std::int32_t child = side == &c.left ? node.left : node.right;
      if (child < 0 || static_cast<std::size_t>(child) >= n) {
        side->at(i).fail_value("must be a node index in [0, " + std::to_string(n) + ")");
      }
      if (static_cast<std::size_t>(child) <= i) {
        side->at(i).fail_value("must come after its parent " + std::to_string(i) +
                               " (cycle or back edge)");
      }
      if (++parents[static_cast<std::size_t>(child)] > 1) {
        side->at(i).fail_value("names a node that has more than one parent");
      }
    }
    if (node.left == node.right) c.right.at(i).fail_value("is the same node as the left child");
  }
  for (std::size_t i = 1; i < n; ++i) {
    if (parents[i] == 0) c.feature.at(i).fail("is the feature of an unreachable node");
  }
}

// Node i's values. The reader names a path only when a value is refused: building
// "trees[3].feature[7]" for every value would slow down loading large models for nothing.
TreeNode read_node(const Columns& c, std::size_t i) {
  constexpr std::int64_t kMaxIndex = std::numeric_limits<std::int32_t>::max();
  const auto index = [i](const JsonReader& col) {
    const auto x = json_integer_in(col.value()[i], -1, kMaxIndex);
    return static_cast<std::int32_t>(x ? *x : col.at(i).integer(-1, kMaxIndex));
  };
  // Finite, like every number of a model file: the encoder refuses to save infinities, so a
  // loaded model must not hold one (found by fuzz_classifier_load: a leaf's unused threshold).
  const auto number = [i](const JsonReader& col) {
    const nlohmann::json& v = col.value()[i];
    const double x = v.is_number() ? v.get<double>() : std::nan("");
    return std::isfinite(x) ? x : col.at(i).finite();
  };
  TreeNode node;
  node.feature = index(c.feature);
  node.left = index(c.left);
  node.right = index(c.right);
  node.threshold = number(c.threshold);
  const auto left_first = json_integer_in(c.default_left.value()[i], 0, 1);
  node.default_left = (left_first ? *left_first : c.default_left.at(i).integer(0, 1)) == 1;
  node.value = number(c.value);
  node.gain = number(c.gain);
  node.cover = number(c.cover);
  return node;
}

}  // namespace

Tree Tree::from_json(const JsonReader& j, std::size_t n_features) {
  j.object();
  std::size_t n = static_cast<std::size_t>(-1);
  const Columns c{column(j, "feature", n), column(j, "threshold", n),    column(j, "left", n),
                  column(j, "right", n),   column(j, "default_left", n), column(j, "value", n),
                  column(j, "gain", n),    column(j, "cover", n)};
  if (n == 0) j.fail("needs at least one node");
  if (n > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    j.fail("has too many nodes");
  }
  std::vector<TreeNode> nodes(n);
  for (std::size_t i = 0; i < n; ++i) nodes[i] = read_node(c, i);
  check_links(nodes, n_features, c);
  return Tree(std::move(nodes));
}

}  // namespace claimlens
