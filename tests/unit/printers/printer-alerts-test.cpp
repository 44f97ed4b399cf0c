// printer-alerts-test.cpp: the supplies in both IPP forms, the low-supply rule, which printer
// states are alerts, the once-a-day subject, who gets alerts and the poll's interval.
#include <gtest/gtest.h>

#include "printers/printer-alerts.h"
#include "printers/printer-supplies.h"

namespace pp {
namespace {

using namespace std::chrono_literals;

// ippeveprinter's printer-supply values (CUPS 2.4), as the integration test sees them.
constexpr const char* kWaste =
    "index=1;class=receptacleThatIsFilled;type=wasteToner;unit=percent;maxcapacity=100;level=25;"
    "colorantname=unknown;";
constexpr const char* kBlack =
    "index=2;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=5;"
    "colorantname=black;";

TEST(PrinterSupplies, PwgSupplyIsRead) {
  std::optional<PrinterSupply> black = supply_from_pwg(kBlack, "Black Toner");
  ASSERT_TRUE(black);
  EXPECT_EQ(black->name, "Black Toner");
  EXPECT_EQ(black->type, "toner");
  EXPECT_EQ(black->color, "black");
  EXPECT_EQ(black->level, 5);
  EXPECT_FALSE(black->is_receptacle);
  std::optional<PrinterSupply> waste = supply_from_pwg(kWaste, "");
  ASSERT_TRUE(waste);
  EXPECT_EQ(waste->name, "waste-toner");
  EXPECT_EQ(waste->color, "");
  EXPECT_TRUE(waste->is_receptacle);
  // Another unit: converted to percent with maxcapacity; no level: not a supply.
  EXPECT_EQ(supply_from_pwg("type=ink;unit=milliliters;maxcapacity=200;level=50;", "Ink")->level,
            25);
  EXPECT_FALSE(supply_from_pwg("type=toner;unit=percent;", "x"));
  EXPECT_EQ(supply_from_pwg("type=toner;level=-2;", "x")->level, -2);
}

TEST(PrinterSupplies, MarkersAreReadSideBySide) {
  std::vector<PrinterSupply> supplies = supplies_from_markers(
      {"Black", "Waste"}, {80, 95}, {"#000000", "none"}, {"toner", "waste-toner"}, {10});
  ASSERT_EQ(supplies.size(), 2u);
  EXPECT_EQ(supplies[0].level, 80);
  EXPECT_EQ(supplies[0].low_level, 10);
  EXPECT_EQ(supplies[1].low_level, -1);
  EXPECT_TRUE(supplies[1].is_receptacle);
  EXPECT_TRUE(supply_is_low(supplies[1]));  // 95 >= 100 - 10
  EXPECT_TRUE(supplies_from_markers({}, {}, {}, {}, {}).empty());
}

TEST(PrinterSupplies, LowAtOrBelowItsLowLevel) {
  PrinterSupply toner{"Black", "#000000", "toner", 10, 10, false};
  EXPECT_TRUE(supply_is_low(toner));
  toner.level = 11;
  EXPECT_FALSE(supply_is_low(toner));
  toner.low_level = 15;
  EXPECT_TRUE(supply_is_low(toner));
  toner.low_level = -1;  // not reported: kDefaultSupplyLowLevel
  toner.level = kDefaultSupplyLowLevel;
  EXPECT_TRUE(supply_is_low(toner));
  toner.level = kSupplyLevelUnknown;
  EXPECT_FALSE(supply_is_low(toner));
  EXPECT_FALSE(supply_is_empty(toner));
  toner.level = 0;
  EXPECT_TRUE(supply_is_empty(toner));
}

TEST(PrinterAlerts, WhichReasonsAreAlerts) {
  EXPECT_TRUE(is_alert_reason("media-jam-error"));
  EXPECT_TRUE(is_alert_reason("media-jam"));
  EXPECT_TRUE(is_alert_reason("door-open-warning"));
  EXPECT_TRUE(is_alert_reason("toner-empty-warning"));
  EXPECT_TRUE(is_alert_reason("marker-supply-empty"));
  EXPECT_TRUE(is_alert_reason("anything-new-error"));
  EXPECT_FALSE(is_alert_reason("toner-empty-report"));  // a report is not a fault
  EXPECT_FALSE(is_alert_reason("toner-low-report"));
  EXPECT_FALSE(is_alert_reason("toner-low-warning"));  // the levels tell it
  EXPECT_FALSE(is_alert_reason("none"));
  EXPECT_FALSE(is_alert_reason("moving-to-paused"));
}

TEST(PrinterAlerts, StoppedReasonsAndLowSuppliesOnce) {
  PrinterState state;
  state.reachable = true;
  state.state = DeviceState::kStopped;
  state.message = "Jam";
  state.state_reasons = {"media-jam-error", "media-jam-warning", "toner-low-report"};
  state.supplies = {*supply_from_pwg(kWaste, "Waste"), *supply_from_pwg(kBlack, "Black Toner")};
  std::vector<PrinterAlert> alerts = printer_alerts(state);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0].code, "stopped");
  EXPECT_EQ(alerts[0].text, "the printer is stopped: Jam");
  EXPECT_EQ(alerts[1].code, "media-jam");  // both severities: one alert
  EXPECT_EQ(alerts[2].code, "supply-low:Black Toner");
  EXPECT_EQ(alerts[2].text, "Black Toner is at 5 % (low level 10 %)");
  state.reachable = false;  // unreachable: shown, not an alert
  EXPECT_TRUE(printer_alerts(state).empty());
  PrinterState idle;
  idle.reachable = true;
  idle.state = DeviceState::kIdle;
  EXPECT_TRUE(printer_alerts(idle).empty());
}

