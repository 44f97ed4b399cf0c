// web-split.cpp: "Share a job's cost", a form for splitting one held job among payers, so that
// nobody has to learn the one-line request syntax (`ratio:alice=50,bob=50`) of the CLI.
//
//   GET  /pullprint/split?job=ID   the form for held job ID: the job (title, pages, colour pages,
//                                  estimate), the mode, rows of payers and their parts, the
//                                  deadline and (ratio) what happens when a payer declines
//   POST /pullprint/split          the form with the CSRF field (web/web-form.h, start_form):
//                                    job=ID, mode=ratio|copies|pages|method, shown-mode=the mode
//                                    the rows were written for, rows=N, payer-I, part-I (ratio,
//                                    copies, pages), color-I / sides-I / media-I / type-I
//                                    (method), deadline, on-decline, request (optional: the
//                                    request as text, instead of the rows) and one button:
//                                    action=add-row  the same form with one more row
//                                    action=mode     the rows for the chosen mode
//                                    action=preview  each payer's part and amount and the
//                                                    deadline (preview_split), then Send
//                                    action=send     split_held_job, the payers are notified
//
// Who may open it: the job's owner, signed in (web::signed_in_user). Anybody else's job, or a
// job that does not exist, is 403 "No held job N of yours." (logged) and nothing is done.
// The rules are lib/'s: the rows become the request line (split_request_from_form), the
// preview and the split price it by the same function (preview_split, which split_held_job runs
// first), so the preview's amounts are the shares'. A refusal (unknown payer, parts not adding
// up, a payer whose account is disabled, ...) is shown above the form with every value kept.
//
// Element ids (for tests): split-job, split-form, split-mode, split-mode-apply, payer-I,
// part-I, color-I, sides-I, media-I, type-I, deadline, split-on-decline, split-text (request:
// the text field inside it), split-add-row, split-preview-button, split-send, split-error,
// split-preview, preview-amount-PAYER, preview-total, preview-deadline, split-done.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pricing/pricing.h"
#include "server/server-release.h"
#include "server/server-request.h"
#include "server/server-splits.h"
#include "split-jobs/split-jobs.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Share a job's cost";
constexpr int kFirstRows = 4;  // empty rows of a new form: no JavaScript needed for a few payers
constexpr int kMaxRows = static_cast<int>(kMaxSplitPayers);

// The time the split rules are applied at.
SplitClock now() {
  return std::chrono::system_clock::now();
}

// The form as sent (or as first shown), kept to be written again.
struct SplitFormState {
  std::int64_t job = 0;
  SplitForm form;    // mode, rows, deadline, on-decline
  std::string text;  // the request as text; "" to use the rows
};

// What the page shows above (or instead of) the form.
struct SplitOutcome {
  http_status_t status = HTTP_STATUS_OK;
  std::string error;                    // a refusal, next to the form
  std::string notice;                   // a hint (the mode changed)
  std::optional<SplitPreview> preview;  // a successful preview: Send is offered
};

std::string field(const Form& form, const std::string& name) {
  const char* value = form.get(name.c_str());
  return value ? value : "";
}

// The form's state from a POST (or a GET's job=ID only).
SplitFormState read_state(const Form& form, std::int64_t job) {
  SplitFormState state;
  state.job = job;
  state.form.mode = field(form, "mode");
  if (!parse_split_mode(state.form.mode)) state.form.mode = "ratio";
  const std::string rows_text = field(form, "rows");
  int rows = kFirstRows;
  if (std::optional<std::int64_t> n = form_id(rows_text))
    rows = static_cast<int>(std::min<std::int64_t>(*n, kMaxRows));
  for (int i = 1; i <= rows; ++i) {
    const std::string n = std::to_string(i);
    state.form.rows.push_back(SplitFormRow{field(form, "payer-" + n), field(form, "part-" + n),
                                           field(form, "color-" + n), field(form, "sides-" + n),
                                           field(form, "media-" + n), field(form, "type-" + n)});
  }
  state.form.deadline = field(form, "deadline");
  state.form.on_decline = field(form, "on-decline");
  state.text = field(form, "request");
  return state;
}

