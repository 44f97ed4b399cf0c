// backend-job.cpp: job mode, the door between cupsd (or pullprintd) and the real backend.
//
// What the backend may do with a job is decided by its delivery row (lib/delivery):
//   no row     CUPS door: the filter's reservation must exist (else the job is refused: nothing
//              prints unaccounted); the job is recorded as held and cupsd holds it (status 3)
//   held       still waiting for its owner: hold again
//   released   the in-flight record first, then the real backend, then capture/void/review
//              (and, for a CUPS-door split job, its shares: lib/split-jobs/split-cups.h)
//   in-flight  another live backend sends it: retry later; a dead one's attempt is taken over
//   printed    already printed and charged: success without sending anything
//   voided / review   refused (an admin decides a review)
#include <cups/cups.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "backend/backend.h"
#include "charging/payer.h"
#include "config/config.h"
#include "delivery/job-ref.h"
#include "ledger/job-ref.h"
#include "ledger/ledger.h"
#include "notify/notify.h"
#include "pricing/pricing.h"
#include "site/site.h"
#include "split-jobs/split-cups.h"
#include "util/unique-fd.h"

namespace pp::backend {

namespace {

constexpr const char* kActor = "pullprint-backend";

// Log lines for cupsd: "LEVEL: pullprint: text".
void say(const char* level, const std::string& text) {
  std::fprintf(stderr, "%s: pullprint: %s\n", level, text.c_str());
}

int fail(int status, const std::string& text) {
  say("ERROR", text);
  return status;
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Reads the job's data to its end and drops it. cupsd runs the filters and the backend at the
// same time, joined by pipes: the filter reserves the price before it writes its first byte,
// so the reservation can be looked up only once data (or end of file) arrives; and a backend
// that does not print the job (hold, refusal) lets the filters finish normally instead of
// failing on a broken pipe.
void drain_input(int argc) {
  if (argc == 7) return;  // a file argument: nothing waits on us
  char buffer[65536];
  for (;;) {
    ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got == 0 || (got < 0 && errno != EINTR)) return;
  }
}

// Everything one job run needs, opened once.
struct JobContext {
  Config config;
  std::optional<Site> site;  // the ledger and the delivery log
  RealDevice device;
  std::string printer;  // $PRINTER: the CUPS queue ("" when pullprintd runs us)
  std::string currency;
  int argc = 0;
  char** argv = nullptr;
};

std::string money(const JobContext& job, std::int64_t minor, const std::string& currency) {
  return format_money(minor, currency.empty() ? job.currency : currency);
}

// The job's ledger reference. The pullprint-job-ref option names a pullprintd job; anybody can
// put it on a CUPS job, so it counts only when pullprintd runs us itself (a CUPS user cannot
// set a backend's environment) or when pullprintd recorded this very CUPS job on that row.
// Otherwise it is ignored: nobody prints their document on somebody else's released job.
Result<std::string> job_reference(JobContext& job, const std::map<std::string, std::string>& options) {
  bool pullprintd_door = env("PULLPRINT_DOOR") == "pullprintd";
  std::string claimed;
  if (auto it = options.find(kJobRefOption); it != options.end()) claimed = it->second;
  if (pullprintd_door) {
    if (claimed.empty())
      return Status(Code::kInvalidArgument, std::string("pullprintd passed no ") + kJobRefOption);
    return claimed;
  }
  std::string cups_ref = JobRef::cups(options, job.printer, job.argv[1]).str();
  if (claimed.empty() || claimed == cups_ref) return cups_ref;
  if (confirmed_pullprintd_ref(job.site->deliveries(), options, job.printer, job.argv[1]))
    return claimed;
  say("WARNING", std::string("ignoring ") + kJobRefOption + "=" + claimed +
                     ": it is not a job pullprintd submitted to this queue");
  return cups_ref;
}

// cupsd starts the filters and the backend at once: the reservation appears when the
// pullprint-cost pre-filter has priced the document, which it does before it writes its first
// byte. Data (or the end of it: a failed filter) on stdin means the filters are that far; nothing
// is read, the job is only looked at. With a file argument there are no filters to wait for.
void wait_for_filters(const JobContext& job) {
  if (job.argc > 6) return;
  pollfd input{STDIN_FILENO, POLLIN, 0};
  while (::poll(&input, 1, -1) < 0 && errno == EINTR) {
  }
}

// CUPS door, first run of a job: hold it when the filter reserved its price.
int hold_new_job(JobContext& job, const std::string& job_ref) {
  wait_for_filters(job);
  Result<std::optional<Reservation>> reservation =
      job.site->ledger().find_reservation_by_key(JobRef::from_stored(job_ref).reserve_key());
  if (!reservation) return fail(kFailed, reservation.status().to_string());
  if (!*reservation) {
    return fail(kCancel, "job " + job_ref +
                             " has no reservation in the ledger; refusing to print it "
                             "unaccounted (is pullprint-cost the queue's pre-filter?)");
  }
  if ((*reservation)->state != ReservationState::kOpen)
    return fail(kCancel, "the reservation of job " + job_ref + " is already " +
                             ((*reservation)->state == ReservationState::kCaptured
                                  ? std::string("captured")
                                  : std::string("voided")));
  HeldDelivery held;
  held.job_ref = job_ref;
  held.reservation_id = (*reservation)->id;
  held.owner = job.argv[2];
  held.title = job.argv[3];
  held.printer = job.printer;
  held.device_uri = job.device.redacted_uri;
  held.cups_queue = job.printer;
  held.cups_job_id = std::atoll(job.argv[1]);
  if (held.cups_queue.empty() || held.cups_job_id <= 0)
    return fail(kCancel, "no CUPS queue ($PRINTER) or job id: cannot hold the job");
  Result<Delivery> row = job.site->deliveries().hold(held);
  if (!row) return fail(kFailed, row.status().to_string());
  const std::string progress =
      cups_split_progress(job.site->splits(), JobRef::from_stored(job_ref));
  if (!progress.empty()) {
    std::fprintf(stderr,
                 "INFO: Held for release: %s, %s; release it at a pullprint terminal once "
                 "settled\n",
                 row->title.empty() ? job_ref.c_str() : row->title.c_str(), progress.c_str());
    return kHold;
  }
  std::fprintf(stderr, "INFO: Held for release: %s, %s reserved; release it at a pullprint terminal\n",
               row->title.empty() ? job_ref.c_str() : row->title.c_str(),
               money(job, (*reservation)->amount, "").c_str());
  return kHold;
}

// A dead attempt whose money was already settled is finished from the ledger, not resent
// (lib/delivery's settle_dead_attempt, the rule reconcile_deliveries applies too).
std::optional<int> finish_dead_attempt(JobContext& job, const Delivery& row) {
  Result<std::optional<Delivery>> settled =
      settle_dead_attempt(job.site->ledger(), job.site->deliveries(), row, "the previous attempt");
  if (!settled) {
    // A reservation that is not there fails the job; anything else (a row another process
    // moved, a busy database) is tried again.
    return fail(settled.status().code() == Code::kNotFound ? kFailed : kRetry,
                settled.status().to_string());
  }
  if (!*settled) return std::nullopt;  // still open: send again
  if ((*settled)->state != DeliveryState::kPrinted)
    return fail(kCancel, "job " + row.job_ref + " was cancelled");
  std::fprintf(stderr, "INFO: Job already printed and charged\n");
  return kOk;
}

// The user a non-root backend runs as (cupsd's rule), when we are root.
Result<std::optional<RunAs>> backend_user(const JobContext& job, const std::string& program) {
  if (::geteuid() != 0 || runs_as_root(program)) return std::optional<RunAs>();
  std::string name = job.config.get_string("backend-user", "lp");
  const passwd* entry = ::getpwnam(name.c_str());
  if (!entry) return Status(Code::kNotFound, "backend-user " + name + " does not exist");
  return std::optional<RunAs>(RunAs{entry->pw_uid, entry->pw_gid});
}

// After a CUPS-door job printed (`done`): its owner's receipt (opt-in) and low balance, through
// lib/notify. pullprintd's own jobs are told by pullprintd (it knows their pages); a failure is
// a warning in cupsd's log, never the job's.
void notify_printed(JobContext& job, const Delivery& done) {
  if (JobRef::from_stored(done.job_ref).held_uuid()) return;
  Result<NotifySettings> settings = notify_settings_from_config(job.config);
  if (!settings || !settings->enabled()) return;
  Result<std::unique_ptr<NotifyStore>> store =
      open_sqlite_notify_store(Site::ledger_path_of(job.config), LedgerMigrations::kAlreadyRun);
  if (!store) return say("WARNING", "notifications: " + store.status().to_string());
  Notifier notifier(
      std::move(*settings), **store, &job.site->people(),
      [](bool error, const std::string& line) { say(error ? "WARNING" : "INFO", line); });
  const NotifyClock now = std::chrono::system_clock::now();
  Receipt receipt;
  receipt.job_ref = done.job_ref;
  receipt.owner = done.owner;
  receipt.title = done.title;
  receipt.printer = done.printer;
  receipt.amount = done.amount;
  receipt.currency = done.currency.empty() ? job.currency : done.currency;
  if (Result<NotifyOutcome> sent = send_receipt(notifier, receipt, now); !sent)
    say("WARNING", "receipt: " + sent.status().to_string());
  if (Result<NotifyOutcome> low = check_low_balance(notifier, job.site->ledger(), done.owner, now);
      !low)
    say("WARNING", "low balance notification: " + low.status().to_string());
}

// Sends a released job through the real backend and settles it.
int deliver(JobContext& job, const Delivery& released) {
  // file:///DIR is our own folder device; everything else has a CUPS backend.
  const bool folder = job.device.scheme == "file";
  std::string program = server_bin() + "/backend/" + job.device.scheme;
  if (!folder && ::access(program.c_str(), X_OK) != 0)
    return fail(kStop, "no CUPS backend for " + job.device.scheme + ": " + program);
  Result<std::optional<RunAs>> run_as =
      folder ? Result<std::optional<RunAs>>(std::optional<RunAs>()) : backend_user(job, program);
  if (!run_as) return fail(kStop, run_as.status().message());
  UniqueFd file;
  int input = STDIN_FILENO;
  if (job.argc == 7) {
    file.reset(::open(job.argv[6], O_RDONLY | O_CLOEXEC));
    if (!file.valid()) return fail(kFailed, std::string("cannot open ") + job.argv[6]);
    input = file.get();
  }
  forward_termination();
  // The in-flight record before the first byte: a crash from here on is recoverable.
  Result<Delivery> started =
      job.site->deliveries().begin(released.job_ref, current_process_stamp());
  if (!started) {
    if (started.status().code() == Code::kConflict) {
      say("INFO", started.status().message());
      return kRetry;
    }
    return fail(kFailed, started.status().to_string());
  }
  std::fprintf(stderr, "INFO: Sending to %s\n", job.device.redacted_uri.c_str());

  RealBackendCall call;
  call.program = program;
  call.argv = {job.device.redacted_uri, job.argv[1], job.argv[2], job.argv[3], job.argv[4],
               job.argv[5]};
  call.device_uri = job.device.uri;
  call.input_fd = input;
  call.run_as = *run_as;
  call.reports_connection = reports_connection(job.device.scheme);
  DeliveryOutcome outcome =
      folder ? write_to_folder(job.device.uri, job.argv[1], job.argv[2], input)
             : run_real_backend(call);
  // SIGTERM is how cupsd cancels a job; pullprintd cancels its jobs itself (voiding under the
  // same key), and a SIGTERM there is its shutdown: the job stays released for a later try.
  if (env("PULLPRINT_DOOR") == "pullprintd" && outcome.exit_status != kCancel)
    outcome.cancelled = false;

  Result<Delivery> done = finish_delivery(job.site->ledger(), job.site->deliveries(),
                                          released.job_ref, outcome, kActor);
  if (!done) {
    // The row stays in flight; the next run or reconciliation settles it from the ledger.
    return fail(kRetry, "the job was sent but could not be settled: " + done.status().to_string());
  }
  // A CUPS-door split job: its shares follow the delivery (lib's settle_cups_split; a failure
  // here is caught up by pullprintd's split timer, the capture keys make it once).
  Result<std::string> shares =
      settle_cups_split(*job.site, *done, kActor, std::chrono::system_clock::now());
  if (!shares)
    say("WARNING", "the split's shares are not settled yet: " + shares.status().to_string());
  switch (done->state) {
    case DeliveryState::kPrinted:
      notify_printed(job, *done);
      if (shares && !shares->empty()) {
        std::fprintf(stderr, "INFO: Printed and charged the split: %s\n", shares->c_str());
        return kOk;
      }
      std::fprintf(stderr, "INFO: Printed and charged %s\n",
                   money(job, done->amount, done->currency).c_str());
      return kOk;
    case DeliveryState::kReleased:
      // Nothing reached the device: cupsd's error policy applies to the real backend's status.
      say("INFO", "nothing was sent; the job stays released and its price reserved");
      if (outcome.exit_status >= kFailed && outcome.exit_status <= kRetryCurrent)
        return outcome.exit_status;
      return kFailed;
    case DeliveryState::kVoided:
      return fail(kCancel, "job cancelled before any data was sent; nothing charged");
    default:
      return fail(kCancel, "job " + done->job_ref + " failed after " +
                               std::to_string(done->bytes_sent) +
                               " bytes were sent; an administrator must review it "
                               "(pullprint review " + done->job_ref + " --capture|--void)");
  }
}

// Opens the configuration and the site (the ledger and the delivery log).
Status open_context(JobContext& job) {
  std::string path = env("PULLPRINT_CONFIG");
  Result<Config> config = load_config(path.empty() ? std::nullopt : std::optional(path), {});
  if (!config) return config.status();
  job.config = std::move(*config);
  Result<Site> site =
      Site::open(job.config, SiteStores{.splits = true, .deliveries = true, .people = true});
  if (!site) return site.status();
  job.site.emplace(std::move(*site));
  Result<PriceProfile> profile = price_profile_from_config(job.config, "default");
  job.currency = profile ? profile->currency : "";
  return Status::ok();
}

}  // namespace

Result<RealDevice> parse_device_uri(const std::string& device_uri) {
  std::string prefix = std::string(kScheme) + ":";
  if (device_uri.rfind(prefix, 0) != 0)
    return Status(Code::kInvalidArgument, "device URI " + device_uri + " is not pullprint:REAL-URI");
  RealDevice device;
  device.uri = device_uri.substr(prefix.size());
  std::size_t colon = device.uri.find(':');
  if (colon == std::string::npos || colon == 0)
    return Status(Code::kInvalidArgument, "device URI pullprint:" + device.uri + " names no real URI");
  device.scheme = device.uri.substr(0, colon);
  for (char c : device.scheme) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
      return Status(Code::kInvalidArgument, "device URI has a malformed scheme: " + device.scheme);
  }
  if (device.scheme == kScheme)
    return Status(Code::kInvalidArgument, "a pullprint device URI cannot wrap another one");
  // Without user name and password: they go to the real backend only in DEVICE_URI.
  char scheme[32], user[256], host[1024], resource[1024];
  int port = 0;
  if (httpSeparateURI(HTTP_URI_CODING_ALL, device.uri.c_str(), scheme, sizeof scheme, user,
                      sizeof user, host, sizeof host, &port, resource,
                      sizeof resource) >= HTTP_URI_STATUS_OK &&
      user[0] != '\0') {
    char redacted[2048];
    httpAssembleURI(HTTP_URI_CODING_ALL, redacted, sizeof redacted, scheme, nullptr, host, port,
                    resource);
    device.redacted_uri = redacted;
  } else {
    device.redacted_uri = device.uri;
  }
  return device;
}

