// cups-handles.h: libcups handles owned by std::unique_ptr (closed / deleted automatically).
#pragma once

#include <cups/cups.h>

#include <memory>
#include <utility>

namespace pp {

struct HttpCloser {
  void operator()(http_t* http) const { httpClose(http); }
};
struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};

using HttpPtr = std::unique_ptr<http_t, HttpCloser>;  // an HTTP/IPP connection
using IppPtr = std::unique_ptr<ipp_t, IppDeleter>;    // an IPP request or response

// A cups_option_t array (cupsParseOptions, cupsAddOption), freed with cupsFreeOptions.
class CupsOptions {
 public:
  CupsOptions() = default;
  ~CupsOptions() { cupsFreeOptions(count_, options_); }
  CupsOptions(CupsOptions&& other) noexcept
      : count_(std::exchange(other.count_, 0)), options_(std::exchange(other.options_, nullptr)) {}
  CupsOptions& operator=(CupsOptions&& other) noexcept {
    std::swap(count_, other.count_);
    std::swap(options_, other.options_);
    return *this;
  }
  CupsOptions(const CupsOptions&) = delete;
  CupsOptions& operator=(const CupsOptions&) = delete;

  // Adds the options of a CUPS options string ("copies=2 sides=two-sided-long-edge").
  void parse(const char* text) { count_ = cupsParseOptions(text, count_, &options_); }
  // Adds (or replaces) one option.
  void add(const char* name, const char* value) {
    count_ = cupsAddOption(name, value, count_, &options_);
  }

  int count() const { return count_; }
  cups_option_t* get() const { return options_; }

 private:
  int count_ = 0;
  cups_option_t* options_ = nullptr;
};

}  // namespace pp
