// child-process.h: run another program (Ghostscript, a CUPS backend) in a bounded child process.
//
// Programs we must not link (Ghostscript is AGPL) or do not trust with hostile input run as a child
// with no shell in between: stdin from /dev/null, stdout to a file (or captured), stderr captured
// (bounded, the tail is kept) for error messages, CPU time and address space limited with
// setrlimit, its own process group so that the whole group can be killed, a wall-clock timeout
// after which the group gets SIGKILL. The object owns the child: destroying it kills and reaps
// a child that is still running, so no code path leaves a stray process or zombie behind.
//
// The pullprint backend runs the real CUPS backend through it too, as cupsd would: its job fed
// from a descriptor (stdin_source_fd), its stderr passed on as it comes (stderr_sink), stdout,
// the back and side channels (inherit_fds) and the process group kept, and the user changed.
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"
#include "util/unique-fd.h"

namespace pp {

inline constexpr std::size_t kMaxInheritedFds = 8;

// The user a child runs as (setgroups to its one group, setgid, setuid before exec).
struct ChildUser {
  uid_t uid = 0;
  gid_t gid = 0;
};

struct ChildProcessOptions {
  std::vector<std::string> argv;   // argv[0] is the program, looked up in PATH when it has no '/'
  // The program to run when argv[0] is not its name (a CUPS backend's argv[0] is its device URI).
  std::string program;
  std::string display_name;        // used in messages ("ghostscript"); argv[0] when empty
  std::string stdout_path;         // file to (over)write with stdout; "" = captured with stderr
  std::string stdin_path;          // file to read as stdin; "" = /dev/null
  // When >= 0 (instead of stdin_path): the parent copies this descriptor to the child's stdin
  // through a pipe while the child runs, and keeps the pipe's read end open, so that after the
  // child ends input_bytes_unread() tells how much of what was written it never read. A read
  // error on it ends the feeding, sends the child SIGTERM and is kept in input_error().
  int stdin_source_fd = -1;
  bool inherit_stdout = false;  // the child's stdout is ours (not stdout_path, not captured)
  // Extra environment entries "NAME=value" for the child; each replaces the inherited variable
  // of the same name.
  std::vector<std::string> environment;
  std::vector<std::string> unset_environment;  // names of inherited variables the child lacks
  // Descriptors of the parent that the child gets as 3, 4, ... (a CUPS backend's back and side
  // channels); every other descriptor is closed in the child. At most kMaxInheritedFds.
  std::vector<int> inherit_fds;
  int cpu_seconds = 0;             // RLIMIT_CPU; 0 = no limit
  std::uint64_t memory_bytes = 0;  // RLIMIT_AS; 0 = no limit
  int timeout_seconds = 0;         // wall clock until SIGKILL; 0 = no limit
  // Its own process group (killed whole at the end); false keeps it in ours, so that a signal
  // to our group (cupsd cancelling a job) reaches it too; then only the child itself is killed.
  bool own_process_group = true;
  int parent_death_signal = SIGKILL;           // what the child gets when we die
  std::optional<ChildUser> run_as;             // change to this user before exec; unset = stay
  std::size_t max_captured_bytes = 64 * 1024;  // only the last this many bytes are kept
  // When set, stdout is streamed to this function as it arrives (output too large to keep,
  // e.g. rendered pages) instead of going to stdout_path or the capture; stderr is still captured.
  std::function<void(const char* data, std::size_t size)> stdout_sink;
  // When set, stderr (and stdout unless it goes elsewhere) is streamed to this function as it
  // arrives instead of being captured.
  std::function<void(const char* data, std::size_t size)> stderr_sink;
};

class ChildProcess {
 public:
  // Starts the child. Fails (kIoError/kNotFound) when the program cannot be found or executed.
  static Result<ChildProcess> start(const ChildProcessOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  // Kills the process group and reaps the child if it is still running.
  ~ChildProcess();

  // Waits for the child to end, collecting its output, killing it at the timeout. Ok when it
  // exited with status 0; otherwise kLimitExceeded (timeout, CPU limit) or kIoError (non-zero
  // exit, killed by a signal) with a message such as "ghostscript exited with status 1: <last
  // line of its output>". Calling wait() again returns the same answer.
  Status wait();

  pid_t pid() const { return pid_; }
  // Valid after wait(): the exit status (or -1 when killed by a signal) and the signal number.
  int exit_status() const { return exit_status_; }
  int term_signal() const { return term_signal_; }
  bool timed_out() const { return timed_out_; }
  // The captured stderr (and stdout when not sent to a file), at most max_captured_bytes.
  const std::string& captured_output() const { return captured_; }
  // The last non-empty line of the captured output, "" when there was none.
  std::string last_output_line() const;
  // Valid after wait(): the child's resource usage (CPU time, peak RSS in ru_maxrss, which also
  // covers its own waited-for children).
  const rusage& resource_usage() const { return usage_; }
  // Valid after wait(), with stdin_source_fd: the bytes written into the child's stdin pipe,
  // those of them it never read, and why reading the source failed ("" when it did not).
  std::int64_t input_bytes_written() const { return input_written_; }
  std::int64_t input_bytes_unread() const { return input_unread_; }
  const std::string& input_error() const { return input_error_; }

 private:
  ChildProcess() = default;
  void kill_and_reap();
  void capture(const char* data, std::size_t size);
  bool drain_output();  // reads what is available; false at end of file
  bool drain_stdout();  // the same for the stdout_sink pipe
  void reap();          // waits for the exited child and records status and usage
  void signal_child(int signal_number);  // the group, or only the child when it has none
  void feed_input();  // reads the source or writes the pipe, as poll() allowed; see wait()
  void end_input();   // closes the pipe's write end: the child sees end of file
  Status finish_status() const;

  pid_t pid_ = -1;
  bool reaped_ = false;
  UniqueFd output_pipe_;  // read end of the child's stderr (and maybe stdout)
  UniqueFd stdout_pipe_;  // read end of the child's stdout when it goes to stdout_sink_
  UniqueFd pidfd_;        // readable when the child exits
  std::function<void(const char*, std::size_t)> stdout_sink_;
  std::function<void(const char*, std::size_t)> stderr_sink_;
  bool own_group_ = true;
  // The stdin feed (stdin_source_fd): the source, both ends of the pipe, one buffered chunk.
  int input_source_ = -1;
  UniqueFd input_read_;
  UniqueFd input_write_;
  std::string input_buffer_;
  std::size_t input_offset_ = 0;
  bool input_done_ = true;
  std::int64_t input_written_ = 0;
  std::int64_t input_unread_ = 0;
  std::string input_error_;
  rusage usage_{};
  std::string name_;
  int cpu_seconds_ = 0;
  int timeout_seconds_ = 0;
  std::size_t max_captured_ = 0;
  std::string captured_;
  int exit_status_ = -1;
  int term_signal_ = 0;
  bool timed_out_ = false;
};

// Starts a child, waits for it and returns wait()'s Status; the captured output is appended to
// *output when output is not null.
Status run_child_process(const ChildProcessOptions& options, std::string* output = nullptr);

}  // namespace pp
