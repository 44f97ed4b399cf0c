// printer-state-test.cpp: query_printer_state against local sockets: a closed port (refused,
// at once), a listener that never answers (bounded by the timeout), and socket:// devices.
// The state of a real IPP printer (pullprintd) is checked in tests/integration/printers.sh.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>

#include <gtest/gtest.h>

#include "printers/printers.h"
#include "support/temp-dir.h"
#include "util/unique-fd.h"

namespace pp {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A TCP socket bound to 127.0.0.1 on a port the kernel picks; listening when asked to. The
// backlog takes connections, but nothing is ever accepted or answered.
struct LocalPort {
  explicit LocalPort(bool listening) {
    fd.reset(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    socklen_t length = sizeof(address);
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
    if (listening) {
      EXPECT_EQ(::listen(fd.get(), 8), 0);
    }
  }
  UniqueFd fd;
  int port = 0;
};

ReleasePrinter printer_at(const std::string& uri) {
  ReleasePrinter printer;
  printer.name = "P";
  printer.device_uri = uri;
  return printer;
}

// The state within `timeout`, and how long the query took.
std::pair<PrinterState, Clock::duration> timed_query(const std::string& uri,
                                                     std::chrono::milliseconds timeout) {
  auto start = Clock::now();
  Result<PrinterState> state = query_printer_state(printer_at(uri), timeout);
  auto took = Clock::now() - start;
  EXPECT_TRUE(state.ok()) << state.status().to_string();
  return {state.ok() ? *state : PrinterState{}, took};
}

TEST(PrinterState, ClosedIppPortIsUnreachableAtOnce) {
  LocalPort bound(false);  // bound, not listening: connections are refused
  auto [state, took] =
      timed_query("ipp://127.0.0.1:" + std::to_string(bound.port) + "/ipp/print", 5000ms);
  EXPECT_FALSE(state.reachable);
  EXPECT_FALSE(state.can_print());
  EXPECT_NE(state.message.find("Connection refused"), std::string::npos) << state.message;
  EXPECT_LT(took, 2s);
}

TEST(PrinterState, SilentIppServerIsUnreachableAfterTheTimeout) {
  LocalPort silent(true);
  auto [state, took] =
      timed_query("ipp://127.0.0.1:" + std::to_string(silent.port) + "/ipp/print", 500ms);
  EXPECT_FALSE(state.reachable);
  EXPECT_NE(state.message.find("Get-Printer-Attributes"), std::string::npos) << state.message;
  EXPECT_LT(took, 3s);
}

TEST(PrinterState, SilentIppsServerIsUnreachableWithinTheHandshakeLimit) {
  LocalPort silent(true);  // the TLS handshake gets no answer
  auto [state, took] =
      timed_query("ipps://127.0.0.1:" + std::to_string(silent.port) + "/ipp/print", 500ms);
  EXPECT_FALSE(state.reachable);
  // GnuTLS bounds the handshake itself (10 s in libcups 2.4), not by our timeout.
  EXPECT_LT(took, 15s);
}

TEST(PrinterState, FolderDeviceIsReadyWhileItsDirectoryExists) {
  test::TempDir dir;
  Result<PrinterState> state = query_printer_state(printer_at("file://" + dir.path()), 1s);
  ASSERT_TRUE(state.ok()) << state.status().to_string();
  EXPECT_TRUE(state->can_print()) << state->message;
  state = query_printer_state(printer_at("file://" + dir.path() + "/missing"), 1s);
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->reachable);
  EXPECT_NE(state->message.find("is not a directory"), std::string::npos) << state->message;
}

TEST(PrinterState, SocketDeviceListeningIsReachable) {
  LocalPort device(true);
  auto [state, took] = timed_query("socket://127.0.0.1:" + std::to_string(device.port), 2000ms);
  EXPECT_TRUE(state.reachable) << state.message;
  EXPECT_EQ(state.state, DeviceState::kUnknown);
  EXPECT_TRUE(state.can_print());
}

TEST(PrinterState, SocketDeviceNotListeningIsUnreachable) {
  LocalPort closed(false);
  auto [state, took] = timed_query("lpd://127.0.0.1:" + std::to_string(closed.port), 2000ms);
  EXPECT_FALSE(state.reachable);
  EXPECT_NE(state.message.find("Connection refused"), std::string::npos) << state.message;
  EXPECT_LT(took, 1s);
}

TEST(PrinterState, UnknownCupsQueueIsUnreachable) {
  LocalPort closed(false);  // no cupsd there: the message names the queue
  setenv("CUPS_SERVER", ("127.0.0.1:" + std::to_string(closed.port)).c_str(), 1);
  ReleasePrinter printer;
  printer.name = "P";
  printer.cups_queue = "Nowhere";
  Result<PrinterState> state = query_printer_state(printer, 2000ms);
  unsetenv("CUPS_SERVER");
  ASSERT_TRUE(state.ok());
  EXPECT_FALSE(state->reachable);
  EXPECT_NE(state->message.find("CUPS queue Nowhere"), std::string::npos) << state->message;
}

TEST(PrinterState, StateNames) {
  EXPECT_EQ(device_state_name(DeviceState::kIdle), "idle");
  EXPECT_EQ(device_state_name(DeviceState::kProcessing), "processing");
  EXPECT_EQ(device_state_name(DeviceState::kStopped), "stopped");
  EXPECT_EQ(device_state_name(DeviceState::kUnknown), "unknown");
  PrinterState stopped;
  stopped.reachable = true;
  stopped.state = DeviceState::kStopped;
  EXPECT_FALSE(stopped.can_print());
}

}  // namespace
}  // namespace pp

namespace pp {
namespace {

TEST(PrinterSupportTest, NamesTheFirstOptionThePrinterCannotDo) {
  PrinterState state;
  state.supported.sides = {"one-sided"};
  state.supported.color_modes = {"auto", "monochrome", "color"};
  state.supported.media = {"iso_a4_210x297mm", "na_letter_8.5x11in"};
  EXPECT_EQ("", state.unsupported_option({{"sides", "one-sided"}, {"print-color-mode", "color"}}));
  EXPECT_EQ("sides=two-sided-long-edge",
            state.unsupported_option({{"copies", "2"}, {"sides", "two-sided-long-edge"}}));
  EXPECT_EQ("media=iso_a3_297x420mm", state.unsupported_option({{"media", "iso_a3_297x420mm"}}));
  // A media name that is not PWG's is the backend's to map; unknown support lets anything pass.
  EXPECT_EQ("", state.unsupported_option({{"media", "A3"}}));
  EXPECT_EQ("", state.unsupported_option({{"media-type", "photographic"}}));
  EXPECT_EQ("", PrinterState{}.unsupported_option({{"sides", "two-sided-long-edge"}}));
}

}  // namespace
}  // namespace pp
