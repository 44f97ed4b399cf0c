// backend-run.cpp: running the real backend as cupsd would, and feeding it the job.
//
// Through pp::ChildProcess (lib/util/child-process.h), the one fork/exec engine: fds 3 and 4
// (back and side channel) inherited, stdout and our process group kept, stderr passed through
// as it comes, a user change before exec. The job goes through a pipe whose read end the parent
// keeps open, so that when the child ends it tells exactly how much of what we wrote the child
// never read; a child that exits without reading never blocks us.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "backend/backend.h"
#include "util/child-process.h"

namespace pp::backend {

namespace {

volatile sig_atomic_t g_terminated = 0;
volatile pid_t g_child = 0;

// cupsd cancels a job with SIGTERM (to the process group); the real backend must hear it even
// when it runs in another group or as another user, and we must remember it (outcome.cancelled).
void on_terminate(int) {
  g_terminated = 1;
  if (g_child > 0) ::kill(g_child, SIGTERM);
}

// Splits the child's stderr into lines, passes each to our stderr (cupsd reads it: STATE:,
// ATTR:, PAGE: and log lines keep working) and remembers the last ERROR: or INFO: text.
class StderrRelay {
 public:
  void feed(const char* data, std::size_t size) {
    partial_.append(data, size);
    std::size_t newline;
    while ((newline = partial_.find('\n')) != std::string::npos) {
      emit(partial_.substr(0, newline));
      partial_.erase(0, newline + 1);
    }
    if (partial_.size() > kMaxLine) {  // a runaway line: pass it on in pieces
      emit(partial_);
      partial_.clear();
    }
  }
  void finish() {
    if (!partial_.empty()) emit(partial_);
    partial_.clear();
  }
  const std::string& last_message() const { return last_; }
  bool connected() const { return connected_; }

 private:
  static constexpr std::size_t kMaxLine = 4096;

  void emit(const std::string& line) {
    std::string out = line + "\n";
    [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, out.data(), out.size());
    if (line.rfind("DEBUG: Connected to ", 0) == 0) connected_ = true;
    for (const char* prefix : {"ERROR:", "INFO:"}) {
      if (line.rfind(prefix, 0) == 0) {
        std::size_t start = line.find_first_not_of(' ', std::strlen(prefix));
        if (start != std::string::npos) last_ = line.substr(start);
      }
    }
  }

  std::string partial_;
  std::string last_;
  bool connected_ = false;
};

DeliveryOutcome failed_to_start(const std::string& message) {
  DeliveryOutcome outcome;
  outcome.exit_status = kFailed;
  outcome.message = message;
  outcome.cancelled = termination_requested();
  return outcome;
}

}  // namespace

void ensure_backend_channels() {
  if (::fcntl(3, F_GETFD) < 0) {
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0 && null_fd != 3) {
      ::dup2(null_fd, 3);
      ::close(null_fd);
    }
  }
  if (::fcntl(4, F_GETFD) < 0) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0) {
      // pair[0] may itself be 4 (the lowest free descriptor); the peer stays open, unused.
      if (pair[0] != 4) {
        ::dup2(pair[0], 4);
        ::close(pair[0]);
      }
      ::fcntl(pair[1], F_SETFD, FD_CLOEXEC);
    }
  }
}

bool reports_connection(const std::string& scheme) {
  for (const char* name : {"ipp", "ipps", "http", "https", "socket", "lpd"}) {
    if (scheme == name) return true;
  }
  return false;
}

bool runs_as_root(const std::string& program) {
  struct stat info {};
  if (::stat(program.c_str(), &info) != 0) return false;
  return (info.st_mode & (S_IWGRP | S_IWOTH | S_IXOTH)) == 0;
}

void forward_termination() {
  struct sigaction action {};
  action.sa_handler = on_terminate;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: poll() returns and the loop goes on
  ::sigaction(SIGTERM, &action, nullptr);
}

bool termination_requested() {
  return g_terminated != 0;
}

DeliveryOutcome run_real_backend(const RealBackendCall& call) {
  if (termination_requested()) return failed_to_start("cancelled before the printer was called");
  StderrRelay relay;
  ChildProcessOptions options;
  options.program = call.program;
  options.argv = call.argv;
  options.display_name = call.program;
  options.stdin_source_fd = call.input_fd;
  options.inherit_stdout = true;
  // Our environment with DEVICE_URI replaced by the real URI; the door marker is ours alone.
  options.environment = {"DEVICE_URI=" + call.device_uri};
  options.unset_environment = {"PULLPRINT_DOOR"};
  options.inherit_fds = {3, 4};  // the back and side channels
  // In our process group, as cupsd runs it: cupsd's SIGTERM to the group reaches it too.
  options.own_process_group = false;
  // The real backend ends when we are killed (a SIGKILLed wrapper must not leave a backend
  // behind that a retry would race with).
  options.parent_death_signal = SIGTERM;
  if (call.run_as) options.run_as = ChildUser{call.run_as->uid, call.run_as->gid};
  options.stderr_sink = [&relay](const char* data, std::size_t size) { relay.feed(data, size); };

  Result<ChildProcess> child = ChildProcess::start(options);
  if (!child) return failed_to_start(child.status().message());
  g_child = child->pid();
  if (termination_requested()) ::kill(child->pid(), SIGTERM);  // arrived between check and fork
  // The backend's own exit status is the outcome; a poll failure is the only error of ours.
  const Status waited = child->wait();
  g_child = 0;
  relay.finish();

  std::string input_error;
  if (!child->input_error().empty()) input_error = "cannot read the job: " + child->input_error();
  if (input_error.empty() && child->exit_status() < 0 && child->term_signal() == 0 &&
      !waited.is_ok())
    input_error = waited.message();
  DeliveryOutcome outcome;
  // What the child left in the pipe never reached it (nor, through it, the device).
  outcome.bytes_sent =
      std::max<std::int64_t>(child->input_bytes_written() - child->input_bytes_unread(), 0);
  if (call.reports_connection && !relay.connected()) outcome.bytes_sent = 0;
  const int signal_number = child->term_signal();
  outcome.exit_status =
      signal_number != 0 ? 128 + signal_number : std::max(child->exit_status(), 0);
  outcome.cancelled = termination_requested() || outcome.exit_status == kCancel;
  outcome.message = !input_error.empty() ? input_error : relay.last_message();
  if (outcome.message.empty() && outcome.exit_status != 0) {
    outcome.message = signal_number != 0
                          ? "the backend was killed by signal " + std::to_string(signal_number)
                          : "the backend exited with status " + std::to_string(outcome.exit_status);
  }
  if (!input_error.empty() && outcome.exit_status == 0) outcome.exit_status = kFailed;
  return outcome;
}

}  // namespace pp::backend
