// quote.cpp: pricing a document for a printer.
#include "charging/quote.h"

#include "pricing/engine-config.h"

namespace pp {

Result<Quote> quote_analysed(DocumentInfo document,
                             const std::map<std::string, std::string>& job_options,
                             std::string_view printer, const Config& config) {
  Result<JobOptions> options = job_options_from_map(job_options);
  if (!options) return options.status();
  Result<PriceProfile> profile = price_profile_from_config(config, printer);
  if (!profile) return profile.status();
  Result<ImpressionCount> impressions = count_impressions(document, *options);
  if (!impressions) return impressions.status();

  Quote quote;
  quote.document = std::move(document);
  quote.options = std::move(*options);
  quote.impressions = std::move(*impressions);
  quote.profile = std::move(*profile);
  quote.price = price_impressions(quote.impressions, quote.profile);
  return quote;
}

Result<Quote> quote_document(const std::string& path,
                             const std::map<std::string, std::string>& job_options,
                             std::string_view printer, const Config& config) {
  Result<AnalysisOptions> analysis_options = analysis_options_from_config(config);
  if (!analysis_options) return analysis_options.status();
  Result<DocumentInfo> document = analyze_document(path, *analysis_options);
  if (!document) return document.status();
  return quote_analysed(std::move(*document), job_options, printer, config);
}

std::string describe_quote(const Quote& quote) {
  std::string text = std::to_string(quote.document.page_count()) +
                     (quote.document.page_count() == 1 ? " page" : " pages");
  if (int color = quote.document.color_page_count(); color > 0)
    text += " (" + std::to_string(color) + " colour)";
  std::int64_t impressions = quote.impressions.impressions();
  text += ", " + std::to_string(impressions) + (impressions == 1 ? " impression" : " impressions");
  text += ", " + format_money(quote.price.minor, quote.price.currency);
  return text;
}

}  // namespace pp
