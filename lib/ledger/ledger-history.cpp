// ledger-history.cpp: the pages of an account's history and the shared accounts that may admit
// a user, the reads behind a user's account page (pullprintd's /pullprint/account).
//
// Both are served by indexes so that their cost does not grow with the journal or the number of
// accounts: history pages by journal_money_by_account (009-history.sql, keyset pagination on the
// entry id), member candidates by account_members_by_user.
#include <algorithm>

#include "ledger/ledger-rows.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

namespace {

// The most entries one history page may ask for.
constexpr int kMaxHistoryPage = 1000;

// The condition of journal_money_by_account, word for word (SQLite uses a partial index only
// for a query whose WHERE contains it).
constexpr const char* kMoneyEntries = "j.kind NOT IN ('reserve', 'void')";

}  // namespace

Result<std::vector<HistoryEntry>> SqliteLedger::history_page(std::string_view account,
                                                             std::int64_t before_id, int limit) {
  if (limit < 1 || limit > kMaxHistoryPage)
    return Status(Code::kInvalidArgument, "a history page holds 1 to " +
                                              std::to_string(kMaxHistoryPage) + " entries, not " +
                                              std::to_string(limit));
  return read([&]() -> Result<std::vector<HistoryEntry>> {
    Result<Account> found = load_account(account);
    if (!found.ok()) return found.status();
    // The entry columns first (entry_from_row reads them by position), the job reference last.
    std::string sql = kEntryColumns;
    const std::size_t from = sql.find("  FROM journal j");
    sql.insert(from, ", coalesce(r.job_ref, '')");
    sql += " LEFT JOIN reservations r ON r.id = j.reservation_id WHERE j.account_id = ? AND ";
    sql += kMoneyEntries;
    sql += before_id > 0 ? " AND j.id < ?" : "";
    sql += " ORDER BY j.id DESC LIMIT ?";
    SQLite::Statement query(db_, sql);
    int index = 1;
    query.bind(index++, found->id);
    if (before_id > 0) query.bind(index++, before_id);
    query.bind(index, limit);
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

Result<std::vector<MemberCandidates>> SqliteLedger::member_candidates(std::string_view user) {
  return read([&]() -> Result<std::vector<MemberCandidates>> {
    // Member entries naming the user, and every "@GROUP" entry ('@' sorts just before 'A':
    // a range of the members' index).
    SQLite::Statement query(db_,
                            "SELECT account_id, user FROM account_members"
                            " WHERE user = ? OR (user >= '@' AND user < 'A')"
                            " ORDER BY account_id, user");
    query.bind(1, std::string(user));
    std::vector<MemberCandidates> candidates;
    while (query.executeStep()) {
      const std::int64_t account_id = query.getColumn(0).getInt64();
      const std::string entry = query.getColumn(1).getString();
      if (candidates.empty() || candidates.back().account.id != account_id) {
        Result<Account> account = load_account_by_id(account_id);
        if (!account.ok()) return account.status();
        MemberCandidates candidate;
        candidate.account = std::move(*account);
        candidates.push_back(std::move(candidate));
      }
      if (entry == user)
        candidates.back().named = true;
      else if (entry.starts_with('@'))
        candidates.back().groups.push_back(entry);
    }
    std::erase_if(candidates,
                  [](const MemberCandidates& c) { return c.account.type != AccountType::kShared; });
    std::sort(candidates.begin(), candidates.end(),
              [](const MemberCandidates& a, const MemberCandidates& b) {
                return a.account.name < b.account.name;
              });
    return candidates;
  });
}

}  // namespace pp::ledger_detail
