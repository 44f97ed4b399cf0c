// config-text.h: small lexical helpers shared by the config parser and the typed readers.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace pp {

// Removes leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view text);

// "-12", "+7", "42": an optional sign and decimal digits only; nullopt on anything else
// (floats, hex, empty, out of int64 range).
std::optional<std::int64_t> parse_int64(std::string_view text);

// yes/no, true/false, on/off, 1/0 (case-insensitive); nullopt on anything else.
std::optional<bool> parse_bool(std::string_view text);

// A key as written in the file: lowercase letters, digits, '-', '_' and '.', starting with a
// letter or digit. Upper case is refused so "Color-Impression" is an error, not a silent miss.
bool is_valid_file_key(std::string_view key);

// A key given with -o: non-empty and free of whitespace, quotes and '#'. Printer names inside
// section keys ("price.Lab_Colour.sheet") may have upper case.
bool is_valid_override_key(std::string_view key);

// The NAME of a "[price NAME]" section (a CUPS queue name): printable, no whitespace, no '.',
// which would make "price.NAME.key" ambiguous, and none of # [ ] = " / \.
bool is_valid_section_name(std::string_view name);

}  // namespace pp
