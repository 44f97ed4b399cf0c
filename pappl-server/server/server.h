// server.h: pullprintd, the PAPPL-based IPP Everywhere pull-print server: shared state and the
// functions each server-*.cpp file provides.
//
// One concept per file, as in PAPPL and LPrint: server-main.cpp (command line, configuration),
// server-system.cpp (the PAPPL system and the queue), server-driver.cpp (driver data),
// server-raster.cpp (streamed PWG raster / URF into a file), server-formats.cpp (document
// formats the queue refuses), server-job-name.cpp (a job named after its document),
// server-hold.cpp (documents into the held store), server-auth.cpp and server-auth-pam.cpp (who
// may do what; PAM), server-request.cpp (reading and answering vendor operations),
// server-ops.cpp (the vendor operations on held jobs), server-release.cpp (the release
// terminal's operation), server-delivery.cpp (the delivery workers), server-splits.cpp (split
// jobs), server-accounts.cpp (an account over IPP), server-timers.cpp (expiry), server-web*.cpp
// (the web pages).
#pragma once

#include <pappl/pappl.h>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "config/config.h"
#include "console/console-access.h"
#include "job-store/job-store.h"
#include "ledger/ledger.h"
#include "people/user-set.h"
#include "sessions/session-table.h"
#include "sessions/sign-in-limiter.h"
#include "site/site.h"
#include "util/status.h"

namespace pp::server {

// Settings of pullprintd read from the configuration (keys documented in server-main.cpp).
struct ServerSettings {
  std::string listen_host = "localhost";  // "*" = every interface
  int listen_port = 8631;
  std::string state_dir;
  std::string pappl_dir;  // STATE/pappl: PAPPL's state file and spool
  std::string queue = "PullPrint";
  bool pam_auth = true;  // false: trusted network, requesting-user-name as sent
  bool tls = true;
  bool dnssd = true;
  pappl_loglevel_t log_level = PAPPL_LOGLEVEL_INFO;
  int expire_interval = 60;                   // seconds between expiry runs
  // Users ("root") and groups ("@printadmins") allowed to act on other users' jobs.
  UserSet admins;
  // Users ("carol") and groups ("@printdesk") who may release others' jobs at a printer.
  UserSet operators;
  std::string pam_service = "pullprint";            // user name + password
  std::string card_pam_service = "pullprint-card";  // card number (+ PIN)
  SessionLimits web_sessions;                       // web-session-idle, web-session-lifetime
  SignInLimits web_sign_in;                         // web-sign-in-attempts, web-sign-in-lockout
  // The console's roles: admins, operators, operator-may, [admin-scope NAME] (console/).
  ConsolePolicy console;
};

// Everything the PAPPL callbacks need; lives for the whole run of papplSystemRun.
class DeliveryWorkers;
class BackgroundTask;
class PrinterWatch;

struct Server {
  ~Server();  // server-delivery.cpp: stops the delivery workers first

  Config config;
  ServerSettings settings;
  pappl_system_t* system = nullptr;

  // Each thread kind has a Site of its own (site/site.h: a Site is one set of connections), so
  // that the timer on PAPPL's main thread never waits for a document analysis.
  std::mutex hold_mutex;       // guards `jobs` (job threads of several printers may run at once);
                               // *_locked functions expect it held
  std::optional<Site> jobs;    // used by printfile / raster / JPEG filter callbacks
  std::optional<Site> timers;  // used by the timers only (PAPPL main thread)
  // The people store for the identity rules (admins, operators: "@group" members) on PAPPL's
  // client threads: one connection whose store serialises its calls (short reads), so a client
  // never waits for a job thread's hold. A unique_ptr so that the const Server of the auth
  // callbacks can still read through it.
  std::unique_ptr<Site> people;
  // Who is signed in to the web pages, and the failed sign-ins (web/web-session.cpp; each
  // serialises its own calls, so client threads share them).
  std::unique_ptr<SessionTable> sessions;
  std::unique_ptr<SignInLimiter> sign_in_limiter;

  std::unique_ptr<DeliveryWorkers> workers;  // one per release printer (server-delivery)
  // Timer work that takes long, on threads of its own (server-background.h).
  std::unique_ptr<BackgroundTask> directories;  // directory syncs
  std::unique_ptr<BackgroundTask> allocations;  // allocation runs
  std::unique_ptr<BackgroundTask> notifications;  // expiry warnings, notification retries
  // The release printers' last readings (server-printer-watch.h) and the poll that makes them
  // (declared after the watch, so the poll stops first).
  std::unique_ptr<PrinterWatch> printer_watch;
  std::unique_ptr<BackgroundTask> printer_poll;
  std::unique_ptr<BackgroundTask> report_mail;  // the monthly report mail (report-mail-to)

