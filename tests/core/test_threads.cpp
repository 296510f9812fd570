// resolve_idle_jobs (claimlens/threads.hpp): n_jobs 0 takes the cores other processes leave idle,
// so that a fit beside busy processes runs one thread instead of a spinning team.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

#include "claimlens/threads.hpp"

using claimlens::idle_cores;
using claimlens::resolve_idle_jobs;
using claimlens::resolve_n_jobs;

TEST_CASE("resolve_idle_jobs: explicit counts as asked, 0 and -1 at most the cores") {
  const int cores = resolve_n_jobs(0);
  CHECK(resolve_idle_jobs(1) == 1);
  CHECK(resolve_idle_jobs(2) == resolve_n_jobs(2));  // an explicit count is not second-guessed
  CHECK(resolve_idle_jobs(1 << 30) == resolve_n_jobs(1 << 30));
  for (int n_jobs : {0, -1}) {
    const int threads = resolve_idle_jobs(n_jobs);
    CHECK(threads >= 1);
    CHECK(threads <= cores);
  }
  const int idle = idle_cores();
  CHECK(idle >= -1);
#if defined(__linux__)
  CHECK(idle >= 0);  // /proc is there
  CHECK(idle <= static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
#endif
}

#if defined(__linux__)
TEST_CASE("resolve_idle_jobs: beside a busy process on every core, a fit takes one thread") {
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  std::vector<pid_t> children;
  for (long i = 0; i < online; ++i) {
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      volatile unsigned long spin = 0;
      for (;;) spin = spin + 1;
    }
    children.push_back(pid);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const int idle = idle_cores();
  const int threads = resolve_idle_jobs(0);
  const int explicit_threads = resolve_idle_jobs(static_cast<int>(online));
  for (pid_t pid : children) kill(pid, SIGKILL);
  for (pid_t pid : children) waitpid(pid, nullptr, 0);
  CHECK(idle == 0);
  CHECK(threads == 1);
  CHECK(explicit_threads == resolve_n_jobs(static_cast<int>(online)));
}
#endif
