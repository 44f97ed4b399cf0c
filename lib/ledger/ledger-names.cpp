// ledger-names.cpp: the names the ledger stores for its enums, timestamps, error mapping.
#include <sqlite3.h>
#include <time.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "ledger/ledger-sqlite.h"

namespace pp {

namespace {
constexpr std::array<std::string_view, 7> kEntryKindNames = {
    "top-up", "reserve", "capture", "void", "refund", "adjustment", "allocation"};
constexpr std::array<std::string_view, 3> kReservationStateNames = {"open", "captured", "voided"};
}  // namespace

// Returns the stored name of an entry kind ("top-up", "reserve", ...).
std::string_view entry_kind_name(EntryKind kind) {
  return kEntryKindNames.at(static_cast<std::size_t>(kind));
}

std::optional<EntryKind> parse_entry_kind(std::string_view name) {
  for (std::size_t i = 0; i < kEntryKindNames.size(); ++i) {
    if (kEntryKindNames[i] == name) return static_cast<EntryKind>(i);
  }
  return std::nullopt;
}

// STATE_DIR/ledger.sqlite. The directory is expected to be owned by the service user with
// group lp and mode 2770, so that the CUPS filter and backend (user lp) can create the -wal
// and -shm files next to the database and new files inherit group lp.
std::string ledger_path_in(std::string_view state_dir) {
  std::string path(state_dir);
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path + "/ledger.sqlite";
}

namespace ledger_detail {

std::string_view account_type_name(AccountType type) {
  return type == AccountType::kShared ? "shared" : "personal";
}

std::string_view reservation_state_name(ReservationState state) {
  return kReservationStateNames.at(static_cast<std::size_t>(state));
}

std::optional<ReservationState> parse_reservation_state(std::string_view name) {
  for (std::size_t i = 0; i < kReservationStateNames.size(); ++i) {
    if (kReservationStateNames[i] == name) return static_cast<ReservationState>(i);
  }
  return std::nullopt;
}

Status check_name(std::string_view what, std::string_view value) {
  if (value.empty()) return Status(Code::kInvalidArgument, std::string(what) + " is empty");
  if (value.size() > 256) {
    return Status(Code::kInvalidArgument, std::string(what) + " is longer than 256 bytes");
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return Status(Code::kInvalidArgument, std::string(what) + " contains a control character: '" +
                                                std::string(value) + "'");
    }
  }
  return Status::ok();
}

Status check_key(std::string_view key) {
  if (key.empty()) return Status(Code::kInvalidArgument, "the idempotency key is empty");
  return Status::ok();
}

}  // namespace ledger_detail
}  // namespace pp
