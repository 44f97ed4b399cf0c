// card-format.cpp: the card-format rule set (see card-format.h for the rules and why).
#include "directory/card-format.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <sstream>
#include <vector>

#include "cards/cards.h"

namespace pp {

namespace {

Status bad_format(std::string_view word) {
  return Status(Code::kInvalidArgument,
                "card-format: unknown word '" + std::string(word) +
                    "' (decimal, hexadecimal, to-decimal, to-hexadecimal, reversed, bytes=N, "
                    "strip-zeros, pad=N)");
}

// "bytes=4" -> 4 within [low, high]; nullopt for anything else.
std::optional<int> number_after(std::string_view word, std::string_view prefix, int low, int high) {
  if (word.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view digits = word.substr(prefix.size());
  int value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || value < low || value > high)
    return std::nullopt;
  return value;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status refuse(std::string_view value, std::string_view why) {
  return Status(Code::kInvalidArgument,
                "card number '" + std::string(value) + "': " + std::string(why));
}

// The bytes of `number`, most significant first, `width` long (0: 4, 7 or 8, the smallest that
// holds it).
std::vector<std::uint8_t> bytes_of(std::uint64_t number, int width) {
  if (width == 0) width = number <= 0xFFFFFFFFull ? 4 : number <= 0xFFFFFFFFFFFFFFull ? 7 : 8;
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(width));
  for (int i = width - 1; i >= 0; --i) {
    bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(number & 0xFF);
    number >>= 8;
  }
  return bytes;
}

}  // namespace

Result<CardFormat> parse_card_format(std::string_view text) {
  CardFormat format;
  std::istringstream words{std::string(text)};
  std::string word;
  while (words >> word) {
    std::transform(word.begin(), word.end(), word.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (word == "decimal")
      format.input = CardFormat::Base::kDecimal;
    else if (word == "hexadecimal" || word == "hex")
      format.input = CardFormat::Base::kHexadecimal;
    else if (word == "to-decimal")
      format.output = CardFormat::Base::kDecimal;
    else if (word == "to-hexadecimal" || word == "to-hex")
      format.output = CardFormat::Base::kHexadecimal;
    else if (word == "reversed")
      format.reversed = true;
    else if (word == "strip-zeros")
      format.strip_zeros = true;
    else if (std::optional<int> bytes = number_after(word, "bytes=", 1, 8))
      format.bytes = *bytes;
    else if (std::optional<int> pad = number_after(word, "pad=", 1, 64))
      format.pad = *pad;
    else
      return bad_format(word);
  }
  if (format.strip_zeros && format.pad > 0)
    return Status(Code::kInvalidArgument, "card-format: strip-zeros and pad=N exclude each other");
  return format;
}

Result<std::string> normalize_card_number(std::string_view value, const CardFormat& format) {
  std::string compact;
  for (char c : value) {
    if (c != ' ' && c != ':' && c != '-' && c != '\t') compact.push_back(c);
  }
  if (compact.empty()) return refuse(value, "empty");
  CardFormat::Base output = format.output.value_or(format.input);
  bool as_bytes = format.reversed || output != format.input;

  std::string digits;
  if (format.input == CardFormat::Base::kHexadecimal) {
    for (char c : compact) {
      if (hex_digit(c) < 0) return refuse(value, "not a hexadecimal number");
    }
    std::transform(compact.begin(), compact.end(), compact.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (compact.size() % 2 == 1) compact.insert(compact.begin(), '0');
    if (format.bytes > 0 && as_bytes) {
      // Fit the number to the card's width: drop leading zero bytes, or add them.
      while (compact.size() > static_cast<std::size_t>(format.bytes) * 2 &&
             compact.substr(0, 2) == "00")
        compact.erase(0, 2);
      if (compact.size() > static_cast<std::size_t>(format.bytes) * 2)
        return refuse(value, "longer than bytes=" + std::to_string(format.bytes));
      compact.insert(0, static_cast<std::size_t>(format.bytes) * 2 - compact.size(), '0');
    }
    if (format.reversed) {
      std::string reversed;
      for (std::size_t i = compact.size(); i >= 2; i -= 2) reversed += compact.substr(i - 2, 2);
      compact = reversed;
    }
    if (output == CardFormat::Base::kHexadecimal) {
      digits = compact;
    } else {
      std::string significant =
          compact.substr(std::min(compact.find_first_not_of('0'), compact.size()));
      if (significant.size() > 16) return refuse(value, "too long to write in decimal");
      std::uint64_t number = 0;
      for (char c : significant) number = number * 16 + static_cast<std::uint64_t>(hex_digit(c));
      digits = std::to_string(number);
    }
  } else {
    for (char c : compact) {
      if (c < '0' || c > '9') return refuse(value, "not a decimal number");
    }
    if (!as_bytes) {
      digits = compact;
    } else {
      std::uint64_t number = 0;
      std::string_view text = compact;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error != std::errc() || end != text.data() + text.size())
        return refuse(value, "larger than 8 bytes");
      if (format.bytes > 0 && format.bytes < 8 && number >> (8 * format.bytes) != 0)
        return refuse(value, "longer than bytes=" + std::to_string(format.bytes));
      std::vector<std::uint8_t> bytes = bytes_of(number, format.bytes);
      if (format.reversed) std::reverse(bytes.begin(), bytes.end());
      if (output == CardFormat::Base::kHexadecimal) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        for (std::uint8_t byte : bytes) {
          digits.push_back(kHex[byte >> 4]);
          digits.push_back(kHex[byte & 0xF]);
        }
      } else {
        std::uint64_t reordered = 0;
        for (std::uint8_t byte : bytes) reordered = (reordered << 8) | byte;
        digits = std::to_string(reordered);
      }
    }
  }
  if (format.strip_zeros) {
    std::size_t first = digits.find_first_not_of('0');
    digits = first == std::string::npos ? "0" : digits.substr(first);
  } else if (format.pad > 0 && digits.size() < static_cast<std::size_t>(format.pad)) {
    digits.insert(0, static_cast<std::size_t>(format.pad) - digits.size(), '0');
  }
  if (Status valid = validate_card_number(digits); !valid.is_ok())
    return refuse(value, valid.message());
  return digits;
}

}  // namespace pp
