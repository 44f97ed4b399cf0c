// isolated-analysis.cpp: analysing a received document in a child process.
//
// pullprintd is a long-running server: a document that crashes the analyser, loops forever or
// eats memory must cost one child process, not the server and every other user's held jobs. So
// the analysis runs in `pullprint-cost --analysis-only` (the very engine the CUPS filter uses)
// under CPU, memory and wall-clock limits, and only its JSON answer crosses back.
#include <exception>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/program-paths.h"
#include "holding/holding.h"
#include "pricing/engine-config.h"
#include "util/child-process.h"
#include "util/scoped-temp-dir.h"

namespace pp {

namespace {

// The config keys that change what the analysis finds or how far it may go; the child gets
// exactly these (and reads no config file of its own), so it analyses as this process would.
constexpr const char* kAnalysisKeys[] = {
    "neutral-tolerance", "rich-black-is-color", "default-media", "max-file-size",
    "max-pages",         "max-nesting",         "max-operators", "max-image-pixels",
    "slow-path",         "ghostscript",         "slow-path-dpi", "child-cpu-seconds",
    "child-memory",      "child-timeout",
};

std::vector<std::string> analyzer_argv(const std::string& path, const Config& config) {
  std::vector<std::string> argv = {config.get_string(kAnalyzerProgram.key, kAnalyzerProgram.installed),
                                    "--analysis-only", "--json"};
  for (const char* key : kAnalysisKeys) {
    if (std::optional<std::string> value = config.get(key)) {
      argv.push_back("--set");
      argv.push_back(std::string(key) + "=" + *value);
    }
  }
  argv.push_back("--");  // a document path starting with '-' is still a path
  argv.push_back(path);
  return argv;
}

// The code whose code_name() is `name`, kIoError for anything else.
Code code_from_name(std::string_view name) {
  for (int value = static_cast<int>(Code::kInvalidArgument);
       value <= static_cast<int>(Code::kInternal); value++) {
    if (code_name(static_cast<Code>(value)) == name) return static_cast<Code>(value);
  }
  return Code::kIoError;
}

// The analyser's last line is "ERROR: pullprint: FILE: <code name>: message" (Status::to_string
// after the file name): back to a Status with that code.
Status status_from_error_line(const std::string& line, const std::string& path) {
  const std::string prefix = "ERROR: pullprint: " + path + ": ";
  if (!line.starts_with(prefix))
    return Status(Code::kIoError, "document analyser failed: " + line);
  std::string rest = line.substr(prefix.size());
  std::size_t colon = rest.find(": ");
  Code code = code_from_name(rest.substr(0, colon));
  if (code == Code::kIoError && !rest.starts_with("io-error"))
    return Status(Code::kIoError, "document analyser failed: " + rest);
  return Status(code, colon == std::string::npos ? rest : rest.substr(colon + 2));
}

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Result<DocumentInfo> analyze_document_isolated(const std::string& path, const Config& config) {
  // Read the limits here too: a bad value is a config error of this process, and the limits
  // bound the child from outside as well as inside.
  Result<AnalysisOptions> options = analysis_options_from_config(config);
  if (!options) return options.status();
  Result<ScopedTempDir> temp = ScopedTempDir::create("pullprint-analysis");
  if (!temp) return temp.status();

  ChildProcessOptions child;
  child.argv = analyzer_argv(path, config);
  child.display_name = "document analyser";
  child.stdout_path = temp->file("analysis.json");
  child.cpu_seconds = options->child_cpu_seconds;
  child.memory_bytes = options->child_memory_bytes;
  child.timeout_seconds = options->child_timeout_seconds;
  Result<ChildProcess> process = ChildProcess::start(child);
  if (!process) return process.status();
  Status finished = process->wait();
  if (finished.is_ok()) return document_from_json(read_whole_file(child.stdout_path));
  // A plain non-zero exit carries the analyser's own verdict; limits and signals do not.
  if (process->exit_status() > 0 && !process->timed_out())
    return status_from_error_line(process->last_output_line(), path);
  return finished;
}

}  // namespace pp
