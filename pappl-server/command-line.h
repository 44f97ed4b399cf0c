// command-line.h: parsing pullprint's and pullprintd's command lines with CLI11.
//
// CLI11_PARSE exits with CLI11's own numbers for usage errors (106, 108, ...), but pullprint(1)
// and pullprintd(8) promise 2 for a usage or configuration error, as scripts expect.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>

namespace pp::cli {

// Parses argv (running the chosen subcommand's callback). Returns the exit status when the
// program must stop now: 0 after --help, 2 after a usage error (printed by CLI11); nullopt when
// parsing went through.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char* argv[]) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

}  // namespace pp::cli
