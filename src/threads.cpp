// resolve_n_jobs (claimlens/threads.hpp).
#include "claimlens/threads.hpp"

#include <omp.h>
#include <algorithm>

namespace claimlens {

int resolve_n_jobs(int n_jobs) {
  if (omp_in_parallel()) return 1;  // grid search already parallelizes across fits
  if (n_jobs <= 0) return std::max(1, omp_get_max_threads());
  // More threads than cores only costs memory (found by fuzz_train_params: n_jobs 610666668
  // asked OpenMP for 10 GB of thread state); results do not depend on the count.
  return std::max(1, std::min(n_jobs, omp_get_num_procs()));
}

}  // namespace claimlens
