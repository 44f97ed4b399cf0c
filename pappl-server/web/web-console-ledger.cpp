// web-console-ledger.cpp: the console's ledger and audit log (issue 15): the verdict of
// `pullprint ledger check` on demand, the journal with filters, and the console's audit log.
//
//   GET  /pullprint/admin/ledger[?account=&kind=&from=&to=&actor=&job=&before=]
//                                  the journal, newest first, 50 entries a page (keyset: before=
//                                  the last id shown; Ledger::journal_page), action `ledger`
//   POST /pullprint/admin/ledger   check=1: check_site (lib/site/site-check.h, the CLI's check)
//                                  on a ConsoleRun thread, waited for at most kConsoleRunWait
//   GET  /pullprint/admin/audit[?actor=&action=&subject=&before=]   the audit log, action `audit`
//
// Why the check is a button and not part of the page: it reads the whole journal (seconds for a
// million entries); the journal pages cost only their own rows.
//
// Element ids: run-check (button), ledger-check (section), check-verdict ("balanced: N entries,
// sum ..." or "BROKEN: N violation(s)"), check-violations (list), journal-filter (form),
// filter-account, filter-kind, filter-from, filter-to, filter-actor, filter-job, apply-filter,
// journal (table; rows entry-ID), journal-next (link); audit-filter, audit-actor,
// audit-action, audit-subject, apply-audit-filter, audit (table; rows audit-ID), audit-next.
#include <string>
#include <utility>
#include <vector>

#include "console/console-audit.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "site/site-check.h"
#include "site/site.h"
#include "web/web-console-stores.h"
#include "web/web-console.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

using A = ConsoleAction;

constexpr const char* kLedgerTitle = "Ledger";
constexpr const char* kAuditTitle = "Audit log";
constexpr int kPageRows = 50;

ConsoleRun& console_check_run() {
  static ConsoleRun run;
  return run;
}

// The work of "Check the ledger": check_site on a site of its own.
ConsoleRun::Outcome check_now(const Config& config) {
  Result<Site> site = Site::open(config, SiteStores{.splits = true, .cards = true});
  if (!site) return {false, site.status().message(), {}};
  Result<SiteCheck> check = check_site(*site);
  if (!check) return {false, check.status().message(), {}};
  const std::string currency = site_currency(config);
  ConsoleRun::Outcome outcome;
  outcome.ok = check->ok();
  outcome.summary =
      check->ok() ? "balanced: " + std::to_string(check->ledger.entries) + " entries, sum " +
                        format_money(check->balance_sum, currency) + " over " +
                        std::to_string(check->ledger.accounts) + " accounts, " +
                        std::to_string(check->ledger.open_reservations) + " open reservations"
                  : "BROKEN: " + std::to_string(check->ledger.violations.size()) +
                        " violation(s) in " + std::to_string(check->ledger.entries) + " entries";
  outcome.lines = check->ledger.violations;
  return outcome;
}

std::string field(const Form& form, const char* name) {
  const char* value = form.get(name);
  return value ? value : "";
}

std::string text_input(const char* name, const char* id, const std::string& value,
                       const char* label, const char* type = "text") {
  return "<label>" + std::string(label) + " <input type=\"" + type + "\" name=\"" + name +
         "\" id=\"" + id + "\" maxlength=\"128\" value=\"" + html(value) + "\"></label> ";
}

