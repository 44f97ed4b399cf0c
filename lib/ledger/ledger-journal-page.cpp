// ledger-journal-page.cpp: the whole journal a page at a time with filters (Ledger::journal_page),
// the read behind the console's ledger page (/pullprint/admin/ledger).
//
// Why keyset on the entry id, newest first: the journal only grows (a million entries is a
// normal year), so a page must cost its own rows and not an OFFSET's skipped ones; ids increase
// with time, so "id < the last one shown" is the next older page. An account filter walks
// journal_by_account (account_id, id); the other filters are checked on the rows walked.
#include <chrono>
#include <cstdio>

#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

namespace {

// The most entries one journal page may ask for.
constexpr int kMaxJournalPage = 1000;

// A YYYY-MM-DD day (a real date), or nullopt.
std::optional<std::chrono::sys_days> parse_day(const std::string& text) {
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  char tail = 0;
  if (text.size() != 10 ||
      std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3)
    return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{month},
                                         std::chrono::day{day}};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days{date};
}

// The store's ISO 8601 form of the start of `day` ("2026-12-05T00:00:00Z").
std::string day_start_iso(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT00:00:00Z", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace

Result<std::vector<HistoryEntry>> SqliteLedger::journal_page(const JournalFilter& filter) {
  if (filter.limit < 1 || filter.limit > kMaxJournalPage)
    return Status(Code::kInvalidArgument, "a journal page holds 1 to " +
                                              std::to_string(kMaxJournalPage) + " entries, not " +
                                              std::to_string(filter.limit));
  std::optional<std::chrono::sys_days> from;
  std::optional<std::chrono::sys_days> to;
  if (!filter.from.empty() && !(from = parse_day(filter.from)))
    return Status(Code::kInvalidArgument, "from: expected a date YYYY-MM-DD, not " + filter.from);
  if (!filter.to.empty() && !(to = parse_day(filter.to)))
    return Status(Code::kInvalidArgument, "to: expected a date YYYY-MM-DD, not " + filter.to);
  return read([&]() -> Result<std::vector<HistoryEntry>> {
    // The entry columns first (entry_from_row reads them by position), the job reference last.
    std::string sql = kEntryColumns;
    const std::size_t from_at = sql.find("  FROM journal j");
    sql.insert(from_at, ", coalesce(r.job_ref, '')");
    sql += " LEFT JOIN reservations r ON r.id = j.reservation_id WHERE 1";
    std::vector<std::string> texts;  // bound in order after the conditions below
    std::optional<std::int64_t> account_id;
    if (!filter.account.empty()) {
      SQLite::Statement find(db_, "SELECT id FROM accounts WHERE name = ?");
      find.bind(1, filter.account);
      if (!find.executeStep()) return std::vector<HistoryEntry>{};  // nobody's entries
      account_id = find.getColumn(0).getInt64();
      sql += " AND j.account_id = ?";
    }
    if (filter.kind) {
      sql += " AND j.kind = ?";
      texts.emplace_back(entry_kind_name(*filter.kind));
    }
    if (from) {
      sql += " AND j.created_at >= ?";
      texts.push_back(day_start_iso(*from));
    }
    if (to) {
      sql += " AND j.created_at < ?";
      texts.push_back(day_start_iso(*to + std::chrono::days{1}));
    }
    if (!filter.actor.empty()) {
      sql += " AND j.actor = ?";
      texts.push_back(filter.actor);
    }
    if (!filter.job_ref.empty()) {
      sql += " AND r.job_ref = ?";
      texts.push_back(filter.job_ref);
    }
    if (filter.before_id > 0) sql += " AND j.id < ?";
    sql += " ORDER BY j.id DESC LIMIT ?";
    SQLite::Statement query(db_, sql);
    int index = 1;
    if (account_id) query.bind(index++, *account_id);
    for (const std::string& text : texts) query.bind(index++, text);
    if (filter.before_id > 0) query.bind(index++, filter.before_id);
    query.bind(index, filter.limit);
    std::vector<HistoryEntry> entries;
    while (query.executeStep()) {
      HistoryEntry row;
      row.entry = entry_from_row(query);
      row.job_ref = query.getColumn(query.getColumnCount() - 1).getString();
      entries.push_back(std::move(row));
    }
    return entries;
  });
}

}  // namespace pp::ledger_detail