int run_job(int argc, char* argv[]) {
  ::setbuf(stderr, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  JobContext job;
  job.argc = argc;
  job.argv = argv;
  std::string device_uri = env("DEVICE_URI");
  Result<RealDevice> device = parse_device_uri(device_uri.empty() ? argv[0] : device_uri);
  if (!device) return fail(kStop, device.status().message());
  job.device = std::move(*device);
  job.printer = env("PRINTER");
  if (Status opened = open_context(job); !opened.is_ok()) return fail(kFailed, opened.to_string());

  std::map<std::string, std::string> options = parse_cups_options(argv[5]);
  Result<std::string> job_ref = job_reference(job, options);
  if (!job_ref) return fail(kCancel, job_ref.status().message());

  Result<Delivery> row = job.site->deliveries().get(*job_ref);
  if (!row || (row->state != DeliveryState::kReleased && row->state != DeliveryState::kInFlight)) {
    // Not printing on this run (decided on the row as read: a job released meanwhile is not
    // sent with its data gone; its Release-Job runs it again); and once the filters are done
    // the filter's reservation is there to be found.
    drain_input(argc);
  }
  if (!row) {
    if (row.status().code() != Code::kNotFound) return fail(kFailed, row.status().to_string());
    if (env("PULLPRINT_DOOR") == "pullprintd")
      return fail(kCancel, "job " + *job_ref + " was not released");
    return hold_new_job(job, *job_ref);
  }
  switch (row->state) {
    case DeliveryState::kHeld:
      std::fprintf(stderr, "INFO: Held for release: %s\n",
                   row->title.empty() ? row->job_ref.c_str() : row->title.c_str());
      return kHold;
    case DeliveryState::kPrinted:
      std::fprintf(stderr, "INFO: Job already printed and charged; not sending it again\n");
      return kOk;
    case DeliveryState::kVoided:
      return fail(kCancel, "job " + row->job_ref + " was voided: " + row->message);
    case DeliveryState::kReview:
      return fail(kCancel, "job " + row->job_ref +
                               " is under review; an administrator must decide on it");
    case DeliveryState::kInFlight:
      if (process_alive({row->pid.value_or(0), row->pid_start})) {
        say("INFO", "job " + row->job_ref + " is being sent by process " +
                        std::to_string(row->pid.value_or(0)) + "; retrying later");
        drain_input(argc);
        return kRetry;
      }
      if (std::optional<int> settled = finish_dead_attempt(job, *row)) {
        drain_input(argc);
        return *settled;
      }
      return deliver(job, *row);
    case DeliveryState::kReleased:
      return deliver(job, *row);
  }
  return kFailed;
}

}  // namespace pp::backend
