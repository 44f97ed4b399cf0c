// input-file.h: a filter's or backend's input as a file on disk.
//
// CUPS hands the first filter the spooled file by name and later filters a pipe on stdin. The
// analysers need a seekable file, so stdin is copied to a private temporary file (mode 0600 in
// $TMPDIR, which cupsd points at its own temp directory) that is removed when the InputFile dies.
#pragma once

#include <string>

#include "util/status.h"

namespace pp {

class InputFile {
 public:
  // Uses `path` when given, else copies standard input to a temporary file.
  static Result<InputFile> open(const char* path);

  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  const std::string& path() const { return path_; }

  // Writes the whole file, unchanged, to the file descriptor (stdout for a filter).
  Status copy_to(int fd) const;

 private:
  InputFile(std::string path, bool temporary) : path_(std::move(path)), temporary_(temporary) {}

  std::string path_;
  bool temporary_ = false;  // ours to delete
};

}  // namespace pp
