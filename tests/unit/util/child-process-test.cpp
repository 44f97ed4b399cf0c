// child-process-test.cpp: ChildProcess runs real programs (/bin/sh, sleep) under real limits.
#include "util/child-process.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>

#include "support/temp-dir.h"

namespace pp {
namespace {

using Clock = std::chrono::steady_clock;

ChildProcessOptions shell(const std::string& script) {
  ChildProcessOptions options;
  options.argv = {"sh", "-c", script};
  options.display_name = "test-child";
  return options;
}

// Waits (without sleeping) until a process that is not our child has gone; false after 10 s.
bool process_ends(pid_t pid) {
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  if (pidfd < 0) return errno == ESRCH;
  pollfd fd{pidfd, POLLIN, 0};
  int ready = poll(&fd, 1, 10000);
  close(pidfd);
  return ready == 1;
}

TEST(ChildProcess, SuccessIsOk) {
  std::string output;
  Status status = run_child_process(shell("echo hello"), &output);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(output, "hello\n");
}

TEST(ChildProcess, FailureNamesStatusAndLastLine) {
  Status status = run_child_process(shell("echo first >&2; echo 'the real reason' >&2; exit 3"));
  EXPECT_EQ(status.code(), Code::kIoError);
  EXPECT_EQ(status.message(), "test-child exited with status 3: the real reason");
}

TEST(ChildProcess, StdoutGoesToFileAndStdinIsEmpty) {
  test::TempDir dir;
  ChildProcessOptions options = shell("cat; echo to-file; echo to-stderr >&2");
  options.stdout_path = dir.file("out");
  Result<ChildProcess> child = ChildProcess::start(options);
  ASSERT_TRUE(child.ok()) << child.status().to_string();
  EXPECT_TRUE(child->wait().is_ok());
  EXPECT_EQ(test::read_file(dir.file("out")), "to-file\n");
  EXPECT_EQ(child->captured_output(), "to-stderr\n");
}

TEST(ChildProcess, StdinComesFromTheNamedFile) {
  test::TempDir dir;
  test::write_file(dir.file("in"), "the document\n");
  ChildProcessOptions options = shell("cat");
  options.stdin_path = dir.file("in");
  std::string output;
  EXPECT_TRUE(run_child_process(options, &output).is_ok());
  EXPECT_EQ(output, "the document\n");
}

TEST(ChildProcess, MissingStdinFileIsAnError) {
  ChildProcessOptions options = shell("cat");
  options.stdin_path = "/nonexistent/stdin";
  Result<ChildProcess> child = ChildProcess::start(options);
  EXPECT_EQ(child.status().code(), Code::kIoError);
}

TEST(ChildProcess, EnvironmentEntriesAddAndReplace) {
  ::setenv("PP_CHILD_TEST_INHERITED", "old", 1);
  ChildProcessOptions options =
      shell("echo \"$PP_CHILD_TEST_INHERITED $PP_CHILD_TEST_NEW\"");
  options.environment = {"PP_CHILD_TEST_INHERITED=new", "PP_CHILD_TEST_NEW=added"};
  std::string output;
  EXPECT_TRUE(run_child_process(options, &output).is_ok());
  EXPECT_EQ(output, "new added\n");
  ::unsetenv("PP_CHILD_TEST_INHERITED");
}

TEST(ChildProcess, InheritedDescriptorsBecomeThreeAndFour) {
  int first[2], second[2];
  ASSERT_EQ(::pipe(first), 0);
  ASSERT_EQ(::pipe(second), 0);
  // The write ends arrive as 3 and 4, in that order; nothing else of ours arrives (fd 5).
  ChildProcessOptions options =
      shell("echo three >&3; echo four >&4; if { true >&5; } 2>/dev/null; then echo leak; fi");
  options.inherit_fds = {first[1], second[1]};
  std::string output;
  EXPECT_TRUE(run_child_process(options, &output).is_ok()) << output;
  EXPECT_EQ(output, "");
  ::close(first[1]);
  ::close(second[1]);
  char buffer[16] = {};
  EXPECT_EQ(::read(first[0], buffer, sizeof buffer), 6);
  EXPECT_STREQ(buffer, "three\n");
  char buffer2[16] = {};
  EXPECT_EQ(::read(second[0], buffer2, sizeof buffer2), 5);
  EXPECT_STREQ(buffer2, "four\n");
  ::close(first[0]);
  ::close(second[0]);
}

TEST(ChildProcess, ExecFailureIsReportedWithInheritedDescriptors) {
  ChildProcessOptions options;
  options.argv = {"/nonexistent/program"};
  options.inherit_fds = {0, 1};
  EXPECT_FALSE(ChildProcess::start(options).ok());
}

TEST(ChildProcess, StdoutSinkStreamsEverythingAndStderrIsStillCaptured) {
  ChildProcessOptions options = shell("head -c 3000000 /dev/zero; echo oops >&2");
  std::size_t streamed = 0;
  bool all_zero = true;
  options.stdout_sink = [&](const char* data, std::size_t size) {
    streamed += size;
    for (std::size_t i = 0; i < size; i++) all_zero = all_zero && data[i] == 0;
  };
  Result<ChildProcess> child = ChildProcess::start(options);
  ASSERT_TRUE(child.ok()) << child.status().to_string();
  EXPECT_TRUE(child->wait().is_ok());
  EXPECT_EQ(streamed, 3000000u);  // far more than a pipe holds: streamed while it ran
  EXPECT_TRUE(all_zero);
  EXPECT_EQ(child->last_output_line(), "oops");
}

TEST(ChildProcess, ResourceUsageIsReported) {
  Result<ChildProcess> child = ChildProcess::start(shell("exit 0"));
  ASSERT_TRUE(child.ok());
  ASSERT_TRUE(child->wait().is_ok());
  EXPECT_GT(child->resource_usage().ru_maxrss, 0);  // a shell needs some memory
}

TEST(ChildProcess, CaptureKeepsOnlyTheTail) {
  ChildProcessOptions options =
      shell("i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done");
  options.max_captured_bytes = 100;
  Result<ChildProcess> child = ChildProcess::start(options);
  ASSERT_TRUE(child.ok());
  EXPECT_TRUE(child->wait().is_ok());
  EXPECT_EQ(child->captured_output().size(), 100u);
  EXPECT_EQ(child->last_output_line(), "line-1999");
}

TEST(ChildProcess, LimitsAreSetInTheChild) {
  ChildProcessOptions options = shell("ulimit -t; ulimit -v");
  options.cpu_seconds = 7;
  options.memory_bytes = 512ull * 1024 * 1024;
  std::string output;
  EXPECT_TRUE(run_child_process(options, &output).is_ok());
  EXPECT_EQ(output, "7\n524288\n");
}

TEST(ChildProcess, WallClockTimeoutKillsTheWholeGroup) {
  // The grandchild (a background sleep) must die with the child.
  ChildProcessOptions options = shell("sleep 60 & echo $!; wait");
  options.timeout_seconds = 1;
  auto started = Clock::now();
  Result<ChildProcess> child = ChildProcess::start(options);
  ASSERT_TRUE(child.ok());
  Status status = child->wait();
  auto elapsed = Clock::now() - started;
  EXPECT_EQ(status.code(), Code::kLimitExceeded);
  EXPECT_EQ(status.message(), "test-child timed out after 1 s");
  EXPECT_TRUE(child->timed_out());
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  pid_t grandchild = std::stoi(child->captured_output());
  EXPECT_TRUE(process_ends(grandchild));
}

TEST(ChildProcess, CpuLimitStopsABusyLoop) {
  ChildProcessOptions options = shell("while :; do :; done");
  options.cpu_seconds = 1;
  options.timeout_seconds = 30;
  auto started = Clock::now();
  Status status = run_child_process(options);
  EXPECT_EQ(status.code(), Code::kLimitExceeded);
  EXPECT_NE(status.message().find("CPU time limit of 1 s"), std::string::npos) << status.message();
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));
}

