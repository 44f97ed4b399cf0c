// web-console-accounts-account.cpp: one account on the console (/pullprint/admin/account): what
// it holds (balance by origin, reserved, available, credit limit, state), its history a page at
// a time, its cards and groups (a personal account) or members (a shared one), and the desk's
// forms, each checked for its own action and the account's scope:
//
//   GET  ?name=ACCOUNT[&before=ENTRY-ID]        `accounts`
//   POST name=ACCOUNT&do=topup  amount, receipt             `topup`   (desk/desk.h: once per
//   receipt) POST name=ACCOUNT&do=adjust amount, reason, nonce       `adjust`  (once per form) POST
//   name=ACCOUNT&do=refund job, note                   `refund`  (refunds.h: once per job) POST
//   name=ACCOUNT&do=limit  credit_limit, unlimited     `account-settings` POST
//   name=ACCOUNT&do=enable | do=disable                `account-settings`
//
// A scoped role opens only its users' personal accounts (403 otherwise, logged). Every change is
// audited; money entries carry the console user as their actor.
//
// Element ids: account-summary, account-name, account-type, account-state, balance, reserved,
// available, allocated, self-paid, credit-limit; history (rows entry-ID), history-older; cards
// (rows card-NUMBER), groups, members; topup-form, topup-amount, topup-receipt, topup-submit,
// receipt-link; adjust-form, adjust-amount, adjust-reason, adjust-submit; refund-form,
// refund-job (select), refund-note, refund-submit; limit-form, limit-amount, limit-unlimited,
// limit-submit; enable-form, enable-submit (or disable-submit); outcome (banner).
#include <string>

#include "charging/money-input.h"
#include "desk/desk.h"
#include "pricing/pricing.h"
#include "server/server-release.h"
#include "web/web-console-accounts.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Account";
constexpr int kHistoryRows = 50;
constexpr std::size_t kRefundableJobs = 30;

// What a form did, for the page again.
struct Outcome {
  http_status_t status = HTTP_STATUS_OK;
  std::string message;
  bool ok = true;
  std::string receipt;  // a desk top-up's receipt number (the receipt link)
};

// "12.50" of "EUR 12.50": an amount as a form field shows it.
std::string money_value(std::int64_t minor, const std::string& currency) {
  const std::string text = format_money(minor, currency);
  const std::size_t space = text.find(' ');
  return space == std::string::npos ? text : text.substr(space + 1);
}

std::string figure(const char* id, const char* label, const std::string& value) {
  return "            <tr><th>" + std::string(label) + "</th><td id=\"" + id + "\">" + html(value) +
         "</td></tr>\n";
}

void put_summary(pappl_client_t* client, const Account& account, const std::string& currency) {
  put(client,
      "          <table class=\"list\" id=\"account-summary\" summary=\"Account\">\n" +
          figure("account-name", "Account", account.name) +
          (account.display_name.empty()
               ? ""
               : figure("account-display-name", "Display name", account.display_name)) +
          figure("account-type", "Type",
                 account.type == AccountType::kShared ? "shared" : "personal") +
          figure("account-state", "State", account.enabled ? "enabled" : "disabled") +
          figure("balance", "Balance", format_money(account.balance, currency)) +
          figure("allocated", "of which allocated", format_money(account.allocated, currency)) +
          figure("self-paid", "of which self-paid", format_money(account.self_paid(), currency)) +
          figure("reserved", "Reserved (held jobs)", format_money(account.reserved, currency)) +
          figure("available", "Available", format_money(account.available(), currency)) +
          figure("credit-limit", "Credit limit",
                 account.unlimited ? "unlimited" : format_money(account.credit_limit, currency)) +
          "          </table>\n");
}