  std::mutex raster_mutex;                                     // guards `rasters`
  std::map<int, std::shared_ptr<struct RasterSpool>> rasters;  // job id -> open raster file
};

// server-main.cpp / settings: reads the pullprintd keys of the configuration.
Result<ServerSettings> read_settings(const Config& config);

// server-system.cpp: creates the PAPPL system, its listeners and the queue; nullptr on failure.
pappl_system_t* create_system(Server& server);

// server-driver.cpp: the driver callback given to papplSystemSetPrinterDrivers.
bool driver_callback(pappl_system_t* system, const char* driver_name, const char* device_uri,
                     const char* device_id, pappl_pr_driver_data_t* driver_data,
                     ipp_t** driver_attrs, void* data);
inline constexpr const char* kDriverName = "pullprint";

// server-hold.cpp: files a document into the held store for the PAPPL job; sets the job's
// message and returns false when the job is refused.
bool hold_document(Server& server, pappl_job_t* job, const std::string& path);
// Opens the job threads' site and the timers' site.
Status open_holding(Server& server);
// Raw PDF jobs (driver format application/pdf).
bool print_file_callback(pappl_job_t* job, pappl_pr_options_t* options, pappl_device_t* device);
// MIME filter for image/jpeg (held as JPEG) and application/postscript (held as PDF): the
// spooled original goes to hold_document.
bool hold_filter_callback(pappl_job_t* job, pappl_device_t* device, void* data);

// server-raster.cpp: the raster callbacks of the driver.
void set_raster_callbacks(pappl_pr_driver_data_t& data);

// server-auth.cpp: the auth callback (refuses hold/release operations, sets the user name).
http_status_t auth_callback(pappl_client_t* client, const char* group, gid_t group_id, void* data);
// server-formats.cpp: for Print-Job, Send-Document and Validate-Job, whether the document's
// format (document-format, or what PAPPL will auto-type application/octet-stream as) is one the
// queue does not take; then the client's response is set to
// client-error-document-format-not-supported (and a refused Send-Document's job is cancelled).
bool refuse_unsupported_format(pappl_client_t* client, ipp_t* request);

// server-job-name.cpp: names a job sent without job-name after its document (document-name or
// document-name-supplied): Print-Job gets that job-name; Send-Document adds it as the job
// attribute kDocumentNameAttribute, the held job's title when the job is "Untitled".
void name_job_after_document(ipp_t* request);
inline constexpr const char* kDocumentNameAttribute = "document-name-supplied";
// PAPPL 1.3.1's name for a job created without job-name.
inline constexpr const char* kUntitled = "Untitled";

// server-auth.cpp: the user behind a request and whether they act as an admin, decided exactly as
// the auth callback decides it (for the vendor operations, which PAPPL does not authorize).
struct ClientIdentity {
  std::string user;
  bool admin = false;
  bool operator_ = false;  // may release others' jobs (config `operators`; admins too)
};
std::variant<ClientIdentity, http_status_t> identify_client(pappl_client_t* client,
                                                            const Server& server);
// Whether `user`, authenticated on this client, acts as an admin: named in `admins`, and in
// `trusted` mode only from the local host.
bool is_admin_user(pappl_client_t* client, const Server& server, const std::string& user);
// What `user`, authenticated on this client, may do on the console (/pullprint/admin/...):
// server.settings.console asked with the same membership rule as admins and operators (the
// people store's groups, system groups; in `trusted` mode only from the local host).
ConsoleAccess console_access_of(pappl_client_t* client, const Server& server,
                                const std::string& user);
// pullprint's user web pages (web/web.cpp) live under this path; the auth callback lets every
// authenticated user in there (not only admins).
inline constexpr std::string_view kUserPagesPrefix = "/pullprint/";
// web/web.cpp: adds the web pages (the public "/" and "/supplies", "My jobs" at
// /pullprint/jobs, the admins' /pullprint/admin) and their navigation links.
void add_web_pages(pappl_system_t* system, Server& server);
// The user name prefix of a card login: "card=NUMBER" (server-auth-pam.cpp).
// "=" cannot appear in a user name (POSIX portable names) nor be confused with Basic's ":".
inline constexpr const char* kCardUserPrefix = "card=";
// server-auth.cpp: the user name and password of a Basic Authorization header, unchecked (split
// at the first ':'; without one, all of it is the user and there is no password); nullopt when
// the header is absent or not Basic.
struct BasicCredentials {
  std::string user;
  std::optional<std::string> password;
};
std::optional<BasicCredentials> decode_basic(const char* authorization);

// server-auth-pam.cpp: checks a Basic Authorization header against the PAM service (a user
// name "card=NUMBER" against card_service); returns the user PAM settled on (for a card, its
// owner) on success.
std::optional<std::string> pam_check_basic(const char* authorization, const char* service,
                                           const char* card_service);

// server-auth-pam.cpp: checks a user name and password with the PAM service, or (`card`) a card
// number and PIN with the card service; the user PAM settled on (a card's owner) on success.
std::optional<std::string> pam_check_credentials(const ServerSettings& settings,
                                                 const std::string& name, const std::string& secret,
                                                 bool card);

// server-timers.cpp: adds the expiry timer.
void add_timers(pappl_system_t* system, Server& server);
// server-report-mail.cpp: the monthly report mail's timer, when report-mail-to is set.
void add_report_mail_timer(pappl_system_t* system, Server& server);

// server-main.cpp: the one Server of this process, for the PAPPL callbacks that get no data
// pointer (the driver's print-file and raster callbacks; PAPPL 1.3 keeps no user data on a
// system). Valid while papplSystemRun runs.
Server& current_server();

}  // namespace pp::server
