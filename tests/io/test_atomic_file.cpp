// atomic_write_file / read_file: content, permissions, failures leave previous files intact.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <string>

#include "claimlens/error.hpp"
#include "claimlens/io/atomic_file.hpp"
#include "io/temp_dir.hpp"
#include "support/paths.hpp"

using Catch::Matchers::Contains;
using claimlens::InvalidArgument;
using claimlens::IoError;
using claimlens::io::atomic_write_file;
using claimlens::io::read_file;
using claimlens::testing::read_text_file;
using claimlens::testing::TempDir;

namespace {

/// Runs `body` in a child process (to drop privileges or set limits without affecting the test
/// runner); returns its exit code, or -1 when it died from a signal.
template <class Body>
int run_in_child(Body body) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    int code = 99;
    try {
      code = body();
    } catch (...) {
      code = 98;
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("atomic_write_file writes new files and replaces old ones", "[io][atomic]") {
  TempDir dir;
  const std::string path = dir.file("model.json");
  atomic_write_file(path, "first version");
  CHECK(read_text_file(path) == "first version");
  atomic_write_file(path, std::string("second\0version", 14));
  CHECK(read_text_file(path) == std::string("second\0version", 14));
  atomic_write_file(path, "");
  CHECK(read_text_file(path).empty());
  CHECK(dir.entries() == std::vector<std::string>{"model.json"});  // no temp file left behind

  std::string big(5 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4093) big[i] = static_cast<char>(i % 251);
  atomic_write_file(path, big);
  CHECK(read_file(path) == big);
}

TEST_CASE("atomic_write_file keeps the permission bits of the file it replaces", "[io][atomic]") {
  TempDir dir;
  const std::string path = dir.file("f.bin");
  atomic_write_file(path, "a");
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  atomic_write_file(path, "b");
  struct stat info;
  REQUIRE(::stat(path.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0640);
}

TEST_CASE("atomic_write_file reports a missing folder with the path and reason", "[io][atomic]") {
  TempDir dir;
  const std::string path = dir.file("no/such/folder/model.json");
  CHECK_THROWS_MATCHES(atomic_write_file(path, "x"), IoError,
                       Catch::Matchers::Predicate<IoError>([&](const IoError& e) {
                         const std::string m = e.what();
                         return m.find(path) != std::string::npos &&
                                m.find("No such file or directory") != std::string::npos;
                       }));
}

TEST_CASE("atomic_write_file rejects paths naming folders", "[io][atomic]") {
  TempDir dir;
  CHECK_THROWS_AS(atomic_write_file("", "x"), InvalidArgument);
  CHECK_THROWS_WITH(atomic_write_file(dir.path() + "/", "x"), Contains("names a folder"));
  CHECK_THROWS_WITH(atomic_write_file(dir.path(), "x"), Contains("Is a directory"));
  CHECK(dir.entries().empty());
}

TEST_CASE("atomic_write_file into a read-only folder fails and keeps the old file",
          "[io][atomic]") {
  TempDir dir;
  const std::string path = dir.file("model.cbor");
  atomic_write_file(path, "previous");
  REQUIRE(::chmod(dir.path().c_str(), 0555) == 0);
  // Root ignores permission bits, so the write is attempted by an unprivileged child process.
  const int code = run_in_child([&] {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) return 3;
    try {
      atomic_write_file(path, "new content");
    } catch (const IoError& e) {
      const std::string m = e.what();
      return m.find(path) != std::string::npos && m.find("Permission denied") != std::string::npos
                 ? 0
                 : 2;
    }
    return 1;
  });
  ::chmod(dir.path().c_str(), 0755);
  CHECK(code == 0);
  CHECK(read_text_file(path) == "previous");
  CHECK(dir.entries() == std::vector<std::string>{"model.cbor"});
}

TEST_CASE("a failed write (file size limit) removes the temporary file", "[io][atomic]") {
  TempDir dir;
  const std::string path = dir.file("model.bin");
  atomic_write_file(path, "previous");
  const int code = run_in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);  // get EFBIG from write() instead of a signal
    struct rlimit limit = {4096, 4096};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 3;
    try {
      atomic_write_file(path, std::string(1 << 20, 'y'));
    } catch (const IoError& e) {
      return std::string(e.what()).find("File too large") != std::string::npos ? 0 : 2;
    }
    return 1;
  });
  CHECK(code == 0);
  CHECK(read_text_file(path) == "previous");
  CHECK(dir.entries() == std::vector<std::string>{"model.bin"});
}

TEST_CASE("read_file reports missing files, folders and oversized files", "[io][atomic]") {
  TempDir dir;
  CHECK_THROWS_WITH(read_file(dir.file("missing.json")),
                    Contains("missing.json") && Contains("No such file or directory"));
  CHECK_THROWS_WITH(read_file(dir.path()), Contains("Is a directory"));
  atomic_write_file(dir.file("ten"), "0123456789");
  CHECK(read_file(dir.file("ten"), 10) == "0123456789");
  CHECK_THROWS_WITH(read_file(dir.file("ten"), 9), Contains("larger than the limit of 9 bytes"));
}
