// child-process.h: runs one measurement in a child process and reports its cost.
//
// Every benchmark measurement (our analysis, Ghostscript inkcov, the qpdf floor) runs in a fresh
// child so that its wall time and peak resident memory (wait4's ru_maxrss, which also covers the
// child's own waited-for children such as our Ghostscript slow path) are its own. A thin adapter
// over lib's pp::ChildProcess, which does the fork, exec, pipes, timeout and wait4.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace ppbench {

struct ChildResult {
  bool started = false;    // fork and exec worked
  bool timed_out = false;  // killed after the time limit
  int exit_code = -1;      // exit status, or -1 when killed by a signal
  double seconds = 0;      // wall time from fork to reaping
  long max_rss_kb = 0;     // peak resident set size of the child (and its waited-for children)
  std::string output;      // stdout and stderr, merged (stdout only goes to a sink when given)
};

// Receives a child's stdout as it arrives, for output too large to keep (rendered pages).
using OutputSink = std::function<void(const char* data, std::size_t size)>;

// Runs argv[0] (looked up in PATH) with the arguments, captures its output, and kills it after
// timeout_seconds (0: no limit). With a sink, stdout goes to the sink (stderr is still captured).
ChildResult run_child(const std::vector<std::string>& argv, int timeout_seconds,
                      const OutputSink& sink = nullptr);

}  // namespace ppbench
