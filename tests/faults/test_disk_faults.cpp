// Disk faults while saving a model through the C ABI: a full file system and a read-only
// location must give CLAIMLENS_E_IO naming the path and the reason, leave a previous model file
// at that path byte-for-byte intact and leave no temporary file behind.
//
// Portable variants (any user): RLIMIT_FSIZE makes write() fail with EFBIG exactly as a full disk
// fails with ENOSPC; a path on /proc is read-only; a folder without write permission stops a
// non-root user. Privileged variants (root with CAP_SYS_ADMIN): a 64 KiB tmpfs that fills up,
// then remounted read-only; skipped with a message when mount(2) is not permitted.
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "claimlens.h"
#include "io/temp_dir.hpp"
#include "support/paths.hpp"

using claimlens::testing::read_text_file;
using claimlens::testing::TempDir;

namespace {

/// A trained forest; `trees` sets its size (one tree saves to ~1-2 KiB of CBOR here).
claimlens_model* forest(int trees) {
  const std::size_t rows = 300, cols = 4;
  std::vector<double> x, y;
  for (std::size_t i = 0; i < rows; ++i) {
    for (std::size_t j = 0; j < cols; ++j) x.push_back(static_cast<double>((i * (j + 3)) % 17));
    y.push_back((i * 7) % 5 < 2 ? 1.0 : 0.0);
  }
  const std::string params = R"({"algorithm": "random_forest", "n_jobs": 1, "n_estimators": )" +
                             std::to_string(trees) + "}";
  claimlens_model* m = nullptr;
  REQUIRE(claimlens_model_train(x.data(), rows, cols, y.data(), params.c_str(), &m) ==
          CLAIMLENS_OK);
  return m;
}

std::size_t cbor_size(const claimlens_model* m) {
  void* buffer = nullptr;
  std::size_t len = 0;
  REQUIRE(claimlens_model_save_buffer(m, &buffer, &len) == CLAIMLENS_OK);
  claimlens_free(buffer);
  return len;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Saving `m` to `path` fails with CLAIMLENS_E_IO naming the path and `reason`; the previous
/// file (if any) is unchanged and the folder `dir` (if given) holds only `keep`: no temporary.
void check_failed_save(const claimlens_model* m, const std::string& path, const std::string& reason,
                       const std::string& previous, const std::string& dir = "",
                       const std::vector<std::string>& keep = {}) {
  CHECK(claimlens_model_save(m, path.c_str()) == CLAIMLENS_E_IO);
  const std::string error = claimlens_last_error();
  INFO(error);
  CHECK(error.find(path) != std::string::npos);
  CHECK(error.find(reason) != std::string::npos);
  CHECK(error.find('\n') == std::string::npos);
  if (!previous.empty()) CHECK(read_text_file(path) == previous);
  if (!dir.empty()) CHECK(entries(dir) == keep);
}

/// Lowers RLIMIT_FSIZE for this process (SIGXFSZ ignored, so write() fails with EFBIG).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit lower = saved_;
    lower.rlim_cur = bytes;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &lower) == 0);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
};

/// A small tmpfs mounted on a fresh folder, unmounted at scope exit; ok() is false when this
/// process may not mount.
class SmallTmpfs {
 public:
  explicit SmallTmpfs(const std::string& size) {
    mounted_ = ::mount("tmpfs", dir_.path().c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  SmallTmpfs(const SmallTmpfs&) = delete;
  SmallTmpfs& operator=(const SmallTmpfs&) = delete;
  ~SmallTmpfs() {
    if (mounted_) ::umount2(dir_.path().c_str(), MNT_DETACH);
  }
  bool ok() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::string file(const std::string& name) const { return dir_.file(name); }
  const std::string& path() const { return dir_.path(); }
  bool remount_read_only() {
    return ::mount("tmpfs", dir_.path().c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  TempDir dir_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace

TEST_CASE("a full disk (RLIMIT_FSIZE, any user): CLAIMLENS_E_IO, previous model intact",
          "[faults][disk]") {
  claimlens_model* small = forest(1);
  claimlens_model* big = forest(40);
  REQUIRE(cbor_size(big) > 4 * cbor_size(small));
  TempDir dir;
  for (const char* name : {"model.cbor", "model.json"}) {
    const std::string path = dir.file(name);
    REQUIRE(claimlens_model_save(small, path.c_str()) == CLAIMLENS_OK);
    const std::string previous = read_text_file(path);
    {
      FileSizeLimit limit(previous.size() + 512);
      check_failed_save(big, path, "File too large", previous, dir.path(), {name});
    }
    CHECK(claimlens_model_save(big, path.c_str()) == CLAIMLENS_OK);  // limit lifted: it fits
    std::remove(path.c_str());
  }
  CHECK(entries(dir.path()).empty());
  claimlens_model_free(big);
  claimlens_model_free(small);
}

TEST_CASE("a read-only location (any user): CLAIMLENS_E_IO naming the path", "[faults][disk]") {
  claimlens_model* m = forest(1);
  // /proc is mounted read-only for new files whoever we are.
  check_failed_save(m, "/proc/claimlens-test-model.cbor", "/proc", "");
  // A folder that does not exist.
  check_failed_save(m, "/nonexistent-claimlens-dir/model.json", "No such file or directory", "");
  // A folder without write permission: stops everyone but root with CAP_DAC_OVERRIDE.
  TempDir dir;
  const std::string path = dir.file("model.cbor");
  REQUIRE(claimlens_model_save(m, path.c_str()) == CLAIMLENS_OK);
  const std::string previous = read_text_file(path);
  REQUIRE(::chmod(dir.path().c_str(), 0555) == 0);
  const std::string probe = dir.file("probe");
  if (std::ofstream(probe).good()) {
    std::remove(probe.c_str());
    WARN(
        "running with CAP_DAC_OVERRIDE (root): the no-write-permission folder variant is "
        "covered by the read-only tmpfs test instead");
  } else {
    check_failed_save(m, path, "Permission denied", previous, dir.path(), {"model.cbor"});
  }
  ::chmod(dir.path().c_str(), 0755);
  claimlens_model_free(m);
}

TEST_CASE("a full and a read-only tmpfs (privileged): CLAIMLENS_E_IO, previous model intact",
          "[faults][disk][privileged]") {
  SmallTmpfs fs("64k");
  if (!fs.ok()) {
    WARN("skipped: cannot mount a tmpfs here (" << fs.error()
                                                << "); the RLIMIT_FSIZE and "
                                                   "/proc variants cover the same paths");
    return;
  }
  claimlens_model* small = forest(1);
  claimlens_model* big = forest(80);
  REQUIRE(cbor_size(big) > (std::size_t{64} << 10));
  const std::string path = fs.file("model.cbor");
  REQUIRE(claimlens_model_save(small, path.c_str()) == CLAIMLENS_OK);
  const std::string previous = read_text_file(path);
  check_failed_save(big, path, "No space left on device", previous, fs.path(), {"model.cbor"});
  // Still room for a model of the previous size: the failed temporary file was removed.
  CHECK(claimlens_model_save(small, fs.file("again.cbor").c_str()) == CLAIMLENS_OK);
  REQUIRE(fs.remount_read_only());
  check_failed_save(small, path, "Read-only file system", previous, fs.path(),
                    {"again.cbor", "model.cbor"});
  claimlens_model_free(big);
  claimlens_model_free(small);
}
