// ledger-check.cpp: check(), the proof that the ledger is consistent (`pullprint ledger check`).
//
// Everything the write paths promise is re-derived from the journal and compared: cached
// balances and holds, each reservation's life story, key uniqueness, the append-only triggers,
// the hash chain, foreign keys and SQLite's own page structure. It runs in one deferred (read)
// transaction, so it sees one consistent snapshot while other processes keep writing, and it
// never writes.
#include <cstring>
#include <set>

#include "ledger/ledger-chain.h"
#include "ledger/ledger-rows.h"
#include "ledger/ledger-schema.h"
#include "ledger/ledger-sqlite.h"

namespace pp::ledger_detail {

namespace {

// Collects violation messages, bounded so that a wrecked database still gives a readable report.
class Report {
 public:
  explicit Report(LedgerCheck& out) : out_(out) {}
  void add(std::string text) {
    if (out_.violations.size() < kMax) {
      out_.violations.push_back(std::move(text));
    } else if (out_.violations.size() == kMax) {
      out_.violations.push_back("... more violations not listed");
    }
  }

 private:
  static constexpr std::size_t kMax = 200;
  LedgerCheck& out_;
};

std::string str(std::int64_t value) {
  return std::to_string(value);
}

std::int64_t count(SQLite::Database& db, const char* sql) {
  return db.execAndGet(sql).getInt64();
}

void check_structure(SQLite::Database& db, Report& report) {
  SQLite::Statement quick(db, "PRAGMA quick_check");
  while (quick.executeStep()) {
    std::string line = quick.getColumn(0).getString();
    if (line != "ok") report.add("database structure: " + line);
  }
  SQLite::Statement foreign(db, "PRAGMA foreign_key_check");
  while (foreign.executeStep()) {
    report.add(foreign.getColumn(0).getString() + " row " + str(foreign.getColumn(1).getInt64()) +
               " refers to a missing " + foreign.getColumn(2).getString() + " row");
  }
  int version = db.execAndGet("PRAGMA user_version").getInt();
  if (version != latest_schema_version()) {
    report.add("schema version is " + str(version) + ", expected " + str(latest_schema_version()));
  }
}

// The append-only and closed-once rules live in triggers; a dropped or emptied one is tampering.
void check_triggers(SQLite::Database& db, Report& report) {
  static const char* const kTriggers[] = {"journal_no_update", "journal_no_delete",
                                          "reservations_fixed", "reservations_closed_once",
                                          "reservations_no_delete"};
  for (const char* name : kTriggers) {
    SQLite::Statement query(db,
                            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
    query.bind(1, name);
    if (!query.executeStep()) {
      report.add(std::string("trigger ") + name + " is missing: the journal is not protected");
    } else if (query.getColumn(0).getString().find("RAISE(ABORT") == std::string::npos) {
      report.add(std::string("trigger ") + name + " was altered: it no longer refuses changes");
    }
  }
}

void check_balances(SQLite::Database& db, Report& report) {
  SQLite::Statement query(db,
                          "SELECT a.name, a.balance,"
                          "       coalesce(sum(CASE WHEN j.kind NOT IN ('reserve', 'void')"
                          "                         THEN j.amount END), 0) AS journal_sum"
                          "  FROM accounts a LEFT JOIN journal j ON j.account_id = a.id"
                          " GROUP BY a.id HAVING a.balance <> journal_sum ORDER BY a.name");
  while (query.executeStep()) {
    report.add("account '" + query.getColumn(0).getString() + "': balance is " +
               str(query.getColumn(1).getInt64()) + " but its journal sums to " +
               str(query.getColumn(2).getInt64()));
  }
  SQLite::Statement held(db,
                         "SELECT a.name, a.reserved,"
                         "       (SELECT coalesce(sum(r.amount), 0) FROM reservations r"
                         "         WHERE r.account_id = a.id AND r.state = 'open') AS open_sum"
                         "  FROM accounts a WHERE a.reserved <> open_sum ORDER BY a.name");
  while (held.executeStep()) {
    report.add("account '" + held.getColumn(0).getString() + "': reserved is " +
               str(held.getColumn(1).getInt64()) + " but its open reservations sum to " +
               str(held.getColumn(2).getInt64()));
  }
}

// What the journal says about one reservation.
struct ReservationStory {
  std::int64_t id, amount, captured_amount;
  std::string state;
  std::int64_t reserves, reserve_sum, reserves_with_key, captures, capture_sum, voids, void_sum,
      refunds, refund_sum, foreign_entries;
};

void judge(const ReservationStory& r, Report& report) {
  std::string name = "reservation " + str(r.id) + " (" + r.state + "): ";
  if (r.reserves != 1 || r.reserves_with_key != 1 || r.reserve_sum != r.amount) {
    report.add(name + "expected one reserve entry of " + str(r.amount) + " under its key, found " +
               str(r.reserves) + " summing to " + str(r.reserve_sum));
  }
  if (r.foreign_entries > 0) {
    report.add(name + str(r.foreign_entries) + " entries are booked to another account");
  }
  bool open = r.state == "open", captured = r.state == "captured", voided = r.state == "voided";
  if (!open && !captured && !voided) report.add(name + "unknown state");
  if (open && (r.captures || r.voids || r.refunds)) {
    report.add(name + "is open but has capture, void or refund entries");
  }
  if (captured && (r.captures != 1 || r.capture_sum != -r.captured_amount || r.voids)) {
    report.add(name + "expected one capture entry of " + str(-r.captured_amount) + ", found " +
               str(r.captures) + " summing to " + str(r.capture_sum) + " and " + str(r.voids) +
               " voids");
  }
  if (voided && (r.voids != 1 || r.void_sum != r.amount || r.captures || r.refunds)) {
    report.add(name + "expected one void entry of " + str(r.amount) + " and nothing else, found " +
               str(r.voids) + " voids, " + str(r.captures) + " captures, " + str(r.refunds) +
               " refunds");
  }
  if (r.refund_sum > r.captured_amount) {
    report.add(name + "refunds of " + str(r.refund_sum) + " exceed the " + str(r.captured_amount) +
               " captured");
  }
}

void check_reservations(SQLite::Database& db, Report& report) {
  SQLite::Statement query(
      db,
      "SELECT r.id, r.amount, r.captured_amount, r.state,"
      "       coalesce(sum(j.kind = 'reserve'), 0),"
      "       coalesce(sum(CASE WHEN j.kind = 'reserve' THEN j.amount END), 0),"
      "       coalesce(sum(j.kind = 'reserve' AND j.idempotency_key = r.idempotency_key), 0),"
      "       coalesce(sum(j.kind = 'capture'), 0),"
      "       coalesce(sum(CASE WHEN j.kind = 'capture' THEN j.amount END), 0),"
      "       coalesce(sum(j.kind = 'void'), 0),"
      "       coalesce(sum(CASE WHEN j.kind = 'void' THEN j.amount END), 0),"
      "       coalesce(sum(j.kind = 'refund'), 0),"
      "       coalesce(sum(CASE WHEN j.kind = 'refund' THEN j.amount END), 0),"
      "       coalesce(sum(j.account_id <> r.account_id), 0)"
      "  FROM reservations r LEFT JOIN journal j ON j.reservation_id = r.id"
      " GROUP BY r.id ORDER BY r.id");
  while (query.executeStep()) {
    ReservationStory r{};
    r.id = query.getColumn(0).getInt64();
    r.amount = query.getColumn(1).getInt64();
    r.captured_amount = query.getColumn(2).getInt64();
    r.state = query.getColumn(3).getString();
    std::int64_t* counts[] = {&r.reserves,    &r.reserve_sum,    &r.reserves_with_key, &r.captures,
                              &r.capture_sum, &r.voids,          &r.void_sum,          &r.refunds,
                              &r.refund_sum,  &r.foreign_entries};
    for (int i = 0; i < 10; ++i) *counts[i] = query.getColumn(4 + i).getInt64();
    judge(r, report);
  }
}

void check_entries(SQLite::Database& db, Report& report) {
  SQLite::Statement keys(db,
                         "SELECT idempotency_key, count(*) FROM journal"
                         " GROUP BY idempotency_key HAVING count(*) > 1"
                         " UNION ALL "
                         "SELECT idempotency_key, count(*) FROM reservations"
                         " GROUP BY idempotency_key HAVING count(*) > 1");
  while (keys.executeStep()) {
    report.add("idempotency key '" + keys.getColumn(0).getString() + "' is used " +
               str(keys.getColumn(1).getInt64()) + " times");
  }
  SQLite::Statement shape(
      db,
      "SELECT id, kind, amount FROM journal"
      " WHERE kind NOT IN ('top-up', 'reserve', 'capture', 'void', 'refund', 'adjustment',"
      "                    'allocation')"
      "    OR (kind IN ('top-up', 'refund') AND amount <= 0)"
      "    OR (kind IN ('reserve', 'void', 'allocation') AND amount < 0)"
      "    OR (kind = 'capture' AND amount > 0)"
      "    OR (kind IN ('reserve', 'capture', 'void', 'refund')) <> (reservation_id IS NOT NULL)"
      " ORDER BY id");
  while (shape.executeStep()) {
    report.add("journal entry " + str(shape.getColumn(0).getInt64()) + ": a " +
               shape.getColumn(1).getString() + " of " + str(shape.getColumn(2).getInt64()) +
               " is not a valid entry (kind, sign or reservation)");
  }
}

// Money by origin (008-origins.sql, rules in ledger.h): the cached allocated part equals the
// journal's, each entry's allocated part fits its kind, and refunds give back to each origin at
// most what their capture took from it.
void check_origins(SQLite::Database& db, Report& report) {
  if (!db.tableExists("journal_allocated")) return;  // schema check reports an old version
  for (const char* name : {"journal_allocated_no_update", "journal_allocated_no_delete"}) {
    SQLite::Statement query(db,
                            "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?");
    query.bind(1, name);
    if (!query.executeStep() ||
        query.getColumn(0).getString().find("RAISE(ABORT") == std::string::npos) {
      report.add(std::string("trigger ") + name + " is missing or altered: the allocated parts " +
                 "are not protected");
    }
  }
  SQLite::Statement cached(db,
                           "SELECT a.name, coalesce(c.allocated, 0) AS cached,"
                           "       (SELECT coalesce(sum(ja.allocated), 0) FROM journal j"
                           "          JOIN journal_allocated ja ON ja.entry_id = j.id"
                           "         WHERE j.account_id = a.id) AS journal_sum"
                           "  FROM accounts a LEFT JOIN account_allocated c ON c.account_id = a.id"
                           " WHERE cached <> journal_sum OR cached < 0"
                           " ORDER BY a.name");
  while (cached.executeStep()) {
    report.add("account '" + cached.getColumn(0).getString() + "': allocated money is " +
               str(cached.getColumn(1).getInt64()) + " but its journal's allocated parts sum to " +
               str(cached.getColumn(2).getInt64()));
  }
  SQLite::Statement shape(
      db,
      "SELECT j.id, j.kind, j.amount, ja.allocated"
      "  FROM journal j JOIN journal_allocated ja ON ja.entry_id = j.id"
      " WHERE j.kind IN ('reserve', 'void', 'top-up')"
      "    OR (j.kind = 'allocation' AND ja.allocated <> j.amount)"
      "    OR (j.kind = 'capture' AND (ja.allocated > 0 OR ja.allocated < j.amount))"
      "    OR (j.kind = 'refund' AND (ja.allocated < 0 OR ja.allocated > j.amount))"
      "    OR (j.kind = 'adjustment' AND (ja.allocated <> j.amount OR j.amount > 0))"
      "    OR j.kind NOT IN ('allocation', 'capture', 'refund', 'adjustment')"
      " ORDER BY j.id");
  while (shape.executeStep()) {
    report.add("journal entry " + str(shape.getColumn(0).getInt64()) + ": a " +
               shape.getColumn(1).getString() + " of " + str(shape.getColumn(2).getInt64()) +
               " cannot move " + str(shape.getColumn(3).getInt64()) + " of allocated money");
  }
  SQLite::Statement refunds(
      db,
      "SELECT j.reservation_id,"
      "       coalesce(-sum(CASE WHEN j.kind = 'capture' THEN ja.allocated END), 0) AS taken,"
      "       coalesce(sum(CASE WHEN j.kind = 'refund' THEN ja.allocated END), 0) AS returned"
      "  FROM journal j JOIN journal_allocated ja ON ja.entry_id = j.id"
      " WHERE j.reservation_id IS NOT NULL"
      " GROUP BY j.reservation_id HAVING returned > taken ORDER BY j.reservation_id");
  while (refunds.executeStep()) {
    report.add("reservation " + str(refunds.getColumn(0).getInt64()) + ": refunds return " +
               str(refunds.getColumn(2).getInt64()) + " of allocated money, its capture took " +
               str(refunds.getColumn(1).getInt64()));
  }
}

// Recomputes every entry's hash from its fields and the stored hash of the entry before it, so
// a violation points at the changed row itself; ids must run 1, 2, 3 ... without gaps.
void check_chain(SQLite::Database& db, Report& report, LedgerCheck& out) {
  SQLite::Statement query(db,
                          "SELECT j.id, j.account_id, '', j.kind, j.amount, j.reservation_id,"
                          "       j.idempotency_key, j.actor, j.note, j.created_at,"
                          "       coalesce(ja.allocated, 0), (ja.entry_id IS NOT NULL) + 1, j.hash"
                          "  FROM journal j LEFT JOIN journal_allocated ja ON ja.entry_id = j.id"
                          " ORDER BY j.id");
  ChainHash previous = kChainStart;
  std::int64_t expected_id = 1;
  while (query.executeStep()) {
    JournalEntry entry = entry_from_row(query);
    if (entry.id != expected_id) {
      report.add("journal entries " + str(expected_id) + " to " + str(entry.id - 1) +
                 " are missing");
    }
    expected_id = entry.id + 1;
    ChainHash stored{};
    const auto& hash = query.getColumn(12);
    if (hash.getBytes() == static_cast<int>(stored.size())) {
      std::memcpy(stored.data(), hash.getBlob(), stored.size());
    }
    if (chain_hash(previous, entry) != stored) {
      report.add("journal entry " + str(entry.id) +
                 ": hash does not match its contents or its predecessor (edited, removed or "
                 "inserted rows)");
    }
    previous = stored;
  }
  if (expected_id > 1) out.chain_head = to_hex(previous);
}

// A delivery's state promises what happened to its reservation (003-deliveries.sql): printed
// means captured at the delivery's amount under its capture key, voided means voided. The
// other states may legitimately meet an open or (cancelled meanwhile) closed reservation.
void check_deliveries(SQLite::Database& db, Report& report) {
  if (!db.tableExists("deliveries")) return;  // schema check reports an old version
  SQLite::Statement query(
      db,
      "SELECT d.job_ref, d.state, d.amount, r.id, r.state, r.captured_amount,"
      "       (SELECT count(*) FROM journal j WHERE j.reservation_id = d.reservation_id"
      "           AND j.kind = 'capture' AND j.idempotency_key = 'capture:' || d.job_ref)"
      "  FROM deliveries d LEFT JOIN reservations r ON r.id = d.reservation_id"
      " WHERE d.state IN ('printed', 'voided') OR r.id IS NULL ORDER BY d.job_ref");
  while (query.executeStep()) {
    std::string name = "delivery of job " + query.getColumn(0).getString() + " (" +
                       query.getColumn(1).getString() + "): ";
    if (query.getColumn(3).isNull()) {
      report.add(name + "its reservation does not exist");
      continue;
    }
    std::string state = query.getColumn(1).getString(), held = query.getColumn(4).getString();
    std::int64_t amount = query.getColumn(2).getInt64();
    if (state == "printed" &&
        (held != "captured" || query.getColumn(5).getInt64() != amount ||
         query.getColumn(6).getInt64() != 1)) {
      report.add(name + "expected reservation " + str(query.getColumn(3).getInt64()) +
                 " captured at " + str(amount) + " under its capture key, found it " + held +
                 " at " + str(query.getColumn(5).getInt64()));
    } else if (state == "voided" && held != "voided") {
      report.add(name + "expected reservation " + str(query.getColumn(3).getInt64()) +
                 " voided, found it " + held);
    }
  }
}

// Each transfer is a pair (transfer-key.h): the sender's debit under "...:out" and the
// recipient's credit of the same amount under "...:in", both self-paid adjustments. Half a
// transfer is money lost or made.
void check_transfers(SQLite::Database& db, Report& report) {
  SQLite::Statement query(
      db,
      "SELECT o.idempotency_key, o.amount, i.amount, o.account_id = i.account_id"
      "  FROM journal o LEFT JOIN journal i ON i.idempotency_key ="
      "       substr(o.idempotency_key, 1, length(o.idempotency_key) - 4) || ':in'"
      " WHERE o.idempotency_key >= 'transfer:' AND o.idempotency_key < 'transfer;'"
      "   AND o.idempotency_key LIKE '%:out'"
      " UNION ALL "
      "SELECT i.idempotency_key, NULL, i.amount, 0"
      "  FROM journal i LEFT JOIN journal o ON o.idempotency_key ="
      "       substr(i.idempotency_key, 1, length(i.idempotency_key) - 3) || ':out'"
      " WHERE i.idempotency_key >= 'transfer:' AND i.idempotency_key < 'transfer;'"
      "   AND i.idempotency_key LIKE '%:in' AND o.id IS NULL");
  while (query.executeStep()) {
    const std::string key = query.getColumn(0).getString();
    if (query.getColumn(1).isNull()) {
      report.add("transfer credit " + key + " has no debit");
    } else if (query.getColumn(2).isNull()) {
      report.add("transfer debit " + key + " has no credit");
    } else if (query.getColumn(1).getInt64() >= 0 ||
               query.getColumn(2).getInt64() != -query.getColumn(1).getInt64() ||
               query.getColumn(3).getInt() != 0) {
      report.add("transfer " + key + ": debit " + str(query.getColumn(1).getInt64()) +
                 " and credit " + str(query.getColumn(2).getInt64()) +
                 " do not match between two accounts");
    }
  }
}

}  // namespace

// Verifies every invariant; the violations are sentences for people.
Result<LedgerCheck> SqliteLedger::check() {
  return read([&]() -> Result<LedgerCheck> {
    LedgerCheck out;
    Report report(out);
    out.accounts = count(db_, "SELECT count(*) FROM accounts");
    out.entries = count(db_, "SELECT count(*) FROM journal");
    out.open_reservations = count(db_, "SELECT count(*) FROM reservations WHERE state = 'open'");
    check_structure(db_, report);
    check_triggers(db_, report);
    check_balances(db_, report);
    check_origins(db_, report);
    check_reservations(db_, report);
    check_entries(db_, report);
    check_chain(db_, report, out);
    check_deliveries(db_, report);
    check_transfers(db_, report);
    return out;
  });
}

}  // namespace pp::ledger_detail
