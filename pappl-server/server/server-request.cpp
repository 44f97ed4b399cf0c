// server-request.cpp: reading vendor-operation requests and answering them (server-request.h).
#include "server/server-request.h"

#include <climits>
#include <limits>

#include "pullprint-ipp.h"

namespace pp::server {

Result<Site> open_operation_site(const Server& server) {
  return Site::open(server.config, kServerSiteStores);
}

ipp_status_t ipp_status_for(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
      return IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES;
    case Code::kNotFound:
      return IPP_STATUS_ERROR_NOT_FOUND;
    case Code::kPermissionDenied:
      return IPP_STATUS_ERROR_NOT_AUTHORIZED;
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kInsufficientFunds:
      return IPP_STATUS_ERROR_NOT_POSSIBLE;
    default:
      return IPP_STATUS_ERROR_INTERNAL;
  }
}

IppError ipp_error(const Status& status, std::string_view internal_message) {
  const ipp_status_t ipp_status = ipp_status_for(status.code());
  if (ipp_status == IPP_STATUS_ERROR_INTERNAL) return {ipp_status, std::string(internal_message)};
  return {ipp_status, status.message()};
}

IppResult<std::optional<ipp_attribute_t*>> operation_attribute(ipp_t* request, const char* name,
                                                               ipp_tag_t tag) {
  ipp_attribute_t* attr = ippFindAttribute(request, name, IPP_TAG_ZERO);
  if (!attr) return std::optional<ipp_attribute_t*>();
  const ipp_tag_t syntax = ippGetValueTag(attr);
  const bool syntax_ok = syntax == tag || (tag == IPP_TAG_KEYWORD && syntax == IPP_TAG_NAME);
  if (ippGetGroupTag(attr) != IPP_TAG_OPERATION || !syntax_ok || ippGetCount(attr) != 1)
    return IppError{IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES,
                    std::string("Bad ") + name + ": expected one " + ippTagString(tag) +
                        " operation attribute."};
  return std::optional<ipp_attribute_t*>(attr);
}

IppResult<std::optional<bool>> read_boolean(ipp_t* request, const char* name) {
  auto attr = operation_attribute(request, name, IPP_TAG_BOOLEAN);
  if (!attr) return attr.error();
  if (!*attr) return std::optional<bool>();
  return std::optional<bool>(ippGetBoolean(**attr, 0) != 0);
}

IppResult<std::optional<int>> read_integer(ipp_t* request, const char* name, int min, int max) {
  auto attr = operation_attribute(request, name, IPP_TAG_INTEGER);
  if (!attr) return attr.error();
  if (!*attr) return std::optional<int>();
  const int number = ippGetInteger(**attr, 0);
  if (number < min || number > max)
    return IppError{IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES, std::string("Bad ") + name +
                                                               ": expected " + std::to_string(min) +
                                                               ".." + std::to_string(max) + "."};
  return std::optional<int>(number);
}

IppResult<std::optional<std::string>> read_name(ipp_t* request, const char* name,
                                                std::size_t max_length) {
  auto attr = operation_attribute(request, name, IPP_TAG_NAME);
  if (!attr) return attr.error();
  if (!*attr) return std::optional<std::string>();
  const char* text = ippGetString(**attr, 0, nullptr);
  const std::string name_value = text ? text : "";
  if (name_value.empty() || name_value.size() > max_length)
    return IppError{IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES,
                    std::string("Bad ") + name + ": expected 1.." + std::to_string(max_length) +
                        " characters."};
  return std::optional<std::string>(name_value);
}

IppResult<int> read_held_job_id(ipp_t* request) {
  return required(read_integer(request, ipp::kHeldJobIdAttr, 1, INT_MAX), ipp::kHeldJobIdAttr);
}

IppResult<std::vector<int>> read_integers(ipp_t* request, const char* name, int min, int max,
                                          int max_count) {
  std::vector<int> values;
  ipp_attribute_t* attr = ippFindAttribute(request, name, IPP_TAG_ZERO);
  if (!attr) return values;
  const int count = ippGetCount(attr);
  const IppError bad{IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES,
                     std::string("Bad ") + name + ": expected 1.." + std::to_string(max_count) +
                         " integers in " + std::to_string(min) + ".." + std::to_string(max) + "."};
  if (ippGetGroupTag(attr) != IPP_TAG_OPERATION || ippGetValueTag(attr) != IPP_TAG_INTEGER ||
      count < 1 || count > max_count)
    return bad;
  for (int i = 0; i < count; ++i) {
    const int number = ippGetInteger(attr, i);
    if (number < min || number > max) return bad;
    values.push_back(number);
  }
  return values;
}

IppResult<std::vector<std::string>> read_names(ipp_t* request, const char* name,
                                               std::size_t max_length, int max_count) {
  std::vector<std::string> values;
  ipp_attribute_t* attr = ippFindAttribute(request, name, IPP_TAG_ZERO);
  if (!attr) return values;
  const int count = ippGetCount(attr);
  const IppError bad{IPP_STATUS_ERROR_ATTRIBUTES_OR_VALUES,
                     std::string("Bad ") + name + ": expected 1.." + std::to_string(max_count) +
                         " names of 1.." + std::to_string(max_length) + " characters."};
  if (ippGetGroupTag(attr) != IPP_TAG_OPERATION || ippGetValueTag(attr) != IPP_TAG_NAME ||
      count < 1 || count > max_count)
    return bad;
  for (int i = 0; i < count; ++i) {
    const char* text = ippGetString(attr, i, nullptr);
    const std::string value = text ? text : "";
    if (value.empty() || value.size() > max_length) return bad;
    values.push_back(value);
  }
  return values;
}

int ipp_int(std::int64_t value) {
  constexpr std::int64_t low = std::numeric_limits<int>::min();
  constexpr std::int64_t high = std::numeric_limits<int>::max();
  return static_cast<int>(value < low ? low : value > high ? high : value);
}

bool respond_http(pappl_client_t* client, http_status_t status) {
  papplClientRespond(client, status, nullptr, nullptr, 0, 0);
  return true;
}

bool respond_error(pappl_client_t* client, const IppError& error) {
  papplClientRespondIPP(client, error.status, "%s", error.message.c_str());
  return true;
}

bool respond_internal(pappl_client_t* client, const Status& status) {
  papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "%s", status.to_string().c_str());
  return respond_error(client, {IPP_STATUS_ERROR_INTERNAL, "The held-job store failed."});
}

}  // namespace pp::server
