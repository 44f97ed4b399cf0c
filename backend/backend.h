// backend.h: the pieces of the `pullprint` CUPS wrapper backend (private to backend/).
//
// The backend is a thin door: discovery lists the other backends' devices under `pullprint:`;
// job mode decides with lib/delivery whether a job may print, runs the real backend the way
// cupsd would, and settles the reservation on what it did.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "delivery/delivery.h"

namespace pp::backend {

// Exit statuses of a CUPS backend (cups/backend.h), spelled out so that the door reads plainly.
enum ExitStatus : int {
  kOk = 0,
  kFailed = 1,
  kAuthRequired = 2,
  kHold = 3,
  kStop = 4,
  kCancel = 5,
  kRetry = 6,
  kRetryCurrent = 7,
};

inline constexpr const char* kScheme = "pullprint";

// $CUPS_SERVERBIN (cupsd sets it), else /usr/lib/cups.
std::string server_bin();

// Discovery mode: runs every other backend in $CUPS_SERVERBIN/backend (each under a timeout)
// and prints their device lines with `pullprint:` before the URI. Returns the exit status.
int discover_devices();

// Rewrites one discovery line (`class uri "make-and-model" "info" ...`) for the pullprint
// scheme; nullopt for a line that is not a device line.
std::optional<std::string> wrap_device_line(const std::string& line);

// Job mode: argv = device-uri job-id user title copies options [file]. Returns the exit status.
int run_job(int argc, char* argv[]);

// A device URI taken apart: the real URI (with any credentials, for DEVICE_URI), the same
// without credentials (argv[0] of the real backend, and what the ledger records) and its scheme.
struct RealDevice {
  std::string uri;
  std::string redacted_uri;
  std::string scheme;
};

// Parses `pullprint:REAL-URI`; kInvalidArgument for anything else (another scheme, an empty or
// nested pullprint URI, a scheme with characters no backend file name has).
Result<RealDevice> parse_device_uri(const std::string& device_uri);

// The user a real backend runs as when cupsd would not run it as root.
struct RunAs {
  uid_t uid = 0;
  gid_t gid = 0;
};

// How to run the real backend: as cupsd runs a backend.
struct RealBackendCall {
  std::string program;             // $CUPS_SERVERBIN/backend/<scheme>
  std::vector<std::string> argv;   // redacted URI, job-id, user, title, copies, options
  std::string device_uri;          // DEVICE_URI for the child
  int input_fd = 0;                // the job's data; read by us and fed to the child's stdin
  std::optional<RunAs> run_as;     // drop to this user in the child before exec
  // The CUPS network backends (ipp, socket, lpd) read the start of the job before they connect
  // (ipp buffers up to 16 KiB) and log "DEBUG: Connected to HOST:PORT..." (never translated)
  // once they reach the device. For them, no such line means nothing reached the device,
  // whatever they read from us.
  bool reports_connection = false;
};

// The folder device, file:///DIR: writes the job from input_fd into DIR as
// "<job-id>-<user>.<ext>" (ext from FINAL_CONTENT_TYPE), a new private file, and fsyncs it.
// Exit status 0 when the whole job is on disk; bytes_sent is what was written.
DeliveryOutcome write_to_folder(const std::string& uri, const std::string& job_id,
                                const std::string& user, int input_fd);

// Whether the backend for `scheme` is one of the CUPS network backends described above.
bool reports_connection(const std::string& scheme);

// Whether cupsd would run `program` as root: only when it is not group- or other-writable and
// not other-executable (scheduler/job.c). Anything else runs as the unprivileged user.
bool runs_as_root(const std::string& program);

// cupsd gives every backend a back channel (fd 3) and a side channel (fd 4), and real backends
// rely on them (the ipp backend select()s on fd 4 while it waits for the job: without it, it
// spins forever). When we were started without them (by pullprintd, by hand), stand-ins are
// opened there: /dev/null for the back channel and a socket pair whose other end we keep, so
// that side-channel requests just go unanswered. Call first, before anything opens a file.
void ensure_backend_channels();

// Installs the SIGTERM handler that forwards cupsd's cancel to the real backend; call once
// before run_real_backend().
void forward_termination();
// Whether SIGTERM has arrived (cupsd cancelled the job).
bool termination_requested();

// Runs the real backend and feeds it the job on its stdin. The child's stderr is passed
// through line by line (cupsd reads it); fds 3 and 4 (back and side channel) stay open for it.
// bytes_sent counts only what the child read: bytes still unread in the pipe when it exits do
// not count; and nothing counts when a network backend never connected (reports_connection).
DeliveryOutcome run_real_backend(const RealBackendCall& call);

}  // namespace pp::backend
