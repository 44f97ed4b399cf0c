// web-print.cpp: "Print" (/pullprint/print), printing from the browser (issue 14): a student
// without a driver uploads a document and sees its price before it is held, then the job takes
// the same way as an IPP job (hold_job under Server::hold_mutex on the `jobs` site, as
// server-hold.cpp's callbacks do), so it is analysed, priced, reserved and held alike.
//
//   GET  /pullprint/print   the form: file (PDF, PostScript or JPEG), copies, sides, colour,
//                           page ranges, pages per sheet (signed-in users)
//   POST /pullprint/print   multipart/form-data (step 1): session (CSRF, first), copies, sides,
//                           color, page-ranges, number-up, file. Read here as a stream (PAPPL's
//                           papplClientGetForm truncates bodies at 2 MiB) into a pending upload
//                           (lib/holding/pending-uploads.h: STATE/web-uploads, 0700, files 0600,
//                           a random token, the user as owner); a body over web-upload-max is
//                           413 and nothing is kept; a file that is not PDF, PostScript or JPEG
//                           by its content is 415. Answers the estimate page: pages, colour
//                           pages, the price on the default profile and on each release printer,
//                           and a form with Submit and Cancel.
//   POST /pullprint/print   application/x-www-form-urlencoded (step 2): session (CSRF),
//                           upload=TOKEN, action=submit|cancel. Only the upload's owner: another
//                           user's token is 403 and changes nothing. Submit holds the job and
//                           shows its id and price; both remove the pending document.
//
// Pending uploads nobody submits are swept at each upload and submit (web-upload-timeout).
// Stable ids for the browser tests: print-form, print-file, print-copies, print-sides,
// print-color, print-page-ranges, print-number-up, print-estimate; estimate-table,
// estimate-pages, estimate-color-pages, estimate-price, estimate-printers, submit-form,
// submit-print, cancel-print; held-job-id, held-job-price, my-jobs-link.
#include <cups/cups.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>

#include "holding/holding.h"
#include "holding/pending-uploads.h"
#include "holding/web-print.h"
#include "pricing/pricing.h"
#include "server/server.h"
#include "util/multipart-form.h"
#include "web/web-form.h"
#include "web/web.h"

