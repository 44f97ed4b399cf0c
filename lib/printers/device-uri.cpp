// device-uri.cpp: parse_device_uri and redacted_device_uri.
//
// Only schemes whose backends we know how to run and whose state we can check are allowed:
// a device URI ends up in argv of a CUPS backend run for the printer, so a typo must not get
// that far. "file:///DIR" is the wrapper backend's own folder device (released jobs are written
// into DIR, for demos, tests and archiving); DIR must be an absolute path.
#include "printers/device-uri.h"

#include <cups/http.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "printers/printers.h"

namespace pp {

namespace {

struct Scheme {
  std::string_view name;
  int default_port;
};

// ipp/ipps: IPP (631); socket: AppSocket/JetDirect (9100); lpd: RFC 1179 (515); usb: local.
constexpr std::array<Scheme, 6> kSchemes = {
    {{"ipp", 631}, {"ipps", 631}, {"socket", 9100}, {"lpd", 515}, {"usb", 0}, {"file", 0}}};

const Scheme* find_scheme(std::string_view name) {
  auto it = std::find_if(kSchemes.begin(), kSchemes.end(),
                         [&](const Scheme& scheme) { return scheme.name == name; });
  return it == kSchemes.end() ? nullptr : &*it;
}

Status invalid_uri(std::string_view uri, const std::string& why) {
  return Status(Code::kInvalidArgument,
                "bad device URI \"" + redacted_device_uri(uri) + "\": " + why);
}

}  // namespace

std::string redacted_device_uri(std::string_view uri) {
  std::size_t start = uri.find("://");
  if (start == std::string_view::npos) return std::string(uri);
  start += 3;
  std::size_t end = uri.find('/', start);
  std::string_view authority = uri.substr(start, end == std::string_view::npos ? end : end - start);
  std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) return std::string(uri);
  return std::string(uri.substr(0, start)) + "***" + std::string(uri.substr(start + at));
}

Result<DeviceUri> parse_device_uri(std::string_view uri) {
  std::string text(uri);
  char scheme[32], userpass[256], host[256], resource[1024];
  int port = 0;
  http_uri_status_t status =
      httpSeparateURI(HTTP_URI_CODING_ALL, text.c_str(), scheme, sizeof(scheme), userpass,
                      sizeof(userpass), host, sizeof(host), &port, resource, sizeof(resource));
  if (status < HTTP_URI_STATUS_OK) return invalid_uri(uri, httpURIStatusString(status));
  DeviceUri parsed;
  parsed.scheme = scheme;
  std::transform(parsed.scheme.begin(), parsed.scheme.end(), parsed.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const Scheme* known = find_scheme(parsed.scheme);
  if (!known) {
    return invalid_uri(uri, "scheme \"" + parsed.scheme +
                                "\" is not allowed (ipp, ipps, socket, lpd, usb, file; other "
                                "devices through a cups-queue)");
  }
  if (parsed.scheme == "file") {
    if ((*host && std::string_view(host) != "localhost") || resource[0] != '/' ||
        std::string_view(resource).find("/../") != std::string_view::npos)
      return invalid_uri(uri, "expected file:///ABSOLUTE/DIRECTORY");
    parsed.host = "localhost";
    parsed.resource = resource;
    return parsed;
  }
  if (!*host) return invalid_uri(uri, "no host");
  parsed.host = host;
  // httpSeparateURI knows the default ports of lowercase schemes; "IPP://" gets ours.
  parsed.port = port > 0 ? port : known->default_port;
  parsed.resource = *resource ? resource : "/";
  parsed.has_credentials = *userpass != '\0';
  return parsed;
}

}  // namespace pp
