// Classification metrics equal to sklearn.metrics (scikit-learn 1.2): confusion matrix, accuracy,
// precision / recall / F1 (binary, per class, micro, macro, weighted), log loss and the text
// classification report. Labels are integers; scores and probabilities are doubles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "claimlens/matrix.hpp"
#include "claimlens/span.hpp"

namespace claimlens {

/// Counts of (true label, predicted label) pairs, rows = true, columns = predicted.
struct ConfusionMatrix {
  std::vector<int> labels;           ///< row / column order
  std::vector<std::int64_t> counts;  ///< labels.size()^2, row-major

  std::size_t size() const { return labels.size(); }
  std::int64_t operator()(std::size_t true_index, std::size_t pred_index) const {
    return counts[true_index * labels.size() + pred_index];
  }
};

/// sklearn.metrics.confusion_matrix. `labels` empty = sorted union of both inputs; otherwise
/// samples whose true or predicted label is not listed are ignored (at least one listed label
/// must occur in y_true).
ConfusionMatrix confusion_matrix(Span<const int> y_true, Span<const int> y_pred,
                                 const std::vector<int>& labels = {});

/// Fraction of samples whose predicted label equals the true one.
double accuracy_score(Span<const int> y_true, Span<const int> y_pred);

/// How precision / recall / F1 are combined over classes (sklearn's `average`).
enum class Average {
  Binary,    ///< only the class pos_label (needs at most two distinct labels)
  Micro,     ///< global counts of true positives, false positives, false negatives
  Macro,     ///< unweighted mean over classes
  Weighted,  ///< mean over classes weighted by support
};

/// Per-class scores (sklearn's precision_recall_fscore_support with average=None).
struct ClassScores {
  std::vector<int> labels;
  std::vector<double> precision, recall, f1;
  std::vector<std::int64_t> support;  ///< number of true samples of each label
};

/// Averaged scores; support is the number of samples over the labels considered.
struct AveragedScores {
  double precision = 0, recall = 0, f1 = 0;
  std::int64_t support = 0;
};

/// `zero_division`: value of a ratio whose denominator is 0 (no predicted or no true samples of a
/// class), 0.0 (sklearn's default, "warn") or 1.0. `labels` empty = sorted union of the inputs.
ClassScores precision_recall_fscore_support(Span<const int> y_true, Span<const int> y_pred,
                                            const std::vector<int>& labels = {},
                                            double zero_division = 0.0);

AveragedScores precision_recall_fscore_support(Span<const int> y_true, Span<const int> y_pred,
                                               Average average, int pos_label = 1,
                                               const std::vector<int>& labels = {},
                                               double zero_division = 0.0);

double precision_score(Span<const int> y_true, Span<const int> y_pred,
                       Average average = Average::Binary, int pos_label = 1,
                       double zero_division = 0.0);
double recall_score(Span<const int> y_true, Span<const int> y_pred,
                    Average average = Average::Binary, int pos_label = 1,
                    double zero_division = 0.0);
double f1_score(Span<const int> y_true, Span<const int> y_pred, Average average = Average::Binary,
                int pos_label = 1, double zero_division = 0.0);

/// Options of classification_report (sklearn's keyword arguments).
struct ReportOptions {
  std::vector<int> labels;                ///< empty = sorted union of the inputs
  std::vector<std::string> target_names;  ///< empty = the labels as text; else one per label
  int digits = 2;                         ///< decimals of the scores, 0..15
  double zero_division = 0.0;
};

/// The text of sklearn.metrics.classification_report, character for character.
std::string classification_report(Span<const int> y_true, Span<const int> y_pred,
                                  const ReportOptions& options = {});

/// Binary cross-entropy as sklearn.metrics.log_loss: y_true in {0, 1}, `proba` = P(class 1),
/// clipped to [eps, 1 - eps] (eps = DBL_EPSILON, sklearn's "auto" for float64). A y_true holding
/// one class only is scored as with labels=[0, 1].
double log_loss(Span<const int> y_true, Span<const double> proba);

/// Multiclass log loss: one row per sample, one column per label of `labels` (empty = sorted
/// distinct labels of y_true, at least two). Rows are clipped then renormalised, as sklearn does.
double log_loss(Span<const int> y_true, const RowMatrix& proba,
                const std::vector<int>& labels = {});

}  // namespace claimlens
