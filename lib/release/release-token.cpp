// release-token.cpp: the release sheet's token: its policy keys, periods, the site's secret file
// and the keyed hash (release-token.h).
#include "release/release-token.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>
#include <string>

#include "config/duration.h"
#include "util/unique-fd.h"

namespace pp {
namespace {

constexpr std::size_t kTokenBytes = 9;  // 72 bits: 12 base64url characters
constexpr std::int64_t kMinInterval = 60;
constexpr std::int64_t kMaxInterval = 366LL * 24 * 3600;

Status io_error(const std::string& what, const std::string& path) {
  return Status(Code::kIoError, what + " " + path + ": " + std::strerror(errno));
}

// Writes all of `size` bytes.
bool write_all(int fd, const unsigned char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

// Makes the secret file: 32 random bytes in a private temporary file, then linked under its name
// (link() fails if another process made it first, and nobody ever sees it half written).
Status create_secret_file(const std::string& state_dir, const std::string& path) {
  std::string temp = state_dir + "/.release-token.key.XXXXXX";
  UniqueFd fd(::mkstemp(temp.data()));
  if (!fd.valid()) return io_error("cannot create", temp);
  std::array<unsigned char, ReleaseTokenSecret::kBytes> key{};
  randombytes_buf(key.data(), key.size());
  const bool written = ::fchmod(fd.get(), 0600) == 0 &&
                       write_all(fd.get(), key.data(), key.size()) && ::fsync(fd.get()) == 0;
  sodium_memzero(key.data(), key.size());
  Status status = Status::ok();
  if (!written)
    status = io_error("cannot write", temp);
  else if (::link(temp.c_str(), path.c_str()) != 0 && errno != EEXIST)
    status = io_error("cannot create", path);
  ::unlink(temp.c_str());
  return status;
}

// The token's base64url text of the first kTokenBytes of `mac`.
std::string encode_token(const unsigned char* mac) {
  char text[sodium_base64_ENCODED_LEN(kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, mac, kTokenBytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return text;
}

// Compares two strings in a time that does not depend on where they differ.
bool same_token(std::string_view a, std::string_view b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

Result<std::chrono::seconds> parse_token_interval(std::string_view text) {
  const auto bad = [&] {
    return Status(Code::kInvalidArgument,
                  "\"" + std::string(text) +
                      "\" is not an interval (a number and m, h, d or w: 90m, 12h, 1d, 7d), from "
                      "1 minute to 366 days");
  };
  std::optional<std::chrono::seconds> interval = parse_duration(text);
  // A unit is required here: a bare number of seconds is too easy to misread as days.
  if (!interval || text.empty() || !std::isalpha(static_cast<unsigned char>(text.back())))
    return bad();
  const std::int64_t seconds = interval->count();
  if (seconds < kMinInterval || seconds > kMaxInterval) return bad();
  return std::chrono::seconds(seconds);
}

Result<ReleaseTokenPolicy> release_token_policy(const Config& config, std::string_view printer) {
  const std::string prefix = "printer." + std::string(printer) + ".";
  ReleaseTokenPolicy policy;
  const std::string mode = config.get_string(prefix + "release-token", "none");
  if (mode == "required")
    policy.required = true;
  else if (mode != "none")
    return Status(
        Code::kInvalidArgument,
        "config key " + prefix + "release-token: expected none or required, got \"" + mode + "\"");
  if (std::optional<std::string> interval = config.get(prefix + "release-token-interval")) {
    Result<std::chrono::seconds> parsed = parse_token_interval(*interval);
    if (!parsed)
      return Status(Code::kInvalidArgument, "config key " + prefix + "release-token-interval: " +
                                                parsed.status().message());
    policy.interval = *parsed;
  }
  return policy;
}

Status check_release_token_keys(const Config& config) {
  for (const std::string& key : config.keys_with_prefix("printer.")) {
    const std::size_t dot = key.find('.', std::string_view("printer.").size());
    if (dot == std::string::npos || !key.substr(dot + 1).starts_with("release-token")) continue;
    const std::string printer = key.substr(8, dot - 8);
    if (Result<ReleaseTokenPolicy> policy = release_token_policy(config, printer); !policy)
      return policy.status();
  }
  return Status::ok();
}

std::int64_t release_token_period(std::chrono::system_clock::time_point at,
                                  std::chrono::seconds interval) {
  const std::int64_t seconds =
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch()).count();
  const std::int64_t length = interval.count();
  // Floor division: a period starts at a multiple of the interval, also before 1970.
  return seconds >= 0 ? seconds / length : -((-seconds + length - 1) / length);
}

Result<ReleaseTokenSecret> ReleaseTokenSecret::open(const std::string& state_dir) {
  if (sodium_init() < 0) return Status(Code::kInternal, "libsodium could not be initialised");
  const std::string path = state_dir + "/" + kFileName;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid() && errno == ENOENT) {
    if (Status created = create_secret_file(state_dir, path); !created.is_ok()) return created;
    fd.reset(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  }
  if (!fd.valid()) return io_error("cannot read", path);
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return io_error("cannot read", path);
  if (!S_ISREG(info.st_mode)) return Status(Code::kInvalidArgument, path + " is not a file");
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    return Status(Code::kPermissionDenied,
                  path +
                      ": its group or others may read it; make it readable by its owner only "
                      "(chmod 600)");
  ReleaseTokenSecret secret;
  std::size_t got = 0;
  while (got < kBytes) {
    const ssize_t n = ::read(fd.get(), secret.key_.data() + got, kBytes - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read", path);
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  unsigned char extra = 0;
  if (got != kBytes || ::read(fd.get(), &extra, 1) != 0)
    return Status(Code::kInvalidArgument,
                  path + " is not a release-token key (" + std::to_string(kBytes) +
                      " bytes); delete it to make a new one (every sheet must then be printed "
                      "again)");
  return secret;
}

ReleaseTokenSecret ReleaseTokenSecret::from_bytes(const std::array<unsigned char, kBytes>& bytes) {
  // -1 only when no randomness is available, which token() does not need.
  [[maybe_unused]] const int initialised = sodium_init();
  ReleaseTokenSecret secret;
  secret.key_ = bytes;
  return secret;
}

std::string ReleaseTokenSecret::token(std::string_view printer, std::int64_t period) const {
  static_assert(crypto_auth_KEYBYTES == kBytes);
  // The printer's name and the period, separated so that no two pairs give the same message.
  const std::string message =
      "pullprint-release-token\n" + std::string(printer) + "\n" + std::to_string(period);
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
              key_.data());
  return encode_token(mac);
}

std::string current_release_token(const ReleaseTokenSecret& secret, std::string_view printer,
                                  const ReleaseTokenPolicy& policy,
                                  std::chrono::system_clock::time_point at) {
  return secret.token(printer, release_token_period(at, policy.interval));
}

Status check_release_token(const ReleaseTokenSecret& secret, std::string_view printer,
                           const ReleaseTokenPolicy& policy, std::string_view token,
                           std::chrono::system_clock::time_point at) {
  if (!policy.required) return Status::ok();
  const std::int64_t period = release_token_period(at, policy.interval);
  // Both compared always, so the time taken does not say which one matched.
  const bool current = same_token(token, secret.token(printer, period));
  const bool previous = same_token(token, secret.token(printer, period - 1));
  if (current || previous) return Status::ok();
  return Status(Code::kPermissionDenied,
                token.empty() ? "no release token for printer " + std::string(printer)
                              : "the release token is not printer " + std::string(printer) +
                                    "'s current one");
}

}  // namespace pp