void put_history(pappl_client_t* client, Ledger& ledger, const Account& account,
                 std::int64_t before, const std::string& currency) {
  put(client, "          <h2 class=\"title\">History</h2>\n");
  Result<std::vector<HistoryEntry>> page = ledger.history_page(account.name, before, kHistoryRows);
  if (!page) {
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Console account %s: history: %s",
                   account.name.c_str(), page.status().to_string().c_str());
    put(client, "          <p>The history cannot be read just now.</p>\n");
    return;
  }
  if (page->empty()) {
    put(client, "          <p id=\"history-none\">No entries.</p>\n");
    return;
  }
  put(client,
      "          <table class=\"list\" id=\"history\" summary=\"History\">\n"
      "            <thead><tr><th>When</th><th>What</th><th>Amount</th><th>Allocated</th>"
      "<th>By</th><th>Note</th><th>Job</th></tr></thead>\n            <tbody>\n");
  for (const HistoryEntry& row : *page) {
    const JournalEntry& e = row.entry;
    put(client, "              <tr id=\"entry-" + std::to_string(e.id) + "\" class=\"kind-" +
                    std::string(entry_kind_name(e.kind)) + "\"><td>" + html(when(e.created_at)) +
                    "</td><td>" + html(entry_kind_name(e.kind)) + "</td><td>" +
                    html(format_money(e.amount, currency)) + "</td><td>" +
                    html(format_money(e.allocated, currency)) + "</td><td>" + html(e.actor) +
                    "</td><td>" + html(e.note) + "</td><td><code>" + html(row.job_ref) +
                    "</code></td></tr>\n");
  }
  put(client, "            </tbody>\n          </table>\n");
  if (static_cast<int>(page->size()) == kHistoryRows)
    put(client, "          <p><a id=\"history-older\" href=\"" +
                    html(console_account_href(account.name) +
                         "&before=" + std::to_string(page->back().entry.id)) +
                    "\">Older entries</a></p>\n");
}

void put_people(pappl_client_t* client, Site& site, const Account& account) {
  if (account.type == AccountType::kShared) {
    Result<std::vector<std::string>> members = site.ledger().members(account.name);
    put(client, "          <h2 class=\"title\">Members</h2>\n");
    if (!members) {
      put(client, "          <p>The members cannot be read just now.</p>\n");
      return;
    }
    std::string list;
    for (const std::string& member : *members) list += "<li>" + html(member) + "</li>";
    put(client, members->empty() ? "          <p id=\"members\">No members.</p>\n"
                                 : "          <ul id=\"members\">" + list + "</ul>\n");
    return;
  }
  Result<std::vector<Card>> cards = site.cards().list_cards(account.name);
  put(client, "          <h2 class=\"title\">Cards</h2>\n");
  if (!cards) {
    put(client, "          <p>The cards cannot be read just now.</p>\n");
  } else if (cards->empty()) {
    put(client, "          <p id=\"cards-none\">No cards.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"cards\" summary=\"Cards\">\n"
        "            <thead><tr><th>Card</th><th>State</th><th>PIN</th></tr></thead>\n"
        "            <tbody>\n");
    for (const Card& card : *cards)
      put(client, "              <tr id=\"card-" + html(card.number) + "\"><td>" +
                      html(card.number) + "</td><td>" + html(card_state_name(card.state)) +
                      "</td><td>" + (card.has_pin ? "yes" : "no") + "</td></tr>\n");
    put(client, "            </tbody>\n          </table>\n");
  }
  Result<std::vector<Membership>> groups = site.people().groups_of(account.name);
  put(client, "          <h2 class=\"title\">Groups</h2>\n");
  if (!groups) {
    put(client, "          <p>The groups cannot be read just now.</p>\n");
    return;
  }
  std::string list;
  for (const Membership& group : *groups) list += "<li>" + html(group.group) + "</li>";
  put(client, groups->empty() ? "          <p id=\"groups\">No groups.</p>\n"
                              : "          <ul id=\"groups\">" + list + "</ul>\n");
}

// The start of a desk form for `account`: the CSRF field, the account and the action.
void start_desk_form(pappl_client_t* client, const Account& account, const char* what,
                     const char* id) {
  put(client, "          <div id=\"" + std::string(id) + "\">\n");
  start_form(client, kConsoleAccountPath);
  put(client, "            <input type=\"hidden\" name=\"name\" value=\"" + html(account.name) +
                  "\"><input type=\"hidden\" name=\"do\" value=\"" + what + "\">\n");
}

void end_desk_form(pappl_client_t* client) {
  put(client, "          </form>\n          </div>\n");
}

