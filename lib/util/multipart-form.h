// multipart-form.h: a browser's upload form (text fields and one file) read from a
// multipart/form-data body through MultipartReader, with the file streamed to a writer.
//
// The web's upload page keeps the document on disk while it reads the body, never in memory,
// and stops at the configured size: this sink holds those rules so that they are tested (and
// fuzzed) without a server.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/multipart.h"
#include "util/status.h"

namespace pp {

struct MultipartFormLimits {
  std::uint64_t max_file_bytes = 50ull * 1024 * 1024;  // the file part
  std::size_t max_field_bytes = 4096;                  // each text field
  std::size_t max_fields = 32;
};

// Collects text fields and streams the one file field to `write_file`.
// Failures: a file over max_file_bytes is kLimitExceeded (nothing more is written); a second
// file, a file part under another name, or a field given twice is kInvalidArgument; a text field
// over its limit or too many fields is kLimitExceeded. A failure of `write_file` stops the read.
class MultipartForm : public MultipartSink {
 public:
  using Writer = std::function<Status(std::string_view bytes)>;
  MultipartForm(std::string file_field, Writer write_file, MultipartFormLimits limits = {});

  Status on_part_begin(const MultipartPart& part) override;
  Status on_part_data(std::string_view bytes) override;
  Status on_part_end() override;

  // The text fields read so far.
  const std::map<std::string, std::string>& fields() const { return fields_; }
  // The value of text field `name`, or nullptr.
  const std::string* field(const std::string& name) const;
  // Whether the file field came (even empty: a form sent without choosing a file has
  // filename="").
  bool has_file() const { return has_file_; }
  // The file's name as the client sent it ("" when none was chosen).
  const std::string& filename() const { return filename_; }
  // The bytes of the file written so far.
  std::uint64_t file_bytes() const { return file_bytes_; }

 private:
  enum class Current { kNone, kField, kFile };

  std::string file_field_;
  Writer write_file_;
  MultipartFormLimits limits_;
  Current current_ = Current::kNone;
  std::string current_name_;
  std::map<std::string, std::string> fields_;
  bool has_file_ = false;
  std::string filename_;
  std::uint64_t file_bytes_ = 0;
};

// Reads a whole body held in memory (tests and the fuzzer; the web page feeds chunks itself).
Status read_multipart(std::string_view body, std::string_view boundary, MultipartSink& sink,
                      MultipartLimits limits = {});

}  // namespace pp
