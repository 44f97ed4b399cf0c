// job-ref.cpp: the one place that writes and reads ledger job references and their keys (the
// table of every form is in job-ref.h).
#include "ledger/job-ref.h"

#include <unistd.h>

namespace pp {
namespace {

constexpr std::string_view kCupsPrefix = "cups/";
constexpr std::string_view kCoverMark = ":cover-of:";
constexpr std::string_view kCarrierSuffix = ":split-print";

// The text after `prefix` when `text` starts with it and something follows; nullopt otherwise.
std::optional<std::string_view> after(std::string_view text, std::string_view prefix) {
  if (text.size() <= prefix.size() || text.substr(0, prefix.size()) != prefix) return std::nullopt;
  return text.substr(prefix.size());
}

// Where the payer key of a split part's body "<job ref>:<payer key>" starts; npos when the body
// has no job ref or no payer key. The payer key is the last ':'-separated word, or the last three
// when they are "<payer>:cover-of:<payer covered>".
std::size_t payer_key_start(std::string_view body) {
  std::size_t colon = body.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == body.size()) return std::string_view::npos;
  std::size_t cover = body.rfind(kCoverMark);
  if (cover != std::string_view::npos && cover + kCoverMark.size() == colon + 1) {
    if (cover == 0) return std::string_view::npos;
    colon = body.rfind(':', cover - 1);
    if (colon == std::string_view::npos || colon + 1 == cover) return std::string_view::npos;
  }
  return colon == 0 ? std::string_view::npos : colon + 1;
}

}  // namespace

// The factories build the text and let parse name its kind, so that kind() always agrees with
// parse (held("") is "pullprintd/", which no job is: Kind::kOther).
JobRef JobRef::held(std::string_view uuid) {
  return from_stored(std::string(kHeldJobRefPrefix) + std::string(uuid));
}

JobRef JobRef::split_part(const JobRef& job, std::string_view payer_key) {
  return from_stored(std::string(kSplitPartRefPrefix) + job.str() + ":" + std::string(payer_key));
}

std::string JobRef::split_payer_key(std::string_view payer, std::string_view cover_of) {
  if (cover_of.empty()) return std::string(payer);
  return std::string(payer) + std::string(kCoverMark) + std::string(cover_of);
}

JobRef JobRef::cups_uuid(std::string_view job_uuid) {
  return from_stored(std::string(kCupsPrefix) + std::string(job_uuid));
}

JobRef JobRef::cups_queue(std::string_view host, std::string_view queue, std::string_view job_id) {
  return from_stored(std::string(kCupsPrefix) + std::string(host) + "/" + std::string(queue) + "/" +
                     std::string(job_id));
}

JobRef JobRef::cups(const std::map<std::string, std::string>& options, std::string_view printer,
                    std::string_view job_id) {
  if (auto uuid = options.find("job-uuid"); uuid != options.end() && !uuid->second.empty())
    return cups_uuid(uuid->second);
  char host[256] = "localhost";
  gethostname(host, sizeof(host) - 1);
  return cups_queue(host, printer, job_id);
}

std::optional<JobRef> JobRef::parse(std::string_view text) {
  if (after(text, kHeldJobRefPrefix)) return JobRef(Kind::kHeld, std::string(text));
  if (after(text, kCupsPrefix)) return JobRef(Kind::kCups, std::string(text));
  std::optional<std::string_view> body = after(text, kSplitPartRefPrefix);
  if (!body) return std::nullopt;
  std::size_t payer_at = payer_key_start(*body);
  if (payer_at == std::string_view::npos) return std::nullopt;
  std::optional<JobRef> job = parse(body->substr(0, payer_at - 1));
  if (!job || job->kind() == Kind::kSplitPart) return std::nullopt;
  return JobRef(Kind::kSplitPart, std::string(text));
}

JobRef JobRef::from_stored(std::string_view text) {
  std::optional<JobRef> parsed = parse(text);
  return parsed ? std::move(*parsed) : JobRef(Kind::kOther, std::string(text));
}

std::optional<std::string> JobRef::held_uuid() const {
  if (kind_ != Kind::kHeld) return std::nullopt;
  return text_.substr(kHeldJobRefPrefix.size());
}

std::size_t JobRef::payer_key_at() const {
  if (kind_ != Kind::kSplitPart) return 0;
  return kSplitPartRefPrefix.size() +
         payer_key_start(std::string_view(text_).substr(kSplitPartRefPrefix.size()));
}

std::optional<JobRef> JobRef::split_job() const {
  if (kind_ != Kind::kSplitPart) return std::nullopt;
  std::string_view job = std::string_view(text_).substr(kSplitPartRefPrefix.size());
  return parse(job.substr(0, payer_key_at() - kSplitPartRefPrefix.size() - 1));
}

std::optional<std::string> JobRef::split_payer_key() const {
  if (kind_ != Kind::kSplitPart) return std::nullopt;
  return text_.substr(payer_key_at());
}

std::string JobRef::reserve_key() const {
  return "reserve:" + text_;
}

std::string JobRef::capture_key() const {
  return "capture:" + text_;
}

std::string JobRef::void_key() const {
  return "void:" + text_;
}

std::string JobRef::split_carrier_reserve_key() const {
  return reserve_key() + std::string(kCarrierSuffix);
}

std::string JobRef::split_carrier_void_key() const {
  return "void:" + split_carrier_reserve_key();
}

}  // namespace pp