namespace pp::server::web {
namespace {

constexpr const char* kTitle = "Print";
constexpr const char* kFileField = "file";
// What a multipart body may carry beyond the file (the other fields, part headers, boundaries).
constexpr std::uint64_t kFormOverheadBytes = 64 * 1024;
// A body over the limit is still read (and thrown away) up to this much more, so that the
// browser gets the 413 page instead of a connection reset; beyond it the connection is closed.
constexpr std::uint64_t kDrainBytes = 64ull * 1024 * 1024;

// The banner of a page, escaped.
std::string banner(const std::string& text) {
  return "          <div class=\"banner\" id=\"print-message\">" + html(text) + "</div>\n";
}

// A <select> with `options` (value, label), `chosen` selected.
std::string select(const char* name, const char* id,
                   std::initializer_list<std::pair<const char*, const char*>> options,
                   const std::string& chosen) {
  std::string out = "<select name=\"" + std::string(name) + "\" id=\"" + id + "\">";
  for (const auto& [value, label] : options)
    out += "<option value=\"" + std::string(value) + "\"" + (chosen == value ? " selected" : "") +
           ">" + label + "</option>";
  return out + "</select>";
}

// The upload form (GET, and again after a refusal with the user's choices).
bool form_page(pappl_client_t* client, http_status_t status, const std::string& message,
               const WebPrintSettings& settings, const PrintChoices& choices = {}) {
  start_page(client, status, kTitle);
  if (!message.empty()) put(client, banner(message));
  put(client, "          <p>Upload a PDF, PostScript or JPEG document (at most " +
                  html(describe_byte_size(settings.max_upload_bytes)) +
                  "). You see its price before it is held for release.</p>\n");
  put(client, "          <div id=\"print-form-box\">\n");
  // start_form writes the CSRF field first: the page checks it before it keeps any file data.
  start_form(client, kPrintPath, true);
  put(client,
      "          <p><label>Document <input type=\"file\" name=\"file\" id=\"print-file\" "
      "accept=\".pdf,.ps,.jpg,.jpeg,application/pdf,application/postscript,image/jpeg\" "
      "required></label></p>\n"
      "          <p><label>Copies <input type=\"number\" name=\"copies\" id=\"print-copies\" "
      "min=\"1\" max=\"" +
          std::to_string(kMaxWebCopies) + "\" value=\"" + html(choices.copies) +
          "\"></label></p>\n"
          "          <p><label>Sides " +
          select("sides", "print-sides",
                 {{"one-sided", "One-sided"},
                  {"two-sided-long-edge", "Two-sided (long edge)"},
                  {"two-sided-short-edge", "Two-sided (short edge)"}},
                 choices.sides) +
          "</label></p>\n"
          "          <p><label>Colour " +
          select("color", "print-color", {{"color", "Colour"}, {"monochrome", "Grey"}},
                 choices.color) +
          "</label></p>\n"
          "          <p><label>Pages <input type=\"text\" name=\"page-ranges\" "
          "id=\"print-page-ranges\" placeholder=\"all, or 1-3,5\" maxlength=\"200\" value=\"" +
          html(choices.page_ranges) +
          "\"></label></p>\n"
          "          <p><label>Pages per sheet " +
          select("number-up", "print-number-up", {{"1", "1"}, {"2", "2"}, {"4", "4"}},
                 choices.number_up) +
          "</label></p>\n"
          "          <p><button type=\"submit\" id=\"print-estimate\">See the price</button></p>\n"
          "          </form>\n          </div>\n");
  end_page(client);
  return true;
}

// A page with a message and links to Print and My jobs.
bool message_page(pappl_client_t* client, http_status_t status, const std::string& message) {
  start_page(client, status, kTitle);
  put(client, banner(message) + "          <p><a class=\"btn\" href=\"" + kPrintPath +
                  "\" id=\"print-again-link\">Print another document</a> <a class=\"btn\" "
                  "href=\"" +
                  kJobsPath + "\" id=\"my-jobs-link\">My jobs</a></p>\n");
  end_page(client);
  return true;
}

// The choices in a read form (missing fields keep their defaults).
PrintChoices choices_of(const MultipartForm& form) {
  PrintChoices choices;
  if (const std::string* v = form.field("copies")) choices.copies = *v;
  if (const std::string* v = form.field("sides")) choices.sides = *v;
  if (const std::string* v = form.field("color")) choices.color = *v;
  if (const std::string* v = form.field("page-ranges")) choices.page_ranges = *v;
  if (const std::string* v = form.field("number-up")) choices.number_up = *v;
  return choices;
}

// The client's file name as a job title: its last path element ("C:\fakepath\x.pdf" -> x.pdf),
// control characters dropped, at most 200 bytes; "Web upload" when nothing is left.
std::string title_of(const std::string& filename) {
  std::string name = filename.substr(filename.find_last_of("/\\") + 1);
  std::string title;
  for (char c : name)
    if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) title += c;
  if (title.size() > 200) title.resize(200);
  return title.empty() ? "Web upload" : title;
}

// The estimate page (step 1's answer): the analysis, the prices and the Submit/Cancel form.
bool estimate_page(pappl_client_t* client, const PendingUpload& upload,
                   const PrintEstimate& estimate) {
  start_page(client, HTTP_STATUS_OK, "Print: the price");
  put(client, "          <p>" + html(upload.title) +
                  ":</p>\n"
                  "          <table class=\"list\" id=\"estimate-table\" summary=\"Estimate\">\n"
                  "            <tbody>\n"
                  "              <tr><th>Pages</th><td id=\"estimate-pages\">" +
                  std::to_string(estimate.pages) +
                  "</td></tr>\n"
                  "              <tr><th>Colour pages</th><td id=\"estimate-color-pages\">" +
                  std::to_string(estimate.color_pages) +
                  "</td></tr>\n"
                  "              <tr><th>Impressions</th><td id=\"estimate-impressions\">" +
                  std::to_string(estimate.impressions) +
                  "</td></tr>\n"
                  "              <tr><th>Price (reserved now)</th><td id=\"estimate-price\">" +
                  html(format_money(estimate.price.minor, estimate.price.currency)) +
                  "</td></tr>\n            </tbody>\n          </table>\n");
  if (!estimate.printers.empty()) {
    put(client,
        "          <h2 class=\"title\">On each printer</h2>\n"
        "          <table class=\"list\" id=\"estimate-printers\" summary=\"Prices per printer\">\n"
        "            <thead><tr><th>Printer</th><th>Price</th></tr></thead>\n"
        "            <tbody>\n");
    for (const PrinterEstimate& printer : estimate.printers)
      put(client, "              <tr><td>" + html(printer.printer) +
                      (printer.location.empty() ? "" : " (" + html(printer.location) + ")") +
                      "</td><td class=\"estimate-on-printer\" data-printer=\"" +
                      html(printer.printer) + "\">" +
                      html(format_money(printer.price.minor, printer.price.currency)) +
                      "</td></tr>\n");
    put(client, "            </tbody>\n          </table>\n");
  }
  put(client,
      "          <p>The price is reserved on your account when you submit; you pay the price of "
      "the printer you release the job to.</p>\n          <div id=\"submit-form\">\n");
  start_form(client, kPrintPath);
  put(client, "          <input type=\"hidden\" name=\"upload\" value=\"" + html(upload.token) +
                  "\">\n"
                  "          <p><button type=\"submit\" name=\"action\" value=\"submit\" "
                  "id=\"submit-print\">Submit</button> <button type=\"submit\" name=\"action\" "
                  "value=\"cancel\" id=\"cancel-print\">Cancel</button></p>\n"
                  "          </form>\n          </div>\n");
  end_page(client);
  return true;
}

// Removes an upload whose request failed; a failure to remove is only logged (the sweep
// removes it later).
void discard(pappl_client_t* client, const PendingUploads& uploads, const std::string& token) {
  if (Status removed = uploads.remove(token); !removed.is_ok())
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Print: %s", removed.to_string().c_str());
}

// Sweeps the uploads nobody submitted in time.
void sweep(pappl_client_t* client, const PendingUploads& uploads,
           const WebPrintSettings& settings) {
  Result<int> swept = uploads.sweep(std::chrono::system_clock::now(), settings.pending_lifetime);
  if (!swept)
    papplLogClient(client, PAPPL_LOGLEVEL_ERROR, "Print: %s", swept.status().to_string().c_str());
  else if (*swept > 0)
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: removed %d expired upload(s).", *swept);
}

// Reads the rest of a body that is refused, up to kDrainBytes; whether it was all read (then
// the connection may stay open).
bool drain(http_t* http) {
  char buffer[65536];
  std::uint64_t drained = 0;
  ssize_t n = 0;
  while (drained < kDrainBytes && (n = httpRead2(http, buffer, sizeof(buffer))) > 0)
    drained += static_cast<std::uint64_t>(n);
  return n == 0;
}

// The answer to a refused upload, after the body has been drained: `keep_open` for the callback.
bool refuse_upload(pappl_client_t* client, http_status_t status, const std::string& message,
                   const WebPrintSettings& settings, bool body_read,
                   const PrintChoices& choices = {}) {
  bool keep_open = body_read || drain(papplClientGetHTTP(client));
  form_page(client, status, message, settings, choices);
  return keep_open;
}

// Step 1: the multipart upload, streamed into a pending upload, then the estimate.
bool upload(pappl_client_t* client, Server& server, const std::string& user,
            const std::string& boundary) {
  Result<WebPrintSettings> settings = web_print_settings(server.config);
  if (!settings) {
    internal_error(client, kTitle, settings.status());
    return false;
  }
  http_t* http = papplClientGetHTTP(client);
  const char* length_field = httpGetField(http, HTTP_FIELD_CONTENT_LENGTH);
  const std::uint64_t max_body = settings->max_upload_bytes + kFormOverheadBytes;
  if (length_field && *length_field && std::strtoull(length_field, nullptr, 10) > max_body) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                   "Print: upload of %s bytes by %s refused (limit %s).", length_field,
                   user.c_str(), describe_byte_size(settings->max_upload_bytes).c_str());
    return refuse_upload(client, HTTP_STATUS_REQUEST_TOO_LARGE,
                         "The file is too large: at most " +
                             describe_byte_size(settings->max_upload_bytes) + " may be uploaded.",
                         *settings, false);
  }
  Result<PendingUploads> uploads =
      PendingUploads::open(PendingUploads::dir_of(server.settings.state_dir));
  if (!uploads) {
    drain(http);
    internal_error(client, kTitle, uploads.status());
    return false;
  }
  sweep(client, *uploads, *settings);
  Result<NewPendingDocument> document = uploads->create_document();
  if (!document) {
    drain(http);
    internal_error(client, kTitle, document.status());
    return false;
  }
  // The file goes to disk as it comes, once the form's CSRF field (sent first) is found valid.
  const MultipartForm* read_form = nullptr;
  bool csrf_checked = false;
  MultipartForm form(
      kFileField,
      [&](std::string_view bytes) -> Status {
        if (!csrf_checked) {
          const std::string* token = read_form->field(kCsrfField);
          if (!token || !is_valid_csrf(client, token->c_str()))
            return Status(Code::kPermissionDenied, "invalid form submission");
          csrf_checked = true;
        }
        return write_all(document->fd.get(), bytes);
      },
      MultipartFormLimits{settings->max_upload_bytes, 4096, 32});
  read_form = &form;
  MultipartReader reader(boundary, form);
  char buffer[65536];
  ssize_t n = 0;
  Status read = Status::ok();
  std::uint64_t body_bytes = 0;
  while ((n = httpRead2(http, buffer, sizeof(buffer))) > 0) {
    body_bytes += static_cast<std::uint64_t>(n);
    read = body_bytes > max_body
               ? Status(Code::kLimitExceeded, "the body is larger than the upload limit")
               : reader.feed(std::string_view(buffer, static_cast<std::size_t>(n)));
    if (!read.is_ok()) break;
  }
  const bool body_read = n == 0;
  if (read.is_ok())
    read = n < 0 ? Status(Code::kIoError, "the upload was cut off") : reader.finish();
  document->fd.reset();
  if (read.is_ok() && !csrf_checked) {
    const std::string* token = form.field(kCsrfField);
    if (!token || !is_valid_csrf(client, token->c_str()))
      read = Status(Code::kPermissionDenied, "invalid form submission");
  }
  const PrintChoices choices = choices_of(form);
  if (!read.is_ok()) {
    discard(client, *uploads, document->token);
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: upload by %s refused: %s", user.c_str(),
                   read.to_string().c_str());
    switch (read.code()) {
      case Code::kLimitExceeded:
        return refuse_upload(client, HTTP_STATUS_REQUEST_TOO_LARGE,
                             "The file is too large: at most " +
                                 describe_byte_size(settings->max_upload_bytes) +
                                 " may be uploaded. Nothing was kept.",
                             *settings, body_read, choices);
      case Code::kPermissionDenied:
        return refuse_upload(client, HTTP_STATUS_BAD_REQUEST,
                             "Invalid form submission (its session key is missing or stale): "
                             "nothing was done. Please try again.",
                             *settings, body_read);
      case Code::kIoError:
        if (body_read) {
          internal_error(client, kTitle, read);
          return true;
        }
        return false;  // the client went away
      default:
        return refuse_upload(client, HTTP_STATUS_BAD_REQUEST,
                             "The upload could not be read (" + read.message() + ").", *settings,
                             body_read, choices);
    }
  }
  if (!form.has_file() || form.file_bytes() == 0) {
    discard(client, *uploads, document->token);
    return form_page(client, HTTP_STATUS_BAD_REQUEST, "Choose a document to print.", *settings,
                     choices);
  }
  Result<std::map<std::string, std::string>> options = print_options_from_choices(choices);
  if (!options) {
    discard(client, *uploads, document->token);
    return form_page(client, HTTP_STATUS_BAD_REQUEST, options.status().message(), *settings,
                     choices);
  }
  Result<PrintEstimate> estimate = estimate_print(document->path, *options, server.config);
  if (!estimate) {
    discard(client, *uploads, document->token);
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: document of %s refused: %s", user.c_str(),
                   estimate.status().to_string().c_str());
    switch (estimate.status().code()) {
      case Code::kUnsupportedFormat:
        return form_page(client, HTTP_STATUS_UNSUPPORTED_MEDIATYPE,
                         "Not printed: the file is not a PDF, PostScript or JPEG document.",
                         *settings, choices);
      case Code::kMalformedDocument:
      case Code::kLimitExceeded:
      case Code::kInvalidArgument:
        return form_page(client, HTTP_STATUS_BAD_REQUEST,
                         "Not printed: " + estimate.status().message() + ".", *settings, choices);
      default:
        return internal_error(client, kTitle, estimate.status());
    }
  }
  PendingUpload pending;
  pending.token = document->token;
  pending.owner = user;
  pending.title = title_of(form.filename());
  pending.options = *options;
  pending.created_unix = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  pending.document_path = document->path;
  if (Status saved = uploads->save(pending); !saved.is_ok()) {
    discard(client, *uploads, document->token);
    return internal_error(client, kTitle, saved);
  }
  papplLogClient(client, PAPPL_LOGLEVEL_INFO,
                 "Print: %s uploaded %llu bytes (%s, %lld pages), estimate %s.", user.c_str(),
                 static_cast<unsigned long long>(form.file_bytes()), estimate->format.c_str(),
                 static_cast<long long>(estimate->pages),
                 format_money(estimate->price.minor, estimate->price.currency).c_str());
  return estimate_page(client, pending, *estimate);
}

