// input-file.cpp: InputFile, stdin spooled to a private temporary file when needed.
#include "util/input-file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "util/unique-fd.h"

namespace pp {

namespace {

// Writes all of buffer[0..size) to fd, retrying short writes and EINTR.
bool write_all(int fd, const char* buffer, std::size_t size) {
  while (size > 0) {
    ssize_t written = write(fd, buffer, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    buffer += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

// Copies everything readable from `in` to `out`.
bool copy_fd(int in, int out) {
  char buffer[65536];
  for (;;) {
    ssize_t got = read(in, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return false;
    if (got == 0) return true;
    if (!write_all(out, buffer, static_cast<std::size_t>(got))) return false;
  }
}

std::string temp_template() {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir && *dir ? dir : "/tmp") + "/pullprint-XXXXXX";
}

}  // namespace

Result<InputFile> InputFile::open(const char* path) {
  if (path) {
    if (access(path, R_OK) != 0)
      return Status(Code::kNotFound, std::string("cannot read ") + path + ": " + strerror(errno));
    return InputFile(path, false);
  }
  std::string name = temp_template();
  UniqueFd temporary(mkstemp(name.data()));  // mkstemp creates the file with mode 0600
  if (!temporary.valid())
    return Status(Code::kIoError,
                  "cannot create a temporary file: " + std::string(strerror(errno)));
  InputFile file(name, true);  // from here on the destructor removes it
  bool copied = copy_fd(STDIN_FILENO, temporary.get());
  bool closed = close(temporary.release()) == 0;  // its failure matters: a write may be lost
  if (!copied || !closed)
    return Status(Code::kIoError, "cannot copy standard input: " + std::string(strerror(errno)));
  return file;
}

InputFile::InputFile(InputFile&& other) noexcept
    : path_(std::move(other.path_)), temporary_(std::exchange(other.temporary_, false)) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (temporary_) unlink(path_.c_str());
    path_ = std::move(other.path_);
    temporary_ = std::exchange(other.temporary_, false);
  }
  return *this;
}

InputFile::~InputFile() {
  if (temporary_) unlink(path_.c_str());
}

Status InputFile::copy_to(int fd) const {
  const UniqueFd in(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return Status(Code::kIoError, "cannot open " + path_ + ": " + strerror(errno));
  bool copied = copy_fd(in.get(), fd);
  if (!copied) return Status(Code::kIoError, "cannot write the document: " + std::string(strerror(errno)));
  return Status::ok();
}

}  // namespace pp