TEST(ChildProcess, DestructorKillsAndReapsARunningChild) {
  pid_t pid = -1;
  {
    ChildProcessOptions options;
    options.argv = {"sleep", "60"};
    Result<ChildProcess> child = ChildProcess::start(options);
    ASSERT_TRUE(child.ok());
    pid = child->pid();
    ASSERT_EQ(kill(pid, 0), 0);
  }
  // Reaped, not just killed: a zombie would still answer kill(pid, 0).
  EXPECT_EQ(kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(ChildProcess, MissingProgramIsNotFound) {
  ChildProcessOptions options;
  options.argv = {"pullprint-no-such-program"};
  Result<ChildProcess> child = ChildProcess::start(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), Code::kNotFound);
}

TEST(ChildProcess, ExecFailureIsReported) {
  test::TempDir dir;
  test::write_file(dir.file("not-executable"), "#!/bin/sh\n");
  chmod(dir.file("not-executable").c_str(), 0644);
  ChildProcessOptions options;
  options.argv = {dir.file("not-executable")};
  Result<ChildProcess> child = ChildProcess::start(options);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.status().code(), Code::kIoError);
  EXPECT_NE(child.status().message().find("Permission denied"), std::string::npos)
      << child.status().message();
}

}  // namespace
}  // namespace pp
