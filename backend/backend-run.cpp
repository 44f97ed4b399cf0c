// backend-run.cpp: running the real backend as cupsd would, and feeding it the job.
//
// Not pp::ChildProcess: a backend needs fds 3 and 4 (back and side channel) kept open, its
// stderr passed through as it comes, its stdin fed by us, and a user change before exec.
// The job goes through a pipe whose read end the parent keeps open, so that when the child ends
// FIONREAD tells exactly how much of what we wrote it never read. poll() watches the pipe, our
// input, the child's stderr and its pidfd: a child that exits without reading never blocks us.
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "backend/backend.h"
#include "util/unique-fd.h"

extern char** environ;

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

// Through syscall(): glibc 2.36's <sys/pidfd.h> is not usable from C++.
int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
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

// Everything the child needs, ready before fork (the child only makes async-signal-safe calls).
struct ChildSetup {
  int stdin_fd;
  int stderr_fd;
  int exec_error_fd;
  pid_t parent;
  std::optional<RunAs> run_as;
};

[[noreturn]] void become_backend(const ChildSetup& setup, const char* program, char* const argv[],
                                 char* const envp[]) {
  int error = 0;
  if (::dup2(setup.stdin_fd, 0) < 0 || ::dup2(setup.stderr_fd, 2) < 0) error = errno;
  if (error == 0 && setup.run_as) {
    gid_t group = setup.run_as->gid;
    if (::setgroups(1, &group) != 0 || ::setgid(setup.run_as->gid) != 0 ||
        ::setuid(setup.run_as->uid) != 0)
      error = errno;
  }
  // After the user change, which clears it: the real backend ends when we are killed (a
  // SIGKILLed wrapper must not leave a backend behind that a retry would race with).
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != setup.parent) ::_exit(127);
  ::signal(SIGTERM, SIG_DFL);
  ::signal(SIGPIPE, SIG_DFL);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (error == 0) {
    ::execve(program, argv, envp);
    error = errno;
  }
  [[maybe_unused]] ssize_t ignored = ::write(setup.exec_error_fd, &error, sizeof error);
  ::_exit(127);
}

// Our environment with DEVICE_URI replaced by the real URI; the door marker is ours alone.
std::vector<std::string> child_environment(const std::string& device_uri) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    std::string_view text = *entry;
    if (text.rfind("DEVICE_URI=", 0) == 0 || text.rfind("PULLPRINT_DOOR=", 0) == 0) continue;
    env.emplace_back(text);
  }
  env.push_back("DEVICE_URI=" + device_uri);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& text : strings) out.push_back(text.data());
  out.push_back(nullptr);
  return out;
}

DeliveryOutcome failed_to_start(const std::string& message) {
  DeliveryOutcome outcome;
  outcome.exit_status = kFailed;
  outcome.message = message;
  outcome.cancelled = termination_requested();
  return outcome;
}