// The HTTP status of a hold_job refusal.
http_status_t status_of_refusal(Code code) {
  switch (code) {
    case Code::kInsufficientFunds:
      return HTTP_STATUS_PAYMENT_REQUIRED;
    case Code::kPermissionDenied:
      return HTTP_STATUS_FORBIDDEN;
    default:
      return HTTP_STATUS_BAD_REQUEST;
  }
}

// Step 2: Submit (hold the job) or Cancel (forget the upload).
bool decide(pappl_client_t* client, Server& server, const std::string& user) {
  const Form form(client);
  if (!form.is_valid(client)) {
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: form of %s without a valid session key.",
                   user.c_str());
    return message_page(client, HTTP_STATUS_BAD_REQUEST,
                        "Invalid form submission (its session key is missing or stale): nothing "
                        "was done. Please try again.");
  }
  Result<WebPrintSettings> settings = web_print_settings(server.config);
  if (!settings) return internal_error(client, kTitle, settings.status());
  Result<PendingUploads> uploads =
      PendingUploads::open(PendingUploads::dir_of(server.settings.state_dir));
  if (!uploads) return internal_error(client, kTitle, uploads.status());
  sweep(client, *uploads, *settings);
  const char* token = form.get("upload");
  const char* action = form.get("action");
  const std::string what = action ? action : "";
  if (what != "submit" && what != "cancel")
    return message_page(client, HTTP_STATUS_BAD_REQUEST, "Unknown action: nothing was done.");
  Result<PendingUpload> pending = uploads->find(token ? token : "", user);
  if (!pending) {
    const Code code = pending.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: %s by %s refused: %s", what.c_str(),
                   user.c_str(), pending.status().to_string().c_str());
    if (code == Code::kPermissionDenied)
      return message_page(client, HTTP_STATUS_FORBIDDEN,
                          "This upload is not yours: nothing was done.");
    if (code == Code::kNotFound || code == Code::kInvalidArgument)
      return message_page(client, HTTP_STATUS_NOT_FOUND,
                          "This upload is no longer waiting (it was submitted, cancelled or it "
                          "expired): nothing was done. Upload the document again.");
    return internal_error(client, kTitle, pending.status());
  }
  if (what == "cancel") {
    discard(client, *uploads, pending->token);
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: %s cancelled upload %s.", user.c_str(),
                   pending->token.c_str());
    return message_page(client, HTTP_STATUS_OK,
                        "Cancelled: the uploaded document is deleted and nothing was charged.");
  }
  // Exactly as an IPP job (server-hold.cpp hold_document): hold_job on the job threads' site,
  // under hold_mutex. The token is the job's uuid, so a repeated Submit cannot hold it twice.
  HoldRequest request;
  request.document_path = pending->document_path;
  request.owner = user;
  request.options = pending->options;
  request.title = pending->title;
  request.origin = "web/" + server.settings.queue;
  request.uuid = "urn:uuid:" + pending->token;
  Result<HeldJob> held = [&]() -> Result<HeldJob> {
    std::lock_guard lock(server.hold_mutex);
    if (!server.jobs) return Status(Code::kInternal, "the job threads' site is not open");
    return hold_job(*server.jobs, server.config, request);
  }();
  if (!held) {
    const Code code = held.status().code();
    papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: job of %s refused: %s", user.c_str(),
                   held.status().to_string().c_str());
    if (code == Code::kIoError || code == Code::kInternal)
      return internal_error(client, kTitle, held.status());
    discard(client, *uploads, pending->token);
    return message_page(client, status_of_refusal(code),
                        "Not held: " + held.status().message() + ".");
  }
  discard(client, *uploads, pending->token);
  const std::string message = held_job_message(*held);
  papplLogClient(client, PAPPL_LOGLEVEL_INFO, "Print: held as pullprint job %lld for %s: %s",
                 static_cast<long long>(held->id), user.c_str(), message.c_str());
  start_page(client, HTTP_STATUS_OK, "Print: held");
  put(client, "          <p>Job <span id=\"held-job-id\">" + std::to_string(held->id) +
                  "</span> &ldquo;" + html(held->title) + "&rdquo; is held: " +
                  std::to_string(held->pages) + " pages, <span id=\"held-job-price\">" +
                  html(format_money(held->price_minor, held->currency)) +
                  "</span> reserved. Release it at a printer.</p>\n"
                  "          <p><a class=\"btn\" href=\"" +
                  kJobsPath + "\" id=\"my-jobs-link\">My jobs</a> <a class=\"btn\" href=\"" +
                  kPrintPath + "\" id=\"print-again-link\">Print another document</a></p>\n");
  end_page(client);
  return true;
}