void put_check_section(pappl_client_t* client, const ConsoleRun::State& state) {
  put(client,
      "          <section class=\"pp-panel\" id=\"ledger-check\">\n"
      "          <h2 class=\"title\">Ledger check</h2>\n");
  if (!state.ever) {
    put(client, "          <p id=\"check-verdict\">Not checked from the console yet.</p>\n");
  } else if (state.running) {
    put(client, "          <p id=\"check-verdict\">Checking (started by " + html(state.started_by) +
                    " at " + html(when(state.started_at)) + "): reload this page.</p>\n");
  } else {
    put(client, "          <p id=\"check-verdict\" class=\"" +
                    std::string(state.outcome.ok ? "pp-ok" : "banner") + "\">" +
                    html(state.outcome.summary) + "</p>\n          <p>Checked by " +
                    html(state.started_by) + " at " + html(when(state.finished_at)) + ".</p>\n");
    if (!state.outcome.lines.empty()) {
      put(client, "          <ul id=\"check-violations\">\n");
      for (const std::string& line : state.outcome.lines)
        put(client, "            <li>" + html(line) + "</li>\n");
      put(client, "          </ul>\n");
    }
  }
  start_form(client, kConsoleLedgerPath);
  put(client,
      "          <p><input type=\"hidden\" name=\"check\" value=\"1\"><button type=\"submit\" "
      "id=\"run-check\">Check the ledger now</button></p>\n          </form>\n"
      "          </section>\n");
}

