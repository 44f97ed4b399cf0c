// child-process.cpp: fork/exec with a pipe, a wall-clock limit and wait4() accounting.
#include "child-process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <utility>

namespace ppbench {

namespace {

using Clock = std::chrono::steady_clock;

// Owns a file descriptor and closes it on destruction.
class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  // Closes the descriptor, if any.
  ~UniqueFd() { reset(); }
  int get() const { return fd_; }
  // Closes the current descriptor.
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// In the child: wires stdout (and stderr, or /dev/null) to the pipe and execs; never returns.
[[noreturn]] void exec_child(const std::vector<std::string>& argv, int write_fd, bool quiet) {
  ::dup2(write_fd, STDOUT_FILENO);
  const int null_fd = quiet ? ::open("/dev/null", O_WRONLY) : -1;
  ::dup2(quiet ? null_fd : write_fd, STDERR_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execvp(args[0], args.data());
  ::_exit(127);
}

// Milliseconds left until the deadline, for poll(); -1 when there is no deadline.
int poll_timeout_ms(const Clock::time_point* deadline) {
  if (deadline == nullptr) return -1;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Reads the pipe until EOF into the sink; returns false when the deadline passed first.
bool drain(int fd, const OutputSink& sink, const Clock::time_point* deadline) {
  char buffer[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, poll_timeout_ms(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return false;
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    sink(buffer, static_cast<std::size_t>(n));
  }
}

// Reaps the child and fills the exit code and peak memory.
void reap(pid_t pid, ChildResult& result) {
  int status = 0;
  rusage usage{};
  while (::wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.max_rss_kb = usage.ru_maxrss;
}

}  // namespace

ChildResult run_child(const std::vector<std::string>& argv, int timeout_seconds,
                      const OutputSink& sink) {
  ChildResult result;
  int fds[2];
  if (argv.empty() || ::pipe2(fds, O_CLOEXEC) != 0) return result;
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  const auto start = Clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) return result;
  if (pid == 0) exec_child(argv, write_end.get(), sink != nullptr);
  write_end.reset();
  result.started = true;
  const auto deadline = start + std::chrono::seconds(timeout_seconds);
  const OutputSink keep = [&result](const char* data, std::size_t size) {
    result.output.append(data, size);
  };
  if (!drain(read_end.get(), sink ? sink : keep, timeout_seconds > 0 ? &deadline : nullptr)) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
  }
  reap(pid, result);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace ppbench
