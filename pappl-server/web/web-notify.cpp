// web-notify.cpp: "Notifications" (issue 14): a signed-in user's notification preferences and
// what they were told, so that nobody needs the command line to opt in to receipts.
//
//   GET  /pullprint/notifications   the signed-in user's page: where notifications go (the
//                                   directory's e-mail address, else notify-domain, else the
//                                   login: lib/notify's notification_address), receipts on or
//                                   off, and the last notifications recorded for them
//   POST /pullprint/notifications   receipts=on|off, owner=LOGIN (the page's own hidden field) and
//                                   the CSRF field: stores the choice for the signed-in user
//
// Who may open it: any signed-in user, for themself only. A query or form naming another user
// (owner=bob while alice is signed in) answers 403 "not yours", changes nothing and is logged
// (check_own_preferences in lib/notify). Stable ids: #notify-address, #receipts-state,
// #receipts-form, #receipts-on, #receipts-off, #notify-history, #notify-off.
#include <cups/cups.h>

#include <string>

#include "notify/notify.h"
#include "util/utc-time.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kNotifyPath = "/pullprint/notifications";
constexpr const char* kTitle = "Notifications";
constexpr int kHistoryRows = 20;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The page for `user` with an optional banner.
bool notify_page(pappl_client_t* client, const Server& server, const std::string& user,
                 http_status_t status, const std::string& banner) {
  Result<NotifySettings> settings = notify_settings_from_config(server.config);
  if (!settings) return internal_error(client, kTitle, settings.status());
  Result<std::unique_ptr<NotifyStore>> store =
      open_sqlite_notify_store(Site::ledger_path_of(server.config), LedgerMigrations::kAlreadyRun);
  if (!store) return internal_error(client, kTitle, store.status());
  Result<bool> receipts = (*store)->receipts_wanted(user);
  if (!receipts) return internal_error(client, kTitle, receipts.status());
  Result<std::vector<Notice>> history = (*store)->list(user, kHistoryRows);
  if (!history) return internal_error(client, kTitle, history.status());
  PeopleStore* people = server.people ? &server.people->people() : nullptr;
  const std::string address = notification_address(settings->domain, people, user);

  start_page(client, status, kTitle);
  if (!banner.empty())
    put(client,
        "          <div class=\"banner\" id=\"notify-banner\">" + html(banner) + "</div>\n");
  if (!settings->enabled())
    put(client,
        "          <p id=\"notify-off\">This site sends no notifications (no notify-command is "
        "set).</p>\n");
  put(client, "          <p>Notifications go to <strong id=\"notify-address\">" + html(address) +
                  "</strong>.</p>\n");
  put(client,
      "          <p>You are told when your available credit falls below the site's warning "
      "level, before a held job expires and when it has expired, and when someone asks you to "
      "share a job's cost. Receipts for printed jobs are up to you.</p>\n");
  put(client,
      "          <h2 class=\"title\">Receipts</h2>\n          <p>Receipts: <strong "
      "id=\"receipts-state\">" +
          std::string(*receipts ? "on" : "off") + "</strong></p>\n");
  start_form(client, kNotifyPath);
  put(client,
      "          <input type=\"hidden\" name=\"owner\" value=\"" + html(user) +
          "\">\n          <p id=\"receipts-form\"><button type=\"submit\" name=\"receipts\" "
          "value=\"on\" id=\"receipts-on\">Send me a receipt for each printed job</button> "
          "<button type=\"submit\" name=\"receipts\" value=\"off\" id=\"receipts-off\">No "
          "receipts</button></p>\n          </form>\n");
  put(client, "          <h2 class=\"title\">Your last notifications</h2>\n");
  if (history->empty()) {
    put(client, "          <p id=\"notify-history\">None yet.</p>\n");
  } else {
    put(client,
        "          <table class=\"list\" id=\"notify-history\">\n"
        "            <thead><tr><th>When</th><th>What</th><th>Subject</th><th>State</th></tr>"
        "</thead>\n            <tbody>\n");
    for (const Notice& notice : *history) {
      put(client, "              <tr id=\"notice-" + std::to_string(notice.id) + "\"><td>" +
                      html(when(iso_utc_from_unix(notice.created_at))) + "</td><td>" +
                      html(notice_kind_name(notice.kind)) + "</td><td>" + html(notice.title) +
                      "</td><td>" + html(notice_state_name(notice.state)) + "</td></tr>\n");
    }
    put(client, "            </tbody>\n          </table>\n");
  }
  put(client,
      "          <p><a class=\"btn\" href=\"" + std::string(kJobsPath) + "\">My jobs</a></p>\n");
  end_page(client);
  return true;
}

// Refuses a request about somebody else's preferences: logged, 403, nothing changed.
bool refuse_other(pappl_client_t* client, const std::string& user, const std::string& owner,
                  const Status& why) {
  papplLogClient(client, PAPPL_LOGLEVEL_WARN, "Notification settings of %s refused to %s: %s",
                 owner.c_str(), user.c_str(), why.to_string().c_str());
  return error_page(client, HTTP_STATUS_FORBIDDEN, kTitle, why.message() + ".");
}

bool change_from_form(pappl_client_t* client, const Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client))
    return notify_page(client, server, user, HTTP_STATUS_BAD_REQUEST,
                       "Invalid form submission (its session key is missing or stale): nothing "
                       "was changed. Please try again.");
  const char* owner = form.get("owner");
  const std::string target = owner ? owner : user;
  if (Status mine = check_own_preferences(user, target); !mine.is_ok())
    return refuse_other(client, user, target, mine);
  const char* choice = form.get("receipts");
  const std::string wanted = choice ? choice : "";
  if (wanted != "on" && wanted != "off")
    return notify_page(client, server, user, HTTP_STATUS_BAD_REQUEST, "Choose on or off.");
  Result<std::unique_ptr<NotifyStore>> store =
      open_sqlite_notify_store(Site::ledger_path_of(server.config), LedgerMigrations::kAlreadyRun);
  if (!store) return internal_error(client, kTitle, store.status());
  if (Status set = (*store)->set_receipts(user, wanted == "on", unix_now()); !set.is_ok())
    return internal_error(client, kTitle, set);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "%s turned receipts %s (web).", user.c_str(),
                 wanted.c_str());
  return notify_page(
      client, server, user, HTTP_STATUS_OK,
      wanted == "on" ? "Receipts on: you get one for each job printed." : "Receipts off.");
}

// The resource callback of /pullprint/notifications.
bool notify_resource(pappl_client_t* client, void* data) {
  const Server& server = *static_cast<const Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  if (post) return change_from_form(client, server, *user);
  const Form query(client);
  if (const char* owner = query.get("user"))
    if (Status mine = check_own_preferences(*user, owner); !mine.is_ok())
      return refuse_other(client, *user, owner, mine);
  return notify_page(client, server, *user, HTTP_STATUS_OK, "");
}

}  // namespace

void add_notify_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kNotifyPath, "text/html", notify_resource, &server);
}

}  // namespace pp::server::web
