// The long commands' progress on stderr (progress.hpp).
#include "progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace claimlens::cli {
namespace {

constexpr int kBarWidth = 24;
constexpr auto kRedraw = std::chrono::milliseconds(100);  // at most 10 redraws a second

bool stderr_is_terminal() {
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) == 1 && !(term && std::strcmp(term, "dumb") == 0);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Progress::Progress(std::string command, bool quiet)
    : command_(std::move(command)),
      quiet_(quiet),
      live_(!quiet && stderr_is_terminal()),
      start_(std::chrono::steady_clock::now()),
      step_start_(start_),
      last_draw_(start_) {}

Progress::~Progress() {
  if (drawn_) std::cerr << "\n" << std::flush;
}

std::string Progress::clock(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%ld:%02ld", total / 60, total % 60);
  }
  return text;
}

std::string Progress::bar_line(const std::string& command, const std::string& step, double fraction,
                               double elapsed) {
  fraction = std::min(1.0, std::max(0.0, fraction));
  const int filled = static_cast<int>(std::floor(fraction * kBarWidth));
  std::string line = "[" + command + "] " + step + " [" + std::string(filled, '#') +
                     std::string(kBarWidth - filled, '.') + "] ";
  char percent[8];
  std::snprintf(percent, sizeof percent, "%3d%%", static_cast<int>(std::floor(fraction * 100)));
  line += percent;
  line += " " + clock(elapsed) + " elapsed";
  // The remaining time assumes the rest of the step goes at the pace so far.
  line += fraction > 0.0 && fraction < 1.0
              ? ", " + clock(elapsed * (1 - fraction) / fraction) + " left"
              : "";
  return line;
}

void Progress::operator()(const std::string& step, double fraction) {
  if (quiet_) return;
  if (step != last_step_) step_start_ = std::chrono::steady_clock::now();
  if (live_) {
    draw(step, fraction);
  } else {
    log(step, fraction);
  }
  last_step_ = step;
}

void Progress::draw(const std::string& step, double fraction) {
  const auto now = std::chrono::steady_clock::now();
  if (step == last_step_ && fraction < 1.0 && now - last_draw_ < kRedraw) return;
  last_draw_ = now;
  std::string line = bar_line(command_, step, fraction, seconds_since(step_start_));
  // A new step starts on a new line, so each finished step stays on screen.
  const bool new_line = drawn_ && step != last_step_;
  std::cerr << (new_line ? "\n" : "\r") << line << "\x1b[K" << std::flush;
  drawn_ = true;
}

void Progress::log(const std::string& step, double fraction) {
  const int tenth = static_cast<int>(std::floor(fraction * 10.0));
  if (step == last_step_ && tenth == last_tenth_) return;
  last_tenth_ = tenth;
  std::ostringstream line;
  line << std::fixed << std::setprecision(1) << "[" << command_ << "] " << step << ": "
       << fraction * 100.0 << "% (" << seconds_since(start_) << " s)\n";
  std::cerr << line.str() << std::flush;
}

}  // namespace claimlens::cli