void put_forms(pappl_client_t* client, Site& site, const ConsoleAccess& access,
               const Account& account, const std::string& currency) {
  if (access.may(ConsoleAction::kTopUp)) {
    put(client, "          <h2 class=\"title\">Top up at the desk</h2>\n");
    start_desk_form(client, account, "topup", "topup-form");
    put(client,
        "            <p><label>Amount (" + html(currency) +
            ") <input name=\"amount\" id=\"topup-amount\" required inputmode=\"decimal\" "
            "placeholder=\"10.00\"></label>\n"
            "            <label>Receipt number <input name=\"receipt\" id=\"topup-receipt\" "
            "required maxlength=\"" +
            std::to_string(kMaxReceiptNumber) +
            "\"></label></p>\n"
            "            <p><button type=\"submit\" id=\"topup-submit\">Top up</button></p>\n");
    end_desk_form(client);
  }
  if (access.may(ConsoleAction::kAdjust)) {
    put(client, "          <h2 class=\"title\">Adjust</h2>\n");
    start_desk_form(client, account, "adjust", "adjust-form");
    put(client,
        "            <input type=\"hidden\" name=\"nonce\" value=\"" + form_nonce() +
            "\">\n"
            "            <p><label>Amount, signed (" +
            html(currency) +
            ") <input name=\"amount\" id=\"adjust-amount\" required placeholder=\"-1.50\">"
            "</label>\n"
            "            <label>Reason <input name=\"reason\" id=\"adjust-reason\" required "
            "maxlength=\"" +
            std::to_string(kMaxAdjustReason) +
            "\"></label></p>\n"
            "            <p><button type=\"submit\" id=\"adjust-submit\">Adjust</button></p>\n");
    end_desk_form(client);
  }
  if (access.may(ConsoleAction::kRefund)) {
    // The printed jobs this account paid for, newest first (a personal account: its owner's).
    Result<std::vector<HeldJob>> jobs = site.jobs().list(
        account.type == AccountType::kPersonal ? account.name : "", HeldJobState::kPrinted);
    std::string options;
    std::size_t shown = 0;
    if (jobs) {
      for (auto job = jobs->begin(); job != jobs->end() && shown < kRefundableJobs; ++job) {
        if (job->payer != account.name) continue;
        ++shown;
        options += "<option value=\"" + std::to_string(job->id) + "\">" + std::to_string(job->id) +
                   " " + html(job->title) + " (" +
                   html(format_money(job->final_price_minor.value_or(job->price_minor), currency)) +
                   ", " + html(job->printer) + ")</option>";
      }
    }
    if (shown > 0) {
      put(client, "          <h2 class=\"title\">Refund a printed job</h2>\n");
      start_desk_form(client, account, "refund", "refund-form");
      put(client, "            <p><label>Job <select name=\"job\" id=\"refund-job\">" + options +
                      "</select></label>\n"
                      "            <label>Note <input name=\"note\" id=\"refund-note\" "
                      "maxlength=\"200\"></label></p>\n"
                      "            <p><button type=\"submit\" id=\"refund-submit\">Refund the "
                      "job</button></p>\n");
      end_desk_form(client);
    }
  }
  if (access.may(ConsoleAction::kAccountSettings)) {
    put(client, "          <h2 class=\"title\">Settings</h2>\n");
    start_desk_form(client, account, "limit", "limit-form");
    put(client, "            <p><label>Credit limit (" + html(currency) +
                    ") <input name=\"credit_limit\" id=\"limit-amount\" value=\"" +
                    html(money_value(account.credit_limit, currency)) +
                    "\" inputmode=\"decimal\"></label>\n"
                    "            <label><input type=\"checkbox\" name=\"unlimited\" "
                    "id=\"limit-unlimited\"" +
                    (account.unlimited ? " checked" : "") +
                    "> unlimited</label>\n"
                    "            <button type=\"submit\" id=\"limit-submit\">Save</button></p>\n");
    end_desk_form(client);
    start_desk_form(client, account, account.enabled ? "disable" : "enable", "enable-form");
    put(client, account.enabled
                    ? "            <p><button type=\"submit\" id=\"disable-submit\">Disable the "
                      "account</button> (it cannot be charged; top-ups still land)</p>\n"
                    : "            <p><button type=\"submit\" id=\"enable-submit\">Enable the "
                      "account</button></p>\n");
    end_desk_form(client);
  }
}

