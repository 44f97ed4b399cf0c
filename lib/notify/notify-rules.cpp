// notify-rules.cpp: when each kind of notification is told, and in which words (notify.h). The
// doors call these at the moments the brief names: after a hold or a capture (low balance), on
// the timer (expiry warnings, retries), from expire_held_jobs's callback (expired), after a job
// printed (receipts).
#include "notify/notify.h"
#include "pricing/pricing.h"
#include "util/utc-time.h"

namespace pp {
namespace {

std::string quoted(const std::string& title) {
  return "\"" + (title.empty() ? std::string("untitled") : title) + "\"";
}

}  // namespace

Status check_own_preferences(std::string_view signed_in, std::string_view owner) {
  if (signed_in.empty() || signed_in != owner)
    return Status(Code::kPermissionDenied, "these notification settings are not yours");
  return Status::ok();
}

Result<NotifyOutcome> check_low_balance(Notifier& notifier, Ledger& ledger,
                                        const std::string& account, NotifyClock now) {
  const NotifySettings& settings = notifier.settings();
  if (!settings.enabled() || !settings.low_balance_warning) return NotifyOutcome::kOff;
  Result<Account> found = ledger.get_account(account);
  if (!found) return found.status();
  if (found->type != AccountType::kPersonal || found->unlimited) return NotifyOutcome::kSkipped;
  const bool below = found->available() < *settings.low_balance_warning;
  Result<std::optional<std::string>> crossing = notifier.store().cross_low_balance(
      account, below,
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  if (!crossing) return crossing.status();
  if (!*crossing) return NotifyOutcome::kSkipped;
  const std::string available = format_money(found->available(), settings.currency);
  const std::string threshold = format_money(*settings.low_balance_warning, settings.currency);
  return notifier.notify(NoticeKind::kLowBalance, **crossing, account,
                         "pullprint: your balance is low (" + available + ")",
                         "Your available print credit is " + available + ", below " + threshold +
                             ". Top up before your next print.",
                         now);
}

Result<int> warn_expiring_jobs(Notifier& notifier, JobStore& jobs, NotifyClock now) {
  const NotifySettings& settings = notifier.settings();
  if (!settings.enabled() || settings.expiry_warning.count() <= 0) return 0;
  // Held jobs expiring before now + the lead: those already past their time are left to
  // expire_held_jobs (their owner gets "expired", not a late warning).
  Result<std::vector<HeldJob>> soon = jobs.expired(iso_utc(now + settings.expiry_warning));
  if (!soon) return soon.status();
  const std::string now_iso = iso_utc(now);
  int warned = 0;
  for (const HeldJob& job : *soon) {
    if (job.expires_at <= now_iso) continue;
    Result<NotifyOutcome> outcome = notifier.notify(
        NoticeKind::kExpiryWarning, job.uuid, job.owner,
        "pullprint: job " + std::to_string(job.id) + " expires soon",
        "Your held print job " + quoted(job.title) + " (job " + std::to_string(job.id) + ", " +
            std::to_string(job.pages) + " page(s), " + format_money(job.price_minor, job.currency) +
            ") expires at " + job.expires_at + " unless you release it before.",
        now);
    if (!outcome) return outcome.status();
    if (*outcome == NotifyOutcome::kSent || *outcome == NotifyOutcome::kRetrying) ++warned;
  }
  return warned;
}

Result<NotifyOutcome> notify_job_expired(Notifier& notifier, const HeldJob& job, NotifyClock now) {
  return notifier.notify(NoticeKind::kExpired, job.uuid, job.owner,
                         "pullprint: job " + std::to_string(job.id) + " expired",
                         "Your held print job " + quoted(job.title) + " (job " +
                             std::to_string(job.id) + ") was not released by " + job.expires_at +
                             " and has been deleted. Nothing was charged.",
                         now);
}

Result<NotifyOutcome> send_receipt(Notifier& notifier, const Receipt& receipt, NotifyClock now) {
  if (!notifier.settings().enabled()) return NotifyOutcome::kOff;
  Result<bool> wanted = notifier.store().receipts_wanted(receipt.owner);
  if (!wanted) return wanted.status();
  if (!*wanted) return NotifyOutcome::kSkipped;
  std::string body = "Printed " + quoted(receipt.title);
  if (receipt.pages) body += ", " + std::to_string(*receipt.pages) + " page(s)";
  body += ", on " + receipt.printer +
          ". Charged: " + format_money(receipt.amount, receipt.currency) + ". (" + receipt.job_ref +
          ")";
  return notifier.notify(NoticeKind::kReceipt, receipt.job_ref, receipt.owner,
                         "pullprint: receipt for " + quoted(receipt.title), body, now);
}

Result<NotifyRunReport> run_notify_timer(Notifier& notifier, JobStore& jobs, NotifyClock now) {
  NotifyRunReport report;
  Result<int> warned = warn_expiring_jobs(notifier, jobs, now);
  if (!warned) return warned.status();
  report.warned = *warned;
  // A bounded number per run: each command may take up to its timeout, and pullprintd's
  // notification task (a thread of its own) should end its run before the next timer tick; the
  // rest waits for the next run.
  constexpr int kRetriesPerRun = 20;
  Result<int> retried = notifier.send_due(now, kRetriesPerRun);
  if (!retried) return retried.status();
  report.retried = *retried;
  return report;
}

}  // namespace pp
