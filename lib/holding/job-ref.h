// job-ref.h: how held jobs are named in the ledger (private to lib/holding).
#pragma once

#include <string>

namespace pp {

// Actor recorded on the ledger entries pullprintd makes on its own.
inline constexpr const char* kHoldActor = "pullprintd";

// Ledger job reference of a held job: "pullprintd/<uuid>" (its reservation key is
// "reserve:pullprintd/<uuid>", see reserve_job).
inline std::string held_job_ref(const std::string& uuid) {
  return "pullprintd/" + uuid;
}

// The one key every void of a held job's reservation uses (failed store, cancel, expiry,
// reconciliation): whichever runs first voids, the others replay it.
inline std::string held_job_void_key(const std::string& uuid) {
  return "void:" + held_job_ref(uuid);
}

}  // namespace pp
