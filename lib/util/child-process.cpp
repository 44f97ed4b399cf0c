// child-process.cpp: fork + exec with limits, bounded output capture and a wall-clock timeout.
//
// fork (not posix_spawn) because the limits must be set inside the child before exec. Between
// fork and exec the child only makes async-signal-safe system calls: everything it needs (the
// resolved program path, argv as char pointers, open descriptors) is prepared in the parent.
// The parent waits by poll()ing a pidfd (readable when the child exits) together with the output
// pipe, so there is no sleep-and-retry loop and the timeout is exact.
#include "util/child-process.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>

extern char** environ;

namespace pp {

namespace {

// The program's path: argv[0] itself when it names a path, else the first executable in $PATH.
std::string resolve_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path_env = std::getenv("PATH");
  std::string search = path_env && *path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= search.size()) {
    std::size_t end = search.find(':', start);
    if (end == std::string::npos) end = search.size();
    std::string dir = search.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C" and does not link from C++.
int open_pidfd(pid_t pid) {
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

std::string errno_text(int error) {
  return ::strerror(error);
}

// The inherited environment without the variables named in `unset`, with `extra`
// ("NAME=value") replacing variables of the same name.
std::vector<std::string> child_environment(const std::vector<std::string>& extra,
                                           const std::vector<std::string>& unset) {
  std::vector<std::string> result;
  auto name_of = [](std::string_view entry) { return entry.substr(0, entry.find('=')); };
  for (char** entry = environ; *entry; ++entry) {
    const std::string_view inherited(*entry);
    const bool replaced = std::any_of(extra.begin(), extra.end(), [&](const std::string& e) {
      return name_of(e) == name_of(inherited);
    });
    const bool removed = std::any_of(unset.begin(), unset.end(), [&](const std::string& name) {
      return name == name_of(inherited);
    });
    if (!replaced && !removed) result.emplace_back(inherited);
  }
  result.insert(result.end(), extra.begin(), extra.end());
  return result;
}

// Everything the child needs, ready before fork so that the child allocates nothing.
struct ChildSetup {
  int stdin_fd;
  int stdout_fd;  // -1: keep ours
  int stderr_fd;
  int exec_error_fd;  // close-on-exec pipe: the child writes errno here when exec fails
  pid_t parent;
  int cpu_seconds;
  std::uint64_t memory_bytes;
  char* const* environment;
  const int* inherit_fds;  // become the child's 3, 4, ...
  int inherit_count;
  bool own_group;
  int death_signal;
  bool change_user;
  uid_t uid;
  gid_t gid;
};

// Where the close-on-exec error pipe goes in the child: right after the inherited descriptors.
int exec_error_target(const ChildSetup& setup) { return 3 + setup.inherit_count; }

// Runs in the child between fork and exec: async-signal-safe calls only. Never returns.
[[noreturn]] void become_child(const ChildSetup& setup, const char* program, char* const argv[]) {
  // Own process group, so that the parent can kill grandchildren too.
  if (setup.own_group) ::setpgid(0, 0);
  // Die with the parent: a crashed filter must not leave Ghostscript running.
  ::prctl(PR_SET_PDEATHSIG, setup.death_signal);
  if (::getppid() != setup.parent) ::_exit(127);

  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::signal(SIGPIPE, SIG_DFL);  // servers ignore SIGPIPE; the ignore would survive exec
  ::signal(SIGTERM, SIG_DFL);  // a parent's handler must not run here before exec

  int error = 0;
  if (::dup2(setup.stdin_fd, 0) < 0 || (setup.stdout_fd >= 0 && ::dup2(setup.stdout_fd, 1) < 0) ||
      ::dup2(setup.stderr_fd, 2) < 0) {
    error = errno;
  }
  // Inherited descriptors and the error pipe are first moved above every target number, so
  // that placing one cannot overwrite another's source.
  constexpr int kHigh = 64;
  int moved[kMaxInheritedFds + 1];
  for (int i = 0; i < setup.inherit_count; ++i) moved[i] = ::fcntl(setup.inherit_fds[i], F_DUPFD, kHigh);
  moved[setup.inherit_count] = ::fcntl(setup.exec_error_fd, F_DUPFD, kHigh);
  for (int i = 0; i <= setup.inherit_count; ++i) {
    if (error == 0 && (moved[i] < 0 || ::dup2(moved[i], 3 + i) < 0)) error = errno;
  }
  const int error_fd = exec_error_target(setup);
  ::fcntl(error_fd, F_SETFD, FD_CLOEXEC);
  ::close_range(static_cast<unsigned>(error_fd) + 1, ~0U, 0);  // nothing else of the parent leaks

  if (error == 0 && setup.cpu_seconds > 0) {
    // Soft limit sends SIGXCPU, the hard limit one second later SIGKILL.
    rlimit cpu{static_cast<rlim_t>(setup.cpu_seconds), static_cast<rlim_t>(setup.cpu_seconds) + 1};
    if (::setrlimit(RLIMIT_CPU, &cpu) != 0) error = errno;
  }
  if (error == 0 && setup.memory_bytes > 0) {
    rlimit memory{static_cast<rlim_t>(setup.memory_bytes), static_cast<rlim_t>(setup.memory_bytes)};
    if (::setrlimit(RLIMIT_AS, &memory) != 0) error = errno;
  }
  if (error == 0 && setup.change_user) {
    gid_t group = setup.gid;
    if (::setgroups(1, &group) != 0 || ::setgid(setup.gid) != 0 || ::setuid(setup.uid) != 0)
      error = errno;
    // The user change cleared the death signal: set it again, and check that the parent did
    // not die meanwhile.
    ::prctl(PR_SET_PDEATHSIG, setup.death_signal);
    if (::getppid() != setup.parent) ::_exit(127);
  }
  if (error == 0) {
    ::execve(program, argv, setup.environment);
    error = errno;
  }
  [[maybe_unused]] ssize_t ignored = ::write(exec_error_target(setup), &error, sizeof error);
  ::_exit(127);
}

// The signal's name for messages ("Killed", "CPU time limit exceeded").
std::string signal_text(int signal_number) {
  const char* text = ::strsignal(signal_number);
  return "signal " + std::to_string(signal_number) + (text ? std::string(" (") + text + ")" : "");
}

// Reads what a non-blocking pipe has now into `sink`; false at end of file (or on an error).
bool drain_pipe(int fd, const std::function<void(const char*, std::size_t)>& sink) {
  char buffer[65536];
  for (;;) {
    ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got > 0) {
      sink(buffer, static_cast<std::size_t>(got));
    } else if (got == 0) {
      return false;
    } else if (errno == EINTR) {
      continue;
    } else {
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
  }
}

}  // namespace

Result<ChildProcess> ChildProcess::start(const ChildProcessOptions& options) {
  if (options.argv.empty()) return Status(Code::kInvalidArgument, "no program to run");
  if (options.inherit_fds.size() > kMaxInheritedFds)
    return Status(Code::kInvalidArgument, "too many descriptors to inherit");
  std::string name = options.display_name.empty() ? options.argv[0] : options.display_name;
  const std::string& wanted = options.program.empty() ? options.argv[0] : options.program;
  std::string program = resolve_program(wanted);
  if (program.empty()) {
    return Status(Code::kNotFound, name + ": program '" + wanted + "' not found in PATH");
  }

  UniqueFd dev_null, input_read, input_write;  // the child's stdin: a file, or the feed's pipe
  if (options.stdin_source_fd >= 0) {
    int input_fds[2];
    if (::pipe2(input_fds, O_CLOEXEC) != 0)
      return Status(Code::kIoError, "cannot create a pipe: " + errno_text(errno));
    input_read.reset(input_fds[0]);
    input_write.reset(input_fds[1]);
  } else {
    const std::string stdin_name = options.stdin_path.empty() ? "/dev/null" : options.stdin_path;
    dev_null.reset(::open(stdin_name.c_str(), O_RDONLY | O_CLOEXEC));
    if (!dev_null.valid())
      return Status(Code::kIoError, "cannot open " + stdin_name + ": " + errno_text(errno));
  }
  int output_fds[2];
  if (::pipe2(output_fds, O_CLOEXEC) != 0) {
    return Status(Code::kIoError, "cannot create a pipe: " + errno_text(errno));
  }
  UniqueFd output_read(output_fds[0]), output_write(output_fds[1]);
  int error_fds[2];
  if (::pipe2(error_fds, O_CLOEXEC) != 0) {
    return Status(Code::kIoError, "cannot create a pipe: " + errno_text(errno));
  }
  UniqueFd error_read(error_fds[0]), error_write(error_fds[1]);
  UniqueFd stdout_read, stdout_write;
  if (options.stdout_sink) {
    int stdout_fds[2];
    if (::pipe2(stdout_fds, O_CLOEXEC) != 0)
      return Status(Code::kIoError, "cannot create a pipe: " + errno_text(errno));
    stdout_read.reset(stdout_fds[0]);
    stdout_write.reset(stdout_fds[1]);
  }
  UniqueFd stdout_file;
  if (!options.inherit_stdout && !options.stdout_sink && !options.stdout_path.empty()) {
    stdout_file.reset(
        ::open(options.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
    if (!stdout_file.valid()) {
      return Status(Code::kIoError,
                    "cannot create " + options.stdout_path + ": " + errno_text(errno));
    }
  }

  std::vector<char*> argv;
  for (const std::string& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const std::vector<std::string> environment =
      child_environment(options.environment, options.unset_environment);
  std::vector<char*> envp;
  for (const std::string& entry : environment) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  ChildSetup setup{input_read.valid() ? input_read.get() : dev_null.get(),
                   options.inherit_stdout ? -1
                   : stdout_write.valid() ? stdout_write.get()
                   : stdout_file.valid()  ? stdout_file.get()
                                          : output_write.get(),
                   output_write.get(),
                   error_write.get(),
                   ::getpid(),
                   options.cpu_seconds,
                   options.memory_bytes,
                   envp.data(),
                   options.inherit_fds.data(),
                   static_cast<int>(options.inherit_fds.size()),
                   options.own_process_group,
                   options.parent_death_signal,
                   options.run_as.has_value(),
                   options.run_as ? options.run_as->uid : 0,
                   options.run_as ? options.run_as->gid : 0};

  pid_t pid = ::fork();
  if (pid < 0) return Status(Code::kIoError, "cannot fork for " + name + ": " + errno_text(errno));
  if (pid == 0) become_child(setup, program.c_str(), argv.data());

  ChildProcess child;
  child.pid_ = pid;
  child.name_ = name;
  child.cpu_seconds_ = options.cpu_seconds;
  child.timeout_seconds_ = options.timeout_seconds;
  child.max_captured_ = options.max_captured_bytes;
  child.own_group_ = options.own_process_group;
  // Also here: whichever of parent and child runs first sets the group.
  if (options.own_process_group) ::setpgid(pid, pid);
  output_write.reset();
  stdout_write.reset();
  error_write.reset();

  // Blocks until exec succeeds (the close-on-exec pipe closes: 0 bytes) or fails (errno arrives).
  int exec_error = 0;
  ssize_t got;
  do {
    got = ::read(error_read.get(), &exec_error, sizeof exec_error);
  } while (got < 0 && errno == EINTR);
  if (got > 0) {
    child.kill_and_reap();
    return Status(Code::kIoError, "cannot run " + program + ": " + errno_text(exec_error));
  }

  ::fcntl(output_read.get(), F_SETFL, O_NONBLOCK);
  child.output_pipe_ = std::move(output_read);
  child.stderr_sink_ = options.stderr_sink;
  if (input_write.valid()) {
    ::fcntl(input_write.get(), F_SETFL, O_NONBLOCK);
    child.input_source_ = options.stdin_source_fd;
    child.input_read_ = std::move(input_read);
    child.input_write_ = std::move(input_write);
    child.input_done_ = false;
  }
  if (stdout_read.valid()) {
    ::fcntl(stdout_read.get(), F_SETFL, O_NONBLOCK);
    child.stdout_pipe_ = std::move(stdout_read);
    child.stdout_sink_ = options.stdout_sink;
  }
  child.pidfd_.reset(open_pidfd(pid));  // may fail on old kernels: then the pipe's EOF decides
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept {
  *this = std::move(other);
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this == &other) return *this;
  kill_and_reap();
  pid_ = std::exchange(other.pid_, -1);
  reaped_ = std::exchange(other.reaped_, false);
  output_pipe_ = std::move(other.output_pipe_);
  stdout_pipe_ = std::move(other.stdout_pipe_);
  pidfd_ = std::move(other.pidfd_);
  stdout_sink_ = std::move(other.stdout_sink_);
  stderr_sink_ = std::move(other.stderr_sink_);
  own_group_ = other.own_group_;
  input_source_ = other.input_source_;
  input_read_ = std::move(other.input_read_);
  input_write_ = std::move(other.input_write_);
  input_buffer_ = std::move(other.input_buffer_);
  input_offset_ = other.input_offset_;
  input_done_ = std::exchange(other.input_done_, true);
  input_written_ = other.input_written_;
  input_unread_ = other.input_unread_;
  input_error_ = std::move(other.input_error_);
  usage_ = other.usage_;
  name_ = std::move(other.name_);
  cpu_seconds_ = other.cpu_seconds_;
  timeout_seconds_ = other.timeout_seconds_;
  max_captured_ = other.max_captured_;
  captured_ = std::move(other.captured_);
  exit_status_ = other.exit_status_;
  term_signal_ = other.term_signal_;
  timed_out_ = other.timed_out_;
  return *this;
}

ChildProcess::~ChildProcess() {
  kill_and_reap();
}

void ChildProcess::kill_and_reap() {
  if (pid_ <= 0 || reaped_) return;
  signal_child(SIGKILL);
  reap();
}

void ChildProcess::signal_child(int signal_number) {
  if (own_group_) ::kill(-pid_, signal_number);
  ::kill(pid_, signal_number);  // in case it had not reached setpgid yet
}

void ChildProcess::end_input() {
  input_done_ = true;
  input_write_.reset();
}

void ChildProcess::feed_input() {
  if (input_offset_ == input_buffer_.size()) {  // the buffer is empty: the source was readable
    input_buffer_.resize(64 * 1024);
    input_offset_ = 0;
    const ssize_t got = ::read(input_source_, input_buffer_.data(), input_buffer_.size());
    input_buffer_.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    if (got == 0) {
      end_input();
    } else if (got < 0 && errno != EINTR && errno != EAGAIN) {
      // Truncated input must not look whole to the child: it is stopped.
      input_error_ = errno_text(errno);
      end_input();
      signal_child(SIGTERM);
    }
    return;
  }
  const ssize_t put = ::write(input_write_.get(), input_buffer_.data() + input_offset_,
                              input_buffer_.size() - input_offset_);
  if (put > 0) {
    input_offset_ += static_cast<std::size_t>(put);
    input_written_ += put;
  } else if (put < 0 && errno != EINTR && errno != EAGAIN) {
    end_input();  // cannot happen while we hold the read end; stop feeding anyway
  }
}

void ChildProcess::reap() {
  int status = 0;
  while (::wait4(pid_, &status, 0, &usage_) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  if (WIFEXITED(status)) exit_status_ = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) term_signal_ = WTERMSIG(status);
}

void ChildProcess::capture(const char* data, std::size_t size) {
  captured_.append(data, size);
  if (captured_.size() > max_captured_) captured_.erase(0, captured_.size() - max_captured_);
}

bool ChildProcess::drain_output() {
  if (stderr_sink_) return drain_pipe(output_pipe_.get(), stderr_sink_);
  return drain_pipe(output_pipe_.get(),
                    [this](const char* data, std::size_t size) { capture(data, size); });
}

bool ChildProcess::drain_stdout() {
  return drain_pipe(stdout_pipe_.get(), stdout_sink_);
}

Status ChildProcess::wait() {
  if (reaped_) return finish_status();
  using Clock = std::chrono::steady_clock;
  const bool has_deadline = timeout_seconds_ > 0;
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(timeout_seconds_);
  bool exited = false;
  while (!exited) {
    int wait_ms = -1;
    if (has_deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        timed_out_ = true;
        break;
      }
      wait_ms = static_cast<int>(left.count());
    }
    pollfd fds[4];
    nfds_t count = 0;
    nfds_t input_at = 4;  // the feed's entry, if any: the source to read or the pipe to write
    if (!input_done_) {
      input_at = count;
      fds[count++] = input_offset_ < input_buffer_.size() ? pollfd{input_write_.get(), POLLOUT, 0}
                                                          : pollfd{input_source_, POLLIN, 0};
    }
    if (output_pipe_.valid()) fds[count++] = {output_pipe_.get(), POLLIN, 0};
    if (stdout_pipe_.valid()) fds[count++] = {stdout_pipe_.get(), POLLIN, 0};
    if (pidfd_.valid()) fds[count++] = {pidfd_.get(), POLLIN, 0};
    if (count == 0) break;  // no pidfd and output closed: the child is ending, reap it below
    int ready = ::poll(fds, count, wait_ms);
    if (ready < 0 && errno != EINTR) return Status(Code::kIoError, "poll: " + errno_text(errno));
    for (nfds_t i = 0; i < count && ready > 0; ++i) {
      if (fds[i].revents == 0) continue;
      if (i == input_at) {
        feed_input();
      } else if (fds[i].fd == pidfd_.get()) {
        exited = true;
      } else if (fds[i].fd == stdout_pipe_.get()) {
        if (!drain_stdout()) stdout_pipe_.reset();
      } else if (!drain_output()) {
        output_pipe_.reset();
      }
    }
  }
  if (timed_out_) {
    kill_and_reap();
  } else {
    if (output_pipe_.valid()) drain_output();  // what was written just before the exit
    if (stdout_pipe_.valid()) drain_stdout();
    // What the child left in its stdin pipe never reached it.
    int unread = 0;
    if (input_read_.valid() && ::ioctl(input_read_.get(), FIONREAD, &unread) == 0)
      input_unread_ = unread;
    // Grandchildren left in the group, if any; the unreaped (zombie) child keeps the group id
    // from reuse. Without a pidfd the child may still be running here: then it is not killed.
    if (exited && own_group_) ::kill(-pid_, SIGKILL);
    reap();
  }
  end_input();
  input_read_.reset();
  output_pipe_.reset();
  stdout_pipe_.reset();
  pidfd_.reset();
  return finish_status();
}

Status ChildProcess::finish_status() const {
  if (timed_out_) {
    return Status(Code::kLimitExceeded,
                  name_ + " timed out after " + std::to_string(timeout_seconds_) + " s");
  }
  if (term_signal_ == SIGXCPU) {
    return Status(Code::kLimitExceeded, name_ + " exceeded its CPU time limit of " +
                                            std::to_string(cpu_seconds_) + " s (" +
                                            signal_text(term_signal_) + ")");
  }
  if (term_signal_ != 0) {
    return Status(Code::kIoError, name_ + " was killed by " + signal_text(term_signal_));
  }
  if (exit_status_ != 0) {
    std::string line = last_output_line();
    return Status(Code::kIoError, name_ + " exited with status " + std::to_string(exit_status_) +
                                      (line.empty() ? "" : ": " + line));
  }
  return Status::ok();
}

std::string ChildProcess::last_output_line() const {
  std::size_t end = captured_.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  std::size_t start = captured_.find_last_of('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return captured_.substr(start, end - start + 1);
}

Status run_child_process(const ChildProcessOptions& options, std::string* output) {
  Result<ChildProcess> child = ChildProcess::start(options);
  if (!child.ok()) return child.status();
  Status status = child->wait();
  if (output) *output += child->captured_output();
  return status;
}

}  // namespace pp
