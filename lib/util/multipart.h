// multipart.h: a streaming multipart/form-data reader (RFC 7578, RFC 2046 section 5.1.1) for
// browser uploads that are too big to hold in memory.
//
// Why our own: PAPPL 1.3.1's papplClientGetForm reads at most 2 MiB of a body and silently
// truncates it, and Debian 12 has no small C/C++ library that parses multipart/form-data from a
// byte stream (libmicrohttpd's MHD_PostProcessor needs an MHD connection, GMime and Poco parse
// whole MIME messages through their own stream types and bring GLib or Poco along). So this is a
// pure state machine over bytes: feed() it the body in chunks of any size (a boundary may be
// split across chunks), and it calls the sink with each part's headers and data as they come. No
// I/O, no allocation beyond one chunk plus one boundary: a candidate for fuzzing (issue 17).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

// The headers of one part that matter for a form.
struct MultipartPart {
  std::string name;                     // Content-Disposition: form-data; name="..."
  std::optional<std::string> filename;  // filename="..." (a file field), as the client sent it
  std::string content_type;             // the part's Content-Type, "" when absent
};

// What the reader does with the parts; a failure returned here stops the reading with it.
class MultipartSink {
 public:
  virtual ~MultipartSink() = default;
  // A part starts (its headers are read).
  virtual Status on_part_begin(const MultipartPart& part) = 0;
  // Some of the current part's data (zero or more calls per part).
  virtual Status on_part_data(std::string_view bytes) = 0;
  // The current part ended (its closing boundary was read).
  virtual Status on_part_end() = 0;
};

// The boundary of a Content-Type "multipart/form-data; boundary=XYZ" (quoted or not); nullopt
// when the type is not multipart/form-data or the boundary is missing, empty, longer than 70
// characters or has characters RFC 2046 does not allow.
std::optional<std::string> multipart_boundary(std::string_view content_type);

// Limits against hostile bodies.
struct MultipartLimits {
  std::size_t max_header_bytes = 8 * 1024;  // one part's header block
  std::size_t max_parts = 64;
};

// The reader. Malformed input (no opening boundary, a part without Content-Disposition
// form-data and a name, garbage after a boundary, the body ending inside a part) fails with
// kInvalidArgument; a header block over the limit or too many parts with kLimitExceeded. After
// a failure every call returns the same failure.
class MultipartReader {
 public:
  MultipartReader(std::string boundary, MultipartSink& sink, MultipartLimits limits = {});

  // The next bytes of the body.
  Status feed(std::string_view bytes);
  // The end of the body: fails unless the closing boundary was read.
  Status finish();
  // Whether the closing boundary was read (what follows it is ignored).
  bool done() const { return state_ == State::kEpilogue; }

 private:
  enum class State { kPreamble, kAfterBoundary, kHeaders, kData, kEpilogue, kFailed };

  Status fail(Status status);
  Status step(bool* progress);
  Status begin_part(std::string_view headers);

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartSink& sink_;
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  std::string buffer_;  // bytes received but not yet consumed
  std::size_t parts_ = 0;
  Status failure_;
};

// The value of parameter `name` in a header value such as `form-data; name="a"; filename="b"`
// (quoted strings with backslash escapes, or tokens); nullopt when absent.
std::optional<std::string> header_parameter(std::string_view value, std::string_view name);

}  // namespace pp
