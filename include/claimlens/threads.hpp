// n_jobs: the one meaning of a thread count in every parameter set, option and C ABI call.
//
//   n_jobs >= 1      use that many threads (at most the number of cores: more only costs memory)
//   n_jobs 0 or -1   use all cores (OpenMP's default thread count)
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

}  // namespace claimlens
