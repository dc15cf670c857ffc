// Reading a DAG folder: the walk (as Airflow lists files), the worker pool, the file reads.
#include "sources/dags/dag_scan.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "core/printable.hpp"
#include "core/text.hpp"
#include "sources/dags/airflowignore.hpp"
#include "sources/dags/zip_reader.hpp"

namespace airguard {

namespace fs = std::filesystem;

void DagScanResult::merge(DagScanResult other) {
  roots.insert(roots.end(), other.roots.begin(), other.roots.end());
  secrets.insert(secrets.end(), std::make_move_iterator(other.secrets.begin()),
                 std::make_move_iterator(other.secrets.end()));
  problems.insert(problems.end(), other.problems.begin(), other.problems.end());
  scrub_values.insert(scrub_values.end(), other.scrub_values.begin(), other.scrub_values.end());
  files_scanned += other.files_scanned;
  bytes_scanned += other.bytes_scanned;
  files_ignored += other.files_ignored;
  files_binary += other.files_binary;
  for (const auto& [reason, count] : other.unread) unread[reason] += count;
}

IgnoreSyntax default_ignore_syntax(std::string_view airflow_version) {
  return !airflow_version.empty() && airflow_version.front() >= '3' && airflow_version.front() <= '9'
             ? IgnoreSyntax::glob
             : IgnoreSyntax::regexp;
}

bool parse_ignore_syntax(std::string_view text, IgnoreSyntax& out) {
  const std::string value = to_lower(trim(text));
  if (value == "regexp") {
    out = IgnoreSyntax::regexp;
    return true;
  }
  if (value == "glob") {
    out = IgnoreSyntax::glob;
    return true;
  }
  return false;
}

namespace {

// A file's bytes, mapped when large and read into a reused buffer when small (most DAG files
// are a few kilobytes, where a read is cheaper than setting up a mapping).
class FileBytes {
 public:
  FileBytes() = default;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes() { release(); }

  // Returns an error message, or "" when `view()` holds the file. `refused()` tells a file
  // skipped on purpose (too large, not a regular file) from one that could not be read.
  std::string load(const std::string& path, std::size_t max_bytes) {
    release();
    refused_ = false;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::strerror(errno);
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd);
      refused_ = true;
      return "not a regular file";
    }
    const auto size = static_cast<std::size_t>(info.st_size);
    if (size > max_bytes) {
      ::close(fd);
      refused_ = true;
      return "larger than " + std::to_string(max_bytes >> 20) + " MiB, skipped";
    }
    std::string error;
    if (size >= kMapThreshold) {
      void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
      if (mapped == MAP_FAILED) {
        error = std::strerror(errno);
      } else {
        mapped_ = mapped;
        mapped_size_ = size;
        view_ = std::string_view(static_cast<const char*>(mapped), size);
      }
    } else {
      buffer_.resize(size);
      std::size_t done = 0;
      while (done < size) {
        const ssize_t got = ::read(fd, buffer_.data() + done, size - done);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
          error = std::strerror(errno);
          break;
        }
        if (got == 0) break;  // the file shrank while we read it
        done += static_cast<std::size_t>(got);
      }
      view_ = std::string_view(buffer_.data(), done);
    }
    ::close(fd);
    return error;
  }

  std::string_view view() const { return view_; }
  bool refused() const { return refused_; }

 private:
  static constexpr std::size_t kMapThreshold = 256u * 1024u;
  void release() {
    if (mapped_ != nullptr) ::munmap(mapped_, mapped_size_);
    mapped_ = nullptr;
    mapped_size_ = 0;
    view_ = {};
  }
  std::string buffer_;
  void* mapped_ = nullptr;
  std::size_t mapped_size_ = 0;
  std::string_view view_;
  bool refused_ = false;
};

bool looks_binary(std::string_view bytes) {
  const std::size_t probe = std::min<std::size_t>(bytes.size(), 8192);
  return std::memchr(bytes.data(), '\0', probe) != nullptr;
}

std::string join_path(const std::string& dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  std::string out = dir;
  out += '/';
  out += name;
  return out;
}

bool ends_with_icase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && equals_icase(text.substr(text.size() - suffix.size()), suffix);
}

struct WorkItem {
  std::string absolute;
  std::string relative;
};

// The bounded queue between the walker and the workers: memory stays flat however big the tree.
class WorkQueue {
 public:
  explicit WorkQueue(std::size_t capacity) : capacity_(capacity) {}
  void push(WorkItem item) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < capacity_; });
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  bool pop(WorkItem& item) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::size_t capacity_;
  std::deque<WorkItem> items_;
  bool closed_ = false;
  std::mutex mutex_;
  std::condition_variable not_empty_, not_full_;
};

