// release-preview-test.cpp: preview_release (release/release-preview.h), what the QR release
// page shows before the button: the price on THAT printer, grey with color-fallback = mono,
// refused colour or pages with the reason, a disabled printer refusing all; and it agrees with
// what claim_release then does. Nothing is claimed by a preview.
#include "release/release-preview.h"
#include "release/release.h"
#include "unit/holding/holding-fixture.h"

namespace pp {
namespace {

// The three-page fixture has one colour page: 2 x 10 + 50 = 70, grey 3 x 10 = 30.
class ReleasePreviewTest : public HoldingTest {
 protected:
  void SetUp() override {
    HoldingTest::SetUp();
    const std::string device = "file://" + dir_.file("out");
    config_.set("printer.Lab_Any.device-uri", device);
    config_.set("printer.Lab_Cheap.device-uri", device);
    config_.set("printer.Lab_Cheap.price-profile", "cheap");
    config_.set("price.cheap.mono-impression", "5");
    config_.set("price.cheap.color-impression", "20");
    config_.set("printer.Lab_Grey.device-uri", device);
    config_.set("printer.Lab_Grey.color-users", "@staff");
    config_.set("printer.Lab_Grey.color-fallback", "mono");
    config_.set("printer.Lab_Mono.device-uri", device);
    config_.set("printer.Lab_Mono.color-users", "@staff");
    config_.set("printer.Lab_Mono.max-pages", "2");
    config_.set("printer.Lab_Off.device-uri", device);
    config_.set("printer.Lab_Off.enabled", "no");
    PP_ASSERT_OK(site_->people().create_group("staff", ""));
  }

  ReleasePrinter printer(const std::string& name) {
    return find_release_printer(config_, name).value();
  }

  ReleasePreview preview(const std::string& printer_name, const HeldJob& job,
                         const std::string& user = "alice") {
    Result<std::vector<ReleasePreview>> previews =
        preview_release(*site_, config_, printer(printer_name), {job}, user);
    EXPECT_TRUE(previews.ok()) << previews.status().to_string();
    EXPECT_EQ(previews->size(), 1u);
    return previews->front();
  }
};

TEST_F(ReleasePreviewTest, PricedForThatPrinterWithTheHintOfACheaperOne) {
  HeldJob held = hold(request(three_pages_));
  ReleasePreview any = preview("Lab_Any", held);
  EXPECT_EQ(any.job_id, held.id);
  EXPECT_TRUE(any.may_print);
  ASSERT_TRUE(any.price);
  EXPECT_EQ(any.price->minor, 70);
  EXPECT_FALSE(any.grey);
  EXPECT_NE(any.hint.find("Lab_Cheap"), std::string::npos) << any.hint;
  ReleasePreview cheap = preview("Lab_Cheap", held);
  ASSERT_TRUE(cheap.price);
  EXPECT_EQ(cheap.price->minor, 2 * 5 + 20);
  EXPECT_EQ(current(held).state, HeldJobState::kHeld);  // nothing claimed
}

TEST_F(ReleasePreviewTest, GreyFallbackPricedGreyAsTheClaimIs) {
  HeldJob held = hold(request(three_pages_));
  ReleasePreview grey = preview("Lab_Grey", held);
  EXPECT_TRUE(grey.may_print);
  EXPECT_TRUE(grey.grey);
  ASSERT_TRUE(grey.price);
  EXPECT_EQ(grey.price->minor, 30);
  EXPECT_EQ(grey.note, "printed in grey: alice may not print colour on Lab_Grey");
  Result<std::vector<ClaimedRelease>> claims =
      claim_release(*site_, config_, printer("Lab_Grey"), held.id, {"alice", false});
  PP_ASSERT_OK(claims);
  EXPECT_EQ(claims->front().price_minor, grey.price->minor);
}

TEST_F(ReleasePreviewTest, RefusedColourAndMaxPagesWithTheClaimsReason) {
  HeldJob held = hold(request(three_pages_));
  ReleasePreview mono = preview("Lab_Mono", held);
  EXPECT_FALSE(mono.may_print);
  Result<std::vector<ClaimedRelease>> refused =
      claim_release(*site_, config_, printer("Lab_Mono"), held.id, {"alice", false});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(mono.refusal, refused.status().message());
  EXPECT_EQ(current(held).state, HeldJobState::kHeld);
}

TEST_F(ReleasePreviewTest, ADisabledPrinterRefusesEveryJob) {
  HeldJob held = hold(request(three_pages_));
  ReleasePreview off = preview("Lab_Off", held);
  EXPECT_FALSE(off.may_print);
  EXPECT_EQ(off.refusal, "printer Lab_Off is disabled");
}

}  // namespace
}  // namespace pp
