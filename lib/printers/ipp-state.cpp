// ipp-state.cpp: a printer's state by IPP Get-Printer-Attributes, with every step bounded.
//
// httpConnect2 bounds the connect; httpSetTimeout (with no callback) makes every later read and
// write give up after the time left, so a device that accepts the connection and then says
// nothing cannot stall a release. TLS is started after the timeout is set for the same reason.
#include <cups/cups.h>

#include <iterator>
#include <memory>

#include "printers/printer-probes.h"
#include "util/cups-handles.h"

namespace pp {

namespace {

// Answers every libcups password prompt with "no password": the request then fails with 401.
const char* no_password(const char*, http_t*, const char*, const char*, void*) {
  return nullptr;
}

PrinterState unreachable(std::string why) {
  PrinterState state;
  state.reachable = false;
  state.message = std::move(why);
  return state;
}

std::string where(const IppTarget& target) {
  return target.host.starts_with("/") ? target.host
                                      : target.host + ":" + std::to_string(target.port);
}

// Why the connection failed: the errno of a connect of our own, if there is time for one.
std::string connect_failure(const IppTarget& target, Deadline deadline) {
  if (target.host.starts_with("/") || std::chrono::steady_clock::now() >= deadline)
    return "cannot connect to " + where(target) + ": no answer in time";
  Status probe = tcp_probe(target.host, target.port, deadline);
  return "cannot connect to " + where(target) + ": " +
         (probe.is_ok() ? std::string(cupsLastErrorString()) : probe.message());
}

HttpPtr connect(const IppTarget& target, Deadline deadline) {
  HttpPtr http(httpConnect2(target.host.c_str(), target.port, nullptr, AF_UNSPEC,
                            HTTP_ENCRYPTION_IF_REQUESTED, 1, remaining_ms(deadline), nullptr));
  if (!http) return http;
  httpSetTimeout(http.get(), remaining_ms(deadline) / 1000.0, nullptr, nullptr);
  if (target.tls && httpEncryption(http.get(), HTTP_ENCRYPTION_ALWAYS) != 0) http.reset();
  return http;
}

IppPtr get_printer_attributes_request(const IppTarget& target) {
  IppPtr request(ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES));
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr,
               target.printer_uri.c_str());
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr,
               cupsUser());
  static const char* const kWanted[] = {"printer-state",
                                        "printer-state-reasons",
                                        "printer-state-message",
                                        "printer-is-accepting-jobs",
                                        "sides-supported",
                                        "print-color-mode-supported",
                                        "media-supported",
                                        "media-type-supported",
                                        "marker-names",
                                        "marker-levels",
                                        "marker-colors",
                                        "marker-types",
                                        "marker-low-levels",
                                        "printer-supply",
                                        "printer-supply-description",
                                        "printer-alert",
                                        "printer-alert-description"};
  ippAddStrings(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                static_cast<int>(std::size(kWanted)), nullptr, kWanted);
  return request;
}

DeviceState device_state(int value) {
  switch (value) {
    case IPP_PSTATE_IDLE:
      return DeviceState::kIdle;
    case IPP_PSTATE_PROCESSING:
      return DeviceState::kProcessing;
    case IPP_PSTATE_STOPPED:
      return DeviceState::kStopped;
    default:
      return DeviceState::kUnknown;
  }
}

// Every string value of a *-supported attribute (keywords and names alike).
std::vector<std::string> strings_of(ipp_t* response, const char* name) {
  std::vector<std::string> values;
  if (ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_ZERO)) {
    for (int i = 0; i < ippGetCount(attr); ++i) {
      if (const char* value = ippGetString(attr, i, nullptr)) values.emplace_back(value);
    }
  }
  return values;
}

// Every integer value of an attribute.
std::vector<int> integers_of(ipp_t* response, const char* name) {
  std::vector<int> values;
  if (ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_INTEGER)) {
    for (int i = 0; i < ippGetCount(attr); ++i) values.push_back(ippGetInteger(attr, i));
  }
  return values;
}

