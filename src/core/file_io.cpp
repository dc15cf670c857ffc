#include "core/file_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace airguard {

Result<std::string> read_text_file(const std::string& path, const ReadLimits& limits) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    const int err = errno;
    if (err == ENOENT) return make_error(path, 0, "no such file");
    return make_error(path, 0, fmt::format("cannot read: {}", std::strerror(err)));
  }
  if (S_ISDIR(info.st_mode)) return make_error(path, 0, "is a directory, expected a file");
  if (!S_ISREG(info.st_mode)) return make_error(path, 0, "is not a regular file");
  if (static_cast<std::size_t>(info.st_size) > limits.max_bytes) {
    return make_error(
        path, 0, fmt::format("file is too large ({} bytes; the limit is {} bytes)", info.st_size, limits.max_bytes),
        "is this really a configuration file?");
  }
  // Non-blocking, and checked again once open: a FIFO put in the file's place after the stat
  // above must not hang the scan.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return make_error(path, 0, fmt::format("cannot read: {}", std::strerror(errno)));
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || static_cast<std::size_t>(info.st_size) > limits.max_bytes) {
    ::close(fd);
    return make_error(path, 0, "is not a regular file of a size within the limit");
  }
  std::string content;
  content.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  // The size stat gave, then small steps to the end: the file may have grown meanwhile, and
  // growing the string by a large step only to find the end would touch memory for nothing.
  std::array<char, 4096> chunk{};
  while (true) {
    const bool in_stat_size = done < content.size();
    if (!in_stat_size && content.size() >= limits.max_bytes) break;
    char* into = in_stat_size ? content.data() + done : chunk.data();
    const std::size_t room =
        in_stat_size ? content.size() - done : std::min(chunk.size(), limits.max_bytes - content.size());
    const ssize_t got = ::read(fd, into, room);
    if (got < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return make_error(path, 0, fmt::format("cannot read: {}", std::strerror(err)));
    }
    if (got == 0) break;
    if (!in_stat_size) content.append(chunk.data(), static_cast<std::size_t>(got));
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  content.resize(done);
  if (!limits.allow_nul && content.find('\0') != std::string::npos) {
    return make_error(path, 0, "looks like a binary file (it contains NUL bytes)");
  }
  return content;
}

namespace {

Result<bool> write_all(int fd, const std::string& path, const std::string& content) {
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t put = ::write(fd, content.data() + done, content.size() - done);
    if (put < 0) {
      if (errno == EINTR) continue;
      return make_error(path, 0, fmt::format("cannot write: {}", std::strerror(errno)));
    }
    done += static_cast<std::size_t>(put);
  }
  return true;
}

// A destination that is no regular file (/dev/stdout, a pipe, a terminal) cannot be replaced by a
// rename: it is written in place.
Result<bool> write_in_place(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return make_error(path, 0, fmt::format("cannot write: {}", std::strerror(errno)));
  // Blocking again: a reader on a pipe takes its time, but the open must not wait for one.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  auto written = write_all(fd, path, content);
  if (::close(fd) != 0 && written.ok()) {
    return make_error(path, 0, fmt::format("cannot write: {}", std::strerror(errno)));
  }
  return written;
}

}  // namespace

Result<bool> write_file_atomic(const std::string& path, const std::string& content) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::path target(path);
  // A report behind a symbolic link is written where the link points, and the link stays.
  if (fs::is_symlink(fs::symlink_status(target, error))) {
    const fs::path resolved = fs::weakly_canonical(target, error);
    if (!error) target = resolved;
  }
  struct stat existing {};
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && !S_ISREG(existing.st_mode)) return write_in_place(target.string(), content);
  // An existing report keeps its mode; a new one gets what the umask allows, as with any program.
  mode_t mode = 0;
  if (exists) {
    mode = existing.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return make_error(path, 0, fmt::format("cannot write: {}", std::strerror(errno)));
  // Nothing is renamed over the report until every byte is on disk: a full disk leaves the old
  // report whole, never a truncated one.
  auto written = write_all(fd, path, content);
  if (!written.ok()) {
    ::close(fd);
    ::unlink(tmpl.c_str());
    return written;
  }
  const bool synced = ::fchmod(fd, mode) == 0 && ::fsync(fd) == 0;
  int err = synced ? 0 : errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    ::unlink(tmpl.c_str());
    return make_error(path, 0, fmt::format("cannot write: {}", std::strerror(err)));
  }
  if (::rename(tmpl.c_str(), target.c_str()) != 0) {
    err = errno;
    ::unlink(tmpl.c_str());
    return make_error(path, 0, fmt::format("cannot write: {}", std::strerror(err)));
  }
  return true;
}

}  // namespace airguard
