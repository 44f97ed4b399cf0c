// report-store.h: where a report's charges come from (report.h). An interface, so that a site
// whose ledger is in PostgreSQL (ARCHITECTURE.md §6) implements the one query; the SQLite
// implementation (report-sqlite.cpp) reads the ledger file: the journal's captures and refunds
// of the range (index journal_charges_by_time, 013-reports.sql) with their reservation, account,
// delivery row (and a ratio split share's job's delivery row), and the people store's groups.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "config/config.h"
#include "ledger/ledger.h"
#include "reports/report.h"
#include "util/status.h"

namespace pp {

class ReportStore {
 public:
  // Opens the SQLite store on the ledger file at `ledger_path` (migrated by the ledger).
  static Result<std::unique_ptr<ReportStore>> open(
      const std::string& ledger_path, LedgerMigrations migrations = LedgerMigrations::kRun);
  virtual ~ReportStore() = default;

  // Calls `each` for every capture and refund entry with from <= time < to (ISO 8601 UTC), in
  // time order, in one read transaction.
  virtual Status for_each_charge(const std::string& from, const std::string& to,
                                 const std::function<void(const ReportCharge&)>& each) = 0;
  // Every user's groups.
  virtual Result<ReportGroups> groups() = 0;
};

// The site's report store (the ledger file of the configuration's state directory).
Result<std::unique_ptr<ReportStore>> open_report_store(const Config& config);

// The report of `query` from `store` (check_report_query first), limited to `scope`.
Result<Report> run_report(ReportStore& store, const ReportQuery& query,
                          const ReportScope& scope = {});

}  // namespace pp