bool account_page(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                  const std::string& name, std::int64_t before, const Outcome& outcome) {
  Result<AccountStores> stores = open_account_stores(server);
  if (!stores) return internal_error(client, kTitle, stores.status());
  Site& site = stores->site;
  Result<Account> account = site.ledger().get_account(name);
  if (!account) {
    if (account.status().code() != Code::kNotFound)
      return internal_error(client, kTitle, account.status());
    return console_error_page(client, HTTP_STATUS_NOT_FOUND, kTitle, access,
                              "No account " + name + ".");
  }
  bool answered = true;
  if (!account_covered(client, site, access, *account, ConsoleAction::kAccounts, &answered))
    return answered;
  const std::string currency = site_currency(server.config);
  start_console_page(client, outcome.status, ("Account " + account->name).c_str(), access,
                     kConsoleAccountPath);
  if (!outcome.message.empty()) put(client, console_banner(outcome.message, outcome.ok));
  if (!outcome.receipt.empty())
    put(client,
        "          <p><a class=\"btn\" id=\"receipt-link\" href=\"" +
            html(std::string(kConsoleReceiptPath) + "?receipt=" + url_encode(outcome.receipt)) +
            "\">Print the receipt</a></p>\n");
  put_summary(client, *account, currency);
  put_forms(client, site, access, *account, currency);
  put_people(client, site, *account);
  put_history(client, site.ledger(), *account, before, currency);
  put(client,
      "          <p><a href=\"" + std::string(kConsoleAccountsPath) + "\">All accounts</a></p>\n");
  end_page(client);
  return true;
}

// The action a form's "do" asks for.
std::optional<ConsoleAction> action_of(std::string_view what) {
  if (what == "topup") return ConsoleAction::kTopUp;
  if (what == "adjust") return ConsoleAction::kAdjust;
  if (what == "refund") return ConsoleAction::kRefund;
  if (what == "limit" || what == "enable" || what == "disable")
    return ConsoleAction::kAccountSettings;
  return std::nullopt;
}

Outcome refused(const Status& status, const std::string& what) {
  const Code code = status.code();
  http_status_t http = HTTP_STATUS_BAD_REQUEST;
  if (code == Code::kConflict || code == Code::kAlreadyExists) http = HTTP_STATUS_CONFLICT;
  if (code == Code::kNotFound) http = HTTP_STATUS_NOT_FOUND;
  if (code == Code::kPermissionDenied) http = HTTP_STATUS_FORBIDDEN;
  return Outcome{http, what + ": " + status.message() + ".", false, ""};
}

bool is_internal(const Status& status) {
  return status.code() == Code::kIoError || status.code() == Code::kInternal;
}

// Does what the form asks (its action and subject already checked); audits a change.
bool apply_form(pappl_client_t* client, Server& server, const ConsoleAccess& access,
                AccountStores& stores, const Account& account, std::string_view what,
                const Form& form) {
  const std::string currency = site_currency(server.config);
  Ledger& ledger = stores.site.ledger();
  const ConsoleAction action = *action_of(what);
  auto field = [&form](const char* name) {
    const char* value = form.get(name);
    return std::string(value ? value : "");
  };
  auto done = [&](const std::string& detail, Outcome outcome) {
    (void)audit_change(client, server, access, action, account.name, detail);  // logged inside
    return account_page(client, server, access, account.name, 0, outcome);
  };
  auto again = [&](const Outcome& outcome) {
    return account_page(client, server, access, account.name, 0, outcome);
  };
  if (what == "topup" || what == "adjust") {
    Result<std::int64_t> amount = parse_money(field("amount"), currency);
    if (!amount)
      return again(Outcome{HTTP_STATUS_BAD_REQUEST,
                           "Nothing done: " + amount.status().message() + ".", false, ""});
    if (what == "topup") {
      Result<DeskTopUp> topped =
          desk_top_up(ledger, account.name, *amount, field("receipt"), access.user());
      if (!topped) {
        if (is_internal(topped.status())) return internal_error(client, kTitle, topped.status());
        return again(refused(topped.status(), "Not credited"));
      }
      const std::string receipt = *parse_receipt_number(field("receipt"));
      const std::string money = format_money(topped->entry.amount, currency);
      if (topped->already_credited)
        return again(Outcome{HTTP_STATUS_OK,
                             "Receipt " + receipt + " was already credited (" + money + " to " +
                                 account.name + " on " + when(topped->entry.created_at) +
                                 "): nothing more was credited.",
                             true, receipt});
      return done(
          "desk top-up " + money + ", receipt " + receipt,
          Outcome{HTTP_STATUS_OK,
                  "Credited " + money + " to " + account.name + ", receipt " + receipt + ".", true,
                  receipt});
    }
    Result<DeskAdjustment> adjusted =
        desk_adjust(ledger, account.name, *amount, field("reason"), field("nonce"), access.user());
    if (!adjusted) {
      if (is_internal(adjusted.status())) return internal_error(client, kTitle, adjusted.status());
      return again(refused(adjusted.status(), "Not adjusted"));
    }
    const std::string money = format_money(adjusted->entry.amount, currency);
    if (adjusted->already_applied)
      return again(Outcome{HTTP_STATUS_OK,
                           "This adjustment (" + money +
                               ") was already made: nothing more "
                               "was changed.",
                           true, ""});
    return done(
        "adjusted " + money + ": " + field("reason"),
        Outcome{HTTP_STATUS_OK, "Adjusted " + account.name + " by " + money + ".", true, ""});
  }
  if (what == "refund") {
    const std::int64_t job = form_id(field("job")).value_or(0);  // 0: none
    if (job == 0)
      return again(Outcome{HTTP_STATUS_BAD_REQUEST, "Choose a printed job.", false, ""});
    Result<JournalEntry> refunded = refund_printed_job(stores.site.jobs(), ledger, job,
                                                       account.name, access.user(), field("note"));
    if (!refunded) {
      if (is_internal(refunded.status())) return internal_error(client, kTitle, refunded.status());
      return again(refused(refunded.status(), "Not refunded"));
    }
    const std::string money = format_money(refunded->amount, currency);
    return done(
        "refunded job " + std::to_string(job) + " " + money,
        Outcome{HTTP_STATUS_OK,
                "Job " + std::to_string(job) + " refunded: " + money + " to " + account.name + ".",
                true, ""});
  }
  if (what == "limit") {
    const bool unlimited = form.get("unlimited") != nullptr;
    const std::string text = field("credit_limit");
    Result<std::int64_t> limit = parse_money(text.empty() ? "0" : text, currency);
    if (!limit || *limit < 0)
      return again(Outcome{HTTP_STATUS_BAD_REQUEST,
                           "Not saved: a credit limit is an amount of 0 or more.", false, ""});
    if (Status set = ledger.set_credit_limit(account.name, *limit, unlimited); !set.is_ok()) {
      if (is_internal(set)) return internal_error(client, kTitle, set);
      return again(refused(set, "Not saved"));
    }
    const std::string detail =
        "credit limit " + format_money(*limit, currency) + (unlimited ? ", unlimited" : "");
    return done(detail, Outcome{HTTP_STATUS_OK, "Saved: " + detail + ".", true, ""});
  }
  const bool enable = what == "enable";
  if (Status set = ledger.set_enabled(account.name, enable); !set.is_ok()) {
    if (is_internal(set)) return internal_error(client, kTitle, set);
    return again(refused(set, "Not changed"));
  }
  return done(enable ? "enabled" : "disabled",
              Outcome{HTTP_STATUS_OK,
                      "Account " + account.name + (enable ? " enabled." : " disabled."), true, ""});
}

