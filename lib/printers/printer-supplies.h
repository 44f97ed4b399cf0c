// printer-supplies.h: a printer's supplies (toner, ink, waste tank) as it reports them, and the
// rule for "running low" that the console shows and the alert e-mail uses.
//
// Why here: printers report supplies in two IPP forms. CUPS queues and PAPPL printers send the
// CUPS `marker-*` attributes (names, levels, colours, types, low levels side by side); IPP
// Everywhere devices (and ippeveprinter) send PWG 5100.13 `printer-supply` octet strings
// ("index=2;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=5;...")
// with `printer-supply-description`. Both become one list here, read once, so the page and the
// alert never disagree on what "low" is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pp {

// A supply level the printer could not give: IPP's -1 (unavailable), -2 (unknown), -3 (some
// left). Levels >= 0 are percent of the supply's capacity.
inline constexpr int kSupplyLevelUnknown = -2;
// The low level of a supply whose printer names none (printer-supply has no low level): 10 %.
inline constexpr int kDefaultSupplyLowLevel = 10;

// One supply.
struct PrinterSupply {
  std::string name;   // "Black Toner" (marker-names, printer-supply-description)
  std::string color;  // "#000000", "none" ("" when not reported)
  std::string type;   // "toner", "ink", "waste-toner" (marker-types; printer-supply's type)
  int level = kSupplyLevelUnknown;  // percent; < 0: see above
  int low_level = -1;               // marker-low-levels; -1 = not reported
  bool is_receptacle = false;       // a waste tank: it fills up instead of running out

  bool operator==(const PrinterSupply&) const = default;
};

// The marker-* attributes side by side (CUPS's form); missing positions are left empty/unknown.
std::vector<PrinterSupply> supplies_from_markers(const std::vector<std::string>& names,
                                                 const std::vector<int>& levels,
                                                 const std::vector<std::string>& colors,
                                                 const std::vector<std::string>& types,
                                                 const std::vector<int>& low_levels);

// One printer-supply value (PWG 5100.13 "key=value;" pairs) with its description; nullopt for a
// value without a level. A level in another unit than percent is converted with maxcapacity.
std::optional<PrinterSupply> supply_from_pwg(std::string_view value, std::string_view description);

// Whether `supply` has reached its low level: level known and at or below low_level (or
// kDefaultSupplyLowLevel when the printer gives none). A waste receptacle is low (nearly full)
// at or above 100 minus that level.
bool supply_is_low(const PrinterSupply& supply);

// Whether `supply` is empty (a receptacle: full).
bool supply_is_empty(const PrinterSupply& supply);

}  // namespace pp
