// job-store-sqlite.h: the SQLite store behind pp::JobStore (private to lib/job-store).
//
// One SqliteJobStore owns one connection to STATE_DIR/jobs.sqlite and the spool directory
// STATE_DIR/spool. Writes run in BEGIN IMMEDIATE transactions (the write lock is taken up
// front, so check-then-write sequences such as "is this uuid stored? then insert" cannot
// interleave with another process); a mutex makes one instance usable from several threads.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "job-store/job-store.h"
#include "sqlite/connection.h"

namespace pp::store_detail {

// Brings the schema of jobs.sqlite (open as `db`) up to date; see job-store-schema.cpp.
Status migrate_job_store(SQLite::Database& db, const std::string& path);

// The schema version this build creates (PRAGMA user_version).
int job_store_schema_version();

class SqliteJobStore final : public JobStore {
 public:
  // Opens the database; throws SQLite::Exception. Call initialize() before use.
  SqliteJobStore(const std::string& database_path, std::string spool_dir);

  // Connection pragmas and schema migrations.
  Status initialize();

  Result<HeldJob> add(const NewHeldJob& job, const std::string& document_path) override;
  Result<HeldJob> get(std::int64_t id) override;
  Result<HeldJob> get_by_uuid(std::string_view uuid) override;
  Result<std::vector<HeldJob>> list(std::string_view owner,
                                    std::optional<HeldJobState> state) override;
  Status transition(std::int64_t id, HeldJobState from, HeldJobState to) override;
  Status record_release(std::int64_t id, const ReleaseNote& note) override;
  Status change_payer(std::int64_t id, std::int64_t from_reservation_id, std::string_view payer,
                      std::int64_t reservation_id) override;
  Status extend_expiry(std::int64_t id, std::string_view expires_at) override;
  Status delete_document(std::int64_t id) override;
  Result<std::vector<HeldJob>> expired(std::string_view now_iso) override;
  Result<int> remove_orphan_documents(std::int64_t min_age_seconds) override;

 private:
  Status initialize_once();  // throws SQLite::Exception

  // Write and read transactions (see sqlite/connection.h).
  template <typename F>
  auto write(F&& body) {
    return connection_.write(std::forward<F>(body));
  }
  template <typename F>
  auto read(F&& body) {
    return connection_.read(std::forward<F>(body));
  }

  // Row access; call only inside read() or write().
  Result<HeldJob> load(std::int64_t id);
  Result<HeldJob> load_by_uuid(std::string_view uuid);
  HeldJob from_row(SQLite::Statement& row) const;

  // The job stored under job.uuid when there is one (kConflict for another owner's).
  Result<std::optional<HeldJob>> existing(const NewHeldJob& job);
  // Inserts the row and renames the temp file into place; inside write().
  Result<HeldJob> insert(const NewHeldJob& job, const std::string& temp_path,
                         const std::string& file_name);

  sqlite::Connection connection_;
  SQLite::Database& db_ = connection_.db();
  std::string path_;
  std::string spool_dir_;
};

}  // namespace pp::store_detail