TEST(PrinterAlerts, SubjectIsPerPrinterAlertDayAndRecipient) {
  EXPECT_EQ(printer_alert_subject("Lab_A", "supply-low:Black", "2026-12-05", "ops@example.edu"),
            "Lab_A:supply-low:Black:2026-12-05:ops@example.edu");
  EXPECT_NE(printer_alert_subject("Lab_A", "stopped", "2026-12-05", "a@x"),
            printer_alert_subject("Lab_A", "stopped", "2026-12-06", "a@x"));
  EXPECT_LE(printer_alert_subject("P", std::string(600, 'x'), "2026-12-05", "a").size(), 512u);
}

TEST(PrinterAlerts, RecipientsDefaultToReportMailTo) {
  EXPECT_TRUE(alert_recipients(*Config::parse("")).empty());
  EXPECT_EQ(alert_recipients(*Config::parse("report-mail-to = boss@x, ops@x\n")),
            (std::vector<std::string>{"boss@x", "ops@x"}));
  EXPECT_EQ(alert_recipients(*Config::parse("report-mail-to = boss@x\nalert-mail-to = desk@x\n")),
            (std::vector<std::string>{"desk@x"}));
  EXPECT_TRUE(
      alert_recipients(*Config::parse("report-mail-to = boss@x\nalert-mail-to =\n")).empty());
}

TEST(PrinterAlerts, PollInterval) {
  EXPECT_EQ(*printer_poll_interval(*Config::parse("")), 300s);
  EXPECT_EQ(*printer_poll_interval(*Config::parse("printer-poll-interval = 30s\n")), 30s);
  EXPECT_EQ(*printer_poll_interval(*Config::parse("printer-poll-interval = 0\n")), 0s);
  Result<std::chrono::seconds> bad =
      printer_poll_interval(*Config::parse("printer-poll-interval = soon\n"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

TEST(PrinterAlerts, UnreachableSinceTheFirstFailedReading) {
  const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  PrinterState off;
  off.message = "cannot connect";
  PrinterReading first = next_reading(nullptr, off, t0);
  EXPECT_EQ(first.unreachable_since, t0);
  PrinterReading second = next_reading(&first, off, t0 + 5min);
  EXPECT_EQ(second.unreachable_since, t0);
  EXPECT_EQ(second.at, t0 + 5min);
  PrinterState on;
  on.reachable = true;
  on.state = DeviceState::kStopped;
  PrinterReading back = next_reading(&second, on, t0 + 10min);
  EXPECT_FALSE(back.unreachable_since);
  ASSERT_EQ(back.alerts.size(), 1u);
  PrinterReading off_again = next_reading(&back, off, t0 + 15min);
  EXPECT_EQ(off_again.unreachable_since, t0 + 15min);
}

}  // namespace
}  // namespace pp