bool ledger_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                 const Form& query, http_status_t status, const std::string& banner, bool ok) {
  JournalFilter filter;
  filter.account = field(query, "account");
  const std::string kind = field(query, "kind");
  filter.from = field(query, "from");
  filter.to = field(query, "to");
  filter.actor = field(query, "actor");
  filter.job_ref = field(query, "job");
  filter.limit = kPageRows;
  std::string problem;
  if (!kind.empty() && !(filter.kind = parse_entry_kind(kind))) problem = "Unknown kind " + kind;
  const std::string before = field(query, "before");
  if (!before.empty()) {
    std::optional<std::int64_t> id = form_id(before);
    if (id)
      filter.before_id = *id;
    else
      problem = "before: expected an entry id";
  }
  Result<std::vector<HistoryEntry>> page = Status(Code::kInvalidArgument, problem);
  if (problem.empty()) {
    Result<Site> site = Site::open(server.config, SiteStores{});
    page = site ? site->ledger().journal_page(filter)
                : Result<std::vector<HistoryEntry>>(site.status());
  }
  if (!page && page.status().code() == Code::kInvalidArgument) status = HTTP_STATUS_BAD_REQUEST;
  start_console_page(client, status, kLedgerTitle, access, kConsoleLedgerPath);
  if (!banner.empty()) put(client, console_banner(banner, ok));
  put_check_section(client, console_check_run().state());

  // The filter form (GET: a filtered page is a link one can keep).
  std::string kinds =
      "<label>Kind <select name=\"kind\" id=\"filter-kind\"><option value=\"\">"
      "any</option>";
  for (EntryKind k : {EntryKind::kTopUp, EntryKind::kReserve, EntryKind::kCapture, EntryKind::kVoid,
                      EntryKind::kRefund, EntryKind::kAdjustment, EntryKind::kAllocation}) {
    const std::string name(entry_kind_name(k));
    kinds += "<option value=\"" + name + "\"" + (name == kind ? " selected" : "") + ">" + name +
             "</option>";
  }
  kinds += "</select></label> ";
  put(client, "          <h2 class=\"title\">Journal</h2>\n          <form action=\"" +
                  std::string(kConsoleLedgerPath) + "\" method=\"GET\" id=\"journal-filter\"><p>" +
                  text_input("account", "filter-account", filter.account, "Account") + kinds +
                  text_input("from", "filter-from", filter.from, "From", "date") +
                  text_input("to", "filter-to", filter.to, "To", "date") +
                  text_input("actor", "filter-actor", filter.actor, "Actor") +
                  text_input("job", "filter-job", filter.job_ref, "Job reference") +
                  "<button type=\"submit\" id=\"apply-filter\">Filter</button></p></form>\n");
  if (!page) {
    if (page.status().code() != Code::kInvalidArgument)
      papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Ledger page: %s",
                     page.status().to_string().c_str());
    put(client, console_banner(page.status().code() == Code::kInvalidArgument
                                   ? page.status().message() + "."
                                   : "The journal cannot be read just now.",
                               false));
    end_page(client);
    return true;
  }
  const std::string currency = site_currency(server.config);
  if (page->empty()) {
    put(client, "          <p id=\"journal-none\">No entry" +
                    std::string(filter.before_id > 0 ? " before these." : " matches.") + "</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"journal\" summary=\"Journal\">\n"
        "            <thead><tr><th>Entry</th><th>When</th><th>Account</th><th>Kind</th>"
        "<th>Amount</th><th>Allocated</th><th>Actor</th><th>Job</th><th>Note</th><th>Key</th>"
        "</tr></thead>\n            <tbody>\n");
    for (const HistoryEntry& row : *page) {
      const JournalEntry& e = row.entry;
      put(client,
          "            <tr id=\"entry-" + std::to_string(e.id) + "\"><td>" + std::to_string(e.id) +
              "</td><td>" + html(when(e.created_at)) + "</td><td class=\"account\">" +
              html(e.account) + "</td><td class=\"kind\">" + html(entry_kind_name(e.kind)) +
              "</td><td class=\"amount\">" + html(format_money(e.amount, currency)) + "</td><td>" +
              html(format_money(e.allocated, currency)) + "</td><td class=\"actor\">" +
              html(e.actor) + "</td><td><code>" + html(row.job_ref) + "</code></td><td>" +
              html(e.note) + "</td><td><code>" + html(e.idempotency_key) + "</code></td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
    if (static_cast<int>(page->size()) == kPageRows)
      put(client, "          <p><a class=\"btn\" id=\"journal-next\" href=\"" +
                      html(std::string(kConsoleLedgerPath) +
                           query_string({{"account", filter.account},
                                         {"kind", kind},
                                         {"from", filter.from},
                                         {"to", filter.to},
                                         {"actor", filter.actor},
                                         {"job", filter.job_ref},
                                         {"before", std::to_string(page->back().entry.id)}})) +
                      "\">Older entries</a></p>\n");
  }
  end_page(client);
  return true;
}

bool ledger_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleLedgerPath, post, &keep_open);
  if (!access) return keep_open;
  const Form form(client);
  if (!post) return ledger_page(client, server, *access, form, HTTP_STATUS_OK, "", true);
  if (!form.is_valid(client))
    return ledger_page(client, server, *access, form, HTTP_STATUS_BAD_REQUEST,
                       "Invalid form submission (its session key is missing or stale): nothing "
                       "was done. Please try again.",
                       false);
  if (!access->may(A::kLedger)) return console_refusal(client, *access, A::kLedger, "the ledger");
  const Config config = server.config;  // the check's own copy
  if (!console_check_run().start("Ledger check", access->user(),
                                 [config] { return check_now(config); }))
    return ledger_page(client, server, *access, form, HTTP_STATUS_CONFLICT,
                       "A check is going on: nothing else was started.", false);
  const ConsoleRun::State state = console_check_run().wait(kConsoleRunWait);
  // A check changes nothing: it is logged, not audited.
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Console: %s checked the ledger: %s",
                 access->user().c_str(),
                 state.running ? "still running" : state.outcome.summary.c_str());
  return ledger_page(client, server, *access, form, HTTP_STATUS_OK, "", true);
}

// --- the audit log

