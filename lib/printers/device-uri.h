// device-uri.h: parsing and checking release printers' device URIs (internal to lib/printers).
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

// A device URI split into its parts; the user name and password are kept out of it.
struct DeviceUri {
  std::string scheme;  // lowercase: ipp, ipps, socket, lpd, usb
  std::string host;
  int port = 0;          // the scheme's default port when the URI has none
  std::string resource;  // "/ipp/print"; "/" when empty
  bool has_credentials = false;
};

// Parses and checks a device URI: a scheme from the allowed list and a host. Messages show the
// URI redacted (redacted_device_uri), never its credentials.
Result<DeviceUri> parse_device_uri(std::string_view uri);

}  // namespace pp