class FolderScan {
 public:
  FolderScan(std::string root, const DagScanOptions& options) : root_(std::move(root)), options_(options) {}

  DagScanResult run();

 private:
  using FolderId = std::pair<dev_t, ino_t>;
  void walk(const std::string& absolute, const std::string& relative, std::vector<IgnoreRule> rules,
            std::vector<FolderId>& ancestors);
  void enqueue(std::string absolute, std::string relative);
  void worker();
  void scan_bytes(std::string_view bytes, const std::string& relative, std::vector<DagSecret>& found);
  static thread_local std::vector<std::string> scrub_;
  void scan_zip(std::string_view archive, const std::string& relative, std::vector<DagSecret>& found);
  void problem(Diagnostic diagnostic) {
    std::lock_guard lock(mutex_);
    result_.problems.push_back(std::move(diagnostic));
  }
  // A part of the tree Airflow would load but the scan could not read: the scan is incomplete.
  void unread(Diagnostic diagnostic, const std::string& reason) {
    std::lock_guard lock(mutex_);
    result_.problems.push_back(std::move(diagnostic));
    ++result_.unread[reason];
  }
  // Takes `bytes` from the scan's inflate budget; false when the budget is spent.
  bool take_inflate_budget(std::size_t bytes) {
    if (inflated_.fetch_add(bytes) + bytes <= options_.max_inflated_bytes) return true;
    inflated_.fetch_sub(bytes);
    return false;
  }
  void maybe_progress(bool final_line);
  // Diagnostics go to the terminal: a file name cannot carry escape sequences or newlines there.
  std::string display(const std::string& relative) const { return printable(join_path(root_, relative)); }

  std::string root_;
  std::string canonical_root_;
  DagScanOptions options_;
  DagScanResult result_;
  std::mutex mutex_;
  WorkQueue queue_{1024};
  std::atomic<std::size_t> files_done_{0};
  std::atomic<std::size_t> bytes_done_{0};
  std::atomic<std::size_t> inflated_{0};
  std::set<FolderId> walked_;  // every folder walked, so a folder reached by many links is walked once
  std::size_t files_listed_ = 0;
  bool file_limit_reached_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_progress_{};
  bool progress_shown_ = false;
};

void FolderScan::maybe_progress(bool final_line) {
  if (!options_.progress) return;
  const auto now = std::chrono::steady_clock::now();
  if (!final_line &&
      (now - started_ < std::chrono::seconds(1) || now - last_progress_ < std::chrono::milliseconds(250))) {
    return;
  }
  if (final_line && !progress_shown_) return;
  last_progress_ = now;
  progress_shown_ = true;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double megabytes = static_cast<double>(bytes_done_.load()) / 1e6;
  std::fprintf(stderr, "\rairguard: DAG scan: %zu files, %.1f MB, %.0f MB/s%s", files_done_.load(), megabytes,
               seconds > 0 ? megabytes / seconds : 0.0, final_line ? "\n" : "");
  std::fflush(stderr);
}

void FolderScan::enqueue(std::string absolute, std::string relative) {
  queue_.push(WorkItem{std::move(absolute), std::move(relative)});
  maybe_progress(false);
}

