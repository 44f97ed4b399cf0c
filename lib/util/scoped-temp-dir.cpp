// scoped-temp-dir.cpp: mkdtemp-based private directories.
#include "util/scoped-temp-dir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <filesystem>
#include <utility>

namespace pp {

Result<ScopedTempDir> ScopedTempDir::create(const std::string& prefix) {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error) base = "/tmp";
  std::string pattern = (base / (prefix + "-XXXXXX")).string();
  if (!::mkdtemp(pattern.data())) {  // mkdtemp creates it with mode 0700
    return Status(Code::kIoError,
                  "cannot create a temporary directory " + pattern + ": " + ::strerror(errno));
  }
  return ScopedTempDir(pattern);
}

ScopedTempDir::ScopedTempDir(ScopedTempDir&& other) noexcept
    : path_(std::exchange(other.path_, std::string())) {}

ScopedTempDir& ScopedTempDir::operator=(ScopedTempDir&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, std::string());
  }
  return *this;
}

ScopedTempDir::~ScopedTempDir() {
  remove();
}

void ScopedTempDir::remove() {
  if (path_.empty()) return;
  std::error_code ignored;  // best effort: a destructor cannot report
  std::filesystem::remove_all(path_, ignored);
  path_.clear();
}

}  // namespace pp
