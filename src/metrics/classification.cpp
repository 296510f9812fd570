// Confusion matrix, accuracy, precision / recall / F1 and log loss, as sklearn.metrics 1.2.
#include "claimlens/metrics/classification.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "claimlens/error.hpp"
#include "common.hpp"

namespace claimlens {

namespace {

/// Index of `label` in sorted `labels`, or -1.
long index_of(const std::vector<int>& sorted_labels, int label) {
  auto it = std::lower_bound(sorted_labels.begin(), sorted_labels.end(), label);
  return it != sorted_labels.end() && *it == label ? it - sorted_labels.begin() : -1;
}

/// The labels to score, in the caller's order; checks for duplicates.
std::vector<int> resolve_labels(const char* function, Span<const int> y_true,
                                Span<const int> y_pred, const std::vector<int>& labels) {
  if (labels.empty()) return detail::unique_labels(y_true, y_pred);
  std::vector<int> sorted = labels;
  std::sort(sorted.begin(), sorted.end());
  auto dup = std::adjacent_find(sorted.begin(), sorted.end());
  if (dup != sorted.end()) {
    throw InvalidArgument(std::string(function) + ": label " + std::to_string(*dup) +
                          " is listed twice in labels");
  }
  return labels;
}

/// True-positive, predicted and true counts of each label in `labels` (any order).
struct LabelCounts {
  std::vector<std::int64_t> tp, pred, truth;
};

LabelCounts count_labels(Span<const int> y_true, Span<const int> y_pred,
                         const std::vector<int>& labels) {
  const detail::LabelIndex index(labels);
  LabelCounts counts{std::vector<std::int64_t>(labels.size()),
                     std::vector<std::int64_t>(labels.size()),
                     std::vector<std::int64_t>(labels.size())};
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const long t = index(y_true[i]);
    if (y_pred[i] == y_true[i]) {
      if (t >= 0) {
        const auto k = static_cast<std::size_t>(t);
        ++counts.truth[k], ++counts.pred[k], ++counts.tp[k];
      }
      continue;
    }
    const long p = index(y_pred[i]);
    if (t >= 0) ++counts.truth[static_cast<std::size_t>(t)];
    if (p >= 0) ++counts.pred[static_cast<std::size_t>(p)];
  }
  return counts;
}

void check_zero_division(const char* function, double zero_division) {
  if (zero_division != 0.0 && zero_division != 1.0) {
    throw InvalidArgument(std::string(function) + ": zero_division must be 0 or 1, got " +
                          std::to_string(zero_division));
  }
}

double divide(std::int64_t numerator, std::int64_t denominator, double zero_division) {
  return denominator == 0 ? zero_division
                          : static_cast<double>(numerator) / static_cast<double>(denominator);
}

/// sklearn's F-beta for beta = 1, with its guard against a zero denominator.
double f1_from(double precision, double recall) {
  double denom = precision + recall;
  if (denom == 0.0) denom = 1.0;
  return 2.0 * precision * recall / denom;
}

double mean(const std::vector<double>& values) {
  return detail::pairwise_sum(values.data(), values.size()) / static_cast<double>(values.size());
}

double weighted_mean(const std::vector<double>& values, const std::vector<std::int64_t>& weights,
                     std::int64_t weight_sum) {
  std::vector<double> products(values.size());
  for (std::size_t k = 0; k < values.size(); ++k) {
    products[k] = values[k] * static_cast<double>(weights[k]);
  }
  return detail::pairwise_sum(products.data(), products.size()) / static_cast<double>(weight_sum);
}

}  // namespace

ConfusionMatrix confusion_matrix(Span<const int> y_true, Span<const int> y_pred,
                                 const std::vector<int>& labels) {
  detail::check_label_pair("confusion_matrix", y_true, y_pred);
  ConfusionMatrix result;
  result.labels = resolve_labels("confusion_matrix", y_true, y_pred, labels);
  const detail::LabelIndex index(result.labels);
  const std::size_t n = result.labels.size();
  result.counts.assign(n * n, 0);
  bool any_true_listed = false;
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const long t = index(y_true[i]);
    const long p = index(y_pred[i]);
    any_true_listed |= t >= 0;
    if (t >= 0 && p >= 0) {
      ++result.counts[static_cast<std::size_t>(t) * n + static_cast<std::size_t>(p)];
    }
  }
  if (!any_true_listed) {
    throw InvalidArgument("confusion_matrix: at least one label specified must be in y_true");
  }
  return result;
}

