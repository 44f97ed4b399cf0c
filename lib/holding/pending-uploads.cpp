// pending-uploads.cpp: the web's uploads between estimate and submit (pending-uploads.h).
//
// Files: TOKEN.doc (the document) and TOKEN.json (owner, title, options, time), both 0600.
#include "holding/pending-uploads.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "holding/holding.h"

namespace pp {
namespace {

constexpr const char* kDocumentSuffix = ".doc";
constexpr const char* kRecordSuffix = ".json";
constexpr const char* kRecordTempSuffix = ".json.tmp";

Status io_error(const std::string& what) {
  return Status(Code::kIoError, what + ": " + std::strerror(errno));
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

}  // namespace

bool is_upload_token(std::string_view token) {
  if (token.size() != 36) return false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const char c = token[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

Status write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("cannot write the uploaded document");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::ok();
}

std::string PendingUploads::dir_of(const std::string& state_dir) {
  return state_dir + "/web-uploads";
}

Result<PendingUploads> PendingUploads::open(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return io_error("cannot create " + dir);
  struct stat info;
  if (::lstat(dir.c_str(), &info) != 0) return io_error("cannot read " + dir);
  if (!S_ISDIR(info.st_mode)) return Status(Code::kIoError, dir + " is not a directory");
  if (info.st_uid != ::geteuid())
    return Status(Code::kIoError, dir + " belongs to another user: refusing to keep uploads there");
  if ((info.st_mode & 07777) != 0700 && ::chmod(dir.c_str(), 0700) != 0)
    return io_error("cannot make " + dir + " private");
  return PendingUploads(dir);
}

Result<NewPendingDocument> PendingUploads::create_document() const {
  NewPendingDocument document;
  document.token = new_job_uuid().substr(std::string_view("urn:uuid:").size());
  document.path = dir_ + "/" + document.token + kDocumentSuffix;
  document.fd.reset(
      ::open(document.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!document.fd.valid()) return io_error("cannot create " + document.path);
  return document;
}

Status PendingUploads::save(const PendingUpload& upload) const {
  if (!is_upload_token(upload.token))
    return Status(Code::kInternal, "not an upload token: " + upload.token);
  const nlohmann::json record = {{"owner", upload.owner},
                                 {"title", upload.title},
                                 {"options", upload.options},
                                 {"created", upload.created_unix}};
  const std::string text = record.dump();
  const std::string path = dir_ + "/" + upload.token + kRecordSuffix;
  const std::string temp = dir_ + "/" + upload.token + kRecordTempSuffix;
  UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd.valid()) return io_error("cannot create " + temp);
  if (Status written = write_all(fd.get(), text); !written.is_ok()) return written;
  if (::fsync(fd.get()) != 0) return io_error("cannot write " + temp);
  fd.reset();
  if (::rename(temp.c_str(), path.c_str()) != 0) return io_error("cannot write " + path);
  return Status::ok();
}

Result<PendingUpload> PendingUploads::find(std::string_view token, std::string_view user) const {
  if (!is_upload_token(token)) return Status(Code::kInvalidArgument, "not an upload token");
  PendingUpload upload;
  upload.token = std::string(token);
  upload.document_path = dir_ + "/" + upload.token + kDocumentSuffix;
  std::ifstream in(dir_ + "/" + upload.token + kRecordSuffix);
  if (!in) return Status(Code::kNotFound, "no pending upload " + upload.token);
  std::stringstream text;
  text << in.rdbuf();
  try {
    const nlohmann::json record = nlohmann::json::parse(text.str());
    upload.owner = record.at("owner").get<std::string>();
    upload.title = record.at("title").get<std::string>();
    upload.options = record.at("options").get<std::map<std::string, std::string>>();
    upload.created_unix = record.at("created").get<std::int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return Status(Code::kInternal, "pending upload " + upload.token + ": " + e.what());
  }
  if (upload.owner != user)
    return Status(Code::kPermissionDenied, "pending upload " + upload.token + " is not yours");
  if (::access(upload.document_path.c_str(), R_OK) != 0)
    return Status(Code::kNotFound, "no pending upload " + upload.token);
  return upload;
}

Status PendingUploads::remove(std::string_view token) const {
  if (!is_upload_token(token)) return Status(Code::kInvalidArgument, "not an upload token");
  for (const char* suffix : {kRecordSuffix, kRecordTempSuffix, kDocumentSuffix}) {
    const std::string path = dir_ + "/" + std::string(token) + suffix;
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return io_error("cannot remove " + path);
  }
  return Status::ok();
}

Result<int> PendingUploads::sweep(std::chrono::system_clock::time_point now,
                                  std::chrono::seconds max_age) const {
  std::vector<std::string> tokens;
  {
    std::unique_ptr<DIR, int (*)(DIR*)> listing(::opendir(dir_.c_str()), ::closedir);
    if (!listing) return io_error("cannot read " + dir_);
    while (const dirent* entry = ::readdir(listing.get())) {
      const std::string_view name = entry->d_name;
      if (name.size() > 36 && is_upload_token(name.substr(0, 36))) {
        const std::string token(name.substr(0, 36));
        if (tokens.empty() || tokens.back() != token) tokens.push_back(token);
      }
    }
  }
  std::sort(tokens.begin(), tokens.end());
  tokens.erase(std::unique(tokens.begin(), tokens.end()), tokens.end());
  const std::int64_t limit = unix_seconds(now) - max_age.count();
  int removed = 0;
  for (const std::string& token : tokens) {
    std::int64_t created = 0;
    std::ifstream in(dir_ + "/" + token + kRecordSuffix);
    std::stringstream text;
    if (in) text << in.rdbuf();
    const nlohmann::json record = nlohmann::json::parse(text.str(), nullptr, false);
    if (record.is_object() && record.contains("created") && record["created"].is_number_integer()) {
      created = record["created"].get<std::int64_t>();
    } else {
      // No record (yet, or a crash before it was written): the document's own time.
      struct stat info;
      const std::string document = dir_ + "/" + token + kDocumentSuffix;
      if (::stat(document.c_str(), &info) == 0)
        created = info.st_mtim.tv_sec;
      else if (::stat((dir_ + "/" + token + kRecordSuffix).c_str(), &info) == 0)
        created = info.st_mtim.tv_sec;
    }
    if (created > limit) continue;
    if (Status gone = remove(token); !gone.is_ok()) return gone;
    ++removed;
  }
  return removed;
}

}  // namespace pp
