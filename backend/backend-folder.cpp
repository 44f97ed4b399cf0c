// backend-folder.cpp: the folder device (file:///DIR): released jobs written into a directory,
// for demos, tests and archiving. No CUPS backend is involved, so this writes the file itself.
#include <cups/cups.h>
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "backend/backend.h"
#include "util/unique-fd.h"

namespace pp::backend {
namespace {

// The file name extension of the job's format.
std::string extension_for(const char* type) {
  const std::string format = type ? type : "";
  if (format == "application/pdf") return "pdf";
  if (format == "application/postscript") return "ps";
  if (format == "image/jpeg") return "jpg";
  if (format == "image/pwg-raster") return "pwg";
  if (format == "image/urf") return "urf";
  return "prn";
}

// Letters, digits, '.', '_' and '-' of `text`; others become '_' (a user name from the job).
std::string safe_name(const std::string& text) {
  std::string name;
  for (char c : text)
    name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
  return name.empty() || name[0] == '.' ? "_" + name : name;
}

}  // namespace

DeliveryOutcome write_to_folder(const std::string& uri, const std::string& job_id,
                                const std::string& user, int input_fd) {
  DeliveryOutcome outcome;
  outcome.exit_status = 1;  // CUPS_BACKEND_FAILED until the whole job is on disk
  char scheme[32], userpass[64], host[256], dir[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, uri.c_str(), scheme, sizeof scheme, userpass,
                      sizeof userpass, host, sizeof host, &port, dir, sizeof dir) <
          HTTP_URI_STATUS_OK ||
      dir[0] != '/') {
    outcome.message = "bad folder device URI " + uri;
    return outcome;
  }
  const char* type = std::getenv("FINAL_CONTENT_TYPE");
  if (!type || !*type) type = std::getenv("CONTENT_TYPE");
  const std::string base = std::string(dir) + "/" + safe_name(job_id) + "-" + safe_name(user);
  UniqueFd file;
  std::string path;
  for (int n = 0; n < 1000 && !file.valid(); ++n) {
    path = base + (n ? "-" + std::to_string(n) : "") + "." + extension_for(type);
    file.reset(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640));
    if (!file.valid() && errno != EEXIST) break;
  }
  if (!file.valid()) {
    outcome.message = "cannot create a file in " + std::string(dir) + ": " + std::strerror(errno);
    return outcome;
  }
  char buffer[65536];
  for (;;) {
    ssize_t got = ::read(input_fd, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      outcome.message = std::string("cannot read the job: ") + std::strerror(errno);
      return outcome;
    }
    if (got == 0) break;
    for (ssize_t done = 0; done < got;) {
      ssize_t put = ::write(file.get(), buffer + done, static_cast<std::size_t>(got - done));
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) {
        outcome.message = "cannot write " + path + ": " + std::strerror(errno);
        return outcome;
      }
      done += put;
      outcome.bytes_sent += put;
    }
  }
  if (::fsync(file.get()) != 0) {
    outcome.message = "cannot write " + path + ": " + std::strerror(errno);
    return outcome;
  }
  std::fprintf(stderr, "INFO: Written to %s\n", path.c_str());
  outcome.exit_status = 0;
  return outcome;
}

}  // namespace pp::backend
