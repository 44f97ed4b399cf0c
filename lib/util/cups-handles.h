// cups-handles.h: libcups handles owned by std::unique_ptr (closed / deleted automatically).
#pragma once

#include <cups/cups.h>

#include <memory>

namespace pp {

struct HttpCloser {
  void operator()(http_t* http) const { httpClose(http); }
};
struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};

using HttpPtr = std::unique_ptr<http_t, HttpCloser>;  // an HTTP/IPP connection
using IppPtr = std::unique_ptr<ipp_t, IppDeleter>;    // an IPP request or response

}  // namespace pp
