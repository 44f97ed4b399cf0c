// scoped-temp-dir.h: a private (0700) temporary directory removed with its contents on scope exit.
#pragma once

#include <string>

#include "util/status.h"

namespace pp {

class ScopedTempDir {
 public:
  // Creates $TMPDIR/<prefix>-XXXXXX (TMPDIR is CUPS's per-job temp dir under a filter).
  static Result<ScopedTempDir> create(const std::string& prefix);

  ScopedTempDir(ScopedTempDir&& other) noexcept;
  ScopedTempDir& operator=(ScopedTempDir&& other) noexcept;
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir();

  const std::string& path() const { return path_; }
  // path()/name
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  explicit ScopedTempDir(std::string path) : path_(std::move(path)) {}
  void remove();

  std::string path_;
};

}  // namespace pp
