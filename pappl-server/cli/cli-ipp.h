// cli-ipp.h: the `pullprint` command's side of pullprintd's IPP interface: connecting to the
// queue, sending requests, and reading held jobs out of responses (cli-jobs.cpp, cli-release.cpp).
#pragma once

#include <cups/cups.h>

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "ledger/ledger.h"
#include "util/cups-handles.h"

namespace pp::cli {

// Prints "pullprint: MESSAGE" and exits 1: the server's own words, without a status code name.
[[noreturn]] void fail(const std::string& message);

// A connection to pullprintd's queue: the http_t and the queue's URI and resource.
struct Connection {
  HttpPtr http;
  std::string uri;
  std::string resource;
};

// Connects to `server` (a queue URI), else the config key `server`, else the queue at the
// config's `listen` address; exits with "cannot reach pullprintd at URI: REASON" on failure.
Connection connect(CliContext& context, const std::string& server);

// A request for the queue with printer-uri and requesting-user-name (cupsUser()).
IppPtr new_request(const Connection& connection, ipp_op_t op);

// Sends the request; exits with "WHAT: the server's message" when it fails.
IppPtr send(Connection& connection, IppPtr request, const std::string& what);

// Sends the request and returns the response whatever its status (the caller reads it).
IppPtr send_checked_later(Connection& connection, IppPtr request);

// Text / integer / boolean of an attribute, "" / 0 / false when absent.
std::string text_of(ipp_t* ipp, const char* name);
std::int64_t integer_of(ipp_t* ipp, const char* name);
bool boolean_of(ipp_t* ipp, const char* name);

// Each group of `tag` in `response`, copied into an ipp_t of its own: a job group's attributes
// are then found by name without running into the next group's.
std::vector<IppPtr> groups_of(ipp_t* response, ipp_tag_t tag);

// Get-Held-Jobs: the response's operation attributes and its jobs as JSON (id, uuid, title,
// owner, payer, state, message, format, pages, color_pages, impressions, price, currency,
// created_at, expires_at; printer_price and hint when `printer` was given).
struct HeldJobs {
  nlohmann::json jobs = nlohmann::json::array();
  IppPtr response;
};
HeldJobs get_held_jobs(Connection& connection, bool all_users, bool all_states = false,
                       const std::string& printer = "", const std::vector<int>& job_ids = {});

// An account with the site's currency and, when asked for, its newest journal entries: what
// `pullprint balance` and `pullprint history` show, from the ledger file or from pullprintd.
struct AccountView {
  Account account;
  std::string currency;
  std::vector<JournalEntry> entries;
};
// PullPrint-Get-Account: the account as pullprintd's ledger has it, with (limit > 0) its newest
// `limit` journal entries. `account` "" asks for the requesting user's own. Exits with "WHAT:
// the server's message" when refused (another user's account, no such account, a bad limit).
AccountView get_account(Connection& connection, const std::string& account, int limit,
                        const std::string& what);

}  // namespace pp::cli