std::string option(const std::string& value, const std::string& label, const std::string& chosen) {
  return "<option value=\"" + html(value) + "\"" + (value == chosen ? " selected" : "") + ">" +
         html(label) + "</option>";
}

// "<label>TEXT <input ...></label>" for one text field.
std::string text_input(const std::string& label, const std::string& name, const std::string& value,
                       const std::string& placeholder, int size, std::size_t max_length = 64) {
  return "<label>" + html(label) + " <input type=\"text\" name=\"" + name + "\" id=\"" + name +
         "\" value=\"" + html(value) + "\" placeholder=\"" + html(placeholder) + "\" size=\"" +
         std::to_string(size) + "\" maxlength=\"" + std::to_string(max_length) + "\"></label>";
}

// One payer's row: the user and, by mode, their part or their print options.
std::string payer_row(SplitMode mode, int index, const SplitFormRow& row) {
  const std::string n = std::to_string(index);
  std::string out = "            <fieldset class=\"split-payer\" id=\"split-row-" + n +
                    "\"><legend>Payer " + n + "</legend> " +
                    text_input("User", "payer-" + n, row.payer, "user name", 16) + " ";
  switch (mode) {
    case SplitMode::kRatio:
      out += text_input("Percent", "part-" + n, row.part, "50 or 1/3", 8);
      break;
    case SplitMode::kCopies:
      out += text_input("Copies", "part-" + n, row.part, "2", 4);
      break;
    case SplitMode::kPages:
      out += text_input("Pages", "part-" + n, row.part, "1-4, 9", 12);
      break;
    case SplitMode::kMethod:
      out += "<label>Colour <select name=\"color-" + n + "\" id=\"color-" + n + "\">" +
             option("", "as the job", row.color) + option("color", "colour", row.color) +
             option("mono", "black and white", row.color) + "</select></label> <label>Sides " +
             "<select name=\"sides-" + n + "\" id=\"sides-" + n + "\">" +
             option("", "as the job", row.sides) + option("one-sided", "one-sided", row.sides) +
             option("two-sided-long-edge", "two-sided (long edge)", row.sides) +
             option("two-sided-short-edge", "two-sided (short edge)", row.sides) +
             "</select></label> " + text_input("Paper", "media-" + n, row.media, "a4", 8) + " " +
             text_input("Media type", "type-" + n, row.media_type, "stationery", 10);
      break;
  }
  return out + "</fieldset>\n";
}

// What each mode asks of the payers, for people.
std::string mode_help(SplitMode mode) {
  switch (mode) {
    case SplitMode::kRatio:
      return "One print; each payer pays a percentage of its price (all together 100).";
    case SplitMode::kCopies:
      return "Each payer gets (and pays for) their own copies of the whole document.";
    case SplitMode::kPages:
      return "Each payer gets (and pays for) their own pages of the document.";
    case SplitMode::kMethod:
      return "Each payer gets the whole document printed their own way (colour, sides, paper).";
  }
  return "";
}

// The held job the form is for.
std::string job_summary(const HeldJob& job) {
  return "          <p id=\"split-job\">Job " + std::to_string(job.id) + " &ldquo;" +
         html(job.title) + "&rdquo;: " + std::to_string(job.pages) + " pages, " +
         std::to_string(job.color_pages) + " in colour; estimate " +
         html(format_money(job.price_minor, job.currency)) + ".</p>\n";
}

