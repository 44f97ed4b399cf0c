// job-ref.h: every ledger job reference and every key derived from one, with their one parser.
//
// A job's reference names its reservation in the ledger, its row in the delivery log and its
// split; the idempotency keys of the ledger entries made for it are built from that reference.
// Two doors that build the same string in two places only agree by luck (a split part is
// charged once because the backend's capture key and the split store's are the same text), so
// every such string is made here and nowhere else, beside its inverse, as LevelDB's
// db/filename.h keeps every file name and its one parser together.
//
// The strings are stored in existing ledgers and delivery logs: they must stay byte for byte
// what they are.
//
//   kind          reference (str())                        made by
//   held job      "pullprintd/<uuid>"                      held(uuid)            (pullprintd)
//   split part    "split:<job ref>:<payer key>"            split_part(job, key)  (a share)
//                  payer key: "<payer>" or "<payer>:cover-of:<payer covered>"
//   CUPS job      "cups/<job-uuid>"                        cups_uuid(uuid)       (filter, backend)
//                 "cups/<host>/<queue>/<job-id>"           cups_queue(...)       (no job-uuid)
//
//   key (idempotency key of a ledger entry)                made by
//   "reserve:<ref>"        the job's reservation           reserve_key()
//   "capture:<ref>"        its capture                     capture_key()
//   "void:<ref>"           its void (every void of it)     void_key()
//   "reserve:pullprintd/<uuid>:split-print"                split_carrier_reserve_key()
//                          a split job's zero carrier reservation
//   "void:reserve:pullprintd/<uuid>:split-print"           split_carrier_void_key()
//                          the carrier's void
//
// So a split part's keys are "reserve:split:<job ref>:<payer key>" and so on: the split store's
// and the wrapper backend's keys of a part are one string.
//
// Payer names never contain ':' (they are user and account names), which keeps a split part's
// reference parseable although a held job's uuid ("urn:uuid:...") does contain ':'.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pp {

// The prefix of every held job's reference: open_reservations(kHeldJobRefPrefix) lists
// pullprintd's reservations.
inline constexpr std::string_view kHeldJobRefPrefix = "pullprintd/";

// The prefix of every split part's reference: open_reservations(kSplitPartRefPrefix) lists the
// shares' reservations.
inline constexpr std::string_view kSplitPartRefPrefix = "split:";

// A ledger job reference: what kind of job it names and the keys derived from it.
class JobRef {
 public:
  enum class Kind {
    kHeld,       // a job held by pullprintd
    kSplitPart,  // one payer's part of a held job's split
    kCups,       // a job printed through a CUPS queue (the filter's and the backend's)
    kOther,      // a stored reference of none of these forms, kept verbatim (see from_stored)
  };

  // "pullprintd/<uuid>": the job pullprintd holds under `uuid`.
  static JobRef held(std::string_view uuid);

  // "split:<job>:<payer_key>": the part of `job`'s split that `payer_key` pays (Share::key_name).
  static JobRef split_part(const JobRef& job, std::string_view payer_key);

  // A split part's payer key: `payer`, or "<payer>:cover-of:<cover_of>" for a cover share (the
  // owner taking over the part `cover_of` declined).
  static std::string split_payer_key(std::string_view payer, std::string_view cover_of);

  // "cups/<job_uuid>": a CUPS job known by its job-uuid.
  static JobRef cups_uuid(std::string_view job_uuid);

  // "cups/<host>/<queue>/<job_id>": a CUPS job without a job-uuid.
  static JobRef cups_queue(std::string_view host, std::string_view queue, std::string_view job_id);

  // The reference of the CUPS job `job_id` on `printer` with these job options: cups_uuid when
  // cupsd passed the job's UUID in the options (it always does since CUPS 1.5), else cups_queue
  // on this host. The filter reserves under it and the backend finds that reservation under it.
  static JobRef cups(const std::map<std::string, std::string>& options, std::string_view printer,
                     std::string_view job_id);

  // The reference `text` names when it is one of the forms above; std::nullopt otherwise
  // ("", "pullprintd/", "split:", "nonsense").
  static std::optional<JobRef> parse(std::string_view text);

  // A reference as a store keeps it (the job_ref of a Reservation, Delivery, Split or Share) or
  // as an administrator typed it: parse(text), or else the text verbatim as Kind::kOther, so that
  // the keys derived from it stay the strings they have always been.
  static JobRef from_stored(std::string_view text);

  // What kind of job the reference names.
  Kind kind() const { return kind_; }

  // The reference itself, as stored in the ledger and the delivery log.
  const std::string& str() const { return text_; }

  // A held job's uuid; std::nullopt for any other kind. (A copy, so that it outlives a
  // temporary JobRef such as from_stored(...).held_uuid().)
  std::optional<std::string> held_uuid() const;

  // A split part's job (the split's reference); std::nullopt for any other kind.
  std::optional<JobRef> split_job() const;

  // A split part's payer key ("bob", "alice:cover-of:bob"); std::nullopt for any other kind.
  std::optional<std::string> split_payer_key() const;

  // "reserve:<ref>": the key of the job's reservation.
  std::string reserve_key() const;

  // "capture:<ref>": the key of its capture.
  std::string capture_key() const;

  // "void:<ref>": the one key every void of its reservation uses (cancel, expiry, reconciliation,
  // a failed delivery): whichever runs first voids, the others replay it.
  std::string void_key() const;

  // "reserve:pullprintd/<uuid>:split-print": the key of a split job's zero carrier reservation.
  std::string split_carrier_reserve_key() const;

  // "void:reserve:pullprintd/<uuid>:split-print": the key of the carrier's void.
  std::string split_carrier_void_key() const;

  friend bool operator==(const JobRef&, const JobRef&) = default;

 private:
  JobRef(Kind kind, std::string text) : kind_(kind), text_(std::move(text)) {}

  // Where the payer key starts in a split part's text (0 for other kinds).
  std::size_t payer_key_at() const;

  Kind kind_;
  std::string text_;
};

}  // namespace pp
