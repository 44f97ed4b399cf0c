// rights-check.cpp: deciding the rights of rights.h: at submission (the queue) and at release
// (the printer), with the reason and another printer the user may use.
#include <optional>

#include "pricing/pricing.h"
#include "rights/rights.h"

namespace pp {

namespace {

Status denied(std::string message) {
  return Status(Code::kPermissionDenied, std::move(message));
}

// How one printer judges one job: allowed (as sent or grey), or refused with the reason.
struct Judgement {
  std::optional<std::string> refusal;
  bool grey = false;
};

Result<Judgement> judge(const PrinterRights& rights, PeopleStore& people, std::string_view printer,
                        std::string_view user, const JobPrint* job) {
  const std::string who(user);
  const std::string where(printer);
  Result<bool> allowed = rights.allowed_users.contains(user, people);
  if (!allowed) return allowed.status();
  if (!*allowed) return Judgement{who + " may not print on " + where, false};
  if (!job) return Judgement{};
  if (rights.max_pages > 0 && job->pages > rights.max_pages)
    return Judgement{"this job prints " + std::to_string(job->pages) + " pages; " + where +
                         " takes at most " + std::to_string(rights.max_pages) + " per job",
                     false};
  if (job->color_pages == 0) return Judgement{};
  Result<bool> color = rights.color_users.contains(user, people);
  if (!color) return color.status();
  if (*color) return Judgement{};
  if (rights.color_fallback == ColorFallback::kMono) return Judgement{std::nullopt, true};
  return Judgement{who + " may not print colour on " + where, false};
}

// " (Library, ground floor)" for a printer with a location, else "".
std::string where_is(const ReleasePrinter& printer) {
  return printer.location.empty() ? "" : " (" + printer.location + ")";
}

// The reason, and an enabled printer other than `printer` that takes the job for the user (one
// that prints it as sent first, else one that prints it grey).
Result<std::string> refusal_with_other_printer(const SiteRights& rights, PeopleStore& people,
                                               const std::vector<ReleasePrinter>& printers,
                                               std::string_view printer, std::string_view user,
                                               const JobPrint* job, const std::string& reason) {
  const ReleasePrinter* grey_only = nullptr;
  for (const ReleasePrinter& other : printers) {
    if (!other.enabled || other.name == printer) continue;
    Result<Judgement> verdict = judge(rights.printer(other.name), people, other.name, user, job);
    if (!verdict) return verdict.status();
    if (verdict->refusal) continue;
    if (!verdict->grey) return reason + "; try " + other.name + where_is(other);
    if (!grey_only) grey_only = &other;
  }
  if (grey_only) return reason + "; try " + grey_only->name + where_is(*grey_only) + " (in grey)";
  return reason + "; no printer of this site takes " + (job ? "this job" : "jobs") + " from " +
         std::string(user);
}

}  // namespace

Result<JobPrint> job_print_of(const DocumentInfo& document,
                              const std::map<std::string, std::string>& options) {
  Result<JobOptions> parsed = job_options_from_map(options);
  if (!parsed) return parsed.status();
  Result<ImpressionCount> count = count_impressions(document, *parsed);
  if (!count) return count.status();
  return JobPrint{count->impressions(), count->color_impressions()};
}

Status check_submission(const SiteRights& rights, PeopleStore& people, Ledger& ledger,
                        std::string_view user) {
  const std::string who(user);
  Result<bool> allowed = rights.submit_users.contains(user, people);
  if (!allowed) return allowed.status();
  if (!*allowed) return denied(who + " may not print here (not in allowed-users)");
  Result<std::optional<Person>> person = people.find_person(user);
  if (!person) return person.status();
  if (*person && (*person)->state != PersonState::kActive) {
    const Person& found = **person;
    return denied("user " + who + " is " + std::string(person_state_name(found.state)) +
                  (found.source.empty() ? "" : " (gone from directory " + found.source + ")") +
                  ": no new jobs");
  }
  Result<Account> account = ledger.get_account(user);
  if (!account && account.status().code() != Code::kNotFound) return account.status();
  if (account && !account->enabled)
    return denied("account " + who + " is disabled: no new jobs (ask the print desk)");
  return Status::ok();
}

Result<PrintVerdict> check_printer_rights(const SiteRights& rights, PeopleStore& people,
                                          const std::vector<ReleasePrinter>& printers,
                                          std::string_view printer, std::string_view user,
                                          const JobPrint& job) {
  Result<Judgement> verdict = judge(rights.printer(printer), people, printer, user, &job);
  if (!verdict) return verdict.status();
  if (verdict->refusal) {
    Result<std::string> message = refusal_with_other_printer(rights, people, printers, printer,
                                                             user, &job, *verdict->refusal);
    if (!message) return message.status();
    return denied(*message);
  }
  PrintVerdict result;
  result.grey = verdict->grey;
  if (result.grey)
    result.note = "printed in grey: " + std::string(user) + " may not print colour on " +
                  std::string(printer);
  return result;
}

Status check_printer_access(const SiteRights& rights, PeopleStore& people,
                            const std::vector<ReleasePrinter>& printers, std::string_view printer,
                            std::string_view user) {
  Result<Judgement> verdict = judge(rights.printer(printer), people, printer, user, nullptr);
  if (!verdict) return verdict.status();
  if (!verdict->refusal) return Status::ok();
  Result<std::string> message = refusal_with_other_printer(rights, people, printers, printer, user,
                                                           nullptr, *verdict->refusal);
  if (!message) return message.status();
  return denied(*message);
}

Status check_cups_submission(PeopleStore& people, Ledger& ledger, const Config& config,
                             std::string_view queue, std::string_view user, const JobPrint& job) {
  Result<SiteRights> rights = rights_from_config(config);
  if (!rights) return rights.status();
  if (Status allowed = check_submission(*rights, people, ledger, user); !allowed.is_ok())
    return allowed;
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  if (!printers) return printers.status();
  // The reason to give: a printer the user may use says more (colour, pages) than one they may
  // not use at all.
  std::optional<std::string> refusal;
  bool refusal_is_access = false;
  for (const ReleasePrinter& printer : *printers) {
    if (printer.cups_queue != queue) continue;
    const PrinterRights& own = rights->printer(printer.name);
    Result<Judgement> verdict = judge(own, people, printer.name, user, &job);
    if (!verdict) return verdict.status();
    if (!verdict->refusal && !verdict->grey) return Status::ok();
    Result<bool> access = own.allowed_users.contains(user, people);
    if (!access) return access.status();
    if (refusal && (!refusal_is_access || !*access)) continue;
    refusal =
        verdict->refusal.value_or(std::string(user) + " may not print colour on " + printer.name);
    refusal_is_access = !*access;
  }
  if (!refusal) return Status::ok();
  return denied(*refusal);
}

std::function<Result<bool>(std::string_view user, std::string_view group)> group_check(
    PeopleStore& people) {
  return [&people](std::string_view user, std::string_view group) {
    return people.is_member(user, group);
  };
}

}  // namespace pp
