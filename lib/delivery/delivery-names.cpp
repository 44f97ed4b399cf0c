// delivery-names.cpp: state names, ledger keys and process stamps of deliveries.
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "delivery/delivery.h"

namespace pp {

namespace {

// Indexed by DeliveryState; the names are part of the schema (003-deliveries.sql).
constexpr std::array<std::string_view, 6> kStateNames = {"held",    "released", "in-flight",
                                                         "printed", "voided",   "review"};

// Field 22 of /proc/PID/stat (start time in clock ticks since boot) and field 3 (state);
// nullopt when the process does not exist. The command name (field 2) may hold spaces and
// parentheses, so fields are counted after its last ')'.
std::optional<std::pair<std::int64_t, char>> read_stat(std::int64_t pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  if (!file) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::size_t close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  char state = '?';
  for (int number = 3; fields >> field; ++number) {
    if (number == 3) state = field.empty() ? '?' : field[0];
    if (number == 22) {
      try {
        return std::make_pair(static_cast<std::int64_t>(std::stoll(field)), state);
      } catch (const std::exception&) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view delivery_state_name(DeliveryState state) {
  return kStateNames[static_cast<std::size_t>(state)];
}

std::optional<DeliveryState> parse_delivery_state(std::string_view name) {
  for (std::size_t i = 0; i < kStateNames.size(); ++i) {
    if (kStateNames[i] == name) return static_cast<DeliveryState>(i);
  }
  return std::nullopt;
}

ProcessStamp current_process_stamp() {
  ProcessStamp stamp;
  stamp.pid = ::getpid();
  if (auto stat = read_stat(stamp.pid)) stamp.start = stat->first;
  return stamp;
}

// A zombie has finished its work: it counts as gone (its parent just has not reaped it yet).
bool process_alive(const ProcessStamp& stamp) {
  auto stat = read_stat(stamp.pid);
  return stat && stat->first == stamp.start && stat->second != 'Z' && stat->second != 'X';
}

}  // namespace pp
