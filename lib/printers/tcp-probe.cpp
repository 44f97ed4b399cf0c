// tcp-probe.cpp: a connect with a deadline, for devices without a status protocol (socket://,
// lpd://) and to say why an IPP device cannot be reached.
//
// libcups's connect reports every failure as "Host is down", so a non-blocking connect of our
// own gives the real errno ("Connection refused", "No route to host").
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "printers/printer-probes.h"
#include "util/unique-fd.h"

namespace pp {

namespace {

struct AddrInfoDeleter {
  void operator()(addrinfo* info) const { freeaddrinfo(info); }
};
using AddrInfoPtr = std::unique_ptr<addrinfo, AddrInfoDeleter>;

Status io_error(std::string message) {
  return Status(Code::kIoError, std::move(message));
}

// One address: ok, or the reason it failed.
Status connect_one(const addrinfo& address, Deadline deadline) {
  UniqueFd fd(::socket(address.ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return io_error(std::strerror(errno));
  if (::connect(fd.get(), address.ai_addr, address.ai_addrlen) == 0) return Status::ok();
  if (errno != EINPROGRESS) return io_error(std::strerror(errno));
  pollfd waiting{fd.get(), POLLOUT, 0};
  int ready = 0;
  do {
    ready = ::poll(&waiting, 1, remaining_ms(deadline));
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) return io_error("no answer in time");
  int error = 0;
  socklen_t length = sizeof(error);
  if (ready < 0 || ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length) != 0)
    return io_error(std::strerror(errno));
  return error == 0 ? Status::ok() : io_error(std::strerror(error));
}

}  // namespace

int remaining_ms(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 1 ? 1 : static_cast<int>(left.count());
}

Status tcp_probe(const std::string& host, int port, Deadline deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int error = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); error != 0)
    return io_error(host + ": " + ::gai_strerror(error));
  AddrInfoPtr addresses(found);
  Status last = io_error("no address");
  // Every address of the name gets its turn, as long as time is left.
  for (const addrinfo* address = addresses.get(); address; address = address->ai_next) {
    last = connect_one(*address, deadline);
    if (last.is_ok() || std::chrono::steady_clock::now() >= deadline) break;
  }
  return last;
}

}  // namespace pp
