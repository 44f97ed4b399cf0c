// pending-uploads.h: documents uploaded on the web page "Print" that wait between the estimate
// and the user's Submit or Cancel.
//
// A browser upload is two requests (upload + options -> the estimate; then Submit), so the
// document must be kept in between. It is kept in a private directory of the state dir (0700,
// files 0600), named by a random token that the estimate page's form carries; the client never
// names a path. Each upload records its owner: only that user's Submit or Cancel finds it. An
// upload nobody submits is removed by sweep() (the page runs it at each upload and submit), so
// abandoned documents do not pile up.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

#include "util/status.h"
#include "util/unique-fd.h"

namespace pp {

// One waiting upload.
struct PendingUpload {
  std::string token;  // 36 characters (an RFC 4122 uuid's text): the job's uuid when submitted
  std::string owner;
  std::string title;                           // the client's file name, the job's title
  std::map<std::string, std::string> options;  // the job options (print_options_from_choices)
  std::int64_t created_unix = 0;               // when it was uploaded (seconds since 1970)
  std::string document_path;                   // inside the directory
};

// A new document file being written.
struct NewPendingDocument {
  std::string token;
  std::string path;
  UniqueFd fd;  // open for writing (0600, created here)
};

// Writes all of `bytes` to `fd`; kIoError (with errno's text) on failure.
Status write_all(int fd, std::string_view bytes);

class PendingUploads {
 public:
  // The directory `dir`, created 0700 when missing (its mode is set to 0700 when it exists).
  static Result<PendingUploads> open(const std::string& dir);
  // STATE_DIR/web-uploads: where pullprintd keeps them.
  static std::string dir_of(const std::string& state_dir);

  // A new document file under a fresh random token.
  Result<NewPendingDocument> create_document() const;
  // Records the upload's owner, title and options (the document is written and closed).
  Status save(const PendingUpload& upload) const;
  // The upload `token` of `user`: kInvalidArgument when the token is not one of ours in form,
  // kNotFound when there is none (submitted, cancelled, expired), kPermissionDenied when it is
  // another user's (nothing is said about it).
  Result<PendingUpload> find(std::string_view token, std::string_view user) const;
  // Removes an upload's files; nothing to remove is fine.
  Status remove(std::string_view token) const;
  // Removes the uploads older than `max_age` at `now` (a document without its record by the
  // file's modification time); returns how many.
  Result<int> sweep(std::chrono::system_clock::time_point now, std::chrono::seconds max_age) const;

  const std::string& dir() const { return dir_; }

 private:
  explicit PendingUploads(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// Whether `token` has the form of an upload token (lower-case hex uuid text, 36 characters).
bool is_upload_token(std::string_view token);

}  // namespace pp
