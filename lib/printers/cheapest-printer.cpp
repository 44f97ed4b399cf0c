// cheapest-printer.cpp: cheapest_printer and PrinterChoice::hint.
//
// Each printer is priced through quote_analysed, the same call the release step uses, so the
// hint can never quote a price the user is then not charged.
#include "charging/quote.h"
#include "printers/printers.h"

namespace pp {

namespace {

Result<PrinterPrice> price_on(const DocumentInfo& document,
                              const std::map<std::string, std::string>& job_options,
                              const ReleasePrinter& printer, const Config& config) {
  Result<Quote> quote = quote_analysed(document, job_options, printer.profile, config);
  if (!quote) return quote.status();
  return PrinterPrice{printer.name, quote->price};
}

// The printer to compare against: `given` when named, else the first enabled one.
const ReleasePrinter* starting_printer(const std::vector<ReleasePrinter>& printers,
                                       std::string_view given) {
  for (const ReleasePrinter& printer : printers) {
    if (printer.enabled && (given.empty() || printer.name == given)) return &printer;
  }
  return nullptr;
}

}  // namespace

Result<PrinterChoice> cheapest_printer(const DocumentInfo& document,
                                       const std::map<std::string, std::string>& job_options,
                                       const std::vector<ReleasePrinter>& printers,
                                       const Config& config, std::string_view given) {
  const ReleasePrinter* start = starting_printer(printers, given);
  if (!start) {
    return Result<PrinterChoice>(Code::kNotFound, given.empty() ? "no enabled release printer"
                                                                : "no enabled release printer \"" +
                                                                      std::string(given) + "\"");
  }
  Result<PrinterPrice> start_price = price_on(document, job_options, *start, config);
  if (!start_price) return start_price.status();
  PrinterChoice choice{*start_price, std::nullopt};
  if (!given.empty()) choice.given = *start_price;
  for (const ReleasePrinter& printer : printers) {
    if (!printer.enabled || &printer == start) continue;
    Result<PrinterPrice> price = price_on(document, job_options, printer, config);
    if (!price) return price.status();
    // Strictly cheaper only: a tie keeps the pick (or the earlier printer).
    if (price->price.currency == choice.cheapest.price.currency &&
        price->price.minor < choice.cheapest.price.minor)
      choice.cheapest = std::move(*price);
  }
  return choice;
}

std::string PrinterChoice::hint() const {
  if (!given || given->printer == cheapest.printer) return "";
  return "this job costs " + format_money(cheapest.price.minor, cheapest.price.currency) + " on " +
         cheapest.printer + " instead of " +
         format_money(given->price.minor, given->price.currency) + " on " + given->printer;
}

}  // namespace pp
