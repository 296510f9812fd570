#include "claimlens/xgboost/booster.hpp"

#include <cmath>
#include <cstring>
#include <string_view>
#include <utility>

#include "claimlens/io/atomic_file.hpp"
#include "claimlens/threads.hpp"
#include "decode.hpp"
#include "forest32.hpp"

namespace claimlens {

using nlohmann::json;
using xgboost_detail::Forest32;

bool looks_like_xgboost_model(Span<const std::uint8_t> bytes) noexcept {
  const std::uint8_t* p = bytes.data();
  const std::size_t n = bytes.size();
  const auto first_key_is_ours = [](std::string_view key) {
    return key == "learner" || key == "version";
  };
  // UBJSON: '{', then the key as a length ('L' + int64 big-endian, as XGBoost writes it, or a
  // shorter integer marker) and its bytes.
  if (n >= 3 && p[0] == '{') {
    const std::size_t width = p[1] == 'i' || p[1] == 'U' ? 1
                              : p[1] == 'I'              ? 2
                              : p[1] == 'l'              ? 4
                              : p[1] == 'L'              ? 8
                                                         : 0;
    if (width != 0 && n >= 2 + width) {
      std::uint64_t len = 0;
      for (std::size_t i = 0; i < width; ++i) len = (len << 8) | p[2 + i];
      if (len <= 7 && n >= 2 + width + len) {
        return first_key_is_ours(
            std::string_view(reinterpret_cast<const char*>(p + 2 + width), len));
      }
      return false;
    }
  }
  // JSON text: '{' and the first key, after an optional BOM and whitespace.
  std::size_t i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
  const auto skip_space = [&] {
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r')) ++i;
  };
  skip_space();
  if (i >= n || p[i] != '{') return false;
  ++i;
  skip_space();
  for (std::string_view key : {"\"learner\"", "\"version\""}) {
    if (n - i >= key.size() && std::memcmp(p + i, key.data(), key.size()) == 0) return true;
  }
  return false;
}

XGBoostBooster::XGBoostBooster() = default;

XGBoostBooster::XGBoostBooster(const XGBoostBooster& o)
    : document_(o.document_),
      objective_(o.objective_),
      version_(o.version_),
      num_features_(o.num_features_),
      feature_names_(o.feature_names_),
      has_feature_names_(o.has_feature_names_),
      base_score_(o.base_score_),
      base_margin_(o.base_margin_),
      num_parallel_tree_(o.num_parallel_tree_),
      best_iteration_(o.best_iteration_),
      trees_(o.trees_),
      round_begin_(o.round_begin_),
      round_end_(o.round_end_),
      n_jobs_(o.n_jobs_),
      forest_(o.forest_ ? new Forest32(*o.forest_) : nullptr) {}

XGBoostBooster::XGBoostBooster(XGBoostBooster&& o) noexcept
    : document_(std::move(o.document_)),
      objective_(o.objective_),
      version_(std::move(o.version_)),
      num_features_(o.num_features_),
      feature_names_(std::move(o.feature_names_)),
      has_feature_names_(o.has_feature_names_),
      base_score_(o.base_score_),
      base_margin_(o.base_margin_),
      num_parallel_tree_(o.num_parallel_tree_),
      best_iteration_(o.best_iteration_),
      trees_(std::move(o.trees_)),
      round_begin_(o.round_begin_),
      round_end_(o.round_end_),
      n_jobs_(o.n_jobs_),
      forest_(std::exchange(o.forest_, nullptr)) {}

XGBoostBooster& XGBoostBooster::operator=(XGBoostBooster o) {
  std::swap(document_, o.document_);
  std::swap(objective_, o.objective_);
  std::swap(version_, o.version_);
  std::swap(num_features_, o.num_features_);
  std::swap(feature_names_, o.feature_names_);
  std::swap(has_feature_names_, o.has_feature_names_);
  std::swap(base_score_, o.base_score_);
  std::swap(base_margin_, o.base_margin_);
  std::swap(num_parallel_tree_, o.num_parallel_tree_);
  std::swap(best_iteration_, o.best_iteration_);
  std::swap(trees_, o.trees_);
  std::swap(round_begin_, o.round_begin_);
  std::swap(round_end_, o.round_end_);
  std::swap(n_jobs_, o.n_jobs_);
  std::swap(forest_, o.forest_);
  return *this;
}

XGBoostBooster::~XGBoostBooster() {
  delete forest_;
}

void XGBoostBooster::build_forest() {
  const std::size_t k = num_parallel_tree_size();
  auto* forest = new Forest32(trees_, round_begin_ * k, round_end_ * k);
  delete forest_;
  forest_ = forest;
}

XGBoostBooster XGBoostBooster::load(Span<const std::uint8_t> bytes, const io::ModelLimits& limits,
                                    const std::string& source) {
  const std::string who = source.empty() ? std::string("XGBoost model") : source;
  try {
    JsonDocument doc = xgboost_detail::decode_document(bytes, limits);
    XGBoostBooster b = from_json(JsonReader(*doc, "", JsonSource::Model));
    return b;
  } catch (const ModelFormatError& e) {
    throw ModelFormatError(who + ": " + e.what());
  } catch (const std::length_error& e) {
    throw ModelFormatError(who + ": a size is out of range (" + e.what() + ")");
  }
}

XGBoostBooster XGBoostBooster::load(const std::string& path, const io::ModelLimits& limits) {
  const std::string bytes = io::read_file(path, limits.max_bytes);
  return load(
      Span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()),
      limits, "XGBoost model file '" + path + "'");
}

