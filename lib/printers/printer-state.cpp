// printer-state.cpp: query_printer_state: which probe a printer gets, and state names.
#include <cups/cups.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "printers/device-uri.h"
#include "printers/printer-probes.h"

namespace pp {

namespace {

// ipp:// and ipps:// devices: their own IPP service.
PrinterState device_ipp_state(const DeviceUri& uri, Deadline deadline) {
  char printer_uri[1024];
  httpAssembleURI(HTTP_URI_CODING_ALL, printer_uri, sizeof(printer_uri), uri.scheme.c_str(),
                  nullptr, uri.host.c_str(), uri.port, uri.resource.c_str());
  return ipp_printer_state(
      IppTarget{uri.host, uri.port, uri.scheme == "ipps", printer_uri, uri.resource}, deadline);
}

// A local CUPS queue: its state as cupsd (CUPS_SERVER or the client default) sees it.
PrinterState cups_queue_state(const std::string& queue, Deadline deadline) {
  std::string resource = "/printers/" + queue;
  char printer_uri[1024];
  httpAssembleURI(HTTP_URI_CODING_ALL, printer_uri, sizeof(printer_uri), "ipp", nullptr,
                  "localhost", ippPort(), resource.c_str());
  PrinterState state = ipp_printer_state(
      IppTarget{cupsServer(), ippPort(), cupsEncryption() == HTTP_ENCRYPTION_ALWAYS, printer_uri,
                resource},
      deadline);
  if (!state.reachable) state.message = "CUPS queue " + queue + ": " + state.message;
  return state;
}

// file:///DIR, the folder device: ready while DIR is a directory we may write into.
PrinterState folder_state(const DeviceUri& uri) {
  PrinterState state;
  struct stat info {};
  if (::stat(uri.resource.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    state.message = uri.resource + " is not a directory";
    return state;
  }
  if (::access(uri.resource.c_str(), W_OK) != 0) {
    state.message = "cannot write into " + uri.resource;
    return state;
  }
  state.reachable = true;
  state.state = DeviceState::kIdle;
  return state;
}

// socket:// and lpd://: no status protocol, only whether the device takes a connection.
PrinterState tcp_state(const DeviceUri& uri, Deadline deadline) {
  PrinterState state;
  Status connected = tcp_probe(uri.host, uri.port, deadline);
  state.reachable = connected.is_ok();
  state.message = connected.is_ok() ? "accepts connections on port " + std::to_string(uri.port)
                                    : "cannot connect to " + uri.host + ":" +
                                          std::to_string(uri.port) + ": " + connected.message();
  return state;
}

}  // namespace

std::string_view device_state_name(DeviceState state) {
  switch (state) {
    case DeviceState::kIdle:
      return "idle";
    case DeviceState::kProcessing:
      return "processing";
    case DeviceState::kStopped:
      return "stopped";
    case DeviceState::kUnknown:
      break;
  }
  return "unknown";
}

std::string PrinterState::unsupported_option(
    const std::map<std::string, std::string>& options) const {
  const std::pair<const char*, const std::vector<std::string>*> checks[] = {
      {"sides", &supported.sides},
      {"print-color-mode", &supported.color_modes},
      {"media", &supported.media},
      {"media-type", &supported.media_types}};
  for (const auto& [name, values] : checks) {
    auto option = options.find(name);
    if (option == options.end() || values->empty()) continue;
    // Media other than PWG self-describing names ("A4", "Letter") are the backend's to map.
    if (option->first == "media" && std::count(option->second.begin(), option->second.end(), '_') < 2)
      continue;
    if (std::find(values->begin(), values->end(), option->second) == values->end())
      return std::string(name) + "=" + option->second;
  }
  return "";
}

bool PrinterState::can_print() const {
  return reachable && accepting_jobs && state != DeviceState::kStopped;
}

Result<PrinterState> query_printer_state(const ReleasePrinter& printer,
                                         std::chrono::milliseconds timeout) {
  Deadline deadline = std::chrono::steady_clock::now() + timeout;
  if (!printer.cups_queue.empty()) return cups_queue_state(printer.cups_queue, deadline);
  Result<DeviceUri> uri = parse_device_uri(printer.device_uri);
  if (!uri) return uri.status();
  if (uri->scheme == "ipp" || uri->scheme == "ipps") return device_ipp_state(*uri, deadline);
  if (uri->scheme == "socket" || uri->scheme == "lpd") return tcp_state(*uri, deadline);
  if (uri->scheme == "file") return folder_state(*uri);
  // usb: only the CUPS backend can talk to it; reported as reachable with an unknown state.
  PrinterState state;
  state.reachable = true;
  state.message = "state not checked for " + uri->scheme + ":// devices";
  return state;
}

}  // namespace pp
