// classification_report: the text layout of sklearn.metrics.classification_report (1.2).
#include <algorithm>
#include <charconv>
#include <set>

#include "claimlens/error.hpp"
#include "claimlens/metrics/classification.hpp"
#include "common.hpp"

namespace claimlens {

namespace {

/// Characters, not bytes, as Python's len() and format padding count them.
std::size_t utf8_length(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t length = utf8_length(text);
  return length >= width ? text : std::string(width - length, ' ') + text;
}

/// Python's "{:.{digits}f}": correctly rounded, locale-free.
std::string fixed(double value, int digits) {
  char buffer[64];
  auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, digits);
  return std::string(buffer, result.ptr);
}

/// One line "<name> <p> <r> <f1> <support>" with sklearn's column widths.
std::string score_line(const std::string& name, std::size_t width, const std::string& precision,
                       const std::string& recall, const std::string& f1,
                       const std::string& support) {
  return pad_left(name, width) + " " + " " + pad_left(precision, 9) + " " + pad_left(recall, 9) +
         " " + pad_left(f1, 9) + " " + pad_left(support, 9) + "\n";
}

}  // namespace

std::string classification_report(Span<const int> y_true, Span<const int> y_pred,
                                  const ReportOptions& options) {
  const char* fn = "classification_report";
  detail::check_label_pair(fn, y_true, y_pred);
  if (options.digits < 0 || options.digits > 15) {
    throw InvalidArgument(std::string(fn) + ": digits must be in 0..15, got " +
                          std::to_string(options.digits));
  }
  const ClassScores scores =
      precision_recall_fscore_support(y_true, y_pred, options.labels, options.zero_division);
  const std::vector<int> present = detail::unique_labels(y_true, y_pred);
  const bool micro_is_accuracy =
      options.labels.empty() || std::set<int>(options.labels.begin(), options.labels.end()) ==
                                    std::set<int>(present.begin(), present.end());

  std::vector<std::string> names = options.target_names;
  if (names.empty()) {
    for (int label : scores.labels) names.push_back(std::to_string(label));
  } else if (names.size() != scores.labels.size()) {
    throw InvalidArgument(std::string(fn) + ": " + std::to_string(scores.labels.size()) +
                          " labels but " + std::to_string(names.size()) + " target_names");
  }
  std::size_t width = std::string("weighted avg").size();
  for (const auto& name : names) width = std::max(width, utf8_length(name));
  width = std::max(width, static_cast<std::size_t>(options.digits));

  const int d = options.digits;
  // sklearn quirk: when no sample at all is predicted right, its support counts come out as
  // floats (multilabel_confusion_matrix's zero-true-positive path) and print as "3.0".
  bool any_correct = false;
  for (std::size_t i = 0; i < y_true.size() && !any_correct; ++i) {
    any_correct = y_true[i] == y_pred[i];
  }
  const auto support_text = [&](std::int64_t support) {
    return std::to_string(support) + (any_correct ? "" : ".0");
  };

  std::string report = pad_left("", width) + " ";
  for (const char* header : {"precision", "recall", "f1-score", "support"}) {
    report += " " + pad_left(header, 9);
  }
  report += "\n\n";
  std::int64_t total_support = 0;
  for (std::size_t k = 0; k < scores.labels.size(); ++k) {
    report += score_line(names[k], width, fixed(scores.precision[k], d), fixed(scores.recall[k], d),
                         fixed(scores.f1[k], d), support_text(scores.support[k]));
    total_support += scores.support[k];
  }
  report += "\n";
  const std::vector<int>& labels = scores.labels;
  for (Average average : {Average::Micro, Average::Macro, Average::Weighted}) {
    const AveragedScores avg =
        precision_recall_fscore_support(y_true, y_pred, average, 1, labels, options.zero_division);
    if (average == Average::Micro && micro_is_accuracy) {
      report +=
          score_line("accuracy", width, "", "", fixed(avg.f1, d), support_text(total_support));
      continue;
    }
    const char* heading = average == Average::Micro   ? "micro avg"
                          : average == Average::Macro ? "macro avg"
                                                      : "weighted avg";
    report += score_line(heading, width, fixed(avg.precision, d), fixed(avg.recall, d),
                         fixed(avg.f1, d), support_text(total_support));
  }
  return report;
}

}  // namespace claimlens
