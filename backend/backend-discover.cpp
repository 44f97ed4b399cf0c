// backend-discover.cpp: discovery mode, the devices of every other backend under `pullprint:`.
//
// cups-deviced runs each backend without arguments and reads device lines from its stdout; a
// wrapper lists what the real backends find, so that `lpinfo -v` and printer set-up tools offer
// `pullprint:ipp://...` next to `ipp://...` (tea4cups does the same). The backends run at
// once, each in a bounded child (a network probe such as snmp may take seconds).
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "backend/backend.h"
#include "util/child-process.h"

namespace pp::backend {

namespace {

// cups-deviced gives backends 15 s by default; ours has to fit in that as a whole.
constexpr int kBackendTimeoutSeconds = 10;

// Executable regular files in DIR except ourselves (by name and by file identity), sorted.
std::vector<std::string> other_backends(const std::string& dir) {
  std::vector<std::string> programs;
  struct stat self {};
  bool have_self = ::stat("/proc/self/exe", &self) == 0;
  DIR* listing = ::opendir(dir.c_str());
  if (!listing) return programs;
  while (const dirent* entry = ::readdir(listing)) {
    std::string name = entry->d_name;
    if (name.empty() || name[0] == '.' || name == kScheme) continue;
    std::string path = dir + "/" + name;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) continue;
    if (::access(path.c_str(), X_OK) != 0) continue;
    if (have_self && info.st_dev == self.st_dev && info.st_ino == self.st_ino) continue;
    programs.push_back(path);
  }
  ::closedir(listing);
  std::sort(programs.begin(), programs.end());
  return programs;
}

// Where the quoted string starting at text[open] ends (the index of its closing quote), with
// backslash escapes; npos when it does not end.
std::size_t quoted_end(const std::string& text, std::size_t open) {
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') ++i;
    else if (text[i] == '"') return i;
  }
  return std::string::npos;
}

}  // namespace

std::string server_bin() {
  const char* dir = std::getenv("CUPS_SERVERBIN");
  return dir && *dir ? dir : "/usr/lib/cups";
}

std::optional<std::string> wrap_device_line(const std::string& line) {
  // class, one space, URI, one space, "make-and-model", one space, "info", rest.
  std::size_t class_end = line.find(' ');
  if (class_end == std::string::npos || class_end == 0) return std::nullopt;
  std::size_t uri_end = line.find(' ', class_end + 1);
  if (uri_end == std::string::npos || uri_end == class_end + 1) return std::nullopt;
  std::string uri = line.substr(class_end + 1, uri_end - class_end - 1);
  if (uri.rfind(std::string(kScheme) + ":", 0) == 0) return std::nullopt;  // never wrap twice
  std::size_t make_open = line.find('"', uri_end);
  if (make_open != uri_end + 1) return std::nullopt;
  std::size_t make_close = quoted_end(line, make_open);
  if (make_close == std::string::npos || make_close + 2 >= line.size() ||
      line[make_close + 1] != ' ' || line[make_close + 2] != '"')
    return std::nullopt;
  std::size_t info_close = quoted_end(line, make_close + 2);
  if (info_close == std::string::npos) return std::nullopt;
  return line.substr(0, class_end + 1) + kScheme + ":" + uri +
         line.substr(uri_end, info_close - uri_end) + " (pullprint)" + line.substr(info_close);
}

int discover_devices() {
  std::vector<ChildProcess> children;
  std::vector<std::string> outputs;
  std::vector<std::string> programs = other_backends(server_bin() + "/backend");
  outputs.reserve(programs.size());  // the sinks below keep pointers into it
  for (const std::string& program : programs) {
    outputs.emplace_back();
    std::string* sink = &outputs.back();
    ChildProcessOptions options;
    options.argv = {program};
    options.timeout_seconds = kBackendTimeoutSeconds;
    options.stdout_sink = [sink](const char* data, std::size_t size) {
      if (sink->size() < (1u << 20)) sink->append(data, size);
    };
    Result<ChildProcess> child = ChildProcess::start(options);
    if (!child) {
      std::fprintf(stderr, "DEBUG: pullprint: %s\n", child.status().message().c_str());
      outputs.pop_back();
      continue;
    }
    children.push_back(std::move(*child));
  }
  for (std::size_t i = 0; i < children.size(); ++i) {
    Status status = children[i].wait();  // a failed or slow backend just lists fewer devices
    if (!status.is_ok()) std::fprintf(stderr, "DEBUG: pullprint: %s\n", status.message().c_str());
    std::istringstream lines(outputs[i]);
    std::string line;
    while (std::getline(lines, line)) {
      if (std::optional<std::string> wrapped = wrap_device_line(line))
        std::printf("%s\n", wrapped->c_str());
    }
  }
  std::fflush(stdout);
  return kOk;
}

}  // namespace pp::backend
