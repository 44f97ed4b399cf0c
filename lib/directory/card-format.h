// card-format.h: card numbers from a directory, written the way the site's card readers report
// them (`card-format` of a [directory NAME] section).
//
// Why: one card is written differently by different systems: the directory keeps its UID in
// hexadecimal ("04A1B2C3"), a reader reports it in decimal ("3283329284") or with its bytes in
// the other order ("C3B2A104"), with or without leading zeros. A terminal looks a card up by the
// exact text its reader sends, so the sync writes each card in the readers' form.
//
// The rule set (card-format is a space-separated list of these words; default "decimal"):
//   decimal | hexadecimal   how the directory writes the number (default decimal)
//   to-decimal | to-hexadecimal   how the readers report it (default: as the directory writes it)
//   reversed                the byte order is reversed
//   bytes=N                 the card number is N bytes long (1-8) when it must be seen as bytes
//                           (a decimal number reversed or turned into hexadecimal); default the
//                           smallest of 4, 7 or 8 bytes that holds it (MIFARE UIDs are 4 or 7)
//   strip-zeros | pad=N     leading zeros removed (at least "0" stays), or added up to N digits
// Steps, in this order: spaces, ':' and '-' are removed; the number is read; bytes reversed;
// written in the output base (hexadecimal in upper case); leading zeros stripped or padded.
// A value that does not fit the rule (a letter in a decimal number, more than 8 bytes to turn
// into decimal) is refused with kInvalidArgument, and the sync skips that card with a warning.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace pp {

struct CardFormat {
  enum class Base { kDecimal, kHexadecimal };
  Base input = Base::kDecimal;
  std::optional<Base> output;  // nullopt: as input
  bool reversed = false;
  int bytes = 0;  // 0: smallest of 4, 7, 8
  bool strip_zeros = false;
  int pad = 0;  // 0: no padding
};

// Parses a card-format value ("hexadecimal reversed to-decimal pad=10").
Result<CardFormat> parse_card_format(std::string_view text);

// A directory's card value in the readers' form; kInvalidArgument when it does not fit.
Result<std::string> normalize_card_number(std::string_view value, const CardFormat& format);

}  // namespace pp
