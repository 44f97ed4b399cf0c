// child-process.cpp: one benchmark measurement as a pp::ChildProcess, timed from start to reaping.
#include "child-process.h"

#include <chrono>

#include "util/child-process.h"

namespace ppbench {

ChildResult run_child(const std::vector<std::string>& argv, int timeout_seconds,
                      const OutputSink& sink) {
  pp::ChildProcessOptions options;
  options.argv = argv;
  options.timeout_seconds = timeout_seconds;
  options.max_captured_bytes = 64 * 1024 * 1024;  // inkcov prints a line per page: keep it all
  options.stdout_sink = sink;
  ChildResult result;
  const auto start = std::chrono::steady_clock::now();
  pp::Result<pp::ChildProcess> child = pp::ChildProcess::start(options);
  if (!child.ok()) {
    result.output = child.status().to_string();
    return result;
  }
  result.started = true;
  (void)child->wait();  // the outcome is read below, field by field
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.timed_out = child->timed_out();
  result.exit_code = child->term_signal() ? -1 : child->exit_status();
  result.max_rss_kb = child->resource_usage().ru_maxrss;
  result.output = child->captured_output();
  return result;
}

}  // namespace ppbench