void FolderScan::walk(const std::string& absolute, const std::string& relative, std::vector<IgnoreRule> rules,
                      std::vector<FolderId>& ancestors) {
  std::error_code error;
  std::vector<std::pair<std::string, fs::file_type>> entries;
  fs::directory_iterator it(absolute, fs::directory_options::none, error);
  if (error) {
    unread(make_warning(display(relative), 0, "cannot list the folder: " + error.message(),
                        "check its permissions; the rest of the tree was scanned"),
           error.message());
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(error)) {
    std::string name = it->path().filename().string();
    std::error_code entry_error;
    const fs::file_type type = it->symlink_status(entry_error).type();
    if (entry_error) {  // past PATH_MAX, for one: Airflow cannot load it either, but it is there
      unread(make_warning(display(join_path(relative, name)), 0, "cannot read: " + entry_error.message()),
             entry_error.message());
      continue;
    }
    entries.emplace_back(std::move(name), type);
  }
  if (error) {
    unread(make_warning(display(relative), 0, "the folder could not be listed to the end: " + error.message()),
           error.message());
  }
  std::sort(entries.begin(), entries.end());
  // The folder's own .airflowignore applies to it and everything below it.
  for (const auto& [name, type] : entries) {
    if (name != ".airflowignore" || type != fs::file_type::regular) continue;
    FileBytes bytes;
    const std::string path = join_path(absolute, name);
    const std::string message = bytes.load(path, 1u << 20);
    if (!message.empty()) {
      problem(make_warning(display(join_path(relative, name)), 0, "cannot read the ignore file: " + message));
      continue;
    }
    Diagnostics problems;
    std::vector<IgnoreRule> added = parse_airflowignore(bytes.view(), options_.ignore_syntax, relative,
                                                        display(join_path(relative, name)), problems);
    for (Diagnostic& d : problems) problem(std::move(d));
    rules.insert(rules.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  }
  for (const auto& [name, type] : entries) {
    if (name == ".airflowignore") continue;
    if (file_limit_reached_) return;
    const std::string child_abs = join_path(absolute, name);
    const std::string child_rel = join_path(relative, name);
    fs::file_type effective = type;
    if (type == fs::file_type::symlink) {
      const fs::path target = fs::weakly_canonical(child_abs, error);
      const std::string target_text = target.string();
      const bool inside = !error && (target_text == canonical_root_ ||
                                     (target_text.size() > canonical_root_.size() &&
                                      target_text.compare(0, canonical_root_.size(), canonical_root_) == 0 &&
                                      target_text[canonical_root_.size()] == '/'));
      if (!inside) {
        problem(make_note(display(child_rel), 0, "symbolic link leads outside the scanned folder; not followed"));
        continue;
      }
      effective = fs::status(child_abs, error).type();
      if (error) {
        problem(make_note(display(child_rel), 0, "broken symbolic link; skipped"));
        continue;
      }
    }
    if (effective == fs::file_type::directory) {
      if (is_ignored(rules, options_.ignore_syntax, child_rel, true)) {
        ++result_.files_ignored;
        continue;
      }
      struct stat info {};
      if (::stat(child_abs.c_str(), &info) != 0) {
        const std::string reason = std::strerror(errno);
        unread(make_warning(display(child_rel), 0, "cannot read the folder: " + reason), reason);
        continue;
      }
      const FolderId id{info.st_dev, info.st_ino};
      if (std::find(ancestors.begin(), ancestors.end(), id) != ancestors.end()) {
        problem(make_warning(display(child_rel), 0, "symbolic link loop; not followed"));
        continue;
      }
      // Two links to one folder per level would make the walk exponential; Airflow refuses a
      // folder seen twice, so walking it once loses nothing.
      if (!walked_.insert(id).second) {
        problem(make_note(display(child_rel), 0, "folder already scanned by another path; not scanned twice"));
        continue;
      }
      ancestors.push_back(id);
      walk(child_abs, child_rel, rules, ancestors);
      ancestors.pop_back();
    } else if (effective == fs::file_type::regular) {
      if (is_ignored(rules, options_.ignore_syntax, child_rel, false)) {
        ++result_.files_ignored;
        continue;
      }
      if (files_listed_ == options_.max_files) {
        file_limit_reached_ = true;
        const std::string reason = "more than " + std::to_string(options_.max_files) + " files";
        unread(make_warning(printable(root_), 0, "stopped listing at " + std::to_string(options_.max_files) + " files",
                            "the rest of the tree was not scanned; scan its folders one by one"),
               reason);
        return;
      }
      ++files_listed_;
      enqueue(child_abs, child_rel);
    }
  }
}

void FolderScan::scan_bytes(std::string_view bytes, const std::string& relative, std::vector<DagSecret>& found) {
  std::vector<DagSecret> secrets = detect_secrets(bytes, relative, &scrub_);
  for (DagSecret& secret : secrets) {
    secret.root = root_;
    found.push_back(std::move(secret));
  }
}

void FolderScan::scan_zip(std::string_view archive, const std::string& relative, std::vector<DagSecret>& found) {
  Result<std::vector<ZipEntry>> entries = list_zip_entries(archive);
  if (!entries) {
    problem(make_warning(display(relative), 0, "cannot read the ZIP bundle: " + entries.error().message,
                         entries.error().hint));
    return;
  }
  std::string content;
  std::size_t inflated = 0;
  for (const ZipEntry& entry : *entries) {
    if (entry.is_directory()) continue;
    const std::string entry_path = relative + "/" + entry.name;
    // The declared size bounds what inflating produces (read_zip_entry never writes past it), so
    // the budgets are taken before any work is done.
    if (entry.uncompressed_size <= options_.max_zip_entry_bytes) {
      const auto size = static_cast<std::size_t>(entry.uncompressed_size);
      if (options_.max_zip_inflated_bytes - inflated < size) {
        unread(
            make_warning(display(relative), 0,
                         "ZIP bundle inflates to more than " + std::to_string(options_.max_zip_inflated_bytes >> 20) +
                             " MiB; the rest of it was not scanned",
                         "a bundle that large is unusual: check what it holds"),
            "ZIP bundle past the inflate limit");
        return;
      }
      if (!take_inflate_budget(size)) {
        unread(make_warning(display(relative), 0,
                            "the scan's ZIP bundles inflate to more than " +
                                std::to_string(options_.max_inflated_bytes >> 20) + " MiB; the rest was not scanned"),
               "ZIP bundles past the scan's inflate limit");
        return;
      }
      inflated += size;
    }
    Result<bool> read = read_zip_entry(archive, entry, options_.max_zip_entry_bytes, content);
    if (!read) {
      problem(make_warning(display(entry_path), 0, "ZIP entry not scanned: " + read.error().message));
      continue;
    }
    if (looks_binary(content)) {
      std::lock_guard lock(mutex_);
      ++result_.files_binary;
      continue;
    }
    bytes_done_ += content.size();
    scan_bytes(content, entry_path, found);
  }
}

void FolderScan::worker() {
  FileBytes bytes;
  std::vector<DagSecret> found;
  std::size_t scanned = 0, binary = 0, total = 0;
  WorkItem item;
  while (queue_.pop(item)) {
    const bool zip = ends_with_icase(item.relative, ".zip");
    const std::string message = bytes.load(item.absolute, zip ? options_.max_zip_bytes : options_.max_file_bytes);
    if (!message.empty()) {
      Diagnostic warning =
          make_warning(display(item.relative), 0, "not scanned: " + message, "the rest of the tree was scanned");
      if (bytes.refused()) {
        problem(std::move(warning));
      } else {
        unread(std::move(warning), message);
      }
      continue;
    }
    const std::string_view view = bytes.view();
    if (zip && looks_like_zip(view)) {
      scan_zip(view, item.relative, found);
    } else if (looks_binary(view)) {
      ++binary;
    } else {
      bytes_done_ += view.size();
      total += view.size();
      scan_bytes(view, item.relative, found);
    }
    ++scanned;
    ++files_done_;
  }
  std::lock_guard lock(mutex_);
  result_.scrub_values.insert(result_.scrub_values.end(), std::make_move_iterator(scrub_.begin()),
                              std::make_move_iterator(scrub_.end()));
  scrub_.clear();
  result_.secrets.insert(result_.secrets.end(), std::make_move_iterator(found.begin()),
                         std::make_move_iterator(found.end()));
  result_.files_scanned += scanned - binary;
  result_.files_binary += binary;
  (void)total;
}

thread_local std::vector<std::string> FolderScan::scrub_;

DagScanResult FolderScan::run() {
  result_.roots.push_back(root_);
  std::error_code error;
  const fs::file_status status = fs::status(root_, error);
  if (error || !fs::exists(status)) {
    result_.problems.push_back(make_error(root_, 0, "DAG folder not found", "check the path given to --dags"));
    return std::move(result_);
  }
  canonical_root_ = fs::canonical(root_, error).string();
  const unsigned threads = options_.threads != 0 ? options_.threads : std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i) pool.emplace_back([this] { worker(); });
  if (fs::is_directory(status)) {
    std::vector<FolderId> ancestors;
    struct stat info {};
    if (::stat(root_.c_str(), &info) == 0) {
      ancestors.emplace_back(info.st_dev, info.st_ino);
      walked_.insert(ancestors.back());
    }
    walk(root_, "", {}, ancestors);
  } else {
    // A single file: report it by its name, relative to its folder.
    const fs::path path(root_);
    canonical_root_ = fs::canonical(path, error).parent_path().string();
    const std::string name = path.filename().string();
    root_ = path.has_parent_path() ? path.parent_path().string() : std::string(".");
    result_.roots.back() = root_;
    enqueue(path.string(), name);
  }
  queue_.close();
  for (std::thread& thread : pool) thread.join();
  maybe_progress(true);
  std::sort(result_.secrets.begin(), result_.secrets.end(), [](const DagSecret& a, const DagSecret& b) {
    if (a.file != b.file) return a.file < b.file;
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.check_id < b.check_id;
  });
  std::sort(result_.problems.begin(), result_.problems.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.file != b.file ? a.file < b.file : a.message < b.message;
  });
  result_.bytes_scanned = bytes_done_.load();
  return std::move(result_);
}

}  // namespace

DagScanResult scan_dag_folder(const std::string& root, const DagScanOptions& options) {
  FolderScan scan(root, options);
  return scan.run();
}

}  // namespace airguard
