// held-job-state.cpp: names of held-job states (the store's time format is util/utc-time.h).
#include "job-store/job-store.h"

namespace pp {

namespace {

constexpr HeldJobState kAllStates[] = {HeldJobState::kHeld,    HeldJobState::kReleasing,
                                       HeldJobState::kPrinted, HeldJobState::kCancelled,
                                       HeldJobState::kExpired, HeldJobState::kFailed};

}  // namespace

std::string_view held_job_state_name(HeldJobState state) {
  switch (state) {
    case HeldJobState::kHeld:
      return "held";
    case HeldJobState::kReleasing:
      return "releasing";
    case HeldJobState::kPrinted:
      return "printed";
    case HeldJobState::kCancelled:
      return "cancelled";
    case HeldJobState::kExpired:
      return "expired";
    case HeldJobState::kFailed:
      return "failed";
  }
  return "unknown";
}

std::optional<HeldJobState> parse_held_job_state(std::string_view name) {
  for (HeldJobState state : kAllStates)
    if (held_job_state_name(state) == name) return state;
  return std::nullopt;
}

}  // namespace pp