double accuracy_score(Span<const int> y_true, Span<const int> y_pred) {
  detail::check_label_pair("accuracy_score", y_true, y_pred);
  std::int64_t correct = 0;
  for (std::size_t i = 0; i < y_true.size(); ++i) correct += y_true[i] == y_pred[i];
  return static_cast<double>(correct) / static_cast<double>(y_true.size());
}

ClassScores precision_recall_fscore_support(Span<const int> y_true, Span<const int> y_pred,
                                            const std::vector<int>& labels, double zero_division) {
  const char* fn = "precision_recall_fscore_support";
  detail::check_label_pair(fn, y_true, y_pred);
  check_zero_division(fn, zero_division);
  ClassScores scores;
  scores.labels = resolve_labels(fn, y_true, y_pred, labels);
  const LabelCounts counts = count_labels(y_true, y_pred, scores.labels);
  for (std::size_t k = 0; k < scores.labels.size(); ++k) {
    const double precision = divide(counts.tp[k], counts.pred[k], zero_division);
    const double recall = divide(counts.tp[k], counts.truth[k], zero_division);
    scores.precision.push_back(precision);
    scores.recall.push_back(recall);
    scores.f1.push_back(f1_from(precision, recall));
    scores.support.push_back(counts.truth[k]);
  }
  return scores;
}

AveragedScores precision_recall_fscore_support(Span<const int> y_true, Span<const int> y_pred,
                                               Average average, int pos_label,
                                               const std::vector<int>& labels,
                                               double zero_division) {
  const char* fn = "precision_recall_fscore_support";
  detail::check_label_pair(fn, y_true, y_pred);
  check_zero_division(fn, zero_division);
  std::vector<int> used = resolve_labels(fn, y_true, y_pred, labels);
  if (average == Average::Binary) {
    const std::vector<int> present = detail::unique_labels(y_true, y_pred);
    if (present.size() > 2) {
      throw InvalidArgument(std::string(fn) + ": average=binary needs at most two labels, got " +
                            std::to_string(present.size()) +
                            " distinct labels (use Average::Macro, Micro or Weighted)");
    }
    if (present.size() == 2 && index_of(present, pos_label) < 0) {
      throw InvalidArgument(std::string(fn) + ": pos_label=" + std::to_string(pos_label) +
                            " is not a valid label; it should be " + std::to_string(present[0]) +
                            " or " + std::to_string(present[1]));
    }
    used = {pos_label};
  }
  const LabelCounts counts = count_labels(y_true, y_pred, used);
  AveragedScores result;
  for (std::int64_t s : counts.truth) result.support += s;
  if (average == Average::Micro) {
    std::int64_t tp = 0, pred = 0;
    for (std::size_t k = 0; k < used.size(); ++k) tp += counts.tp[k], pred += counts.pred[k];
    result.precision = divide(tp, pred, zero_division);
    result.recall = divide(tp, result.support, zero_division);
    result.f1 = f1_from(result.precision, result.recall);
    return result;
  }
  std::vector<double> precision, recall, f1;
  for (std::size_t k = 0; k < used.size(); ++k) {
    precision.push_back(divide(counts.tp[k], counts.pred[k], zero_division));
    recall.push_back(divide(counts.tp[k], counts.truth[k], zero_division));
    f1.push_back(f1_from(precision.back(), recall.back()));
  }
  if (average == Average::Weighted) {
    if (result.support == 0) {  // sklearn's special case: no true sample of any listed label
      std::int64_t predicted = 0;
      for (std::int64_t p : counts.pred) predicted += p;
      result.recall = zero_division;
      result.precision = result.f1 = predicted == 0 ? zero_division : 0.0;
      return result;
    }
    result.precision = weighted_mean(precision, counts.truth, result.support);
    result.recall = weighted_mean(recall, counts.truth, result.support);
    result.f1 = weighted_mean(f1, counts.truth, result.support);
    return result;
  }
  result.precision = mean(precision);  // Binary (one label) and Macro
  result.recall = mean(recall);
  result.f1 = mean(f1);
  return result;
}