json XGBoostBooster::to_json() const {
  if (forest_ == nullptr) throw StateError("XGBoostBooster.to_json: no model is loaded");
  return *document_;
}

const char* XGBoostBooster::objective_name() const {
  switch (objective_) {
    case XGBoostObjective::BinaryLogitRaw:
      return "binary:logitraw";
    case XGBoostObjective::RegLogistic:
      return "reg:logistic";
    case XGBoostObjective::BinaryLogistic:
      break;
  }
  return "binary:logistic";
}

XGBoostBooster XGBoostBooster::with_iteration_range(std::size_t begin, std::size_t end) const {
  const std::size_t rounds = num_boosted_rounds();
  if (end == 0) end = rounds;
  if (begin >= end || end > rounds) {
    throw InvalidArgument("XGBoostBooster.with_iteration_range: [" + std::to_string(begin) + ", " +
                          std::to_string(end) + ") is not a range of rounds within [0, " +
                          std::to_string(rounds) + ")");
  }
  XGBoostBooster b(*this);
  b.round_begin_ = begin;
  b.round_end_ = end;
  b.build_forest();
  return b;
}

void XGBoostBooster::set_n_jobs(int n_jobs) {
  if (!valid_n_jobs(n_jobs)) {
    throw InvalidArgument("XGBoostBooster.set_n_jobs: n_jobs must be >= -1, not " +
                          std::to_string(n_jobs));
  }
  n_jobs_ = n_jobs;
}

void XGBoostBooster::check_input(const char* what, const double* x, std::size_t rows,
                                 std::size_t cols, const double* out) const {
  // The name is built only on failure: the checks sit on the one-row latency path.
  const auto name = [what] { return std::string("XGBoostBooster.") + what; };
  if (forest_ == nullptr) throw StateError(name() + ": no model is loaded");
  if (cols != num_features_) {
    throw InvalidArgument(name() + ": X has " + std::to_string(cols) + " columns, the model " +
                          std::to_string(num_features_) + " features");
  }
  if (rows > 0 && (x == nullptr || out == nullptr)) {
    throw InvalidArgument(name() + ": " + (x == nullptr ? "x" : "out") + " is null");
  }
}

void XGBoostBooster::predict_margin(const double* x, std::size_t rows, std::size_t cols,
                                    double* out) const {
  check_input("predict_margin", x, rows, cols, out);
  forest_->margin_rows(x, rows, cols, base_margin_, resolve_n_jobs(n_jobs_), out);
}

std::vector<double> XGBoostBooster::predict_margin(const double* x, std::size_t rows,
                                                   std::size_t cols) const {
  std::vector<double> out(rows);
  predict_margin(x, rows, cols, out.data());
  return out;
}

void XGBoostBooster::predict_proba(const double* x, std::size_t rows, std::size_t cols,
                                   double* out) const {
  check_input("predict_proba", x, rows, cols, out);
  forest_->margin_rows(x, rows, cols, base_margin_, resolve_n_jobs(n_jobs_), out);
  for (std::size_t r = 0; r < rows; ++r) {
    out[r] = xgboost_detail::xgboost_sigmoid(static_cast<float>(out[r]));
  }
}

std::vector<double> XGBoostBooster::predict_proba(const double* x, std::size_t rows,
                                                  std::size_t cols) const {
  std::vector<double> out(rows);
  predict_proba(x, rows, cols, out.data());
  return out;
}

std::vector<double> XGBoostBooster::predict(const double* x, std::size_t rows,
                                            std::size_t cols) const {
  return objective_ == XGBoostObjective::BinaryLogitRaw ? predict_margin(x, rows, cols)
                                                        : predict_proba(x, rows, cols);
}

double XGBoostBooster::predict_margin_row(const double* row) const {
  if (forest_ == nullptr) throw StateError("XGBoostBooster.predict_margin_row: no model is loaded");
  return forest_->margin_row(row, base_margin_);
}

double XGBoostBooster::predict_proba_row(const double* row) const {
  if (forest_ == nullptr) throw StateError("XGBoostBooster.predict_proba_row: no model is loaded");
  return xgboost_detail::xgboost_sigmoid(forest_->margin_row(row, base_margin_));
}

void XGBoostBooster::predict_proba_rows(const double* x, std::size_t rows, std::size_t cols,
                                        double* out) const {
  check_input("predict_proba_rows", x, rows, cols, out);
  forest_->margin_rows(x, rows, cols, base_margin_, out);
  for (std::size_t r = 0; r < rows; ++r) {
    out[r] = xgboost_detail::xgboost_sigmoid(static_cast<float>(out[r]));
  }
}

std::vector<double> XGBoostBooster::feature_importances() const {
  std::vector<double> gain(num_features_, 0.0);
  const std::size_t k = num_parallel_tree_size();
  for (std::size_t t = round_begin_ * k; t < round_end_ * k; ++t) {
    for (const TreeNode& n : trees_[t].nodes()) {
      if (!n.is_leaf()) gain[static_cast<std::size_t>(n.feature)] += n.gain;
    }
  }
  double total = 0.0;
  for (double g : gain) total += g;
  if (total > 0.0) {
    for (double& g : gain) g /= total;
  }
  return gain;
}

void write_xgboost_json(const json& document, const std::string& path) {
  std::string text = document.dump(-1, ' ', false, json::error_handler_t::strict);
  text.push_back('\n');
  io::atomic_write_file(path, text);
}

}  // namespace claimlens
