// rights.h: who may print at all, and who may print what on which printer.
//
// Why a module of its own: a site decides who may submit to its queue (`allowed-users =
// @students, @staff`) and, per release printer, who may use it, who may print colour there and
// how many pages one job may have. Both doors (pullprintd and the CUPS filter/backend) must refuse
// the same jobs with the same words, and the terminal and the web page must say why and where the
// user may print instead. So every right is decided here, once, above the people store (groups),
// the printers (which exist, what they print) and pricing (what a job prints), and the doors and
// the workflow only ask.
//
// Keys (pullprint.conf):
//   allowed-users = LIST          who may submit jobs at all (pullprintd's queue and every CUPS
//                                 queue with the pullprint-cost filter); default "*"
//   color-fallback = refuse|mono  the site's default for a colour job released by a user without
//                                 colour rights: refuse it, or price and print it grey
//   [printer NAME]
//   allowed-users = LIST          who may release jobs on this printer; default "*"
//   color-users = LIST            who may print colour on it; others only grey; default "*"
//   max-pages = N                 most pages (impressions, copies included) one job may print
//                                 there; 0 or unset: no limit
//   color-fallback = refuse|mono  this printer's own fallback (default: the site's)
// LIST is a UserSet ("alice, @staff, *", people/user-set.h).
//
// Whose rights: the user the job prints for at release (its owner; a payer releasing their own
// part of a split job: that payer). An operator releasing another user's job prints it under the
// owner's rights. A split job is judged whole (all its pages and copies, its colour), also when a
// payer releases only their part, and is never printed grey instead (its shares were agreed on
// the job as sent).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/document.h"
#include "config/config.h"
#include "ledger/ledger.h"
#include "people/people.h"
#include "people/user-set.h"
#include "printers/printers.h"
#include "util/status.h"

namespace pp {

// What happens to a colour job released by a user without colour rights on the printer.
enum class ColorFallback {
  kRefuse,  // the release is refused with the reason; the job stays held
  kMono,    // priced as grey and printed with print-color-mode=monochrome
};

// One printer's rights ([printer NAME] keys above).
struct PrinterRights {
  UserSet allowed_users;
  UserSet color_users;
  std::int64_t max_pages = 0;  // 0: no limit
  ColorFallback color_fallback = ColorFallback::kRefuse;
};

// The rights of a whole site, read from its config.
struct SiteRights {
  UserSet submit_users;  // top-level allowed-users
  ColorFallback color_fallback = ColorFallback::kRefuse;
  std::map<std::string, PrinterRights, std::less<>> printers;  // by [printer NAME]

  // The rights of `printer`: its own, or (a printer without a section) everybody, no limit.
  const PrinterRights& printer(std::string_view name) const;
};

// Reads the keys above; kInvalidArgument naming the key for a bad list, number or fallback (a
// typo must not open a printer to everybody). Printers without rights keys allow everything.
Result<SiteRights> rights_from_config(const Config& config);

// What a job prints, as the rights count it: impressions (sheet sides, page-ranges, number-up
// and copies applied) and how many of them are colour (none under print-color-mode=monochrome).
struct JobPrint {
  std::int64_t pages = 0;
  std::int64_t color_pages = 0;
};

// Counts a job's impressions from its analysis and options (IPP/CUPS names).
Result<JobPrint> job_print_of(const DocumentInfo& document,
                              const std::map<std::string, std::string>& options);

// Whether `user` may submit a job at all: named by the site's allowed-users, not disabled or
// archived in the people store (a user gone from the directory) and, when they have a personal
// account, that account enabled. kPermissionDenied with a message for the user otherwise
// ("alice may not print here: not in allowed-users", "account alice is disabled: no new jobs").
Status check_submission(const SiteRights& rights, PeopleStore& people, Ledger& ledger,
                        std::string_view user);

// How a job may print on a printer.
struct PrintVerdict {
  bool grey = false;  // colour job, no colour right, color-fallback = mono: print and price grey
  std::string note;  // why it prints grey ("... prints in grey on Lab_A (no colour rights)"), or ""
};

// Whether `user` may print `job` on `printer` (allowed-users, max-pages, color-users with the
// printer's fallback). kPermissionDenied with the reason and, when there is one, an enabled
// printer of `printers` where the user may print this job ("alice may not print colour on
// Lab_Colour; try Lab_Mono"). `printers` is every release printer of the site.
Result<PrintVerdict> check_printer_rights(const SiteRights& rights, PeopleStore& people,
                                          const std::vector<ReleasePrinter>& printers,
                                          std::string_view printer, std::string_view user,
                                          const JobPrint& job);

// Whether `user` may use `printer` at all (its allowed-users), without a job to judge (the CUPS
// door's release, where the job's pages are not kept): kPermissionDenied naming another printer
// the user may use, as above.
Status check_printer_access(const SiteRights& rights, PeopleStore& people,
                            const std::vector<ReleasePrinter>& printers, std::string_view printer,
                            std::string_view user);

// The CUPS door at submission (the pullprint-cost filter of CUPS queue `queue`): the job must
// pass check_submission and, when release printers print from this queue (cups-queue = QUEUE),
// the rights of at least one of them (the job can come out nowhere else). A colour job without
// colour rights is refused there even with color-fallback = mono: the filter cannot make
// cupsd's driver print it grey. kPermissionDenied with the reason otherwise.
Status check_cups_submission(PeopleStore& people, Ledger& ledger, const Config& config,
                             std::string_view queue, std::string_view user, const JobPrint& job);

// The people store's group membership as the question resolve_payer asks about "@GROUP" members
// of a shared account (charging/payer.h's GroupCheck; charging stays below people).
std::function<Result<bool>(std::string_view user, std::string_view group)> group_check(
    PeopleStore& people);

}  // namespace pp
