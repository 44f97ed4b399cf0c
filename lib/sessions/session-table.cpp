// session-table.cpp: the web sessions (session-table.h).
#include "sessions/session-table.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdlib>

namespace pp {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenHex = 2 * kTokenBytes;

std::string hex(const unsigned char* bytes, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, size);
  out.resize(size * 2);
  return out;
}

std::string random_hex() {
  if (sodium_init() < 0) std::abort();  // no randomness, no sessions
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return hex(bytes.data(), bytes.size());
}

bool well_formed(std::string_view token) {
  return token.size() == kTokenHex && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

SessionTable::SessionTable(SessionLimits limits) : limits_(limits) {}

std::string SessionTable::key_of(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr,
                     0);
  return hex(digest.data(), digest.size());
}

SessionTable::TimePoint SessionTable::expiry(const Entry& entry) const {
  return std::min(entry.last_seen + limits_.idle, entry.session.started + limits_.lifetime);
}

bool SessionTable::is_live(const Entry& entry, TimePoint now) const {
  return now < expiry(entry);
}

void SessionTable::evict_oldest() {
  auto oldest = std::min_element(
      sessions_.begin(), sessions_.end(),
      [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; });
  if (oldest != sessions_.end()) sessions_.erase(oldest);
}

std::string SessionTable::open(const std::string& user, TimePoint now) {
  const std::string token = random_hex();
  Entry entry{WebSession{user, random_hex(), now, {}}, now};
  entry.session.expires = expiry(entry);
  std::lock_guard lock(mutex_);
  if (sessions_.size() >= limits_.max_sessions) {
    for (auto it = sessions_.begin(); it != sessions_.end();)
      it = is_live(it->second, now) ? std::next(it) : sessions_.erase(it);
    while (sessions_.size() >= limits_.max_sessions && !sessions_.empty()) evict_oldest();
  }
  sessions_.emplace(key_of(token), std::move(entry));
  return token;
}

std::optional<WebSession> SessionTable::find(std::string_view token, TimePoint now) {
  if (!well_formed(token)) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(key_of(token));
  if (it == sessions_.end()) return std::nullopt;
  if (!is_live(it->second, now)) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = std::max(it->second.last_seen, now);
  it->second.session.expires = expiry(it->second);
  return it->second.session;
}

std::optional<WebSession> SessionTable::peek(std::string_view token, TimePoint now) const {
  if (!well_formed(token)) return std::nullopt;
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(key_of(token));
  if (it == sessions_.end() || !is_live(it->second, now)) return std::nullopt;
  return it->second.session;
}

bool SessionTable::close(std::string_view token) {
  if (!well_formed(token)) return false;
  std::lock_guard lock(mutex_);
  return sessions_.erase(key_of(token)) > 0;
}

std::size_t SessionTable::sweep(TimePoint now) {
  std::lock_guard lock(mutex_);
  return std::erase_if(sessions_, [&](const auto& item) { return !is_live(item.second, now); });
}

std::size_t SessionTable::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace pp
