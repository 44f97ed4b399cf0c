// held-job-state.cpp: names of held-job states and the store's time format.
#include <ctime>

#include "store/job-store.h"

namespace pp {

namespace {

constexpr HeldJobState kAllStates[] = {HeldJobState::kHeld,      HeldJobState::kReleasing,
                                       HeldJobState::kPrinted,   HeldJobState::kCancelled,
                                       HeldJobState::kExpired,   HeldJobState::kFailed};

}  // namespace

std::string_view held_job_state_name(HeldJobState state) {
  switch (state) {
    case HeldJobState::kHeld: return "held";
    case HeldJobState::kReleasing: return "releasing";
    case HeldJobState::kPrinted: return "printed";
    case HeldJobState::kCancelled: return "cancelled";
    case HeldJobState::kExpired: return "expired";
    case HeldJobState::kFailed: return "failed";
  }
  return "unknown";
}

std::optional<HeldJobState> parse_held_job_state(std::string_view name) {
  for (HeldJobState state : kAllStates)
    if (held_job_state_name(state) == name) return state;
  return std::nullopt;
}

std::string iso_utc(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc {};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace pp