// Feeds the job, relays stderr, until the child exits. Returns the bytes written into the pipe.
std::int64_t pump(int input_fd, UniqueFd& data_write, int stderr_fd, int pidfd, pid_t child,
                  StderrRelay& relay, std::string& input_error) {
  std::vector<char> buffer(64 * 1024);
  std::size_t filled = 0, offset = 0;
  bool input_done = false, stderr_open = true;
  std::int64_t written = 0;
  for (;;) {
    pollfd fds[4];
    nfds_t count = 0;
    int input_at = -1, pipe_at = -1, stderr_at = -1;
    if (!input_done && offset == filled) {
      input_at = static_cast<int>(count);
      fds[count++] = {input_fd, POLLIN, 0};
    }
    if (offset < filled && data_write.valid()) {
      pipe_at = static_cast<int>(count);
      fds[count++] = {data_write.get(), POLLOUT, 0};
    }
    if (stderr_open) {
      stderr_at = static_cast<int>(count);
      fds[count++] = {stderr_fd, POLLIN, 0};
    }
    int pid_at = static_cast<int>(count);
    fds[count++] = {pidfd, POLLIN, 0};
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;  // SIGTERM: forwarded by the handler, keep relaying
      input_error = std::string("poll: ") + ::strerror(errno);
      ::kill(child, SIGTERM);
      return written;
    }
    if (stderr_at >= 0 && fds[stderr_at].revents) {
      char chunk[8192];
      ssize_t got = ::read(stderr_fd, chunk, sizeof chunk);
      if (got > 0) relay.feed(chunk, static_cast<std::size_t>(got));
      else if (got == 0 || (errno != EINTR && errno != EAGAIN)) stderr_open = false;
    }
    if (input_at >= 0 && fds[input_at].revents) {
      ssize_t got = ::read(input_fd, buffer.data(), buffer.size());
      if (got > 0) {
        filled = static_cast<std::size_t>(got);
        offset = 0;
      } else if (got == 0) {
        input_done = true;
        data_write.reset();  // end of the job: the child sees end of file
      } else if (errno != EINTR && errno != EAGAIN) {
        // A truncated job must not print as if it were whole.
        input_error = std::string("cannot read the job: ") + ::strerror(errno);
        input_done = true;
        data_write.reset();
        ::kill(child, SIGTERM);
      }
    }
    if (pipe_at >= 0 && fds[pipe_at].revents) {
      ssize_t put = ::write(data_write.get(), buffer.data() + offset, filled - offset);
      if (put > 0) {
        offset += static_cast<std::size_t>(put);
        written += put;
      } else if (put < 0 && errno != EINTR && errno != EAGAIN) {
        data_write.reset();  // cannot happen while we hold the read end; stop feeding anyway
        input_done = true;
      }
    }
    if (fds[pid_at].revents) return written;
  }
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
  int data_fds[2], stderr_fds[2], error_fds[2];
  if (::pipe2(data_fds, O_CLOEXEC) != 0)
    return failed_to_start(std::string("cannot create a pipe: ") + ::strerror(errno));
  UniqueFd data_read(data_fds[0]), data_write(data_fds[1]);
  if (::pipe2(stderr_fds, O_CLOEXEC) != 0)
    return failed_to_start(std::string("cannot create a pipe: ") + ::strerror(errno));
  UniqueFd stderr_read(stderr_fds[0]), stderr_write(stderr_fds[1]);
  if (::pipe2(error_fds, O_CLOEXEC) != 0)
    return failed_to_start(std::string("cannot create a pipe: ") + ::strerror(errno));
  UniqueFd error_read(error_fds[0]), error_write(error_fds[1]);

  std::vector<std::string> argv_strings = call.argv;
  std::vector<char*> argv = pointers(argv_strings);
  std::vector<std::string> env_strings = child_environment(call.device_uri);
  std::vector<char*> envp = pointers(env_strings);
  ChildSetup setup{data_read.get(), stderr_write.get(), error_write.get(), ::getpid(),
                   call.run_as};

  pid_t pid = ::fork();
  if (pid < 0) return failed_to_start(std::string("cannot fork: ") + ::strerror(errno));
  if (pid == 0) become_backend(setup, call.program.c_str(), argv.data(), envp.data());
  g_child = pid;
  if (termination_requested()) ::kill(pid, SIGTERM);  // arrived between the check and fork
  stderr_write.reset();
  error_write.reset();

  int exec_error = 0;
  ssize_t got;
  do {
    got = ::read(error_read.get(), &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  UniqueFd pidfd(open_pidfd(pid));
  if (got > 0 || !pidfd.valid()) {
    int status = 0;
    if (!pidfd.valid()) ::kill(pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    g_child = 0;
    return failed_to_start("cannot run " + call.program + ": " +
                           ::strerror(got > 0 ? exec_error : errno));
  }

  ::fcntl(data_write.get(), F_SETFL, O_NONBLOCK);
  ::fcntl(stderr_read.get(), F_SETFL, O_NONBLOCK);
  StderrRelay relay;
  std::string input_error;
  std::int64_t written = pump(call.input_fd, data_write, stderr_read.get(), pidfd.get(), pid,
                              relay, input_error);
  // What the child left in the pipe never reached it (nor, through it, the device).
  int unread = 0;
  if (::ioctl(data_read.get(), FIONREAD, &unread) != 0) unread = 0;
  char chunk[8192];
  while ((got = ::read(stderr_read.get(), chunk, sizeof chunk)) > 0)
    relay.feed(chunk, static_cast<std::size_t>(got));
  relay.finish();

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  g_child = 0;
  DeliveryOutcome outcome;
  outcome.bytes_sent = std::max<std::int64_t>(written - unread, 0);
  if (call.reports_connection && !relay.connected()) outcome.bytes_sent = 0;
  if (WIFEXITED(status)) outcome.exit_status = WEXITSTATUS(status);
  else if (WIFSIGNALED(status)) outcome.exit_status = 128 + WTERMSIG(status);
  outcome.cancelled = termination_requested() || outcome.exit_status == kCancel;
  outcome.message = !input_error.empty() ? input_error : relay.last_message();
  if (outcome.message.empty() && outcome.exit_status != 0) {
    outcome.message = WIFSIGNALED(status)
                          ? "the backend was killed by signal " + std::to_string(WTERMSIG(status))
                          : "the backend exited with status " + std::to_string(outcome.exit_status);
  }
  if (!input_error.empty() && outcome.exit_status == 0) outcome.exit_status = kFailed;
  return outcome;
}

}  // namespace pp::backend
