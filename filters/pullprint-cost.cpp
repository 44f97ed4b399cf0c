// pullprint-cost: the CUPS filter that prices a job and reserves its price in the ledger.
//
// As a CUPS filter (installed as a *cupsPreFilter so that it sees the job's original document):
//   pullprint-cost job-id user title copies options [file]
// It analyses the document, prices it for the queue's printer with the job's options, reserves the
// price on the owner's account (or the job-account-id account when the owner may charge it), or
// files the job as a split among payers when it has a pullprint-split option (ratio mode;
// lib/split-jobs/split-cups.h), reports PAGE:/INFO:/ERROR: lines on stderr and passes the document
// through unchanged on stdout. A job that cannot be analysed or paid for fails with an ERROR: line
// and prints nothing.
//
// Standalone, for people and tests:
//   pullprint-cost [--json] FILE [-o name=value ...] [--printer NAME] [-c CONFIG] [--set KEY=VALUE]
//   pullprint-cost --analysis-only --json FILE [-c CONFIG] [--set KEY=VALUE]   (pullprintd's
//   analyser)
//
// All rules live in lib/; this file only speaks the CUPS filter conventions.
#include <cups/cups.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/pages-json.h"
#include "charging/payer.h"
#include "charging/quote.h"
#include "config/config.h"
#include "delivery/delivery.h"
#include "delivery/job-ref.h"
#include "ledger/job-ref.h"
#include "pricing/engine-config.h"
#include "pricing/pricing.h"
#include "rights/rights.h"
#include "site/site.h"
#include "split-jobs/split-cups.h"
#include "splits/split-request.h"
#include "util/input-file.h"