bool account_from_form(pappl_client_t* client, Server& server, const ConsoleAccess& access) {
  const Form form(client);
  const char* name = form.get("name");
  if (!form.is_valid(client))
    return account_page(client, server, access, name ? name : "", 0,
                        Outcome{HTTP_STATUS_BAD_REQUEST,
                                "Invalid form submission (its session key is missing or stale): "
                                "nothing was done.",
                                false, ""});
  const char* what_field = form.get("do");
  const std::string what = what_field ? what_field : "";
  const std::optional<ConsoleAction> action = action_of(what);
  if (!name || !action)
    return console_error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, access,
                              "The form names no account or no action: nothing was done.");
  if (!access.may(*action))
    return console_refusal(client, access, *action, "account " + std::string(name));
  Result<AccountStores> stores = open_account_stores(server);
  if (!stores) return internal_error(client, kTitle, stores.status());
  Result<Account> account = stores->site.ledger().get_account(name);
  if (!account) {
    if (account.status().code() != Code::kNotFound)
      return internal_error(client, kTitle, account.status());
    return console_error_page(client, HTTP_STATUS_NOT_FOUND, kTitle, access,
                              "No account " + std::string(name) + ": nothing was done.");
  }
  bool answered = true;
  if (!account_covered(client, stores->site, access, *account, *action, &answered)) return answered;
  return apply_form(client, server, access, *stores, *account, what, form);
}

bool account_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<ConsoleAccess> access =
      console_access(client, server, kConsoleAccountPath, post, &keep_open);
  if (!access) return keep_open;
  if (post) return account_from_form(client, server, *access);
  const Form query(client);
  const char* name = query.get("name");
  if (!name || !*name) return redirect(client, kConsoleAccountsPath);
  const char* before = query.get("before");
  return account_page(client, server, *access, name, before ? form_id(before).value_or(0) : 0,
                      Outcome{});
}

}  // namespace

void add_console_account_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kConsoleAccountPath, "text/html", account_resource,
                                 &server);
}

}  // namespace pp::server::web
