// delivery-sqlite.cpp: DeliveryLog on the ledger file (table `deliveries`, 003-deliveries.sql).
//
// Every state change is one BEGIN IMMEDIATE transaction that reads the row and changes it only
// when it is in the state the caller expects (a compare-and-set under SQLite's write lock), so
// two backends, pullprintd and an admin can race on one job and exactly one of them wins.
#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>
#include <ctime>

#include "delivery/delivery.h"
#include "sqlite/connection.h"
#include "sqlite/rows.h"
#include "util/utc-time.h"

namespace pp {

namespace {

constexpr const char* kColumns =
    "SELECT job_ref, reservation_id, owner, title, printer, device_uri, amount, currency,"
    "       released_by, state, attempts, bytes_sent, pid, pid_start, cups_queue, cups_job_id,"
    "       message, created_at, updated_at FROM deliveries";

Delivery delivery_from_row(SQLite::Statement& row) {
  Delivery d;
  std::string state;
  sqlite::read_columns(row, d.job_ref, d.reservation_id, d.owner, d.title, d.printer, d.device_uri,
                       d.amount, d.currency, d.released_by, state, d.attempts, d.bytes_sent, d.pid,
                       d.pid_start, d.cups_queue, d.cups_job_id, d.message, d.created_at,
                       d.updated_at);
  d.state = parse_delivery_state(state).value_or(DeliveryState::kReview);
  return d;
}

std::string state_text(DeliveryState state) {
  return std::string(delivery_state_name(state));
}

Status wrong_state(const Delivery& d, std::string_view wanted) {
  return Status(Code::kConflict, "job " + d.job_ref + " is " + state_text(d.state) +
                                     (d.state == DeliveryState::kReleased && !d.printer.empty()
                                          ? " to " + d.printer
                                          : "") +
                                     ", not " + std::string(wanted));
}

// Text fields come from IPP clients and CUPS: bounded, no control characters except in titles
// and messages (where they are replaced), so a row can always be shown on one line.
Status check_text(std::string_view what, std::string_view value, bool required) {
  if (required && value.empty()) return Status(Code::kInvalidArgument, std::string(what) + " is empty");
  if (value.size() > 1024) return Status(Code::kInvalidArgument, std::string(what) + " is too long");
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return Status(Code::kInvalidArgument, std::string(what) + " has control characters");
  }
  return Status::ok();
}

std::string one_line(std::string_view text) {
  std::string out(text.substr(0, 2000));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

class SqliteDeliveryLog final : public DeliveryLog {
 public:
  explicit SqliteDeliveryLog(const std::string& path)
      : connection_(path, "delivery log", Code::kInternal), db_(connection_.db()) {}

  Status initialize() {
    return connection_.initialize([this](SQLite::Database& db) {
      db.exec("PRAGMA synchronous = FULL");  // a printed job must stay printed after a crash
      db.exec("PRAGMA foreign_keys = ON");
      if (db.execAndGet("PRAGMA user_version").getInt() < 3)
        return Status(Code::kInternal, connection_.path() + ": ledger has no deliveries table");
      return Status::ok();
    });
  }

  Result<Delivery> get(std::string_view job_ref) override {
    return connection_.read([&]() -> Result<Delivery> { return load(job_ref); });
  }

  Result<Delivery> hold(const HeldDelivery& job) override {
    for (auto [what, value, required] :
         {std::tuple{"job reference", std::string_view(job.job_ref), true},
          std::tuple{"owner", std::string_view(job.owner), true},
          std::tuple{"printer", std::string_view(job.printer), false},
          std::tuple{"device URI", std::string_view(job.device_uri), false},
          std::tuple{"CUPS queue", std::string_view(job.cups_queue), false}}) {
      if (Status status = check_text(what, value, required); !status.is_ok()) return status;
    }
    if (job.reservation_id <= 0) return Status(Code::kInvalidArgument, "no reservation");
    if (job.cups_queue.empty() != (job.cups_job_id <= 0))
      return Status(Code::kInvalidArgument, "a CUPS job needs both its queue and its job id");
    return connection_.write([&]() -> Result<Delivery> {
      Result<Delivery> existing = load(job.job_ref);
      if (existing.ok() || existing.status().code() != Code::kNotFound) return existing;
      SQLite::Statement insert(
          db_,
          "INSERT INTO deliveries (job_ref, reservation_id, owner, title, printer, device_uri,"
          "                        state, cups_queue, cups_job_id, message, created_at,"
          "                        updated_at)"
          " VALUES (?, ?, ?, ?, ?, ?, 'held', ?, ?, 'held for release', ?, ?)");
      std::string now = now_utc();
      sqlite::bind_values(insert, job.job_ref, job.reservation_id, job.owner, one_line(job.title),
                          job.printer, job.device_uri, job.cups_queue);
      if (job.cups_job_id > 0) insert.bind(8, job.cups_job_id);
      else insert.bind(8);
      insert.bind(9, now);
      insert.bind(10, now);
      insert.exec();
      return load(job.job_ref);
    });
  }

  Status set_cups_job(std::string_view job_ref, std::string_view cups_queue,
                      std::int64_t cups_job_id) override {
    if (Status status = check_text("CUPS queue", cups_queue, true); !status.is_ok()) return status;
    if (cups_job_id <= 0) return Status(Code::kInvalidArgument, "bad CUPS job id");
    return connection_.write([&]() -> Status {
      SQLite::Statement update(db_,
                               "UPDATE deliveries SET cups_queue = ?, cups_job_id = ?,"
                               " updated_at = ? WHERE job_ref = ? AND state = 'released'");
      sqlite::bind_values(update, std::string(cups_queue), cups_job_id, now_utc(),
                          std::string(job_ref));
      if (update.exec() == 1) return Status::ok();
      Result<Delivery> existing = load(job_ref);
      if (!existing) return existing.status();
      return wrong_state(*existing, "released");
    });
  }

  using DeliveryLog::release;
  Result<Delivery> release(const ReleaseOrder& order, const JobFacts& facts) override {
    for (auto [what, value, required] :
         {std::tuple{"job reference", std::string_view(order.job_ref), true},
          std::tuple{"printer", std::string_view(order.printer), false},
          std::tuple{"device URI", std::string_view(order.device_uri), false},
          std::tuple{"currency", std::string_view(order.currency), false},
          std::tuple{"released by", std::string_view(order.released_by), true}}) {
      if (Status status = check_text(what, value, required); !status.is_ok()) return status;
    }
    if (order.amount < 0 || order.amount > 1'000'000'000'000)
      return Status(Code::kInvalidArgument, "amount out of range");
    return connection_.write([&]() -> Result<Delivery> {
      Result<Delivery> existing = load(order.job_ref);
      std::string now = now_utc();
      if (!existing.ok()) {
        if (existing.status().code() != Code::kNotFound) return existing;
        if (order.reservation_id <= 0) return Status(Code::kInvalidArgument, "no reservation");
        if (Status status = check_text("owner", order.owner, true); !status.is_ok()) return status;
        SQLite::Statement insert(
            db_,
            "INSERT INTO deliveries (job_ref, reservation_id, owner, title, printer, device_uri,"
            "                        amount, currency, released_by, state, message, created_at,"
            "                        updated_at, pages, color_pages, sheets, duplex)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'released', ?, ?, ?, ?, ?, ?, ?)");
        sqlite::bind_values(insert, order.job_ref, order.reservation_id, order.owner,
                            one_line(order.title), order.printer, order.device_uri, order.amount,
                            order.currency, order.released_by, "released by " + order.released_by,
                            now, now, facts.pages, facts.color_pages, facts.sheets,
                            facts.duplex ? 1 : 0);
        insert.exec();
        return load(order.job_ref);
      }
      const Delivery& d = *existing;
      if (d.state == DeliveryState::kReleased) {
        if (order.printer.empty() || order.printer == d.printer) return d;  // a repeated release
        return wrong_state(d, "released to " + order.printer);
      }
      if (d.state != DeliveryState::kHeld) return wrong_state(d, "held");
      // The CUPS door prints only on the queue that holds the job.
      if (!d.cups_queue.empty() && !order.printer.empty() && order.printer != d.printer)
        return Status(Code::kConflict, "job " + d.job_ref + " is held on " + d.printer +
                                           " and can print only there");
      SQLite::Statement update(
          db_,
          "UPDATE deliveries SET state = 'released', printer = ?, device_uri = ?, amount = ?,"
          "       currency = ?, released_by = ?, message = ?, updated_at = ?,"
          "       pages = CASE WHEN ? > 0 THEN ? ELSE pages END,"
          "       color_pages = CASE WHEN ? > 0 THEN ? ELSE color_pages END,"
          "       sheets = CASE WHEN ? > 0 THEN ? ELSE sheets END,"
          "       duplex = CASE WHEN ? > 0 THEN ? ELSE duplex END"
          " WHERE job_ref = ? AND state = 'held'");
      const JobFacts& f = facts;
      const std::int64_t known = f.pages;  // all zero: nobody knew; keep what the row has
      sqlite::bind_values(update, order.printer.empty() ? d.printer : order.printer,
                          order.device_uri.empty() ? d.device_uri : order.device_uri, order.amount,
                          order.currency, order.released_by, "released by " + order.released_by,
                          now, known, f.pages, known, f.color_pages, known, f.sheets, known,
                          f.duplex ? 1 : 0, order.job_ref);
      update.exec();
      return load(order.job_ref);
    });
  }

  Status withdraw(std::string_view job_ref) override {
    return connection_.write([&]() -> Status {
      Result<Delivery> existing = load(job_ref);
      if (!existing.ok()) return existing.status();
      if (existing->state == DeliveryState::kHeld) return Status::ok();
      if (existing->state != DeliveryState::kReleased)
        return wrong_state(*existing, "released");
      if (existing->cups_queue.empty()) {
        SQLite::Statement remove(db_,
                                 "DELETE FROM deliveries WHERE job_ref = ? AND state = 'released'");
        remove.bind(1, std::string(job_ref));
        remove.exec();
        return Status::ok();
      }
      SQLite::Statement update(db_,
                               "UPDATE deliveries SET state = 'held', released_by = '',"
                               "       message = 'release withdrawn', updated_at = ?"
                               " WHERE job_ref = ? AND state = 'released'");
      update.bind(1, now_utc());
      update.bind(2, std::string(job_ref));
      update.exec();
      return Status::ok();
    });
  }

  Result<Delivery> begin(std::string_view job_ref, const ProcessStamp& stamp) override {
    if (stamp.pid <= 0) return Status(Code::kInvalidArgument, "no process id");
    return connection_.write([&]() -> Result<Delivery> {
      Result<Delivery> existing = load(job_ref);
      if (!existing.ok()) return existing;
      const Delivery& d = *existing;
      std::string message = "sending to " + (d.printer.empty() ? d.device_uri : d.printer);
      if (d.state == DeliveryState::kInFlight) {
        ProcessStamp holder{d.pid.value_or(0), d.pid_start};
        if (holder.pid == stamp.pid && holder.start == stamp.start) return d;  // ours already
        if (process_alive(holder)) {
          return Status(Code::kConflict, "job " + d.job_ref + " is being sent by process " +
                                             std::to_string(holder.pid));
        }
        message = "retrying after attempt " + std::to_string(d.attempts) + " (process " +
                  std::to_string(holder.pid) + ") ended without a result";
      } else if (d.state != DeliveryState::kReleased) {
        return wrong_state(d, "released");
      }
      SQLite::Statement update(
          db_,
          "UPDATE deliveries SET state = 'in-flight', attempts = attempts + 1, bytes_sent = 0,"
          "       pid = ?, pid_start = ?, message = ?, updated_at = ?"
          " WHERE job_ref = ?");
      sqlite::bind_values(update, stamp.pid, stamp.start, message, now_utc(), std::string(job_ref));
      update.exec();
      return load(job_ref);
    });
  }

  Result<Delivery> set_state(std::string_view job_ref, DeliveryState from, DeliveryState to,
                             std::int64_t bytes_sent, std::string_view message) override {
    if (to == DeliveryState::kInFlight || to == DeliveryState::kHeld)
      return Status(Code::kInvalidArgument, "set_state cannot enter " + state_text(to));
    if (bytes_sent < 0) return Status(Code::kInvalidArgument, "negative byte count");
    return connection_.write([&]() -> Result<Delivery> {
      Result<Delivery> existing = load(job_ref);
      if (!existing.ok()) return existing;
      if (existing->state != from) return wrong_state(*existing, state_text(from));
      SQLite::Statement update(
          db_,
          "UPDATE deliveries SET state = ?, bytes_sent = ?, pid = NULL, message = ?,"
          "       updated_at = ? WHERE job_ref = ? AND state = ?");
      sqlite::bind_values(update, state_text(to), bytes_sent, one_line(message), now_utc(),
                          std::string(job_ref), state_text(from));
      update.exec();
      return load(job_ref);
    });
  }

  Result<std::vector<Delivery>> list(std::optional<DeliveryState> state,
                                     std::string_view owner) override {
    return connection_.read([&]() -> Result<std::vector<Delivery>> {
      std::string sql = std::string(kColumns) + " WHERE (?1 IS NULL OR state = ?1)" +
                        " AND (?2 = '' OR owner = ?2) ORDER BY created_at, job_ref";
      SQLite::Statement query(db_, sql);
      if (state) query.bind(1, state_text(*state));
      else query.bind(1);
      query.bind(2, std::string(owner));
      std::vector<Delivery> rows;
      while (query.executeStep()) rows.push_back(delivery_from_row(query));
      return rows;
    });
  }

 private:
  // Inside a transaction; kNotFound when there is no row.
  Result<Delivery> load(std::string_view job_ref) {
    SQLite::Statement query(db_, std::string(kColumns) + " WHERE job_ref = ?");
    query.bind(1, std::string(job_ref));
    if (!query.executeStep())
      return Status(Code::kNotFound, "no delivery for job " + std::string(job_ref));
    return delivery_from_row(query);
  }

  sqlite::Connection connection_;
  SQLite::Database& db_;
};

}  // namespace

Result<std::unique_ptr<DeliveryLog>> DeliveryLog::open(const std::string& ledger_path,
                                                       LedgerMigrations migrations) {
  // As the card store: the ledger creates the file, switches it to WAL and migrates it (003
  // adds the deliveries table); the log then keeps a connection of its own.
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(ledger_path);
    if (!ledger) return ledger.status();
  }
  try {
    auto log = std::make_unique<SqliteDeliveryLog>(ledger_path);
    if (Status status = log->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<DeliveryLog>(std::move(log));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "delivery log", Code::kInternal);
  }
}

}  // namespace pp
