// release-deliver.cpp: the second step of a release: the wrapper backend sends the job, and its
// record in the delivery log says what became of it.
//
// A printer with a device URI: pullprintd runs the backend the way cupsd would (argv[0] = device
// URI "pullprint:REAL-URI", job-id user title copies options, the document on stdin, DEVICE_URI),
// plus PULLPRINT_DOOR=pullprintd, which tells it to trust the pullprint-job-ref option (cupsd never
// passes that variable, so a job printed straight to a CUPS queue cannot claim a released job).
// A printer that needs a driver (cups-queue): the job goes to that local CUPS queue, whose
// device URI is pullprint:..., and the backend there prints and settles it.
#include <cups/cups.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <cerrno>
#include <cstring>

#include "delivery/job-ref.h"
#include "holding/holding.h"
#include "pricing/pricing.h"
#include "printers/printers.h"
#include "release/release.h"
#include "split-jobs/split-jobs.h"
#include "split-jobs/split-parts.h"
#include "util/child-process.h"
#include "util/cups-handles.h"
#include "util/unique-fd.h"

namespace pp {
namespace {

constexpr std::int64_t kDefaultReleaseTimeout = 900;

// A CUPS option value, quoted when it has spaces or quotes (cupsParseOptions reads it back).
std::string option_value(const std::string& value) {
  if (value.find_first_of(" \t'\"\\") == std::string::npos && !value.empty()) return value;
  std::string text = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') text += '\\';
    text += c;
  }
  return text + "'";
}

// argv[5] of the backend: the options it prints with and the delivery reference. A part's
// pages are in its own document already, so its page-ranges are not sent.
std::string backend_options(const ClaimedRelease& claim, std::string& copies) {
  std::string text;
  copies = "1";
  for (const auto& [key, value] : claim.print_options()) {
    if (key == "copies") copies = value;
    if (key == "page-ranges" && claim.document_path != claim.job.document_path) continue;
    text += key + "=" + option_value(value) + " ";
  }
  return text + kJobRefOption + "=" + option_value(claim.delivery_ref());
}

ChildProcessOptions backend_command(const BackendSettings& backend, const ClaimedRelease& claim) {
  const HeldJob& job = claim.job;
  const std::string device_uri = "pullprint:" + claim.printer.device_uri;
  std::string copies;
  const std::string options = backend_options(claim, copies);
  ChildProcessOptions command;
  command.program = backend.program;
  command.display_name = "backend for " + claim.printer.name;
  command.argv = {device_uri, std::to_string(job.id), job.owner, job.title, copies, options};
  command.stdin_path = claim.document_path;
  command.timeout_seconds = backend.timeout_seconds;
  command.environment = {
      "DEVICE_URI=" + device_uri,      "PULLPRINT_DOOR=pullprintd",
      "PRINTER=" + claim.printer.name, "PRINTER_LOCATION=" + claim.printer.location,
      "CONTENT_TYPE=" + job.format,    "FINAL_CONTENT_TYPE=" + job.format};
  if (!backend.config_path.empty())
    command.environment.push_back("PULLPRINT_CONFIG=" + backend.config_path);
  return command;
}

// Runs the backend; a failure carries its own words (the last line it wrote). Like cupsd, gives it
// a back channel (fd 3: here /dev/null, no filter reads it) and a side channel (fd 4: a socket
// whose other end stays open and silent): CUPS's ipp backend polls fd 4 and loops forever on a
// closed one.
Status run_backend(const BackendSettings& backend, const ClaimedRelease& claim) {
  UniqueFd back_channel(::open("/dev/null", O_WRONLY | O_CLOEXEC));
  int side[2];
  if (!back_channel.valid() || ::socketpair(AF_LOCAL, SOCK_STREAM | SOCK_CLOEXEC, 0, side) != 0)
    return Status(Code::kIoError,
                  std::string("cannot set up the backend's channels: ") + std::strerror(errno));
  UniqueFd side_ours(side[0]), side_theirs(side[1]);
  ChildProcessOptions command = backend_command(backend, claim);
  command.inherit_fds = {back_channel.get(), side_theirs.get()};
  Result<ChildProcess> child = ChildProcess::start(command);
  if (!child) return child.status();
  return child->wait();
}

// Submits the job to the CUPS queue of a printer that needs a driver, as its owner, with its
// options and pullprint-job-ref; the queue's filters and its pullprint backend do the rest. The
// CUPS job is recorded in the delivery log before the document goes, which is what makes the
// backend (and the pullprint-cost filter, which then leaves the job's price alone) trust the
// job reference. Fails (kIoError) with why when the document was not handed over.
Status submit_to_cups(DeliveryLog& log, const ClaimedRelease& claim) {
  const HeldJob& job = claim.job;
  const std::string& queue = claim.printer.cups_queue;
  std::string copies;
  const std::string options_text = backend_options(claim, copies);
  CupsOptions options;
  options.parse(options_text.c_str());
  cupsSetUser(job.owner.c_str());  // per thread: this worker's requests only
  const int cups_job = cupsCreateJob(CUPS_HTTP_DEFAULT, queue.c_str(), job.title.c_str(),
                                     options.count(), options.get());
  if (cups_job <= 0)
    return Status(Code::kIoError, std::string("CUPS refused the job: ") + cupsLastErrorString());
  auto abandon = [&](const std::string& why) {
    cupsCancelJob2(CUPS_HTTP_DEFAULT, queue.c_str(), cups_job, 0);
    return Status(Code::kIoError, why);
  };
  if (Status recorded = log.set_cups_job(claim.delivery_ref(), queue, cups_job); !recorded.is_ok())
    return abandon(recorded.message());
  if (cupsStartDocument(CUPS_HTTP_DEFAULT, queue.c_str(), cups_job, job.title.c_str(),
                        job.format.c_str(), 1) != HTTP_STATUS_CONTINUE)
    return abandon(std::string("CUPS did not take the document: ") + cupsLastErrorString());
  UniqueFd document(::open(claim.document_path.c_str(), O_RDONLY | O_CLOEXEC));
  char buffer[65536];
  ssize_t got = document.valid() ? 0 : -1;
  while (document.valid() && (got = ::read(document.get(), buffer, sizeof buffer)) > 0) {
    if (cupsWriteRequestData(CUPS_HTTP_DEFAULT, buffer, static_cast<std::size_t>(got)) !=
        HTTP_STATUS_CONTINUE)
      break;
  }
  const bool sent = got == 0;
  if (cupsFinishDocument(CUPS_HTTP_DEFAULT, queue.c_str()) > IPP_STATUS_OK_CONFLICTING || !sent)
    return abandon(std::string("sending the document to CUPS failed: ") + cupsLastErrorString());
  return Status::ok();
}

// Waits until the queue's backend settled the job in the delivery log (or the CUPS job ended
// without it: a filter failed, someone cancelled it in CUPS), at most `timeout_seconds`; fails
// with why it stopped waiting.
Status wait_for_cups(DeliveryLog& log, const ClaimedRelease& claim, int timeout_seconds) {
  const std::string job_ref = claim.delivery_ref();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    Result<Delivery> delivery = log.get(job_ref);
    if (!delivery) return delivery.status();
    if (delivery->state != DeliveryState::kReleased && delivery->state != DeliveryState::kInFlight)
      return Status::ok();
    if (delivery->state == DeliveryState::kReleased && delivery->cups_job_id) {
      Result<bool> active = cups_job_active(*delivery->cups_job_id);
      if (active && !*active)
        return Status(Code::kIoError, "the CUPS job ended before its backend printed it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // polling cupsd, not a sync
  }
  return Status(Code::kLimitExceeded, "no answer from the CUPS queue within release-timeout");
}

std::string printed_message(const ClaimedRelease& claim) {
  return "Printed on " + claim.printer.name + ": " +
         format_money(claim.price_minor, claim.currency);
}

// The job after a backend run (`sent`: how handing it over went), from the delivery log's
// record.
Result<HeldJob> settle_job(Site& site, const ClaimedRelease& claim, const Status& sent) {
  JobStore& store = site.jobs();
  DeliveryLog& log = site.deliveries();
  const HeldJob& job = claim.job;
  const std::string job_ref = JobRef::held(job.uuid).str();
  Result<Delivery> delivery = log.get(job_ref);
  if (delivery && delivery->state == DeliveryState::kInFlight) {
    // The backend died (killed, timed out) with the job in flight.
    if (Result<int> fixed = reconcile_deliveries(site.ledger(), log); !fixed) return fixed.status();
    delivery = log.get(job_ref);
  }
  const std::string where = claim.printer.name;
  ReleaseNote note{where, job.released_by, std::nullopt, ""};
  HeldJobState to = HeldJobState::kHeld;
  if (!delivery || delivery->state == DeliveryState::kReleased ||
      delivery->state == DeliveryState::kHeld) {
    std::string reason = delivery && !delivery->message.empty() ? delivery->message
                         : !sent.is_ok()                        ? sent.message()
                                         : "the printer did not take the job";
    Status back = withdraw_release(
        site, claim,
        "Not printed: " + where + " did not receive the job (" + reason +
            "). It is still held and nothing was charged; release it again or at another printer.");
    if (!back.is_ok()) return back;
    return store.get(job.id);
  }
  switch (delivery->state) {
    case DeliveryState::kPrinted:
      to = HeldJobState::kPrinted;
      note.final_price_minor = delivery->amount;
      note.message = printed_message(claim);
      break;
    case DeliveryState::kVoided:
      to = HeldJobState::kCancelled;
      note.message = "Cancelled while printing on " + where + "; nothing was charged.";
      break;
    default:  // review
      to = HeldJobState::kFailed;
      note.message = "Printing on " + where + " failed after the job was sent (" +
                     delivery->message +
                     "). An admin will check whether it printed; nothing is charged until then.";
      break;
  }
  if (Status noted = store.record_release(job.id, note); !noted.is_ok()) return noted;
  if (Status moved = store.transition(job.id, HeldJobState::kReleasing, to); !moved.is_ok())
    return moved;
  if (to != HeldJobState::kFailed) {
    if (Status deleted = store.delete_document(job.id); !deleted.is_ok()) return deleted;
  }
  return store.get(job.id);
}

// A split job printed (the backend captured the zero carrier): each approved share is captured
// now; a failure here is caught up by pullprintd's split timer (run_split_timers).
Result<HeldJob> settle_split_print(Site& site, const ClaimedRelease& claim, const HeldJob& job) {
  Result<std::string> captured =
      capture_split_print(site.splits(), job, kHoldActor, std::chrono::system_clock::now());
  if (!captured) return captured.status();
  ReleaseNote note{claim.printer.name, job.released_by, claim.price_minor,
                   printed_message(claim) + ", split: " + *captured};
  if (Status noted = site.jobs().record_release(job.id, note); !noted.is_ok()) return noted;
  return site.jobs().get(job.id);
}

}  // namespace

Result<BackendSettings> backend_settings_from_config(const Config& config) {
  BackendSettings settings;
  settings.program = config.get_string("backend", settings.program);
  Result<std::int64_t> timeout = config.get_int("release-timeout", kDefaultReleaseTimeout);
  if (!timeout) return timeout.status();
  if (*timeout <= 0 || *timeout > 86400)
    return Status(Code::kInvalidArgument, "config key release-timeout: expected 1..86400 seconds");
  settings.timeout_seconds = static_cast<int>(*timeout);
  return settings;
}

Result<HeldJob> deliver_release(Site& site, const BackendSettings& backend,
                                const ClaimedRelease& claim) {
  // A failure to hand the job over is not the release's failure: the delivery log says what
  // became of the job, and the failure's words tell its owner why when nothing was sent.
  Status sent;
  if (claim.printer.cups_queue.empty()) {
    sent = run_backend(backend, claim);
  } else {
    sent = submit_to_cups(site.deliveries(), claim);
    if (sent.is_ok()) sent = wait_for_cups(site.deliveries(), claim, backend.timeout_seconds);
  }
  if (claim.part) return settle_split_part(site, claim, sent);
  Result<HeldJob> settled = settle_job(site, claim, sent);
  if (!settled || !claim.ratio_split || settled->state != HeldJobState::kPrinted) return settled;
  return settle_split_print(site, claim, *settled);
}

}  // namespace pp
