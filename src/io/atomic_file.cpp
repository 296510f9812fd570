// POSIX implementation of the crash-safe write (temp file + fsync + rename + folder fsync).
#include "claimlens/io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "claimlens/error.hpp"

namespace claimlens::io {
namespace {

std::string os_reason(int err) {
  return std::strerror(err);
}

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
  throw IoError(what + " '" + path + "': " + os_reason(err));
}

/// A failure on the temporary file names the target too: that is the path the caller knows.
[[noreturn]] void fail_temp(const std::string& what, const std::string& temp_path,
                            const std::string& path, int err) {
  throw IoError(what + " '" + temp_path + "' while saving '" + path + "': " + os_reason(err));
}

/// Closes a descriptor once; close errors matter only where checked explicitly.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  /// Closes now and reports the error (a deferred write error can surface only here).
  int close_checked() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

/// Removes the temporary file unless the rename consumed it.
class TempGuard {
 public:
  explicit TempGuard(std::string path) : path_(std::move(path)) {}
  TempGuard(const TempGuard&) = delete;
  TempGuard& operator=(const TempGuard&) = delete;
  ~TempGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  void release() { path_.clear(); }

 private:
  std::string path_;
};

void write_all(int fd, std::string_view bytes, const std::string& temp_path,
               const std::string& path) {
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_temp("cannot write temporary file", temp_path, path, errno);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
}

std::string folder_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// Creates a fresh temporary file beside `path` (O_EXCL: never reuses someone else's file).
int create_temp(const std::string& path, mode_t mode, std::string& temp_path) {
  static std::atomic<unsigned long> counter{0};
  const std::string folder = folder_of(path);
  const std::string prefix = (folder == "/" ? "/" : folder + "/") + "." + name_of(path) + ".tmp-" +
                             std::to_string(static_cast<long>(::getpid())) + "-";
  for (int attempt = 0; attempt < 100; ++attempt) {
    temp_path = prefix + std::to_string(counter.fetch_add(1));
    const int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd >= 0) return fd;
    if (errno != EEXIST) fail("cannot create a temporary file in the folder of", path, errno);
  }
  fail("cannot create a temporary file in the folder of", path, EEXIST);
}

void sync_folder(const std::string& path) {
  const std::string folder = folder_of(path);
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the file is already in place; a folder we cannot open is not fatal
  FileDescriptor guard(fd);
  // Some file systems do not support fsync on folders (EINVAL); the rename is done regardless.
  if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
    fail("wrote the file but cannot sync its folder for", path, errno);
  }
}

}  // namespace

void atomic_write_file(const std::string& path, std::string_view bytes) {
  if (path.empty()) throw InvalidArgument("atomic_write_file: the path is empty");
  if (path.back() == '/') {
    throw InvalidArgument("atomic_write_file: the path '" + path + "' names a folder, not a file");
  }
  mode_t mode = 0666;  // minus the umask, as for any new file
  bool keep_mode = false;
  struct stat existing;
  if (::stat(path.c_str(), &existing) == 0) {
    if (S_ISDIR(existing.st_mode)) fail("cannot replace", path, EISDIR);
    if (S_ISREG(existing.st_mode)) {
      mode = existing.st_mode & 07777;
      keep_mode = true;
    }
  }
  std::string temp_path;
  FileDescriptor fd(create_temp(path, mode, temp_path));
  TempGuard guard(temp_path);
  if (keep_mode && ::fchmod(fd.get(), mode) != 0) {
    fail_temp("cannot set permissions of temporary file", temp_path, path, errno);
  }
  write_all(fd.get(), bytes, temp_path, path);
  if (::fsync(fd.get()) != 0) fail_temp("cannot flush temporary file", temp_path, path, errno);
  if (const int err = fd.close_checked()) {
    fail_temp("cannot close temporary file", temp_path, path, err);
  }
  if (::rename(temp_path.c_str(), path.c_str()) != 0) fail("cannot rename into", path, errno);
  guard.release();
  sync_folder(path);
}

std::string read_file(const std::string& path, std::size_t max_bytes) {
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) fail("cannot open", path, errno);
  FileDescriptor fd(raw);
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) fail("cannot stat", path, errno);
  if (S_ISDIR(info.st_mode)) fail("cannot read", path, EISDIR);
  std::string bytes;
  if (S_ISREG(info.st_mode) && static_cast<std::size_t>(info.st_size) <= max_bytes) {
    bytes.reserve(static_cast<std::size_t>(info.st_size));
  }
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot read", path, errno);
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<std::size_t>(n) > max_bytes) {
      throw IoError("cannot read '" + path + "': it is larger than the limit of " +
                    std::to_string(max_bytes) + " bytes");
    }
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  return bytes;
}

}  // namespace claimlens::io
