// mapped-file.cpp: MappedFile, read-only mmap with RAII.
#include "util/mapped-file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "util/unique-fd.h"

namespace pp {

Result<MappedFile> MappedFile::open(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status(Code::kIoError, "cannot open " + path + ": " + std::strerror(errno));
  struct stat info {};
  if (fstat(fd.get(), &info) != 0)
    return Status(Code::kIoError, "cannot stat " + path + ": " + std::strerror(errno));
  std::size_t size = static_cast<std::size_t>(info.st_size);
  if (size == 0) return MappedFile(nullptr, 0);
  void* data = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (data == MAP_FAILED)
    return Status(Code::kIoError, "cannot map " + path + ": " + std::strerror(errno));
  return MappedFile(data, size);
}

MappedFile::MappedFile(MappedFile&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    unmap();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

MappedFile::~MappedFile() { unmap(); }

void MappedFile::unmap() {
  if (data_) munmap(data_, size_);
  data_ = nullptr;
}

}  // namespace pp