// The resource callback of /pullprint/print.
bool print_resource(pappl_client_t* client, void* data) {
  Server& server = *static_cast<Server*>(data);
  const bool post = papplClientGetMethod(client) == HTTP_STATE_POST;
  bool keep_open = true;
  const std::optional<std::string> user = signed_in_user(client, post, &keep_open);
  if (!user) return keep_open;
  if (!post) {
    Result<WebPrintSettings> settings = web_print_settings(server.config);
    if (!settings) return internal_error(client, kTitle, settings.status());
    return form_page(client, HTTP_STATUS_OK, "", *settings);
  }
  const char* type = httpGetField(papplClientGetHTTP(client), HTTP_FIELD_CONTENT_TYPE);
  if (std::optional<std::string> boundary = multipart_boundary(type ? type : ""))
    return upload(client, server, *user, *boundary);
  if (type && std::string_view(type).starts_with("multipart/")) {
    drain(papplClientGetHTTP(client));
    return message_page(client, HTTP_STATUS_BAD_REQUEST,
                        "The upload could not be read (no boundary). Please try again.");
  }
  return decide(client, server, *user);
}

}  // namespace

void add_print_page(pappl_system_t* system, Server& server) {
  papplSystemAddResourceCallback(system, kPrintPath, "text/html", print_resource, &server);
  papplSystemAddLink(system, "Print", kPrintPath, PAPPL_LOPTIONS_NAVIGATION);
}

}  // namespace pp::server::web
