// `claimlens analyze --report`: the whole analysis as ONE self-contained HTML page — a summary
// header with the key numbers, a section per step with styled tables, and inline SVG charts drawn
// by the report module's private src/report/svg.hpp. No script, no external stylesheet, font or
// image, no network address: the file opens the same offline, from a mail attachment or a CI
// artefact.
#pragma once

#include <string>
#include <vector>

#include "claimlens/dataframe/dataframe.hpp"
#include "claimlens/pipeline/analysis.hpp"

namespace claimlens::report {

struct AnalysisReportOptions {
  std::string title = "Claim or opinion? Analysis of reported videos";
  /// What was analysed, shown under the title (e.g. the CSV's file name); empty = not shown.
  std::string data_name;
  /// Show the step timings. Off, the page depends only on the analysis results (no clock
  /// readings), so two runs with the same seed give the same bytes.
  bool include_timings = true;
};

/// The page for `analysis`, which run_analysis computed from `videos` (the raw frame: the
/// distribution charts are drawn from its complete rows, as the EDA step). Deterministic: the
/// same inputs give the same bytes; numbers are printed locale-independently. The classifier
/// section (its charts and tables) appears only when analysis.classifier holds a model.
/// SchemaError when `videos` lacks a column of the TikTok schema the charts need.
std::string render_analysis_report(const Analysis& analysis, const DataFrame& videos,
                                   const AnalysisReportOptions& options = {});

/// render_analysis_report written to `path` through atomic_write_file (readers see the old file
/// or the whole new one, never a partial page). IoError naming the path on failure; nothing is
/// written when rendering throws.
void write_analysis_report(const std::string& path, const Analysis& analysis,
                           const DataFrame& videos, const AnalysisReportOptions& options = {});

/// The ids (without the "chart-" prefix of the figure ids) of the charts the page holds for
/// `analysis`, in page order: what tests and the browser check look for.
std::vector<std::string> analysis_report_chart_ids(const Analysis& analysis);

}  // namespace claimlens::report
