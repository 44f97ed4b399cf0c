// statement.cpp: what a history entry is to its user, the jobs joined into a page, the
// summary at the top of the account page.
#include "statement/statement.h"

#include <map>

#include "charging/payer.h"
#include "ledger/job-ref.h"
#include "rights/rights.h"

namespace pp {

namespace {

// The job `ref` names, as the job store (held jobs, split parts of them) or the delivery log
// (CUPS-door jobs) still knows it; nullopt when neither does.
Result<std::optional<StatementJob>> find_job(Site& site, const JobRef& ref) {
  const JobRef job_ref = ref.kind() == JobRef::Kind::kSplitPart ? *ref.split_job() : ref;
  if (std::optional<std::string> uuid = job_ref.held_uuid()) {
    Result<HeldJob> held = site.jobs().get_by_uuid(*uuid);
    if (!held && held.status().code() == Code::kNotFound) return std::optional<StatementJob>();
    if (!held) return held.status();
    StatementJob job;
    job.held_job_id = held->id;
    job.owner = held->owner;
    job.title = held->title;
    job.pages = held->pages;
    job.color_pages = held->color_pages;
    job.printer = held->printer;
    return std::optional<StatementJob>(std::move(job));
  }
  if (job_ref.kind() != JobRef::Kind::kCups) return std::optional<StatementJob>();
  Result<Delivery> delivery = site.deliveries().get(job_ref.str());
  if (!delivery && delivery.status().code() == Code::kNotFound)
    return std::optional<StatementJob>();
  if (!delivery) return delivery.status();
  StatementJob job;
  job.owner = delivery->owner;
  job.title = delivery->title;
  job.printer = delivery->printer;
  return std::optional<StatementJob>(std::move(job));
}

}  // namespace

std::string_view statement_kind_name(StatementKind kind) {
  switch (kind) {
    case StatementKind::kPrint:
      return "print";
    case StatementKind::kShare:
      return "share";
    case StatementKind::kTopUp:
      return "top-up";
    case StatementKind::kAllocation:
      return "allocation";
    case StatementKind::kRefund:
      return "refund";
    case StatementKind::kAdjustment:
      return "adjustment";
  }
  return "adjustment";
}

StatementKind statement_kind(const JournalEntry& entry, std::string_view user,
                             std::string_view job_owner) {
  switch (entry.kind) {
    case EntryKind::kCapture:
      return !job_owner.empty() && job_owner != user ? StatementKind::kShare
                                                     : StatementKind::kPrint;
    case EntryKind::kTopUp:
      return StatementKind::kTopUp;
    case EntryKind::kAllocation:
      return StatementKind::kAllocation;
    case EntryKind::kRefund:
      return StatementKind::kRefund;
    case EntryKind::kAdjustment:
      // A grant expiring takes back allocated money only: the allocation's own undoing.
      return entry.allocated != 0 && entry.allocated == entry.amount ? StatementKind::kAllocation
                                                                     : StatementKind::kAdjustment;
    case EntryKind::kReserve:
    case EntryKind::kVoid:
      break;  // history_page never returns them
  }
  return StatementKind::kAdjustment;
}

Result<StatementPage> statement_page(Site& site, std::string_view user, std::int64_t before_id,
                                     int limit) {
  if (limit < 1 || limit >= 1000)
    return Status(Code::kInvalidArgument,
                  "a statement page holds 1 to 999 rows, not " + std::to_string(limit));
  // One more than asked: whether an older page exists, without counting.
  Result<std::vector<HistoryEntry>> entries =
      site.ledger().history_page(user, before_id, limit + 1);
  if (!entries && entries.status().code() == Code::kNotFound) return StatementPage{};
  if (!entries) return entries.status();
  StatementPage page;
  if (static_cast<int>(entries->size()) > limit) {
    entries->resize(limit);
    page.older_before = entries->back().entry.id;
  }
  std::map<std::string, std::optional<StatementJob>> jobs;  // a job refunded twice: read once
  for (HistoryEntry& entry : *entries) {
    StatementRow row;
    row.entry_id = entry.entry.id;
    row.created_at = entry.entry.created_at;
    row.amount = entry.entry.amount;
    row.allocated = entry.entry.allocated;
    row.note = entry.entry.note;
    row.job_ref = entry.job_ref;
    if (!entry.job_ref.empty()) {
      auto found = jobs.find(entry.job_ref);
      if (found == jobs.end()) {
        Result<std::optional<StatementJob>> job =
            find_job(site, JobRef::from_stored(entry.job_ref));
        if (!job) return job.status();
        found = jobs.emplace(entry.job_ref, std::move(*job)).first;
      }
      row.job = found->second;
    }
    row.kind = statement_kind(entry.entry, user, row.job ? row.job->owner : "");
    page.rows.push_back(std::move(row));
  }
  return page;
}

Status for_each_statement_page(Site& site, std::string_view user, int page_rows,
                               const std::function<Status(const StatementPage&)>& each) {
  std::int64_t before = 0;
  while (true) {
    Result<StatementPage> page = statement_page(site, user, before, page_rows);
    if (!page) return page.status();
    if (Status status = each(*page); !status.is_ok()) return status;
    if (!page->older_before) return Status::ok();
    before = *page->older_before;
  }
}

Result<AccountSummary> account_summary(Site& site, const Config& config, std::string_view user) {
  Result<Account> personal = resolve_payer(site.ledger(), config, user, std::nullopt);
  if (!personal) return personal.status();
  Result<std::vector<Account>> shared =
      chargeable_accounts(site.ledger(), user, group_check(site.people()));
  if (!shared) return shared.status();
  return AccountSummary{std::move(*personal), std::move(*shared)};
}

}  // namespace pp
