// spool-file.h: the files of the held-job spool (private to lib/job-store).
//
// A document enters the spool in two steps so that no reader ever sees half a file: it is copied
// to a private temporary name (mkstemp, mode 0600) and flushed to disk, then renamed to its final
// name once the job's row exists. Names come from the job's uuid and the analysed format only;
// titles and file names from the network never reach the file system.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace pp::store_detail {

// Creates `dir` (mode 0700) when missing and makes sure it is a directory of ours with mode
// 0700 (a symlink or another user's directory is refused).
Status ensure_private_dir(const std::string& dir);

// "0f1e...-...", the lowercase 8-4-4-4-12 part of "urn:uuid:...", or kInvalidArgument.
Result<std::string> uuid_file_stem(std::string_view uuid);

// File extension for a MIME type ("pdf", "jpg", "pwg", "urf", "ps"; "bin" otherwise).
std::string_view extension_for_format(std::string_view format);

// Copies `source` to a new private (0600) temporary file in `dir`, named after `stem`, and
// fsyncs it; returns the temporary file's path.
Result<std::string> copy_to_temp(const std::string& source, const std::string& dir,
                                 const std::string& stem);

// Renames `from` to `to` (same directory) and fsyncs the directory so the name is durable.
Status rename_durably(const std::string& from, const std::string& to);

// Removes a file; a missing file is fine.
Status remove_file(const std::string& path);

// Removes a file when the owning scope ends, unless dismissed: an add() that fails after copying
// leaves no file behind on any path out.
class FileRemover {
 public:
  FileRemover() = default;
  explicit FileRemover(std::string path) : path_(std::move(path)) {}
  ~FileRemover() {
    // A failed add() has its own failure to report; a file left behind is found by the spool
    // sweep, so a failed removal may go unreported here.
    if (!path_.empty()) (void)remove_file(path_);
  }
  FileRemover(const FileRemover&) = delete;
  FileRemover& operator=(const FileRemover&) = delete;
  void dismiss() { path_.clear(); }
  // Watches another file instead (the current one is kept).
  void reset(std::string path) { path_ = std::move(path); }

 private:
  std::string path_;
};

}  // namespace pp::store_detail
