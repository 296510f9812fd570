// A claim classifier fit on a busy machine (issue 22): the same fit through the C ABI with
// n_jobs 1, n_jobs 0 (all idle cores: resolve_idle_jobs) and n_jobs = the core count (a team on
// every core, what n_jobs 0 meant before), first idle, then while `busy` other processes
// (default: one per core) spin on the cores. The ratios the issue bounds: the busy n_jobs 0 fit
// against the one-thread fit under the same load (busy_0_over_busy_1), and against the idle
// one-thread fit times the load (ratio), the load being the slowdown a one-thread fit gets from
// a fair share of the cores, max(1, (others + 1) / cores), others the mean runnable threads of
// other processes during the busy fits (sampled every 20 ms: the spinning children and whatever
// else the machine runs). At or below 1, a fit on a busy machine degrades no worse than that.
//
//   contention_fit FILE.csv [OPTIONS_JSON] [BUSY] [REPEATS]
//
// OPTIONS_JSON defaults to {"grid": "none", "algorithm": "gradient_boosting"}; n_jobs is set
// here. Prints one line per measurement and a JSON summary last. Not a Google Benchmark program:
// the competing processes are forked children, killed (by their ids) before it returns.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "claimlens.h"
#include "claimlens/threads.hpp"

namespace {

void check(claimlens_status status, const char* what) {
  if (status != CLAIMLENS_OK) {
    throw std::runtime_error(std::string(what) + ": " + claimlens_last_error());
  }
}

// Median wall time of `repeats` fits with these options, in seconds.
double fit_seconds(const claimlens_frame* videos, const std::string& options, int repeats) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    claimlens_classifier* clf = nullptr;
    const auto start = std::chrono::steady_clock::now();
    check(claimlens_classifier_train(videos, options.c_str(), &clf), "classifier_train");
    times.push_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    claimlens_classifier_free(clf);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// `count` child processes that spin until killed.
std::vector<pid_t> start_busy(int count) {
  std::vector<pid_t> children;
  for (int i = 0; i < count; ++i) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      volatile unsigned long spin = 0;
      for (;;) spin = spin + 1;
    }
    children.push_back(pid);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let them reach the cores
  return children;
}

void stop_busy(const std::vector<pid_t>& children) {
  for (pid_t pid : children) kill(pid, SIGKILL);
  for (pid_t pid : children) waitpid(pid, nullptr, 0);
}

// The mean runnable threads of other processes while it lives (claimlens::idle_cores).
class LoadSampler {
 public:
  LoadSampler() : thread_([this] { run(); }) {}
  ~LoadSampler() { stop(); }
  double stop() {
    if (thread_.joinable()) {
      done_ = true;
      thread_.join();
    }
    return samples_ == 0 ? 0.0 : total_ / samples_;
  }

 private:
  void run() {
    const int online = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
    while (!done_) {
      const int idle = claimlens::idle_cores();
      if (idle >= 0) {
        total_ += online - idle;
        ++samples_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::atomic<bool> done_{false};
  double total_ = 0;
  int samples_ = 0;
  std::thread thread_;
};

std::string with_jobs(std::string options, int n_jobs) {
  const std::size_t close = options.rfind('}');
  const bool empty = options.find_first_not_of(" {}") == std::string::npos;
  return options.substr(0, close) + (empty ? "" : ", ") + "\"n_jobs\": " + std::to_string(n_jobs) +
         "}";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::fprintf(stderr, "usage: contention_fit FILE.csv [OPTIONS_JSON] [BUSY] [REPEATS]\n");
    return 2;
  }
  const std::string options =
      argc > 2 ? argv[2] : R"({"grid": "none", "algorithm": "gradient_boosting"})";
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int busy = argc > 3 ? std::atoi(argv[3]) : cores;
  const int repeats = argc > 4 ? std::max(1, std::atoi(argv[4])) : 3;
  claimlens_frame* videos = nullptr;
  std::vector<pid_t> children;
  try {
    check(claimlens_frame_read_csv(argv[1], &videos), "read_csv");
    fit_seconds(videos, with_jobs(options, 1), 1);  // warm caches and the OpenMP pool
    const double idle_1 = fit_seconds(videos, with_jobs(options, 1), repeats);
    const double idle_0 = fit_seconds(videos, with_jobs(options, 0), repeats);
    const double idle_all = fit_seconds(videos, with_jobs(options, cores), repeats);
    std::printf("idle: n_jobs 1 %.3f s, n_jobs 0 %.3f s, n_jobs %d %.3f s\n", idle_1, idle_0, cores,
                idle_all);
    children = start_busy(busy);
    LoadSampler sampler;
    const double busy_1 = fit_seconds(videos, with_jobs(options, 1), repeats);
    const double busy_0 = fit_seconds(videos, with_jobs(options, 0), repeats);
    const double busy_all = fit_seconds(videos, with_jobs(options, cores), repeats);
    const double others = sampler.stop();
    stop_busy(children);
    children.clear();
    const double load = std::max(1.0, (others + 1.0) / cores);
    std::printf(
        "%d busy processes on %d cores: n_jobs 1 %.3f s, n_jobs 0 %.3f s, n_jobs %d %.3f s\n", busy,
        cores, busy_1, busy_0, cores, busy_all);
    std::printf(
        "{\"cores\": %d, \"busy\": %d, \"repeats\": %d, \"idle_n_jobs_1\": %.4f, "
        "\"idle_n_jobs_0\": %.4f, \"idle_n_jobs_cores\": %.4f, \"busy_n_jobs_1\": %.4f, "
        "\"busy_n_jobs_0\": %.4f, \"busy_n_jobs_cores\": %.4f, \"other_runnable\": %.2f, "
        "\"load\": %.3f, \"busy_0_over_busy_1\": %.3f, \"ratio\": %.3f, "
        "\"ratio_n_jobs_cores\": %.3f}\n",
        cores, busy, repeats, idle_1, idle_0, idle_all, busy_1, busy_0, busy_all, others, load,
        busy_0 / busy_1, busy_0 / (idle_1 * load), busy_all / (idle_1 * load));
  } catch (const std::exception& e) {
    stop_busy(children);
    std::fprintf(stderr, "contention_fit: %s\n", e.what());
    claimlens_frame_free(videos);
    return 1;
  }
  claimlens_frame_free(videos);
  return 0;
}
