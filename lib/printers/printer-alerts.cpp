// printer-alerts.cpp: which printer states are alerts, their once-a-day subject, the recipients.
#include "printers/printer-alerts.h"

#include <algorithm>
#include <array>

#include "config/duration.h"

namespace pp {
namespace {

// Faults that stop printing whatever severity suffix the printer gives them (RFC 8011 and
// PWG 5100.9 keywords).
constexpr std::array<std::string_view, 14> kFaults = {"media-jam",
                                                      "door-open",
                                                      "cover-open",
                                                      "media-empty",
                                                      "media-needed",
                                                      "toner-empty",
                                                      "marker-supply-empty",
                                                      "marker-waste-full",
                                                      "input-tray-missing",
                                                      "output-tray-missing",
                                                      "output-area-full",
                                                      "interlock-open",
                                                      "paused",
                                                      "fuser-over-temp"};

// "media-jam-error" -> {"media-jam", "error"}; a keyword without a suffix has severity "".
std::pair<std::string_view, std::string_view> split_severity(std::string_view reason) {
  for (std::string_view severity : {"error", "warning", "report"}) {
    if (reason.size() > severity.size() + 1 && reason.ends_with(severity) &&
        reason[reason.size() - severity.size() - 1] == '-')
      return {reason.substr(0, reason.size() - severity.size() - 1), severity};
  }
  return {reason, ""};
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

}  // namespace

bool is_alert_reason(std::string_view reason) {
  const auto [base, severity] = split_severity(reason);
  if (base == "none" || base.empty()) return false;
  if (severity == "error") return true;
  if (severity == "report" && base != "paused") return false;
  return std::find(kFaults.begin(), kFaults.end(), base) != kFaults.end();
}

std::vector<PrinterAlert> printer_alerts(const PrinterState& state) {
  std::vector<PrinterAlert> alerts;
  if (!state.reachable) return alerts;
  if (state.state == DeviceState::kStopped)
    alerts.push_back({"stopped", "the printer is stopped" +
                                     (state.message.empty() ? "" : ": " + state.message)});
  for (const std::string& reason : state.state_reasons) {
    if (!is_alert_reason(reason)) continue;
    const std::string base(split_severity(reason).first);
    if (std::any_of(alerts.begin(), alerts.end(),
                    [&base](const PrinterAlert& a) { return a.code == base; }))
      continue;
    alerts.push_back({base, "the printer reports " + reason});
  }
  for (const PrinterSupply& supply : state.supplies) {
    if (!supply_is_low(supply)) continue;
    const int low = supply.low_level >= 0 ? supply.low_level : kDefaultSupplyLowLevel;
    alerts.push_back({"supply-low:" + supply.name,
                      supply.name + " is at " + std::to_string(supply.level) + " % (" +
                          (supply.is_receptacle ? "nearly full at " + std::to_string(100 - low)
                                                : "low level " + std::to_string(low)) +
                          " %)"});
  }
  return alerts;
}

std::string printer_alert_subject(std::string_view printer, std::string_view code,
                                  std::string_view day, std::string_view recipient) {
  std::string subject;
  subject.append(printer).append(":").append(code).append(":").append(day).append(":").append(
      recipient);
  return subject.substr(0, 512);  // the store's limit; the printer and the code come first
}

std::vector<std::string> alert_recipients(const Config& config) {
  if (std::optional<std::string> alerts = config.get("alert-mail-to")) return words_of(*alerts);
  return words_of(config.get_string("report-mail-to", ""));
}

Result<std::chrono::seconds> printer_poll_interval(const Config& config) {
  const std::string text = config.get_string("printer-poll-interval", "5m");
  std::optional<std::chrono::seconds> interval = parse_duration(text);
  if (!interval)
    return Status(
        Code::kInvalidArgument,
        "printer-poll-interval: expected a duration such as 5m or 30s, not '" + text + "'");
  return *interval;
}

PrinterReading next_reading(const PrinterReading* previous, PrinterState state,
                            std::chrono::system_clock::time_point now) {
  PrinterReading reading;
  reading.at = now;
  if (!state.reachable)
    reading.unreachable_since =
        previous && previous->unreachable_since ? previous->unreachable_since : now;
  reading.alerts = printer_alerts(state);
  reading.state = std::move(state);
  return reading;
}

}  // namespace pp
