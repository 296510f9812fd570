// n_jobs: the one meaning of a thread count in every parameter set, option and C ABI call.
//
//   n_jobs >= 1      use that many threads (at most the number of cores: more only costs memory)
//   n_jobs 0 or -1   use all cores (OpenMP's default thread count); fits, grid searches and
//                    big batch predictions: the cores other work leaves idle (resolve_idle_jobs)
//   n_jobs < -1      refused, naming the key
//
// Inside an enclosing parallel region (a grid search already parallel across fits) any n_jobs
// resolves to 1. Results never depend on the count.
#pragma once

namespace claimlens {

/// The smallest n_jobs accepted.
inline constexpr int kMinNJobs = -1;

/// Domain and meaning of n_jobs in one line, for parameter tables and messages.
inline constexpr const char* kNJobsDoc = "threads; 0 or -1 = all cores";

/// True when `n_jobs` is in its domain (>= -1).
constexpr bool valid_n_jobs(int n_jobs) {
  return n_jobs >= kMinNJobs;
}

/// The number of threads to use for `n_jobs` (see above); at least 1.
int resolve_n_jobs(int n_jobs);

/// The cores other work leaves idle now: the online CPUs minus the runnable threads of other
/// processes (Linux: /proc/loadavg's runnable count less this process's runnable threads, the
/// idler of two snapshots); -1 where that cannot be known.
int idle_cores();

/// The threads of a fit, a grid search or a big batch prediction of the tree ensembles:
/// resolve_n_jobs, except that n_jobs 0 or -1 take only the cores idle_cores() finds (at least
/// 1), so that work on a busy machine degrades like one thread sharing the cores. OpenMP's
/// barriers spin while a team member waits for a core: a team larger than the idle cores ran a
/// boosting fit, with its many small parallel regions, 5-20x slower than one thread beside busy
/// processes (issue 22; benchmarks/README.md). An explicit n_jobs >= 1 is used as asked. Results
/// never depend on the count.
int resolve_idle_jobs(int n_jobs);

}  // namespace claimlens