namespace {

using pp::Code;
using pp::Config;
using pp::Quote;
using pp::Result;
using pp::Status;

// The config file named by PULLPRINT_CONFIG (set with SetEnv in cupsd.conf), else the default.
Result<Config> load_filter_config() {
  const char* path = std::getenv("PULLPRINT_CONFIG");
  if (path && *path) return pp::load_config(std::string(path), {});
  return pp::load_config(std::nullopt, {});
}

// CPU and memory limits that end the analysis of a hostile document with a readable message
// (the same child-cpu-seconds and child-memory keys that bound pullprintd's analyser children).
void limit_resources(const Config& config) {
  Result<std::int64_t> seconds = config.get_int("child-cpu-seconds", 120);
  if (seconds.ok() && *seconds > 0) {
    struct sigaction action = {};
    action.sa_handler = [](int) {
      static const char kMessage[] = "ERROR: pullprint: document analysis took too long\n";
      ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
      (void)ignored;
      _exit(1);
    };
    sigaction(SIGXCPU, &action, nullptr);
    struct rlimit limit = {static_cast<rlim_t>(*seconds), static_cast<rlim_t>(*seconds + 5)};
    setrlimit(RLIMIT_CPU, &limit);
  }
  // Allocation failures surface as std::bad_alloc, which the analysers turn into a Status.
  Result<std::int64_t> bytes = config.get_int("child-memory", 2048ll * 1024 * 1024);
  if (bytes.ok() && *bytes > 0) {
    struct rlimit limit = {static_cast<rlim_t>(*bytes), static_cast<rlim_t>(*bytes)};
    setrlimit(RLIMIT_AS, &limit);
  }
}

// Whether this CUPS job carries a pullprintd job the delivery log confirms (see
// confirmed_pullprintd_ref): then it is not priced or reserved again.
bool released_by_pullprintd(const pp::Config& config, const std::map<std::string, std::string>& options,
                            const std::string& printer, const char* job_id) {
  if (!options.contains(pp::kJobRefOption)) return false;
  Result<pp::Site> site = pp::Site::open(config, pp::SiteStores{.deliveries = true});
  return site &&
         pp::confirmed_pullprintd_ref(site->deliveries(), options, printer, job_id).has_value();
}

// PAGE: lines, one per impression (sheet side) of one copy with the copy count, so that cupsd's
// job-impressions-completed and page_log total equal the impressions pullprint charges for.
void report_pages(const Quote& quote) {
  int copies = std::max(quote.options.copies, 1);
  std::int64_t sides = quote.impressions.impressions() / copies;
  for (std::int64_t side = 1; side <= sides; side++)
    std::fprintf(stderr, "PAGE: %lld %d\n", static_cast<long long>(side), copies);
}

int fail(const std::string& message) {
  std::fprintf(stderr, "ERROR: pullprint: %s\n", message.c_str());
  return 1;
}

// A job with a pullprint-split option: filed as a split (lib/split-jobs/split-cups.h) instead of
// reserving its price on the owner; the payers are told what they are asked.
int file_split(pp::Site& site, const Config& config,
               const std::map<std::string, std::string>& options, const std::string& printer,
               char* argv[], const Quote& quote, pp::InputFile& spool) {
  pp::CupsSplitJob job{pp::JobRef::cups(options, printer, argv[1]), argv[2], argv[3], options};
  Result<pp::FiledCupsSplit> filed = pp::split_cups_job(
      site, config, job, quote, options.at(pp::kSplitAttribute), std::chrono::system_clock::now());
  if (!filed) return fail("job refused: cannot split the job: " + filed.status().message());
  if (filed->created) {
    Result<pp::SplitSettings> settings = pp::split_settings_from_config(config);
    pp::notify_pending_payers(filed->split, [&](const std::string& user, const std::string& text) {
      std::fprintf(stderr, "DEBUG: pullprint: notify %s: %s\n", user.c_str(), text.c_str());
      if (!settings) return;
      Status sent =
          pp::notify_payer(*settings, site.people(), user, "pullprint: a print job to share", text);
      if (!sent.is_ok())
        std::fprintf(stderr, "WARNING: pullprint: notify-command for %s failed: %s\n", user.c_str(),
                     sent.to_string().c_str());
    });
  }
  report_pages(quote);
  std::fprintf(stderr, "INFO: %s split (%s): %s\n", pp::describe_quote(quote).c_str(),
               filed->split.request.c_str(), filed->split.progress().c_str());
  return spool.copy_to(STDOUT_FILENO).is_ok() ? 0 : fail("cannot write the document");
}

// Filter mode: argv = queue job-id user title copies options [file].
int run_filter(int argc, char* argv[]) {
  setbuf(stderr, nullptr);
  signal(SIGPIPE, SIG_IGN);

  Result<Config> config = load_filter_config();
  if (!config) return fail(config.status().to_string());
  limit_resources(*config);

  Result<pp::InputFile> spool = pp::InputFile::open(argc == 7 ? argv[6] : nullptr);
  if (!spool) return fail(spool.status().to_string());

  // CUPS runs a pre-filter before every filter of the chain whose input type it accepts; only
  // the job's original document (CONTENT_TYPE) is priced, converted data just passes through.
  const char* original_type = std::getenv("CONTENT_TYPE");
  std::string type = pp::sniff_document_format(spool->path());
  if (original_type && *original_type && type != original_type) {
    std::fprintf(stderr, "DEBUG: pullprint: %s data from an earlier filter, already priced\n",
                 type.c_str());
    return spool->copy_to(STDOUT_FILENO).is_ok() ? 0 : fail("cannot write the document");
  }

  std::map<std::string, std::string> options = pp::parse_cups_options(argv[5]);
  options["copies"] = argv[4];
  const char* printer_env = std::getenv("PRINTER");
  std::string printer = printer_env && *printer_env ? printer_env : argv[0];

  // A job pullprintd released to this queue (a printer that needs a driver) was priced and
  // reserved by pullprintd; its backend captures that reservation.
  if (released_by_pullprintd(*config, options, printer, argv[1])) {
    std::fprintf(stderr, "INFO: pullprint: released by pullprintd, already priced\n");
    return spool->copy_to(STDOUT_FILENO).is_ok() ? 0 : fail("cannot write the document");
  }

  Result<Quote> quote = pp::quote_document(spool->path(), options, printer, *config);
  if (!quote) return fail("cannot price the document: " + quote.status().message());

  const bool split = options.contains(pp::kSplitAttribute);
  Result<pp::Site> site = pp::Site::open(*config, pp::SiteStores{.splits = split, .people = true});
  if (!site) return fail(site.status().to_string());
  if (Status allowed = pp::check_cups_submission(
          site->people(), site->ledger(), *config, printer, argv[2],
          pp::JobPrint{quote->impressions.impressions(), quote->impressions.color_impressions()});
      !allowed.is_ok())
    return fail("job refused: " + allowed.message());
  if (split) return file_split(*site, *config, options, printer, argv, *quote, *spool);
  std::optional<std::string> account_id;
  if (auto it = options.find("job-account-id"); it != options.end()) account_id = it->second;
  Result<pp::Account> payer = pp::resolve_payer(site->ledger(), *config, argv[2], account_id,
                                                pp::group_check(site->people()));
  if (!payer) return fail(payer.status().message());
  std::string job_ref = pp::JobRef::cups(options, printer, argv[1]).str();
  Result<pp::Reservation> reservation =
      pp::reserve_job(site->ledger(), *payer, *quote, job_ref, "pullprint-cost");
  if (!reservation)
    return fail("job refused: " + pp::describe_refusal(reservation.status(), *payer, *quote));

  report_pages(*quote);
  std::fprintf(stderr, "INFO: %s reserved on account %s\n", pp::describe_quote(*quote).c_str(),
               payer->name.c_str());
  return spool->copy_to(STDOUT_FILENO).is_ok() ? 0 : fail("cannot write the document");
}

// The standalone report as one JSON object.
nlohmann::json quote_json(const std::string& file, const std::string& printer, const Quote& quote) {
  nlohmann::json by_media = nlohmann::json::object();
  for (const auto& [media, count] : quote.impressions.by_media)
    by_media[media] = {{"mono_impressions", count.mono_impressions},
                       {"color_impressions", count.color_impressions},
                       {"sheets", count.sheets}};
  return {{"file", file},
          {"format", quote.document.format},
          {"printer", printer},
          {"profile", quote.profile.name},
          {"pages", quote.document.page_count()},
          {"color_pages", quote.document.color_page_count()},
          {"pages_detail", pp::pages_to_json(quote.document)},
          {"impressions",
           {{"mono", quote.impressions.mono_impressions()},
            {"color", quote.impressions.color_impressions()},
            {"sheets", quote.impressions.sheets()},
            {"by_media", by_media}}},
          {"price",
           {{"minor", quote.price.minor},
            {"currency", quote.price.currency},
            {"text", pp::format_money(quote.price.minor, quote.price.currency)}}}};
}

// --analysis-only: what pullprintd's isolated analysis reads (lib/holding). No prices, so no
// config file is needed: the settings come from -c when given and from --set. Failures end with
// "ERROR: pullprint: FILE: <code name>: message", which the caller maps back to a Status code.
int run_analysis_only(const std::string& file, const std::optional<std::string>& config_path,
                      const std::vector<std::string>& overrides) {
  Config config;
  if (config_path) {
    Result<Config> loaded = pp::load_config(config_path, {});
    if (!loaded) return fail(file + ": " + loaded.status().to_string());
    config = *loaded;
  }
  if (Status applied = config.apply_overrides(overrides); !applied.is_ok())
    return fail(file + ": " + applied.to_string());
  Result<pp::AnalysisOptions> options = pp::analysis_options_from_config(config);
  if (!options) return fail(file + ": " + options.status().to_string());
  Result<pp::DocumentInfo> document = Status(Code::kInternal, "not analysed");
  try {
    document = pp::analyze_document(file, *options);
  } catch (const std::bad_alloc&) {  // RLIMIT_AS set by the parent
    document = Status(Code::kLimitExceeded, "out of memory while analysing the document");
  }
  if (!document) return fail(file + ": " + document.status().to_string());
  nlohmann::json report = {{"format", document->format},
                           {"pages", document->page_count()},
                           {"color_pages", document->color_page_count()},
                           {"pages_detail", pp::pages_to_json(*document)}};
  std::cout << report.dump() << "\n";
  return 0;
}

// Standalone mode: price FILE and print the result.
int run_standalone(int argc, char* argv[]) {
  CLI::App app{"Price a document the way pullprint charges it."};
  std::string file;
  std::vector<std::string> job_options;
  std::vector<std::string> overrides;
  std::optional<std::string> config_path;
  std::string printer = "default";
  bool json = false;
  app.add_option("file", file, "PDF, PostScript, PWG raster or JPEG document")->required();
  app.add_option("-o", job_options, "Job option name=value (copies, sides, number-up, ...)");
  app.add_option("--printer,-p", printer, "Price profile of this printer");
  app.add_option("-c,--config", config_path, "Configuration file");
  app.add_option("--set", overrides, "Override a configuration key: KEY=VALUE");
  app.add_flag("--json", json, "Print one JSON object");
  bool analysis_only = false;
  app.add_flag("--analysis-only", analysis_only,
               "Only analyse (pages, colour, media) and print JSON; no prices");
  CLI11_PARSE(app, argc, argv);
  if (analysis_only) return run_analysis_only(file, config_path, overrides);

  Result<Config> config = pp::load_config(config_path, overrides);
  if (!config) return fail(config.status().to_string());
  std::map<std::string, std::string> options;
  for (const std::string& option : job_options) {
    std::size_t equals = option.find('=');
    if (equals == std::string::npos) return fail("job option must be name=value: " + option);
    options[option.substr(0, equals)] = option.substr(equals + 1);
  }
  Result<Quote> quote = pp::quote_document(file, options, printer, *config);
  if (!quote) return fail(file + ": " + quote.status().to_string());
  if (json)
    std::cout << quote_json(file, printer, *quote).dump(2) << "\n";
  else
    std::cout << file << ": " << pp::describe_quote(*quote) << " on " << printer << "\n";
  return 0;
}

// CUPS calls filters with 5 or 6 arguments after the queue name, the first being a job id.
bool is_filter_invocation(int argc, char* argv[]) {
  if (argc != 6 && argc != 7) return false;
  std::string_view job_id = argv[1];
  if (job_id.empty()) return false;
  for (char c : job_id)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

int main(int argc, char* argv[]) {
  return is_filter_invocation(argc, argv) ? run_filter(argc, argv) : run_standalone(argc, argv);
}
