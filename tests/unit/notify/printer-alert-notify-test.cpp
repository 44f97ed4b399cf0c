// printer-alert-notify-test.cpp: a printer's alerts reach each admin address once a day
// (kind printer-alert, subject per printer, alert, day and recipient), an address kept as it is.
#include <gtest/gtest.h>

#include <sstream>

#include "notify/printer-alert-notices.h"
#include "site/site.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

using namespace std::chrono_literals;

class PrinterAlertNotifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = dir_.file("sent.log");
    script_ = dir_.file("notify.sh");
    test::write_file(script_, "#!/bin/sh\n{ echo \"== $1\"; cat; } >> '" + log_ + "'\n");
    Result<Config> config =
        Config::parse("state-dir = " + dir_.path() + "\nnotify-domain = example.org\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_);  // runs the ledger file's migrations
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    Result<std::unique_ptr<NotifyStore>> store = open_notify_store(config_);
    ASSERT_TRUE(store.ok()) << store.status().to_string();
    store_ = std::move(*store);
    Result<NotifySettings> settings = notify_settings_from_config(config_);
    ASSERT_TRUE(settings.ok());
    settings_ = *settings;
    settings_.command = "/bin/sh " + script_;
  }

  std::vector<std::string> addresses() {
    std::istringstream text(test::read_file(log_));
    std::vector<std::string> found;
    for (std::string line; std::getline(text, line);)
      if (line.rfind("== ", 0) == 0) found.push_back(line.substr(3));
    return found;
  }

  test::TempDir dir_;
  Config config_;
  std::unique_ptr<NotifyStore> store_;
  NotifySettings settings_;
  std::string log_;
  std::string script_;
};

TEST_F(PrinterAlertNotifyTest, OncePerPrinterAlertDayAndRecipient) {
  Notifier notifier(settings_, *store_, nullptr);
  const std::vector<PrinterAlert> alerts = {{"supply-low:Black Toner", "Black Toner is at 5 %"}};
  const std::vector<std::string> to = {"ops@example.edu", "dana"};
  const NotifyClock day1 =
      std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
  Result<int> sent = notify_printer_alerts(notifier, "Lab_A", alerts, to, day1);
  ASSERT_TRUE(sent.ok()) << sent.status().to_string();
  EXPECT_EQ(*sent, 2);
  // The next poll, the same day: nothing new.
  EXPECT_EQ(*notify_printer_alerts(notifier, "Lab_A", alerts, to, day1 + 5min), 0);
  // An address stays as it is; a login gets notify-domain.
  EXPECT_EQ(addresses(), (std::vector<std::string>{"ops@example.edu", "dana@example.org"}));
  EXPECT_NE(test::read_file(log_).find("Subject: Printer Lab_A: Black Toner is at 5 %"),
            std::string::npos);
  // Another printer, another alert or the next day: told again.
  EXPECT_EQ(*notify_printer_alerts(notifier, "Lab_B", alerts, {"ops@example.edu"}, day1), 1);
  EXPECT_EQ(*notify_printer_alerts(notifier, "Lab_A", {{"stopped", "the printer is stopped"}},
                                   {"ops@example.edu"}, day1),
            1);
  EXPECT_EQ(*notify_printer_alerts(notifier, "Lab_A", alerts, {"ops@example.edu"}, day1 + 24h), 1);
  EXPECT_EQ(addresses().size(), 5u);
}

TEST_F(PrinterAlertNotifyTest, NoRecipientsNoAlerts) {
  Notifier notifier(settings_, *store_, nullptr);
  EXPECT_EQ(*notify_printer_alerts(notifier, "Lab_A", {{"stopped", "stopped"}}, {},
                                   std::chrono::system_clock::now()),
            0);
  EXPECT_TRUE(addresses().empty());
}

}  // namespace
}  // namespace pp