// The preview: each payer's part and amount, the total and the deadline.
std::string preview_table(const SplitPreview& preview) {
  std::string out =
      "          <h2 class=\"title\">Preview</h2>\n"
      "          <table class=\"list\" id=\"split-preview\" summary=\"Each payer's part\">\n"
      "            <thead><tr><th>Payer</th><th>Gets</th><th>Amount</th></tr></thead>\n"
      "            <tbody>\n";
  for (const SplitPart& part : preview.quote.parts) {
    out += "              <tr id=\"preview-" + html(part.payer) + "\"><td>" + html(part.payer) +
           "</td><td>" + html(part.description) + "</td><td id=\"preview-amount-" +
           html(part.payer) + "\">" + html(format_money(part.amount, preview.quote.currency)) +
           "</td></tr>\n";
  }
  out +=
      "            </tbody>\n          </table>\n          <p>Together: <span "
      "id=\"preview-total\">" +
      html(format_money(preview.quote.total, preview.quote.currency)) +
      "</span>. Requests: <code>" + html(preview.request_text) +
      "</code>. Each payer answers by <span id=\"preview-deadline\">" +
      html(when(preview.deadline)) + "</span> (counted from when you send)";
  if (preview.request.mode == SplitMode::kRatio)
    out += preview.on_decline == OnDecline::kCancel
               ? "; if a payer declines, the split and the job are cancelled"
               : "; if a payer declines, you pay their part";
  return out + ".</p>\n";
}

// The page: the job, the outcome (error, notice or preview) and the form with its values.
bool form_page(pappl_client_t* client, const HeldJob& job, const SplitFormState& state,
               const SplitOutcome& outcome) {
  const SplitMode mode = parse_split_mode(state.form.mode).value_or(SplitMode::kRatio);
  const std::string mode_name(split_mode_name(mode));
  start_page(client, outcome.status, kTitle);
  put(client, job_summary(job));
  if (!outcome.error.empty())
    put(client,
        "          <div class=\"banner\" id=\"split-error\">" + html(outcome.error) + "</div>\n");
  if (!outcome.notice.empty())
    put(client,
        "          <div class=\"banner\" id=\"split-notice\">" + html(outcome.notice) + "</div>\n");
  if (outcome.preview) put(client, preview_table(*outcome.preview));
  start_form(client, kSplitPath);
  std::string out =
      "            <input type=\"hidden\" name=\"job\" value=\"" + std::to_string(state.job) +
      "\">\n            <input type=\"hidden\" name=\"shown-mode\" value=\"" + html(mode_name) +
      "\">\n            <input type=\"hidden\" name=\"rows\" value=\"" +
      std::to_string(state.form.rows.size()) +
      "\">\n            <p><label>Mode <select name=\"mode\" id=\"split-mode\">";
  for (SplitMode each :
       {SplitMode::kRatio, SplitMode::kCopies, SplitMode::kPages, SplitMode::kMethod}) {
    const std::string name(split_mode_name(each));
    out += option(name, name, mode_name);
  }
  out +=
      "</select></label> <button type=\"submit\" name=\"action\" value=\"mode\" "
      "id=\"split-mode-apply\">Use this mode</button></p>\n            <p>" +
      html(mode_help(mode)) + " Name yourself too if you pay a part.</p>\n";
  for (std::size_t i = 0; i < state.form.rows.size(); ++i)
    out += payer_row(mode, static_cast<int>(i + 1), state.form.rows[i]);
  out +=
      "            <p><button type=\"submit\" name=\"action\" value=\"add-row\" "
      "id=\"split-add-row\">Add payer</button></p>\n            <p>" +
      text_input("Deadline", "deadline", state.form.deadline, "24h", 8) + " (empty: the site's)";
  if (mode == SplitMode::kRatio) {
    out += " <label>If a payer declines <select name=\"on-decline\" id=\"split-on-decline\">" +
           option("", "the site's rule", state.form.on_decline) +
           option("owner-covers", "I pay their part", state.form.on_decline) +
           option("cancel", "cancel the split and the job", state.form.on_decline) +
           "</select></label>";
  }
  out += "</p>\n            <details id=\"split-text\"" +
         std::string(state.text.empty() ? "" : " open") +
         "><summary>Or write the request as text</summary><p>" +
         text_input("Request", "request", state.text, "ratio:alice=50,bob=50", 32,
                    kMaxSplitRequestBytes) +
         " (the syntax of <code>pullprint split</code>; it replaces the rows)</p></details>\n"
         "            <p><button type=\"submit\" name=\"action\" value=\"preview\" "
         "id=\"split-preview-button\">Preview</button>";
  if (outcome.preview)
    out +=
        " <button type=\"submit\" name=\"action\" value=\"send\" id=\"split-send\">Send "
        "requests</button>";
  out += "</p>\n          </form>\n          <p><a class=\"btn\" href=\"" + std::string(kJobsPath) +
         "\">Back to my jobs</a></p>\n";
  put(client, out);
  end_page(client);
  return true;
}

