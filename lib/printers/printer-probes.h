// printer-probes.h: the ways of asking a device how it is (internal to lib/printers).
#pragma once

#include <chrono>
#include <string>

#include "printers/printers.h"
#include "util/status.h"

namespace pp {

using Deadline = std::chrono::steady_clock::time_point;

// Milliseconds left until the deadline, at least 1 (libcups takes 0 as "no timeout").
int remaining_ms(Deadline deadline);

// Opens a TCP connection to host:port and closes it again; ok when the device accepted it,
// else kIoError with the reason ("connection refused", "no answer within 2000 ms").
Status tcp_probe(const std::string& host, int port, Deadline deadline);

// Where to send Get-Printer-Attributes.
struct IppTarget {
  std::string host;  // name, address, or a local socket path (cupsd)
  int port = 631;
  bool tls = false;         // ipps: TLS from the first byte
  std::string printer_uri;  // the printer-uri attribute, without credentials
  std::string resource;     // the HTTP path, "/ipp/print"
};

// Get-Printer-Attributes (printer-state, -reasons, -message, -is-accepting-jobs) by the deadline.
PrinterState ipp_printer_state(const IppTarget& target, Deadline deadline);

}  // namespace pp
