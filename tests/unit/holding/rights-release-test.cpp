// rights-release-test.cpp: the rights of lib/rights where the workflow asks them: hold_job
// refuses a user who may not submit (leaving nothing behind), claim_release refuses a printer
// the user may not use or a colour job without colour rights (the job stays held, nothing
// charged), and with color-fallback = mono claims the job grey, priced grey.
#include "release/release.h"
#include "unit/holding/holding-fixture.h"

namespace pp {
namespace {

// The three-page fixture has one colour page: 2 x 10 + 50 = 70, grey 3 x 10 = 30.
// alice is a student; carol is staff.
class RightsReleaseTest : public HoldingTest {
 protected:
  void SetUp() override {
    HoldingTest::SetUp();
    config_.set("allowed-users", "@students, @staff");
    const std::string device = "file://" + dir_.file("out");
    config_.set("printer.Lab_Staff.device-uri", device);
    config_.set("printer.Lab_Staff.allowed-users", "@staff");
    config_.set("printer.Lab_Grey.device-uri", device);
    config_.set("printer.Lab_Grey.color-users", "@staff");
    config_.set("printer.Lab_Grey.color-fallback", "mono");
    config_.set("printer.Lab_Mono.device-uri", device);
    config_.set("printer.Lab_Mono.color-users", "@staff");
    config_.set("printer.Lab_Mono.max-pages", "2");
    PeopleStore& people = site_->people();
    PP_ASSERT_OK(people.create_group("students", ""));
    PP_ASSERT_OK(people.create_group("staff", ""));
    PP_ASSERT_OK(people.add_member("students", "alice"));
    PP_ASSERT_OK(people.add_member("staff", "carol"));
  }

  ReleasePrinter printer(const std::string& name) {
    return find_release_printer(config_, name).value();
  }

  Result<std::vector<ClaimedRelease>> claim(const std::string& printer_name, const HeldJob& job,
                                            const Releaser& releaser) {
    return claim_release(*site_, config_, printer(printer_name), job.id, releaser);
  }
};

TEST_F(RightsReleaseTest, AUserOutsideAllowedUsersCannotSubmit) {
  Result<HeldJob> held = hold_job(*site_, config_, request(three_pages_, "dave"));
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(held.status().message(), "dave may not print here (not in allowed-users)");
  expect_nothing_held();
}

TEST_F(RightsReleaseTest, ADisabledAccountCannotSubmit) {
  PP_ASSERT_OK(ledger_->ensure_personal_account("alice", 100));
  PP_ASSERT_OK(ledger_->set_enabled("alice", false));
  Result<HeldJob> held = hold_job(*site_, config_, request(three_pages_));
  ASSERT_FALSE(held.ok());
  EXPECT_EQ(held.status().message(), "account alice is disabled: no new jobs (ask the print desk)");
  expect_nothing_held();
}

TEST_F(RightsReleaseTest, APrinterTheUserMayNotUseKeepsTheJobHeldAndNamesAnother) {
  HeldJob held = hold(request(three_pages_));
  Result<std::vector<ClaimedRelease>> refused = claim("Lab_Staff", held, {"alice", false});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.status().message(), "alice may not print on Lab_Staff; try Lab_Grey (in grey)");
  EXPECT_EQ(current(held).state, HeldJobState::kHeld);
  EXPECT_EQ(reserved_on("alice"), 70);
  // An operator releasing alice's job there prints it under alice's rights.
  PP_EXPECT_CODE(claim("Lab_Staff", held, {"carol", true}), Code::kPermissionDenied);
}

TEST_F(RightsReleaseTest, ColourWithoutTheRightIsRefusedOrOverPagesIsRefused) {
  HeldJob held = hold(request(three_pages_));
  // Lab_Mono: colour refused (no fallback) and 3 pages over max-pages 2.
  Result<std::vector<ClaimedRelease>> refused = claim("Lab_Mono", held, {"alice", false});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "this job prints 3 pages; Lab_Mono takes at most 2 per job; try Lab_Grey (in grey)");
  EXPECT_EQ(current(held).state, HeldJobState::kHeld);
}

TEST_F(RightsReleaseTest, ColourFallbackClaimsTheJobGreyAtTheGreyPrice) {
  HeldJob held = hold(request(three_pages_));
  Result<std::vector<ClaimedRelease>> claims = claim("Lab_Grey", held, {"alice", false});
  PP_ASSERT_OK(claims);
  ASSERT_EQ(claims->size(), 1u);
  const ClaimedRelease& grey = claims->front();
  EXPECT_TRUE(grey.grey);
  EXPECT_EQ(grey.price_minor, 30);
  EXPECT_EQ(grey.print_options().at("print-color-mode"), "monochrome");
  EXPECT_EQ(grey.grey_note, "printed in grey: alice may not print colour on Lab_Grey");
  Result<Delivery> order = site_->deliveries().get(JobRef::held(held.uuid).str());
  PP_ASSERT_OK(order);
  EXPECT_EQ(order->amount, 30);  // what the backend captures when it printed
  EXPECT_NE(current(held).message.find("printed in grey"), std::string::npos);
}

TEST_F(RightsReleaseTest, ColourRightsPrintInColourAtTheColourPrice) {
  HeldJob held = hold(request(three_pages_, "carol"));
  Result<std::vector<ClaimedRelease>> claims = claim("Lab_Grey", held, {"carol", false});
  PP_ASSERT_OK(claims);
  EXPECT_FALSE(claims->front().grey);
  EXPECT_EQ(claims->front().price_minor, 70);
  EXPECT_FALSE(claims->front().print_options().contains("print-color-mode"));
}

}  // namespace
}  // namespace pp