// The request line of the form: its text when written, else the rows'.
Result<std::string> request_of(const SplitFormState& state) {
  if (!state.text.empty()) return state.text;
  return split_request_from_form(state.form);
}

// Whether a refusal is the user's to correct (shown next to the form) rather than a failure.
bool is_refusal(Code code) {
  switch (code) {
    case Code::kInvalidArgument:
    case Code::kNotFound:
    case Code::kPermissionDenied:
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kInsufficientFunds:
      return true;
    default:
      return false;
  }
}

// "No held job N of yours.": 403 for a job of someone else's (or none), logged.
bool not_yours(pappl_client_t* client, const std::string& user, std::int64_t id) {
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Split page: %s may not split job %lld: not theirs",
                 user.c_str(), static_cast<long long>(id));
  return error_page(client, HTTP_STATUS_FORBIDDEN, kTitle,
                    "No held job " + std::to_string(id) + " of yours.");
}

// The user's held job that a form's `job` field names, with the site it was read from.
struct OwnJob {
  Site site;
  HeldJob job;
};

// Reads the held job that `job_field` names when it is the user's. Otherwise answers the
// request itself (400 without a job number, 403 for another's job or none, 500 when the store
// fails) and returns nothing: the resource callback then returns true.
std::optional<OwnJob> own_job(pappl_client_t* client, Server& server, const std::string& user,
                              std::string_view job_field) {
  const std::optional<std::int64_t> id = form_id(job_field);
  if (!id) {
    error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle, "Which job? (job=ID)");
    return std::nullopt;
  }
  Result<Site> site = open_operation_site(server);
  if (!site) {
    internal_error(client, kTitle, site.status());
    return std::nullopt;
  }
  Result<HeldJob> job = site->jobs().get(*id);
  if (!job && job.status().code() != Code::kNotFound) {
    internal_error(client, kTitle, job.status());
    return std::nullopt;
  }
  if (!job || job->owner != user) {
    not_yours(client, user, *id);
    return std::nullopt;
  }
  return OwnJob{std::move(*site), std::move(*job)};
}

// The page after the split was made: what each payer is asked.
bool sent_page(pappl_client_t* client, const HeldJob& job, const Split& split) {
  start_page(client, HTTP_STATUS_OK, kTitle);
  put(client, job_summary(job));
  std::string out = "          <div class=\"banner\" id=\"split-done\">Job " +
                    std::to_string(job.id) + " is split (" + html(split.request) +
                    "): " + html(split.progress()) + "; deadline " + html(when(split.deadline)) +
                    ".</div>\n          <table class=\"list\" id=\"split-shares\" summary=\"The "
                    "split\">\n            <thead><tr><th>Payer</th><th>Gets</th><th>Amount</th>"
                    "<th>State</th></tr></thead>\n            <tbody>\n";
  for (const Share& share : split.shares) {
    out += "              <tr id=\"share-" + std::to_string(share.id) + "\"><td>" +
           html(share.payer) + "</td><td>" + html(share.description) +
           "</td><td id=\"share-amount-" + html(share.payer) + "\">" +
           html(format_money(share.amount, share.currency)) + "</td><td>" +
           html(share_state_name(share.state)) + "</td></tr>\n";
  }
  out += "            </tbody>\n          </table>\n          <p><a class=\"btn\" href=\"" +
         std::string(kJobsPath) + "\">Back to my jobs</a></p>\n";
  put(client, out);
  end_page(client);
  return true;
}

