// fake-ipp-printer-test.cpp: what query_printer_state reads from a Get-Printer-Attributes
// answer: a one-shot IPP responder on a loopback socket reports a stopped printer that is out
// of paper, so the state, the reasons, the message and accepting-jobs are checked end to end.
#include <arpa/inet.h>
#include <cups/cups.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "printers/printers.h"
#include "util/unique-fd.h"

namespace pp {
namespace {

using namespace std::chrono_literals;

struct IppDeleter {
  void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using IppPtr = std::unique_ptr<ipp_t, IppDeleter>;

ssize_t append_bytes(void* context, ipp_uchar_t* buffer, size_t bytes) {
  static_cast<std::string*>(context)->append(reinterpret_cast<const char*>(buffer), bytes);
  return static_cast<ssize_t>(bytes);
}

// The answer of a stopped printer that is out of paper, as IPP bytes.
std::string stopped_printer_response(int request_id) {
  IppPtr response(ippNew());
  ippSetVersion(response.get(), 2, 0);
  ippSetStatusCode(response.get(), IPP_STATUS_OK);
  ippSetRequestId(response.get(), request_id);
  ippAddString(response.get(), IPP_TAG_OPERATION, IPP_TAG_CHARSET, "attributes-charset", nullptr,
               "utf-8");
  ippAddString(response.get(), IPP_TAG_OPERATION, IPP_TAG_LANGUAGE, "attributes-natural-language",
               nullptr, "en");
  ippAddInteger(response.get(), IPP_TAG_PRINTER, IPP_TAG_ENUM, "printer-state", IPP_PSTATE_STOPPED);
  static const char* const kReasons[] = {"media-empty-error", "paused"};
  ippAddStrings(response.get(), IPP_TAG_PRINTER, IPP_TAG_KEYWORD, "printer-state-reasons", 2,
                nullptr, kReasons);
  ippAddString(response.get(), IPP_TAG_PRINTER, IPP_TAG_TEXT, "printer-state-message", nullptr,
               "Out of paper");
  ippAddBoolean(response.get(), IPP_TAG_PRINTER, "printer-is-accepting-jobs", 0);
  std::string bytes;
  ippWriteIO(&bytes, append_bytes, 1, nullptr, response.get());
  return bytes;
}

// Reads until `text` ends with `end` (or the peer closes); false on close.
bool read_until(int fd, std::string& text, std::string_view end) {
  char c;
  while (!text.ends_with(end)) {
    if (::recv(fd, &c, 1, 0) != 1) return false;
    text += c;
  }
  return true;
}

void send_all(int fd, const std::string& bytes) {
  for (std::size_t sent = 0; sent < bytes.size();) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

// Answers one HTTP POST of an IPP request on `listener` with a stopped printer's attributes.
void answer_one_request(int listener) {
  UniqueFd client(::accept(listener, nullptr, nullptr));
  std::string headers;
  if (!client.valid() || !read_until(client.get(), headers, "\r\n\r\n")) return;
  std::string lower = headers;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("expect: 100-continue") != std::string::npos)
    send_all(client.get(), "HTTP/1.1 100 Continue\r\n\r\n");
  std::size_t length_at = lower.find("content-length:");
  if (length_at == std::string::npos) return;  // libcups sends IPP requests with a length
  std::size_t length = std::stoul(lower.substr(length_at + 15));
  std::string body;
  while (body.size() < length) {
    char buffer[4096];
    ssize_t n = ::recv(client.get(), buffer, std::min(sizeof(buffer), length - body.size()), 0);
    if (n <= 0) return;
    body.append(buffer, static_cast<std::size_t>(n));
  }
  int request_id = body.size() >= 8 ? (static_cast<unsigned char>(body[4]) << 24) |
                                          (static_cast<unsigned char>(body[5]) << 16) |
                                          (static_cast<unsigned char>(body[6]) << 8) |
                                          static_cast<unsigned char>(body[7])
                                    : 1;
  std::string ipp = stopped_printer_response(request_id);
  send_all(client.get(), "HTTP/1.1 200 OK\r\nContent-Type: application/ipp\r\nContent-Length: " +
                             std::to_string(ipp.size()) + "\r\nConnection: close\r\n\r\n" + ipp);
}

TEST(FakeIppPrinter, StoppedPrinterIsReportedWithReasonsAndMessage) {
  UniqueFd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&address), &length), 0);
  ASSERT_EQ(::listen(listener.get(), 4), 0);
  std::jthread server([fd = listener.get()] { answer_one_request(fd); });

  ReleasePrinter printer;
  printer.name = "P";
  printer.device_uri = "ipp://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/ipp/print";
  Result<PrinterState> state = query_printer_state(printer, 5000ms);
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  EXPECT_TRUE(state->reachable) << state->message;
  EXPECT_EQ(state->state, DeviceState::kStopped);
  EXPECT_EQ(state->state_reasons, (std::vector<std::string>{"media-empty-error", "paused"}));
  EXPECT_EQ(state->message, "Out of paper");
  EXPECT_FALSE(state->accepting_jobs);
  EXPECT_FALSE(state->can_print());
}

}  // namespace
}  // namespace pp
