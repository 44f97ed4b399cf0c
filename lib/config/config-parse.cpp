// config-parse.cpp: Config::parse, the "key = value" / [section] file format of config.h.
//
// Rules: '#' starts a comment at the beginning of a line, or after whitespace elsewhere (so a
// value such as "ipp://host/printers/a#b" keeps its '#'); values are trimmed and may be
// double-quoted ("\"" and "\\" escapes inside); "[SECTION NAME]" prefixes the keys that follow
// with "SECTION.NAME.", "[SECTION]" with "SECTION.". A key set twice is an error: in a price list
// the second value silently winning is how typos become wrong prices.
#include <map>
#include <string>

#include "config/config-text.h"
#include "config/config.h"

namespace pp {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view origin) : origin_(origin) {}

  // Parses one line (without its newline) into config.
  Status line(std::string_view text, Config& config);

 private:
  Status section(std::string_view text);
  Status assignment(std::string_view text, Config& config);
  Result<std::string> value(std::string_view text);
  Status error(const std::string& message) const {
    return Status(Code::kInvalidArgument,
                  std::string(origin_) + ":" + std::to_string(number_) + ": " + message);
  }

  std::string_view origin_;
  int number_ = 0;
  std::string prefix_;
  std::map<std::string, int, std::less<>> first_line_;  // key -> line that set it
};

// Strips a trailing comment: '#' at the start or preceded by whitespace.
std::string_view strip_comment(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      return trim(text.substr(0, i));
    }
  }
  return trim(text);
}

Status Parser::line(std::string_view text, Config& config) {
  ++number_;
  text = trim(text);
  if (text.empty() || text.front() == '#') return Status::ok();
  if (text.front() == '[') return section(text);
  return assignment(text, config);
}

Status Parser::section(std::string_view text) {
  std::size_t close = text.find(']');
  if (close == std::string_view::npos) return error("section header without ']'");
  if (!strip_comment(text.substr(close + 1)).empty()) {
    return error("unexpected text after section header");
  }
  std::string_view inside = trim(text.substr(1, close - 1));
  std::size_t space = inside.find_first_of(" \t");
  std::string_view kind = inside.substr(0, space);
  std::string_view name = space == std::string_view::npos ? "" : trim(inside.substr(space));
  if (!is_valid_file_key(kind) || kind.find('.') != std::string_view::npos) {
    return error("bad section \"[" + std::string(inside) + "]\" (expected [price NAME])");
  }
  if (space != std::string_view::npos && !is_valid_section_name(name)) {
    return error("bad section name \"" + std::string(name) +
                 "\" (no spaces, dots or any of # [ ] = \" / \\)");
  }
  prefix_ = std::string(kind) + ".";
  if (!name.empty()) prefix_ += std::string(name) + ".";
  return Status::ok();
}

Status Parser::assignment(std::string_view text, Config& config) {
  std::size_t equals = text.find('=');
  if (equals == std::string_view::npos) return error("expected \"key = value\"");
  std::string_view key = trim(text.substr(0, equals));
  if (!is_valid_file_key(key)) {
    return error("bad key \"" + std::string(key) +
                 "\" (keys are lowercase letters, digits, '-', '_' and '.')");
  }
  Result<std::string> parsed = value(text.substr(equals + 1));
  if (!parsed.ok()) return parsed.status();
  std::string full_key = prefix_ + std::string(key);
  auto [seen, inserted] = first_line_.emplace(full_key, number_);
  if (!inserted) {
    return error("key " + full_key + " already set on line " + std::to_string(seen->second));
  }
  config.set(std::move(full_key), std::move(parsed.value()));
  return Status::ok();
}

Result<std::string> Parser::value(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.front() != '"') return std::string(strip_comment(text));
  std::string unquoted;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '"' || text[i + 1] == '\\')) {
      unquoted += text[++i];
    } else if (c == '"') {
      if (!strip_comment(text.substr(i + 1)).empty()) {
        return error("unexpected text after closing quote");
      }
      return unquoted;
    } else {
      unquoted += c;
    }
  }
  return error("unterminated quoted value");
}

}  // namespace

Result<Config> Config::parse(std::string_view text, std::string_view origin) {
  Config config;
  Parser parser(origin);
  while (true) {
    std::size_t newline = text.find('\n');
    Status status = parser.line(text.substr(0, newline), config);
    if (!status.is_ok()) return status;
    if (newline == std::string_view::npos) break;
    text.remove_prefix(newline + 1);
  }
  return config;
}

}  // namespace pp