// GET: the empty form for the user's held job, or why there is none.
bool show_form(pappl_client_t* client, Server& server, const std::string& user) {
  const Form query(client);
  const char* job_field = query.get("job");
  std::optional<OwnJob> own = own_job(client, server, user, job_field ? job_field : "");
  if (!own) return true;
  Site& site = own->site;
  const HeldJob& job = own->job;
  const std::int64_t id = job.id;
  SplitFormState state = read_state(query, id);
  SplitOutcome outcome;
  if (job.state != HeldJobState::kHeld) {
    outcome.status = HTTP_STATUS_CONFLICT;
    outcome.error = "Job " + std::to_string(id) + " is " +
                    std::string(held_job_state_name(job.state)) + " and can no longer be split.";
  } else if (Result<Split> split = site.splits().get_split(JobRef::held(job.uuid).str())) {
    outcome.status = HTTP_STATUS_CONFLICT;
    outcome.error = "Job " + std::to_string(id) + " is split already (" + split->request + ").";
  }
  return form_page(client, job, state, outcome);
}

// POST: one of the form's buttons.
bool handle_form(pappl_client_t* client, Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                   "Split page: form of %s without a valid session "
                   "key.",
                   user.c_str());
    return error_page(client, HTTP_STATUS_BAD_REQUEST, kTitle,
                      "Invalid form submission (its session key is missing or stale): nothing "
                      "was done. Please try again.");
  }
  std::optional<OwnJob> own = own_job(client, server, user, field(form, "job"));
  if (!own) return true;
  Site& site = own->site;
  const HeldJob& job = own->job;
  const std::int64_t id = job.id;

  SplitFormState state = read_state(form, id);
  const std::string action = field(form, "action");
  const std::string shown_mode = field(form, "shown-mode");
  SplitOutcome outcome;
  if (action == "add-row") {
    if (state.form.rows.size() < static_cast<std::size_t>(kMaxRows)) state.form.rows.emplace_back();
    return form_page(client, job, state, outcome);
  }
  if (action == "mode") return form_page(client, job, state, outcome);
  if (action != "preview" && action != "send") {
    outcome.status = HTTP_STATUS_BAD_REQUEST;
    outcome.error = "Unknown action: nothing was done.";
    return form_page(client, job, state, outcome);
  }
  if (state.text.empty() && !shown_mode.empty() && shown_mode != state.form.mode) {
    outcome.notice = "The mode is now " + state.form.mode + ": give each payer's part for it.";
    return form_page(client, job, state, outcome);
  }
  const char* verb = action == "send" ? "split" : "preview";
  Result<std::string> request = request_of(state);
  if (request && action == "preview") {
    Result<SplitPreview> preview = preview_split(site, server.config, id, user, *request, now());
    if (preview) {
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Split preview of job %lld by %s (web): %s",
                     static_cast<long long>(id), user.c_str(), preview->request_text.c_str());
      outcome.preview = std::move(*preview);
      return form_page(client, job, state, outcome);
    }
    request = preview.status();
  } else if (request) {
    Result<Split> split = split_held_job(site, server.config, id, user, *request, now());
    if (split) {
      papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Job %lld split by %s (web): %s",
                     static_cast<long long>(id), user.c_str(), split->request.c_str());
      notify_pending_payers(*split, split_notifier(server));
      return sent_page(client, job, *split);
    }
    request = split.status();
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Split %s of job %lld by %s (web) refused: %s", verb,
                 static_cast<long long>(id), user.c_str(), request.status().to_string().c_str());
  if (!is_refusal(request.status().code())) return internal_error(client, kTitle, request.status());
  outcome.error = "Job " + std::to_string(id) + " not split: " + request.status().message() + ".";
  return form_page(client, job, state, outcome);
}

// The resource callback of /pullprint/split.
bool split_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  return post ? handle_form(client, server, *user) : show_form(client, server, *user);
}

}  // namespace

void add_split_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kSplitPath, "text/html", split_resource, &server);
}

}  // namespace pp::server::web