bool audit_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                const Form& query) {
  AuditFilter filter;
  filter.actor = field(query, "actor");
  filter.action = field(query, "action");
  filter.subject = field(query, "subject");
  filter.limit = kPageRows;
  const std::string before = field(query, "before");
  http_status_t status = HTTP_STATUS_OK;
  std::string problem;
  if (!before.empty()) {
    std::optional<std::int64_t> id = form_id(before);
    if (id)
      filter.before_id = *id;
    else
      problem = "before: expected a record id.";
  }
  if (!filter.action.empty() && !parse_console_action(filter.action))
    problem = "Unknown action " + filter.action + ".";
  Result<std::vector<AuditRecord>> records = Status(Code::kInvalidArgument, problem);
  if (problem.empty()) {
    Result<std::unique_ptr<AuditLog>> log = open_audit_log(server.config);
    records = log ? (*log)->list(filter) : Result<std::vector<AuditRecord>>(log.status());
  } else {
    status = HTTP_STATUS_BAD_REQUEST;
  }
  start_console_page(client, status, kAuditTitle, access, kConsoleAuditPath);
  std::string actions =
      "<label>Action <select name=\"action\" id=\"audit-action\"><option "
      "value=\"\">any</option>";
  for (ConsoleAction a : all_console_actions()) {
    const std::string name(console_action_name(a));
    actions += "<option value=\"" + name + "\"" + (name == filter.action ? " selected" : "") + ">" +
               name + "</option>";
  }
  actions += "</select></label> ";
  put(client, "          <form action=\"" + std::string(kConsoleAuditPath) +
                  "\" method=\"GET\" id=\"audit-filter\"><p>" +
                  text_input("actor", "audit-actor", filter.actor, "Who") + actions +
                  text_input("subject", "audit-subject", filter.subject, "On (exactly)") +
                  "<button type=\"submit\" id=\"apply-audit-filter\">Filter</button></p></form>\n");
  if (!records) {
    if (status != HTTP_STATUS_BAD_REQUEST)
      papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Audit page: %s",
                     records.status().to_string().c_str());
    put(client,
        console_banner(
            status == HTTP_STATUS_BAD_REQUEST ? problem : "The audit log cannot be read just now.",
            false));
    end_page(client);
    return true;
  }
  if (records->empty()) {
    put(client, "          <p id=\"audit-none\">No change recorded" +
                    std::string(filter.before_id > 0 ? " before these." : " matches.") + "</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"audit\" summary=\"Audit log\">\n"
        "            <thead><tr><th>#</th><th>When</th><th>Who</th><th>Role</th><th>Action</th>"
        "<th>On</th><th>What</th></tr></thead>\n            <tbody>\n");
    for (const AuditRecord& r : *records)
      put(client, "            <tr id=\"audit-" + std::to_string(r.id) + "\"><td>" +
                      std::to_string(r.id) + "</td><td>" + html(when(r.at)) +
                      "</td><td class=\"actor\">" + html(r.actor) + "</td><td>" + html(r.role) +
                      "</td><td class=\"action\">" + html(r.action) +
                      "</td><td class=\"subject\">" + html(r.subject) +
                      "</td><td class=\"detail\">" + html(r.detail) + "</td></tr>\n");
    put(client, "            </tbody>\n          </table>\n");
    if (static_cast<int>(records->size()) == kPageRows)
      put(client, "          <p><a class=\"btn\" id=\"audit-next\" href=\"" +
                      html(std::string(kConsoleAuditPath) +
                           query_string({{"actor", filter.actor},
                                         {"action", filter.action},
                                         {"subject", filter.subject},
                                         {"before", std::to_string(records->back().id)}})) +
                      "\">Older changes</a></p>\n");
  }
  end_page(client);
  return true;
}

bool audit_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  if (papplClientGetMethod(client) != HTTP_STATE_GET) {
    papplClientRespond(client, HTTP_STATUS_BAD_REQUEST, nullptr, nullptr, 0, 0);
    return false;  // no forms here; the unread body: close the connection
  }
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleAuditPath, false, &keep_open);
  if (!access) return keep_open;
  const Form query(client);
  return audit_page(client, server, *access, query);
}

}  // namespace

std::string query_string(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (value.empty()) continue;
    out += (out.empty() ? "?" : "&") + name + "=" + url_encode(value);
  }
  return out;
}

void add_console_ledger_pages(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleLedgerPath, "text/html", ledger_resource, &server);
  papplSystemAddResourceCallback(system, kConsoleAuditPath, "text/html", audit_resource, &server);
}

}  // namespace pp::server::web
