// Progress of the long commands (analyze, train --tune, calibrate) on stderr: a live bar with the
// elapsed and remaining time when stderr is a terminal, otherwise one line per step change or per
// 10% of a step (what logs and CI keep).
#pragma once

#include <chrono>
#include <string>

namespace claimlens::cli {

class Progress {
 public:
  /// `command` prefixes each line ("[analyze] ..."); quiet prints nothing. The bar is drawn when
  /// stderr is a terminal and the TERM is not "dumb".
  Progress(std::string command, bool quiet);
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  /// Ends a live bar with a newline.
  ~Progress();

  /// `fraction` (0..1) of `step` is done. Not thread-safe: callers report from one thread at a
  /// time.
  void operator()(const std::string& step, double fraction);

  /// "1:05" / "1:02:05" for a duration in seconds.
  static std::string clock(double seconds);
  /// The bar's text for `step` at `fraction` after `elapsed` seconds of the step (no "\r").
  static std::string bar_line(const std::string& command, const std::string& step, double fraction,
                              double elapsed);

 private:
  void draw(const std::string& step, double fraction);
  void log(const std::string& step, double fraction);

  std::string command_;
  bool quiet_, live_;
  std::chrono::steady_clock::time_point start_, step_start_, last_draw_;
  std::string last_step_;
  int last_tenth_ = -1;
  bool drawn_ = false;
};

}  // namespace claimlens::cli
