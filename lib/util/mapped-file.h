// mapped-file.h: a whole file mapped read-only into memory (RAII over mmap).
//
// The PDF parser seeks back and forth through a file in small reads; over a mapping those are
// memory accesses instead of system calls, and re-opening the document costs no I/O.
#pragma once

#include <cstddef>
#include <string>

#include "util/status.h"

namespace pp {

class MappedFile {
 public:
  // Maps `path` read-only; an empty file maps to an empty view.
  static Result<MappedFile> open(const std::string& path);

  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  const char* data() const { return static_cast<const char*>(data_); }
  std::size_t size() const { return size_; }

 private:
  MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}
  void unmap();

  void* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace pp
