// resolve_n_jobs and resolve_idle_jobs (claimlens/threads.hpp).
#include "claimlens/threads.hpp"

#include <omp.h>
#include <algorithm>

#if defined(__linux__)
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#endif

namespace claimlens {

int resolve_n_jobs(int n_jobs) {
  if (omp_in_parallel()) return 1;  // grid search already parallelizes across fits
  if (n_jobs <= 0) return std::max(1, omp_get_max_threads());
  // More threads than cores only costs memory (found by fuzz_train_params: n_jobs 610666668
  // asked OpenMP for 10 GB of thread state); results do not depend on the count.
  return std::max(1, std::min(n_jobs, omp_get_num_procs()));
}

namespace {

#if defined(__linux__)
// The text of a small /proc file into buf (NUL-terminated), without allocating; false if unread.
bool read_proc(const char* path, char* buf, std::size_t size) {
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t got = read(fd, buf, size - 1);
  close(fd);
  if (got <= 0) return false;
  buf[got] = '\0';
  return true;
}

// Runnable threads of the whole system: the R of /proc/loadavg's fourth field "R/T" (the
// caller counts as one); -1 if unknown.
long system_runnable() {
  char buf[256];
  if (!read_proc("/proc/loadavg", buf, sizeof buf)) return -1;
  const char* p = buf;
  for (int field = 0; field < 3; ++field) {
    p = std::strchr(p, ' ');
    if (p == nullptr) return -1;
    ++p;
  }
  char* end = nullptr;
  const long runnable = std::strtol(p, &end, 10);
  return end != p && *end == '/' ? runnable : -1;
}

// Runnable threads of this process (state R in /proc/self/task/*/stat): the caller, and OpenMP
// workers still spinning after a parallel region; -1 if unknown.
long own_runnable() {
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  long runnable = 0;
  char path[64], buf[512];
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    if (std::strlen(entry->d_name) > 20) continue;
    std::strcpy(path, "/proc/self/task/");
    std::strcat(path, entry->d_name);
    std::strcat(path, "/stat");
    if (!read_proc(path, buf, sizeof buf)) continue;  // the thread has ended
    const char* close = std::strrchr(buf, ')');       // the name may hold spaces and parentheses
    if (close != nullptr && close[1] == ' ' && close[2] == 'R') ++runnable;
  }
  closedir(dir);
  return runnable;
}
#endif

}  // namespace

int idle_cores() {
#if defined(__linux__)
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  if (online < 1) return -1;
  // Two snapshots, the idler one kept: a process that ran for an instant is not a busy one.
  long best = -1;
  for (int sample = 0; sample < 2; ++sample) {
    const long all = system_runnable(), own = own_runnable();
    if (all < 0 || own < 0) return -1;
    best = std::max(best, online - std::max(0L, all - own));
  }
  return static_cast<int>(std::max(0L, best));
#else
  return -1;
#endif
}

int resolve_idle_jobs(int n_jobs) {
  const int threads = resolve_n_jobs(n_jobs);
  if (n_jobs > 0 || threads <= 1) return threads;
  const int idle = idle_cores();
  return idle < 0 ? threads : std::max(1, std::min(threads, idle));
}

}  // namespace claimlens
