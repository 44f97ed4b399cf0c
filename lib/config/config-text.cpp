// config-text.cpp: lexical helpers for configuration text.
#include "config/config-text.h"

#include <charconv>
#include <string>

namespace pp {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::optional<std::int64_t> parse_int64(std::string_view text) {
  bool plus = !text.empty() && text.front() == '+';
  if (plus) text.remove_prefix(1);
  std::string_view digits = (!plus && !text.empty() && text.front() == '-') ? text.substr(1) : text;
  if (digits.empty()) return std::nullopt;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  std::string word;
  for (char c : text) word += lower(c);
  if (word == "yes" || word == "true" || word == "on" || word == "1") return true;
  if (word == "no" || word == "false" || word == "off" || word == "0") return false;
  return std::nullopt;
}

bool is_valid_file_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return key.front() != '-' && key.front() != '.' && key.front() != '_';
}

bool is_valid_override_key(std::string_view key) {
  if (key.empty()) return false;
  for (char c : key) {
    if (is_space(c) || c == '"' || c == '#' || c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

bool is_valid_section_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c <= 0x20 || c == 0x7f) return false;
    if (std::string_view(".#[]=\"/\\").find(c) != std::string_view::npos) return false;
  }
  return true;
}

}  // namespace pp
