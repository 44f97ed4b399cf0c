// report-sqlite.cpp: the SQLite ReportStore on the ledger file (report-store.h): one read
// transaction streams the captures and refunds of a range with their jobs; run_report() counts
// them (report.h). Its own connection, as the audit log and the refund store have.
#include <SQLiteCpp/SQLiteCpp.h>

#include <unordered_map>

#include "ledger/ledger.h"
#include "reports/report-store.h"
#include "site/site.h"
#include "sqlite/connection.h"
#include "sqlite/rows.h"

namespace pp {
namespace {

// 013-reports.sql: the delivery rows' pages and the index on the journal's charges.
constexpr int kReportsSchemaVersion = 13;

// One row per capture or refund entry of the range. The job: the delivery row of the
// reservation's reference (a whole job, a split part), else, for a ratio split's share, the
// delivery row of the split's job. The last column says whether the job is a split's (a share,
// or the job's own zero carrier): only such a job has several captures. `kind IN (...)` is the partial index's own condition, so
// that SQLite reads journal_charges_by_time and nothing else of the journal.
constexpr const char* kChargesSql =
    "SELECT j.id, j.created_at, j.kind, j.amount, j.account_id,"
    "       COALESCE(d.job_ref, d2.job_ref, r.job_ref), COALESCE(d.owner, d2.owner, ''),"
    "       COALESCE(d.printer, d2.printer, ''), COALESCE(d.pages, d2.pages, 0),"
    "       COALESCE(d.color_pages, d2.color_pages, 0), COALESCE(d.sheets, d2.sheets, 0),"
    "       COALESCE(d.duplex, d2.duplex, 0),"
    "       s.id IS NOT NULL OR EXISTS (SELECT 1 FROM splits WHERE job_ref = d.job_ref)"
    "  FROM journal AS j"
    "  JOIN reservations AS r ON r.id = j.reservation_id"
    "  LEFT JOIN deliveries AS d ON d.job_ref = r.job_ref"
    "  LEFT JOIN split_shares AS s ON d.job_ref IS NULL AND s.reservation_id = r.id"
    "  LEFT JOIN splits AS sp ON sp.id = s.split_id"
    "  LEFT JOIN deliveries AS d2 ON d2.job_ref = sp.job_ref"
    " WHERE j.kind IN ('capture', 'refund') AND j.created_at >= ?1 AND j.created_at < ?2"
    " ORDER BY j.created_at";

// The accounts by id (name, shared), read once per report rather than joined per entry: a site
// has thousands of accounts and a year hundreds of thousands of entries.
struct AccountName {
  std::string name;
  bool shared = false;
};

class SqliteReportStore final : public ReportStore {
 public:
  explicit SqliteReportStore(const std::string& path)
      : connection_(path, "reports", Code::kInvalidArgument), db_(connection_.db()) {}

  Status initialize() {
    return connection_.initialize([this](SQLite::Database& db) {
      if (db.execAndGet("PRAGMA user_version").getInt() < kReportsSchemaVersion)
        return Status(Code::kInternal, connection_.path() + ": ledger has no report facts");
      return Status::ok();
    });
  }

  Status for_each_charge(const std::string& from, const std::string& to,
                         const std::function<void(const ReportCharge&)>& each) override {
    return connection_.read([&]() -> Status {
      std::unordered_map<std::int64_t, AccountName> accounts;
      SQLite::Statement names(db_, "SELECT id, name, type FROM accounts");
      while (names.executeStep())
        accounts[names.getColumn(0).getInt64()] = {names.getColumn(1).getString(),
                                                   names.getColumn(2).getString() == "shared"};
      SQLite::Statement query(db_, kChargesSql);
      sqlite::bind_values(query, from, to);
      ReportCharge charge;
      std::string kind;
      std::int64_t account_id = 0, duplex = 0, split_share = 0;
      while (query.executeStep()) {
        sqlite::read_columns(query, charge.entry_id, charge.at, kind, charge.amount, account_id,
                             charge.job, charge.owner, charge.printer, charge.pages,
                             charge.color_pages, charge.sheets, duplex, split_share);
        const AccountName& account = accounts[account_id];
        charge.account = account.name;
        charge.shared_account = account.shared;
        charge.refund = kind == "refund";
        if (!charge.refund) charge.amount = -charge.amount;
        charge.duplex = duplex != 0;
        charge.split_share = split_share != 0;
        // A charge without a delivery row (a job settled before the delivery log, an entry
        // made by hand): its personal account's holder printed it.
        if (charge.owner.empty() && !charge.shared_account) charge.owner = charge.account;
        each(charge);
      }
      return Status::ok();
    });
  }

  Result<ReportGroups> groups() override {
    return connection_.read([&]() -> Result<ReportGroups> {
      SQLite::Statement query(db_,
                              "SELECT m.user, g.name FROM group_members AS m"
                              "  JOIN groups AS g ON g.id = m.group_id ORDER BY m.user, g.name");
      ReportGroups groups;
      while (query.executeStep()) {
        std::string user, group;
        sqlite::read_columns(query, user, group);
        groups[user].push_back(std::move(group));
      }
      return groups;
    });
  }

 private:
  sqlite::Connection connection_;
  SQLite::Database& db_;
};

}  // namespace

Result<std::unique_ptr<ReportStore>> ReportStore::open(const std::string& ledger_path,
                                                       LedgerMigrations migrations) {
  if (migrations == LedgerMigrations::kRun) {
    Result<std::unique_ptr<Ledger>> ledger = open_sqlite_ledger(ledger_path);
    if (!ledger) return ledger.status();
  }
  try {
    auto store = std::make_unique<SqliteReportStore>(ledger_path);
    if (Status status = store->initialize(); !status.is_ok()) return status;
    return std::unique_ptr<ReportStore>(std::move(store));
  } catch (const std::exception& error) {
    return sqlite::status_from_exception(error, "reports", Code::kInternal);
  }
}

Result<std::unique_ptr<ReportStore>> open_report_store(const Config& config) {
  return ReportStore::open(Site::ledger_path_of(config));
}

Result<Report> run_report(ReportStore& store, const ReportQuery& query, const ReportScope& scope) {
  if (Status checked = check_report_query(query); !checked.is_ok()) return checked;
  Result<ReportGroups> groups = store.groups();
  if (!groups) return groups.status();
  ReportBuilder builder(query, std::move(*groups), scope);
  const auto [from, to] = report_time_range(query);
  if (Status read = store.for_each_charge(from, to, [&](const ReportCharge& c) { builder.add(c); });
      !read.is_ok())
    return read;
  return builder.finish();
}

}  // namespace pp
