// Crash-safe file writes and bounded file reads, shared by model files, the CLI and synth.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace claimlens::io {

/// Writes `bytes` to `path` so that readers see either the previous file or the complete new one,
/// never a half-written file: the bytes go to a temporary file in the same folder
/// (`.<name>.tmp-<pid>-<n>`), which is flushed, fsync'ed and renamed over `path`; the folder is
/// then fsync'ed so the rename survives a power loss. On any failure the temporary file is removed,
/// a previous `path` is left untouched, and IoError names the path and the OS reason (strerror). An
/// existing file keeps its permission bits; a new one gets 0666 minus the umask. A symlink at
/// `path` is replaced by a regular file (rename semantics). Throws InvalidArgument for an empty
/// path or one naming a folder ("dir/").
void atomic_write_file(const std::string& path, std::string_view bytes);

/// Reads a whole file. IoError names the path and the OS reason when it cannot be opened or read,
/// and when it holds more than `max_bytes` bytes (the file is not read past that bound).
std::string read_file(const std::string& path, std::size_t max_bytes = std::size_t(1) << 30);

}  // namespace claimlens::io
