// job-store-rows.cpp: reading held jobs (get, list, expired) and changing their state.
#include <dirent.h>
#include <sys/stat.h>

#include <ctime>
#include <filesystem>
#include <set>

#include "job-store/job-store-sqlite.h"
#include "job-store/spool-file.h"
#include "sqlite/rows.h"

namespace pp::store_detail {

namespace {

constexpr const char* kColumns =
    "id, uuid, owner, payer, title, format, document_file, options_json, pages, color_pages, "
    "impressions, price_minor, currency, reservation_id, origin, state, created_at, expires_at, "
    "pages_json, printer, released_by, final_price_minor, message";

std::string select_from(const std::string& where) {
  return std::string("SELECT ") + kColumns + " FROM held_jobs " + where;
}

}  // namespace

HeldJob SqliteJobStore::from_row(SQLite::Statement& row) const {
  HeldJob job;
  std::string file, state;
  sqlite::read_columns(row, job.id, job.uuid, job.owner, job.payer, job.title, job.format, file,
                       job.options_json, job.pages, job.color_pages, job.impressions,
                       job.price_minor, job.currency, job.reservation_id, job.origin, state,
                       job.created_at, job.expires_at, job.pages_json, job.printer, job.released_by,
                       job.final_price_minor, job.message);
  job.document_path = file.empty() ? "" : spool_dir_ + "/" + file;
  // The CHECK constraint admits only known names.
  job.state = parse_held_job_state(state).value_or(HeldJobState::kFailed);
  return job;
}

Result<HeldJob> SqliteJobStore::load(std::int64_t id) {
  auto found = sqlite::query_one(
      db_, select_from("WHERE id = ?"), [this](SQLite::Statement& row) { return from_row(row); },
      static_cast<std::int64_t>(id));
  if (!found) return Status(Code::kNotFound, "no held job " + std::to_string(id));
  return *found;
}

Result<HeldJob> SqliteJobStore::load_by_uuid(std::string_view uuid) {
  auto found = sqlite::query_one(
      db_, select_from("WHERE uuid = ?"), [this](SQLite::Statement& row) { return from_row(row); },
      std::string(uuid));
  if (!found) return Status(Code::kNotFound, "no held job " + std::string(uuid));
  return *found;
}

Result<HeldJob> SqliteJobStore::get(std::int64_t id) {
  return read([&] { return load(id); });
}

Result<HeldJob> SqliteJobStore::get_by_uuid(std::string_view uuid) {
  return read([&] { return load_by_uuid(uuid); });
}

Result<std::vector<HeldJob>> SqliteJobStore::list(std::string_view owner,
                                                  std::optional<HeldJobState> state) {
  return read([&]() -> Result<std::vector<HeldJob>> {
    // Only the conditions asked for, so that SQLite uses an index (owner, state, id) rather
    // than reading every row: "(?1 = '' OR owner = ?1)" would scan the table, and a user's
    // page must stay fast among 100,000 others' held jobs.
    std::string where;
    if (!owner.empty()) where += "owner = ?1";
    if (state) where += std::string(where.empty() ? "" : " AND ") + "state = ?2";
    SQLite::Statement query(
        db_, select_from((where.empty() ? "" : "WHERE " + where + " ") + "ORDER BY id DESC"));
    if (!owner.empty()) query.bind(1, std::string(owner));
    if (state) query.bind(2, std::string(held_job_state_name(*state)));
    std::vector<HeldJob> jobs;
    while (query.executeStep()) jobs.push_back(from_row(query));
    return jobs;
  });
}

Result<std::vector<HeldJob>> SqliteJobStore::expired(std::string_view now_iso) {
  return read([&]() -> Result<std::vector<HeldJob>> {
    // julianday() compares instants, not text, so "...:00Z" and "...:00.250Z" both work; it
    // is NULL for text that is no time at all.
    SQLite::Statement check(db_, "SELECT julianday(?) IS NOT NULL");
    check.bind(1, std::string(now_iso));
    if (!check.executeStep() || check.getColumn(0).getInt() == 0)
      return Status(Code::kInvalidArgument, "not an ISO 8601 time: " + std::string(now_iso));
    SQLite::Statement query(
        db_, select_from("WHERE state = 'held' AND julianday(expires_at) < julianday(?) "
                         "ORDER BY id"));
    query.bind(1, std::string(now_iso));
    std::vector<HeldJob> jobs;
    while (query.executeStep()) jobs.push_back(from_row(query));
    return jobs;
  });
}

Status SqliteJobStore::transition(std::int64_t id, HeldJobState from, HeldJobState to) {
  return write([&]() -> Status {
    // Compare-and-set: of two callers moving the same job out of `from`, exactly one changes
    // the row; the other finds changes() == 0.
    SQLite::Statement update(db_,
                             "UPDATE held_jobs SET state = ?1, "
                             "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                             "WHERE id = ?2 AND state = ?3");
    sqlite::bind_values(update, std::string(held_job_state_name(to)), static_cast<std::int64_t>(id),
                        std::string(held_job_state_name(from)));
    if (update.exec() == 1) return Status::ok();
    Result<HeldJob> job = load(id);
    if (!job) return job.status();
    return Status(Code::kConflict, "job " + std::to_string(id) + " is " +
                                       std::string(held_job_state_name(job->state)) + ", not " +
                                       std::string(held_job_state_name(from)));
  });
}

Status SqliteJobStore::record_release(std::int64_t id, const ReleaseNote& note) {
  if (note.final_price_minor && *note.final_price_minor < 0)
    return Status(Code::kInvalidArgument, "negative final price");
  return write([&]() -> Status {
    SQLite::Statement update(db_,
                             "UPDATE held_jobs SET printer = ?1, released_by = ?2, "
                             "final_price_minor = ?3, message = ?4, "
                             "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?5");
    update.bind(1, note.printer);
    update.bind(2, note.released_by);
    if (note.final_price_minor)
      update.bind(3, static_cast<std::int64_t>(*note.final_price_minor));
    else
      update.bind(3);
    update.bind(4, note.message);
    update.bind(5, static_cast<std::int64_t>(id));
    if (update.exec() == 1) return Status::ok();
    return Status(Code::kNotFound, "no held job " + std::to_string(id));
  });
}

Status SqliteJobStore::change_payer(std::int64_t id, std::int64_t from_reservation_id,
                                    std::string_view payer, std::int64_t reservation_id) {
  return write([&]() -> Status {
    SQLite::Statement update(db_,
                             "UPDATE held_jobs SET payer = ?1, reservation_id = ?2, "
                             "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                             "WHERE id = ?3 AND state = 'held' AND reservation_id = ?4");
    sqlite::bind_values(update, std::string(payer), static_cast<std::int64_t>(reservation_id),
                        static_cast<std::int64_t>(id),
                        static_cast<std::int64_t>(from_reservation_id));
    if (update.exec() == 1) return Status::ok();
    Result<HeldJob> job = load(id);
    if (!job) return job.status();
    return Status(Code::kConflict,
                  "job " + std::to_string(id) + " is " +
                      std::string(held_job_state_name(job->state)) +
                      (job->state == HeldJobState::kHeld ? " and its charge has moved meanwhile"
                                                         : ", not held"));
  });
}

Status SqliteJobStore::extend_expiry(std::int64_t id, std::string_view expires_at) {
  return write([&]() -> Status {
    Result<HeldJob> job = load(id);
    if (!job) return job.status();
    if (job->state != HeldJobState::kHeld)
      return Status(Code::kConflict, "job " + std::to_string(id) + " is " +
                                         std::string(held_job_state_name(job->state)));
    // ISO 8601 UTC strings of one format sort by time.
    SQLite::Statement update(db_,
                             "UPDATE held_jobs SET expires_at = ?1, "
                             "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
                             "WHERE id = ?2 AND expires_at < ?1");
    update.bind(1, std::string(expires_at));
    update.bind(2, static_cast<std::int64_t>(id));
    update.exec();
    return Status::ok();
  });
}

Status SqliteJobStore::delete_document(std::int64_t id) {
  return write([&]() -> Status {
    Result<HeldJob> job = load(id);
    if (!job) return job.status();
    if (job->document_path.empty()) return Status::ok();
    // File first, then the row: a crash in between leaves a row naming a missing file, and the
    // next call finishes (a missing file is fine); never a file that no row names.
    if (Status removed = remove_file(job->document_path); !removed.is_ok()) return removed;
    SQLite::Statement update(db_,
                             "UPDATE held_jobs SET document_file = '', "
                             "updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
    update.bind(1, static_cast<std::int64_t>(id));
    update.exec();
    return Status::ok();
  });
}

Result<int> SqliteJobStore::remove_orphan_documents(std::int64_t min_age_seconds) {
  return write([&]() -> Result<int> {
    // Under the write lock: no add() can commit a new row while we look.
    std::set<std::string> referenced;
    SQLite::Statement query(db_, "SELECT document_file FROM held_jobs WHERE document_file != ''");
    while (query.executeStep()) referenced.insert(query.getColumn(0).getString());
    std::time_t now = std::time(nullptr);
    int removed = 0;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(spool_dir_, error)) {
      std::string name = entry.path().filename().string();
      struct stat info {};
      if (referenced.count(name) || ::lstat(entry.path().c_str(), &info) != 0) continue;
      if (!S_ISREG(info.st_mode) || now - info.st_mtime < min_age_seconds) continue;
      if (remove_file(entry.path().string()).is_ok()) removed++;
    }
    if (error) return Status(Code::kIoError, "cannot list " + spool_dir_ + ": " + error.message());
    return removed;
  });
}

}  // namespace pp::store_detail
