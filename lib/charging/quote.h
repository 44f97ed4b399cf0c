// quote.h: what a job costs on a given printer: analysis + impressions + price, in one call.
//
// The filter (pullprint-cost), pullprintd and the CLI all price documents through quote_document()
// so that a job is priced identically wherever it enters.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "analysis/document.h"
#include "config/config.h"
#include "pricing/pricing.h"
#include "util/status.h"

namespace pp {

struct Quote {
  DocumentInfo document;
  JobOptions options;
  ImpressionCount impressions;
  PriceProfile profile;
  Price price;
};

// Analyses the document at `path` and prices it for `printer` with the job's options (IPP/CUPS
// names, e.g. {"copies","2"}, {"sides","two-sided-long-edge"}).
Result<Quote> quote_document(const std::string& path,
                             const std::map<std::string, std::string>& job_options,
                             std::string_view printer, const Config& config);

// Prices an already analysed document (used when the same document is quoted for several printers).
Result<Quote> quote_analysed(DocumentInfo document,
                             const std::map<std::string, std::string>& job_options,
                             std::string_view printer, const Config& config);

// "12 pages (2 colour), 14 impressions, EUR 0.84": the summary users see.
std::string describe_quote(const Quote& quote);

}  // namespace pp
