// statement.h: a user's account statement: balance by origin, the shared accounts they may charge,
// and their history a page at a time with the jobs named (what "My account" and its CSV show).
//
// Why a module of its own: the ledger knows entries and job references, the job store and the
// delivery log know titles, pages and printers; the web page must stay a door that renders. The
// rules live here: which entries a statement shows and as what (a print, a share of someone
// else's job, a top-up, an allocation, a refund, an adjustment), which accounts a user may charge
// (charging/payer.h's rule with the people store's groups), and the pages (keyset pagination by
// the store, Ledger::history_page; never the whole journal, also not for the CSV, which is read a
// page at a time). A statement is only ever of the signed-in user's own personal account: there is
// no parameter naming another user or account.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "ledger/ledger.h"
#include "site/site.h"
#include "util/status.h"

namespace pp {

// The rows of one page of the account page.
inline constexpr int kStatementPageRows = 50;

// What a statement row is to the user.
enum class StatementKind {
  kPrint,       // a capture: a job of theirs printed (or their own part of it)
  kShare,       // a capture of their share of someone else's split job (paid for another)
  kTopUp,       // money they paid in (desk, prepaid card)
  kAllocation,  // money the site gave (or took back when a grant expired: negative)
  kRefund,      // money given back for a printed job
  kAdjustment,  // a correction by an admin, or a payout
};

// "print", "share", "top-up", "allocation", "refund", "adjustment" (CSV and HTML class names).
std::string_view statement_kind_name(StatementKind kind);
// The kind a history entry is to `user` (the owner of the statement); `job_owner` is the owner of
// the job the entry is about ("" when unknown or none).
StatementKind statement_kind(const JournalEntry& entry, std::string_view user,
                             std::string_view job_owner);

// The job a capture or refund was for, as far as the stores still know it.
struct StatementJob {
  std::optional<std::int64_t> held_job_id;  // pullprintd's job id ("My jobs", the refund page)
  std::string owner;                        // who submitted it
  std::string title;
  int pages = 0;  // 0 when unknown (a CUPS-door job: the delivery log keeps no page count)
  int color_pages = 0;
  std::string printer;  // where it printed ("" if unknown)
};

struct StatementRow {
  std::int64_t entry_id = 0;
  std::string created_at;  // ISO 8601 UTC
  StatementKind kind = StatementKind::kAdjustment;
  std::int64_t amount = 0;     // effect on the balance, minor units (a print is negative)
  std::int64_t allocated = 0;  // the part of `amount` that moved allocated money
  std::string note;
  std::string job_ref;              // the ledger's job reference ("" for none)
  std::optional<StatementJob> job;  // nullopt when no store knows the job any more

  // Whether a refund may be asked for this row (a print or share of a job pullprintd held).
  bool refundable() const {
    return (kind == StatementKind::kPrint || kind == StatementKind::kShare) && job &&
           job->held_job_id;
  }
};

struct StatementPage {
  std::vector<StatementRow> rows;  // newest first
  // The before_id of the next older page (the last row's entry id); nullopt on the last page.
  std::optional<std::int64_t> older_before;
};

// One page of `user`'s own history: at most `limit` rows (1..1000) with entry id < before_id
// (before_id <= 0: the newest). A user without a personal account has an empty history. The
// site must have the ledger, jobs and deliveries open (kServerSiteStores does).
Result<StatementPage> statement_page(Site& site, std::string_view user, std::int64_t before_id,
                                     int limit = kStatementPageRows);

// Calls `each` with every page of `user`'s history, newest first, `page_rows` rows at a time (the
// CSV download streams them); stops at the first failure of `each` and returns it.
Status for_each_statement_page(Site& site, std::string_view user, int page_rows,
                               const std::function<Status(const StatementPage&)>& each);

// The top of the account page.
struct AccountSummary {
  Account personal;             // balance, reserved, available(), allocated, self_paid()
  std::vector<Account> shared;  // the shared accounts the user may charge, by name
};

// `user`'s personal account (created with the configured initial-balance on first sight, as at
// their first job: resolve_payer) and the shared accounts they may charge (chargeable_accounts
// with the people store's groups). The site must have the people store open.
Result<AccountSummary> account_summary(Site& site, const Config& config, std::string_view user);

// --- statement-csv.cpp

// The CSV header line (with "\r\n").
std::string statement_csv_header();
// One CSV line (with "\r\n") for `row`; amounts in major units with `currency`'s decimals
// ("-0.40"), text fields quoted as RFC 4180 says and a leading = + - @ TAB or CR of a text field
// neutralised with a ' (a title must not become a spreadsheet formula).
std::string statement_csv_line(const StatementRow& row, std::string_view currency);
// One CSV field: quoted when it holds a comma, a quote, CR or LF (quotes doubled).
std::string csv_field(std::string_view text);

}  // namespace pp
