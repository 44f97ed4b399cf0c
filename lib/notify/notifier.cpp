// notifier.cpp: Notifier, the record-claim-send-log path every notification takes (notify.h).
#include "notify/notify.h"

namespace pp {
namespace {

// How long a claim keeps other senders off a notification: longer than the command may run.
constexpr std::int64_t kClaimLeaseSeconds = 60;

std::int64_t unix_seconds(NotifyClock now) {
  return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
}

}  // namespace

std::string_view notify_outcome_name(NotifyOutcome outcome) {
  switch (outcome) {
    case NotifyOutcome::kOff:
      return "off";
    case NotifyOutcome::kKnown:
      return "already recorded";
    case NotifyOutcome::kSent:
      return "sent";
    case NotifyOutcome::kRetrying:
      return "failed, will retry";
    case NotifyOutcome::kGivenUp:
      return "failed, given up";
    case NotifyOutcome::kSkipped:
      return "skipped";
  }
  return "?";
}

Notifier::Notifier(NotifySettings settings, NotifyStore& store, PeopleStore* people, NotifyLog log)
    : settings_(std::move(settings)), store_(store), people_(people), log_(std::move(log)) {}

Result<NotifyOutcome> Notifier::notify(NoticeKind kind, const std::string& subject,
                                       const std::string& user, const std::string& title,
                                       const std::string& body, NotifyClock now) {
  if (!settings_.enabled()) return NotifyOutcome::kOff;
  NewNotice notice;
  notice.kind = kind;
  notice.subject = subject;
  notice.recipient = user;
  notice.address = notification_address(settings_.domain, people_, user);
  notice.title = title;
  notice.body = body;
  Result<std::optional<Notice>> recorded = store_.record(notice, unix_seconds(now));
  if (!recorded) return recorded.status();
  if (!*recorded) return NotifyOutcome::kKnown;
  if (log_)
    log_(false, "Notify " + user + " (" + std::string(notice_kind_name(kind)) + " " + subject +
                    "): " + body);
  return send((*recorded)->id, now);
}

Result<NotifyOutcome> Notifier::send(std::int64_t id, NotifyClock now) {
  const std::int64_t at = unix_seconds(now);
  Result<std::optional<Notice>> claimed =
      store_.claim(id, at, kClaimLeaseSeconds, settings_.max_attempts);
  if (!claimed) return claimed.status();
  if (!*claimed) return NotifyOutcome::kKnown;
  const Notice& notice = **claimed;
  Status sent = run_notify_command(settings_.command, notice.address, notice.title, notice.body);
  Status marked = store_.finish(id, sent.is_ok(), sent.is_ok() ? "" : sent.to_string(), at,
                                settings_.max_attempts);
  if (!marked.is_ok()) return marked;
  if (sent.is_ok()) return NotifyOutcome::kSent;
  const bool given_up = notice.attempts >= settings_.max_attempts;
  if (log_)
    log_(true, "notify-command for " + notice.recipient + " (" +
                   std::string(notice_kind_name(notice.kind)) + " " + notice.subject +
                   ") failed, attempt " + std::to_string(notice.attempts) + " of " +
                   std::to_string(settings_.max_attempts) +
                   (given_up ? ", given up: " : ", will retry: ") + sent.to_string());
  return given_up ? NotifyOutcome::kGivenUp : NotifyOutcome::kRetrying;
}

Result<int> Notifier::send_due(NotifyClock now, int limit) {
  if (!settings_.enabled()) return 0;
  Result<std::vector<Notice>> due = store_.due(unix_seconds(now), settings_.max_attempts, limit);
  if (!due) return due.status();
  int sent = 0;
  for (const Notice& notice : *due) {
    Result<NotifyOutcome> outcome = send(notice.id, now);
    if (!outcome) return outcome.status();
    if (*outcome == NotifyOutcome::kSent) ++sent;
  }
  return sent;
}

}  // namespace pp