// Every octetString value of an attribute (printer-supply, printer-alert) as text.
std::vector<std::string> octets_of(ipp_t* response, const char* name) {
  std::vector<std::string> values;
  if (ipp_attribute_t* attr = ippFindAttribute(response, name, IPP_TAG_ZERO)) {
    for (int i = 0; i < ippGetCount(attr); ++i) {
      int length = 0;
      if (ippGetValueTag(attr) == IPP_TAG_STRING) {
        const void* data = ippGetOctetString(attr, i, &length);
        if (data) values.emplace_back(static_cast<const char*>(data), length);
      } else if (const char* value = ippGetString(attr, i, nullptr)) {
        values.emplace_back(value);
      }
    }
  }
  return values;
}

// The supplies: marker-* (CUPS, PAPPL) when present, else printer-supply (IPP Everywhere).
std::vector<PrinterSupply> supplies_of(ipp_t* response) {
  std::vector<PrinterSupply> supplies = supplies_from_markers(
      strings_of(response, "marker-names"), integers_of(response, "marker-levels"),
      strings_of(response, "marker-colors"), strings_of(response, "marker-types"),
      integers_of(response, "marker-low-levels"));
  if (!supplies.empty()) return supplies;
  const std::vector<std::string> values = octets_of(response, "printer-supply");
  const std::vector<std::string> descriptions = strings_of(response, "printer-supply-description");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (std::optional<PrinterSupply> supply =
            supply_from_pwg(values[i], i < descriptions.size() ? descriptions[i] : ""))
      supplies.push_back(std::move(*supply));
  }
  return supplies;
}

PrinterState state_of(ipp_t* response) {
  PrinterState state;
  state.reachable = true;
  if (ipp_attribute_t* attr = ippFindAttribute(response, "printer-state", IPP_TAG_ENUM))
    state.state = device_state(ippGetInteger(attr, 0));
  if (ipp_attribute_t* attr = ippFindAttribute(response, "printer-state-reasons", IPP_TAG_ZERO)) {
    for (int i = 0; i < ippGetCount(attr); ++i) {
      const char* reason = ippGetString(attr, i, nullptr);
      if (reason && std::string_view(reason) != "none") state.state_reasons.emplace_back(reason);
    }
  }
  if (ipp_attribute_t* attr = ippFindAttribute(response, "printer-state-message", IPP_TAG_ZERO)) {
    const char* message = ippGetString(attr, 0, nullptr);
    state.message = message ? message : "";
  }
  if (ipp_attribute_t* attr =
          ippFindAttribute(response, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN))
    state.accepting_jobs = ippGetBoolean(attr, 0) != 0;
  state.supported.sides = strings_of(response, "sides-supported");
  state.supported.color_modes = strings_of(response, "print-color-mode-supported");
  state.supported.media = strings_of(response, "media-supported");
  state.supported.media_types = strings_of(response, "media-type-supported");
  state.supplies = supplies_of(response);
  state.device_alerts = strings_of(response, "printer-alert-description");
  if (state.device_alerts.empty()) state.device_alerts = octets_of(response, "printer-alert");
  return state;
}

}  // namespace

PrinterState ipp_printer_state(const IppTarget& target, Deadline deadline) {
  cupsSetPasswordCB2(no_password, nullptr);  // this thread only: libcups globals are per thread
  HttpPtr http = connect(target, deadline);
  if (!http) return unreachable(connect_failure(target, deadline));
  IppPtr response(cupsDoRequest(http.get(), get_printer_attributes_request(target).release(),
                                target.resource.c_str()));
  if (!response || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
    return unreachable("Get-Printer-Attributes on " + where(target) +
                       " failed: " + cupsLastErrorString());
  }
  return state_of(response.get());
}

}  // namespace pp
