// program-paths.h: where pullprintd finds the programs it runs as children (the document
// analyser `pullprint-cost` and the wrapper backend `pullprint`), and their one resolver.
//
// A server run from a build tree must run the programs built beside it, an installed one the
// installed programs, and a site may name its own. A program that is missing must stop the
// server at start-up, naming the key to set, instead of refusing every job later.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "util/status.h"

namespace pp {

// One program pullprintd runs.
struct ProgramPath {
  std::string_view key;        // config key that names it ("analyzer")
  std::string_view what;       // for messages ("document analyser")
  std::string_view installed;  // where the packages install it
  std::string_view built;      // where the build tree has it, relative to the tree's top
};

inline constexpr ProgramPath kAnalyzerProgram = {
    "analyzer", "document analyser", "/usr/lib/cups/filter/pullprint-cost", "filters/pullprint-cost"};
inline constexpr ProgramPath kBackendProgram = {
    "backend", "wrapper backend", "/usr/lib/cups/backend/pullprint", "backend/pullprint"};

// The places tried for `program`, in order: the config key's value alone when it is set; else
// the one built beside `self_exe` (a build tree: <top>/pappl-server/pullprintd next to
// <top>/filters/pullprint-cost), then the installed one.
std::vector<std::string> program_candidates(const ProgramPath& program, const Config& config,
                                            std::string_view self_exe);

// The first candidate that is an executable regular file; kNotFound naming every place tried
// and the key to set when there is none.
Result<std::string> find_program(const ProgramPath& program, const Config& config,
                                 std::string_view self_exe);

// The running program's own path (/proc/self/exe), "" when it cannot be read.
std::string self_executable();

}  // namespace pp
