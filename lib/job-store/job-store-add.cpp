// job-store-add.cpp: JobStore::add: a document and its row enter the store together.
//
// Order: copy to a private temporary file and fsync (slow, outside the write lock) -> BEGIN
// IMMEDIATE -> is the uuid stored already? (a retry, or another process that won) -> INSERT ->
// rename to the final name + fsync the directory -> COMMIT. Every way out before COMMIT removes
// what was written (FileRemover), and the row only becomes visible with COMMIT, when its file is
// already in place. A crash between the rename and COMMIT leaves a file without a row, which
// remove_orphan_documents() collects.
#include "job-store/job-store-sqlite.h"
#include "job-store/spool-file.h"
#include "sqlite/rows.h"

namespace pp::store_detail {

namespace {

Status check_new_job(const NewHeldJob& job) {
  if (job.owner.empty()) return Status(Code::kInvalidArgument, "held job without an owner");
  if (job.payer.empty()) return Status(Code::kInvalidArgument, "held job without a payer");
  if (job.format.empty()) return Status(Code::kInvalidArgument, "held job without a format");
  if (job.lifetime_seconds < 0)
    return Status(Code::kInvalidArgument, "held job lifetime is negative");
  if (job.pages < 0 || job.color_pages < 0 || job.color_pages > job.pages || job.impressions < 0 ||
      job.price_minor < 0)
    return Status(Code::kInvalidArgument, "held job with negative or inconsistent counts");
  return Status::ok();
}

}  // namespace

Result<std::optional<HeldJob>> SqliteJobStore::existing(const NewHeldJob& job) {
  Result<HeldJob> found = load_by_uuid(job.uuid);
  if (!found) {
    if (found.status().code() == Code::kNotFound) return std::optional<HeldJob>();
    return found.status();
  }
  // Names nobody: the other owner's job is none of this caller's business.
  if (found->owner != job.owner)
    return Status(Code::kConflict, "job uuid " + job.uuid + " is already in use");
  return std::optional<HeldJob>(std::move(*found));
}

Result<HeldJob> SqliteJobStore::insert(const NewHeldJob& job, const std::string& temp_path,
                                       const std::string& file_name) {
  SQLite::Statement insert(db_, R"sql(
    INSERT INTO held_jobs (uuid, owner, payer, title, format, document_file, options_json,
                           pages, color_pages, impressions, price_minor, currency,
                           reservation_id, origin, pages_json, state, created_at, expires_at,
                           updated_at)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?16, 'held',
            strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
            strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?15),
            strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))sql");
  sqlite::bind_values(insert, job.uuid, job.owner, job.payer, job.title, job.format, file_name,
                      job.options_json.empty() ? std::string("{}") : job.options_json, job.pages,
                      job.color_pages, static_cast<std::int64_t>(job.impressions),
                      static_cast<std::int64_t>(job.price_minor), job.currency);
  if (job.reservation_id)
    insert.bind(13, static_cast<std::int64_t>(*job.reservation_id));
  else
    insert.bind(13);  // NULL
  insert.bind(14, job.origin);
  insert.bind(15, "+" + std::to_string(job.lifetime_seconds) + " seconds");
  insert.bind(16, job.pages_json);
  insert.exec();
  std::int64_t id = db_.getLastInsertRowid();
  if (Status renamed = rename_durably(temp_path, spool_dir_ + "/" + file_name); !renamed.is_ok())
    return renamed;
  return load(id);
}

Result<HeldJob> SqliteJobStore::add(const NewHeldJob& job, const std::string& document_path) {
  Result<std::string> stem = uuid_file_stem(job.uuid);
  if (!stem) return stem.status();
  if (Status valid = check_new_job(job); !valid.is_ok()) return valid;

  // A client's retry of a stored job needs no copy.
  Result<std::optional<HeldJob>> stored = read([&] { return existing(job); });
  if (!stored) return stored.status();
  if (stored->has_value()) return std::move(**stored);

  Result<std::string> temp = copy_to_temp(document_path, spool_dir_, *stem);
  if (!temp) return temp.status();
  std::string file_name = *stem + "." + std::string(extension_for_format(job.format));
  FileRemover temp_remover(*temp);
  FileRemover final_remover;  // armed once the final name may exist, disarmed after COMMIT
  Result<HeldJob> added = write([&]() -> Result<HeldJob> {
    Result<std::optional<HeldJob>> again = existing(job);  // another process may have won
    if (!again) return again.status();
    if (again->has_value()) return std::move(**again);  // our copy goes with temp_remover
    final_remover.reset(spool_dir_ + "/" + file_name);
    return insert(job, *temp, file_name);
  });
  if (added.ok()) final_remover.dismiss();
  return added;
}

}  // namespace pp::store_detail