double precision_score(Span<const int> y_true, Span<const int> y_pred, Average average,
                       int pos_label, double zero_division) {
  return precision_recall_fscore_support(y_true, y_pred, average, pos_label, {}, zero_division)
      .precision;
}

double recall_score(Span<const int> y_true, Span<const int> y_pred, Average average, int pos_label,
                    double zero_division) {
  return precision_recall_fscore_support(y_true, y_pred, average, pos_label, {}, zero_division)
      .recall;
}

double f1_score(Span<const int> y_true, Span<const int> y_pred, Average average, int pos_label,
                double zero_division) {
  return precision_recall_fscore_support(y_true, y_pred, average, pos_label, {}, zero_division).f1;
}

double log_loss(Span<const int> y_true, Span<const double> proba) {
  detail::check_binary_labels("log_loss", y_true, proba.size(), "proba");
  const double eps = DBL_EPSILON;  // np.finfo(np.float64).eps: sklearn 1.2's eps="auto"
  std::vector<double> losses(proba.size());
  for (std::size_t i = 0; i < proba.size(); ++i) {
    if (!std::isfinite(proba[i])) {
      throw InvalidArgument("log_loss: proba[" + std::to_string(i) + "] is not finite");
    }
    // sklearn builds the two columns [1 - p, p] and divides by their (rounded) sum.
    const double p = std::min(std::max(proba[i], eps), 1.0 - eps);
    const double q0 = 1.0 - p, sum = q0 + p;
    losses[i] = -std::log((y_true[i] == 1 ? p : q0) / sum);
  }
  return detail::pairwise_sum(losses.data(), losses.size()) / static_cast<double>(losses.size());
}

double log_loss(Span<const int> y_true, const RowMatrix& proba, const std::vector<int>& labels) {
  if (y_true.empty()) throw InvalidArgument("log_loss: y_true is empty");
  if (static_cast<std::size_t>(proba.rows()) != y_true.size()) {
    throw InvalidArgument("log_loss: y_true has " + std::to_string(y_true.size()) +
                          " samples but proba has " + std::to_string(proba.rows()) + " rows");
  }
  std::vector<int> classes = resolve_labels("log_loss", y_true, {}, labels);
  std::sort(classes.begin(), classes.end());  // columns follow sorted labels, like LabelBinarizer
  if (classes.size() < 2) {
    throw InvalidArgument("log_loss: y_true holds only the label " + std::to_string(classes[0]) +
                          "; pass all labels explicitly");
  }
  if (static_cast<std::size_t>(proba.cols()) != classes.size()) {
    throw InvalidArgument("log_loss: proba has " + std::to_string(proba.cols()) +
                          " columns but there are " + std::to_string(classes.size()) + " labels");
  }
  const double eps = DBL_EPSILON;
  const detail::LabelIndex index(classes);
  std::vector<double> losses(y_true.size());
  for (std::size_t i = 0; i < y_true.size(); ++i) {
    const long column = index(y_true[i]);
    if (column < 0) {
      throw InvalidArgument("log_loss: y_true[" + std::to_string(i) +
                            "] = " + std::to_string(y_true[i]) + " is not one of the labels");
    }
    double sum = 0.0, mine = 0.0;
    for (Eigen::Index k = 0; k < proba.cols(); ++k) {
      const double v = proba(static_cast<Eigen::Index>(i), k);
      if (!std::isfinite(v)) {
        throw InvalidArgument("log_loss: proba(" + std::to_string(i) + ", " + std::to_string(k) +
                              ") is not finite");
      }
      const double clipped = std::min(std::max(v, eps), 1.0 - eps);
      sum += clipped;
      if (k == column) mine = clipped;
    }
    losses[i] = -std::log(mine / sum);
  }
  return detail::pairwise_sum(losses.data(), losses.size()) / static_cast<double>(losses.size());
}

}  // namespace claimlens
