// session-table.h: who is signed in to the web pages, by the token of their session cookie.
//
// Why a table of our own: PAPPL 1.3.1 knows two web logins, HTTP Basic (the browser's pop-up,
// no sign-out, the password sent with every request) and one admin password; a site's users
// need a sign-in form, a cookie, sign-out and expiry. The rules live here so that they are
// tested with a clock of the test's choosing; the web door (pappl-server/web/web-session.cpp)
// only carries tokens between the cookie and this table.
//
// Choices:
//  - Tokens are 32 random bytes (libsodium), 64 hex characters. The table keeps only a hash of
//    each (BLAKE2b), so a dump of pullprintd's memory or a log line does not hand out sessions.
//  - A session ends after `idle` without a request, after `lifetime` in any case, and at
//    sign-out. Every request within `idle` moves the idle limit on (a sliding window).
//  - Each session has its own CSRF token: a form made for one session is useless to another.
//  - The table lives in pullprintd's memory: a restart signs everybody out (their held jobs
//    stay). At most `max_sessions` live at once; the oldest goes first beyond that.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace pp {

struct SessionLimits {
  std::chrono::seconds idle = std::chrono::minutes(30);
  std::chrono::seconds lifetime = std::chrono::hours(12);
  std::size_t max_sessions = 100000;
};

// A signed-in session as a page sees it.
struct WebSession {
  std::string user;
  std::string csrf;  // the session's CSRF token (64 hex characters)
  std::chrono::system_clock::time_point started;
  std::chrono::system_clock::time_point expires;  // the earlier of the idle and lifetime limits
};

class SessionTable {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit SessionTable(SessionLimits limits = {});

  // Opens a session for `user` (whom the caller has authenticated); returns its token.
  std::string open(const std::string& user, TimePoint now);
  // The session of `token` if it is live at `now`, its idle limit moved on; nullopt for an
  // unknown, expired or malformed token (an expired one is removed).
  std::optional<WebSession> find(std::string_view token, TimePoint now);
  // The session of `token` without touching it (nullopt as find()).
  std::optional<WebSession> peek(std::string_view token, TimePoint now) const;
  // Ends the session of `token` (sign-out); false when there was none.
  bool close(std::string_view token);
  // Removes every expired session; returns how many.
  std::size_t sweep(TimePoint now);
  // Live sessions (expired ones not yet swept included).
  std::size_t size() const;

  const SessionLimits& limits() const { return limits_; }

 private:
  struct Entry {
    WebSession session;
    TimePoint last_seen;
  };
  static std::string key_of(std::string_view token);
  bool is_live(const Entry& entry, TimePoint now) const;
  TimePoint expiry(const Entry& entry) const;
  void evict_oldest();

  SessionLimits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> sessions_;  // hash of the token -> session
};

}  // namespace pp
