// spool-file.cpp: private spool directory, uuid file names, copy + fsync + rename.
#include "job-store/spool-file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "util/unique-fd.h"

namespace pp::store_detail {

namespace {

Status errno_status(const std::string& what, int error) {
  Code code = error == ENOENT ? Code::kNotFound : Code::kIoError;
  return Status(code, what + ": " + std::strerror(error));
}

// Writes all of `size` bytes, retrying short writes and EINTR.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

Status copy_fd(int from, int to, const std::string& source, const std::string& target) {
  char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::read(from, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return errno_status("cannot read " + source, errno);
    if (got == 0) return Status::ok();
    if (!write_all(to, buffer, static_cast<std::size_t>(got)))
      return errno_status("cannot write " + target, errno);
  }
}

}  // namespace

Status ensure_private_dir(const std::string& dir) {
  std::error_code error;
  std::filesystem::path parent = std::filesystem::path(dir).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return errno_status("cannot create " + dir, errno);
  // O_NOFOLLOW: a symlink planted in place of the spool must not redirect our files.
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return errno_status("cannot open directory " + dir, errno);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return errno_status("cannot stat " + dir, errno);
  if (info.st_uid != ::geteuid())
    return Status(Code::kPermissionDenied, dir + " belongs to another user");
  if ((info.st_mode & 07777) != 0700 && ::fchmod(fd.get(), 0700) != 0)
    return errno_status("cannot make " + dir + " private", errno);
  return Status::ok();
}

Result<std::string> uuid_file_stem(std::string_view uuid) {
  constexpr std::string_view kPrefix = "urn:uuid:";
  Status invalid(Code::kInvalidArgument,
                 "job uuid is not urn:uuid:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
  if (uuid.size() != kPrefix.size() + 36 || !uuid.starts_with(kPrefix)) return invalid;
  std::string stem(uuid.substr(kPrefix.size()));
  for (std::size_t i = 0; i < stem.size(); i++) {
    bool dash_here = i == 8 || i == 13 || i == 18 || i == 23;
    unsigned char c = static_cast<unsigned char>(stem[i]);
    if (dash_here ? c != '-' : !std::isxdigit(c)) return invalid;
    stem[i] = static_cast<char>(std::tolower(c));
  }
  return stem;
}

std::string_view extension_for_format(std::string_view format) {
  if (format == "application/pdf") return "pdf";
  if (format == "image/jpeg") return "jpg";
  if (format == "image/pwg-raster") return "pwg";
  if (format == "image/urf") return "urf";
  if (format == "application/postscript") return "ps";
  return "bin";
}

Result<std::string> copy_to_temp(const std::string& source, const std::string& dir,
                                 const std::string& stem) {
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return errno_status("cannot open " + source, errno);
  struct stat info {};
  if (::fstat(in.get(), &info) != 0) return errno_status("cannot stat " + source, errno);
  if (!S_ISREG(info.st_mode)) return Status(Code::kInvalidArgument, source + " is not a file");

  // A leading dot and a random suffix: two processes adding the same job never share a file,
  // and the temporary name can never be taken for a finished document.
  std::string temp = dir + "/." + stem + ".XXXXXX";
  UniqueFd out(::mkostemp(temp.data(), O_CLOEXEC));  // mode 0600
  if (!out.valid()) return errno_status("cannot create a file in " + dir, errno);
  FileRemover remover(temp);
  if (Status copied = copy_fd(in.get(), out.get(), source, temp); !copied.is_ok()) return copied;
  if (::fsync(out.get()) != 0) return errno_status("cannot flush " + temp, errno);
  remover.dismiss();
  return temp;
}

Status rename_durably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    return errno_status("cannot rename " + from + " to " + to, errno);
  std::string dir = std::filesystem::path(to).parent_path().string();
  UniqueFd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir_fd.valid() || ::fsync(dir_fd.get()) != 0)
    return errno_status("cannot flush directory " + dir, errno);
  return Status::ok();
}

Status remove_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return errno_status("cannot remove " + path, errno);
  return Status::ok();
}

}  // namespace pp::store_detail
