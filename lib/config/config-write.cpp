// config-write.cpp: Config::to_text, the entries written back as a configuration file.
//
// Keys that are valid file keys are written as they are ("price.default.mono" reads back as the
// same key); keys with a section name that is not (upper case: "printer.Lab_Mono.device-uri")
// are written inside their "[printer Lab_Mono]" section. Every value is double-quoted, so
// spaces, '#' and '=' survive.
#include <map>
#include <vector>

#include "config/config-text.h"
#include "config/config.h"

namespace pp {
namespace {

std::string quoted(std::string_view value) {
  std::string text = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') text += '\\';
    text += c;
  }
  return text + "\"";
}

}  // namespace

std::string Config::to_text() const {
  std::string text;
  // "[kind name]" -> its "key = value" lines, in key order.
  std::map<std::string, std::vector<std::string>> sections;
  for (const auto& [key, value] : entries_) {
    const std::string line = " = " + quoted(value) + "\n";
    const std::size_t first = key.find('.');
    const std::size_t second = first == std::string::npos ? first : key.find('.', first + 1);
    if (is_valid_file_key(key) || second == std::string::npos) {
      text += key + line;
      continue;
    }
    const std::string header = "[" + key.substr(0, first) + " " +
                               key.substr(first + 1, second - first - 1) + "]";
    sections[header].push_back(key.substr(second + 1) + line);
  }
  for (const auto& [header, lines] : sections) {
    text += "\n" + header + "\n";
    for (const std::string& line : lines) text += line;
  }
  return text;
}

}  // namespace pp
