// program-paths.cpp: finding the programs pullprintd runs (see program-paths.h for why).
#include "config/program-paths.h"

#include <filesystem>
#include <system_error>

#include <sys/stat.h>
#include <unistd.h>

namespace pp {

namespace {

bool is_executable_file(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::vector<std::string> program_candidates(const ProgramPath& program, const Config& config,
                                            std::string_view self_exe) {
  if (std::optional<std::string> configured = config.get(program.key)) return {*configured};
  std::vector<std::string> candidates;
  if (!self_exe.empty()) {
    const std::filesystem::path self(self_exe);
    candidates.push_back((self.parent_path().parent_path() / program.built).string());
  }
  candidates.emplace_back(program.installed);
  return candidates;
}

Result<std::string> find_program(const ProgramPath& program, const Config& config,
                                 std::string_view self_exe) {
  const std::vector<std::string> candidates = program_candidates(program, config, self_exe);
  for (const std::string& candidate : candidates) {
    if (is_executable_file(candidate)) return candidate;
  }
  std::string tried;
  for (const std::string& candidate : candidates) tried += (tried.empty() ? "" : ", ") + candidate;
  return Status(Code::kNotFound, "no " + std::string(program.what) + ": " + tried +
                                     (candidates.size() == 1 ? " is" : " are") +
                                     " not an executable file; set `" + std::string(program.key) +
                                     " = PATH` in pullprint.conf (or -o " + std::string(program.key) +
                                     "=PATH)");
}

std::string self_executable() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.string();
}

}  // namespace pp
