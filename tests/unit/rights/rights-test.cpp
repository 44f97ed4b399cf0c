// rights-test.cpp: the rights of lib/rights over a real people store and ledger: who may submit,
// and the matrix of printer rights (allowed-users, color-users with refusal or grey fallback,
// max-pages) for users named by login and through @groups; and "@group" members of a shared
// account in resolve_payer.
#include "rights/rights.h"

#include <gtest/gtest.h>

#include "charging/payer.h"
#include "site/site.h"
#include "support/pdf-builder.h"
#include "support/status-assert.h"
#include "support/temp-dir.h"

namespace pp {
namespace {

// alice and bob are students, carol is staff, dave is in no group; root is named by login.
class RightsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = Config::parse(
        "state-dir = " + dir_.path() +
        "\nallowed-users = @students, @staff, root\n"
        "[printer Lab_Mono]\ndevice-uri = socket://127.0.0.1:9\nmax-pages = 10\n"
        "color-users = nobody\nlocation = Library\n"
        "[printer Lab_Colour]\ndevice-uri = socket://127.0.0.1:9\n"
        "allowed-users = @staff, alice\ncolor-users = @staff\nmax-pages = 50\n"
        "[printer Lab_Grey]\ndevice-uri = socket://127.0.0.1:9\ncolor-users = @staff, bob\n"
        "color-fallback = mono\n"
        "[printer Lab_Off]\ndevice-uri = socket://127.0.0.1:9\nenabled = no\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    Result<Site> site = Site::open(config_, SiteStores{.people = true});
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    PeopleStore& people = site_->people();
    PP_ASSERT_OK(people.create_group("students", "Students"));
    PP_ASSERT_OK(people.create_group("staff", "Staff"));
    PP_ASSERT_OK(people.add_member("students", "alice"));
    PP_ASSERT_OK(people.add_member("students", "bob"));
    PP_ASSERT_OK(people.add_member("staff", "carol"));
    Result<SiteRights> rights = rights_from_config(config_);
    ASSERT_TRUE(rights.ok()) << rights.status().to_string();
    rights_ = *rights;
    printers_ = release_printers_from_config(config_).value();
  }

  Result<PrintVerdict> verdict(const std::string& printer, const std::string& user, JobPrint job) {
    return check_printer_rights(rights_, site_->people(), printers_, printer, user, job);
  }

  test::TempDir dir_;
  Config config_;
  std::optional<Site> site_;
  SiteRights rights_;
  std::vector<ReleasePrinter> printers_;
};

TEST_F(RightsTest, SubmissionNamedUsersAndGroupsOnly) {
  for (const char* user : {"alice", "bob", "carol", "root"})
    EXPECT_TRUE(check_submission(rights_, site_->people(), site_->ledger(), user).is_ok()) << user;
  Status dave = check_submission(rights_, site_->people(), site_->ledger(), "dave");
  EXPECT_EQ(dave.code(), Code::kPermissionDenied);
  EXPECT_EQ(dave.message(), "dave may not print here (not in allowed-users)");
  // Leaving the group takes the right away at once.
  PP_ASSERT_OK(site_->people().remove_member("students", "bob"));
  EXPECT_EQ(check_submission(rights_, site_->people(), site_->ledger(), "bob").code(),
            Code::kPermissionDenied);
}

TEST_F(RightsTest, ADisabledAccountCannotSubmitAndIsToldSo) {
  PP_ASSERT_OK(site_->ledger().ensure_personal_account("alice", 0));
  PP_ASSERT_OK(site_->ledger().set_enabled("alice", false));
  Status refused = check_submission(rights_, site_->people(), site_->ledger(), "alice");
  EXPECT_EQ(refused.code(), Code::kPermissionDenied);
  EXPECT_EQ(refused.message(), "account alice is disabled: no new jobs (ask the print desk)");
}

TEST_F(RightsTest, EverybodyWhenTheKeysAreUnset) {
  Config open = Config::parse("state-dir = " + dir_.path() + "\n").value();
  SiteRights rights = rights_from_config(open).value();
  EXPECT_TRUE(check_submission(rights, site_->people(), site_->ledger(), "dave").is_ok());
  Result<PrintVerdict> any =
      check_printer_rights(rights, site_->people(), {}, "Anything", "dave", JobPrint{1000, 1000});
  PP_ASSERT_OK(any);
  EXPECT_FALSE(any->grey);
}

// One row of the matrix: a user, a printer, a job, and what the rights say.
struct Case {
  const char* user;
  const char* printer;
  JobPrint job;
  enum { kAsSent, kGrey, kRefused } expect;
  const char* message;  // the refusal's exact text, or nullptr
};

TEST_F(RightsTest, PrinterMatrix) {
  const Case cases[] = {
      // allowed-users: by login (alice), by group (carol in @staff), neither (bob).
      {"alice", "Lab_Colour", {5, 0}, Case::kAsSent, nullptr},
      {"carol", "Lab_Colour", {5, 5}, Case::kAsSent, nullptr},
      {"bob",
       "Lab_Colour",
       {5, 0},
       Case::kRefused,
       "bob may not print on Lab_Colour; try Lab_Grey"},
      // color-users without fallback: alice may use Lab_Colour, but only grey jobs.
      {"alice",
       "Lab_Colour",
       {5, 1},
       Case::kRefused,
       "alice may not print colour on Lab_Colour; try Lab_Grey (in grey)"},
      // Nobody prints colour on Lab_Mono, and no printer prints dave's colour job in colour.
      {"carol",
       "Lab_Mono",
       {5, 2},
       Case::kRefused,
       "carol may not print colour on Lab_Mono; try Lab_Colour"},
      // color-users with color-fallback = mono: grey for alice, colour for bob (by login) and
      // carol (through @staff).
      {"alice", "Lab_Grey", {5, 1}, Case::kGrey, nullptr},
      {"bob", "Lab_Grey", {5, 1}, Case::kAsSent, nullptr},
      {"carol", "Lab_Grey", {5, 1}, Case::kAsSent, nullptr},
      {"alice", "Lab_Grey", {5, 0}, Case::kAsSent, nullptr},
      // max-pages: at the limit, over it (another printer named), no limit.
      {"alice", "Lab_Mono", {10, 0}, Case::kAsSent, nullptr},
      {"alice",
       "Lab_Mono",
       {11, 0},
       Case::kRefused,
       "this job prints 11 pages; Lab_Mono takes at most 10 per job; try Lab_Colour"},
      {"carol",
       "Lab_Colour",
       {51, 0},
       Case::kRefused,
       "this job prints 51 pages; Lab_Colour takes at most 50 per job; try Lab_Grey"},
      {"dave",
       "Lab_Mono",
       {11, 0},
       Case::kRefused,
       "this job prints 11 pages; Lab_Mono takes at most 10 per job; try Lab_Grey"},
      {"dave",
       "Lab_Colour",
       {5, 0},
       Case::kRefused,
       "dave may not print on Lab_Colour; try Lab_Grey"},
      // No limit and a grey fallback: any job of dave's prints there, grey.
      {"dave", "Lab_Grey", {500, 500}, Case::kGrey, nullptr},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.user) + " on " + c.printer + ", " + std::to_string(c.job.pages) +
                 " pages, " + std::to_string(c.job.color_pages) + " colour");
    Result<PrintVerdict> result = verdict(c.printer, c.user, c.job);
    if (c.expect == Case::kRefused) {
      ASSERT_FALSE(result.ok());
      EXPECT_EQ(result.status().code(), Code::kPermissionDenied);
      EXPECT_EQ(result.status().message(), c.message);
      continue;
    }
    PP_ASSERT_OK(result);
    EXPECT_EQ(result->grey, c.expect == Case::kGrey);
    if (result->grey) {
      EXPECT_EQ(result->note, std::string("printed in grey: ") + c.user +
                                  " may not print colour on " + c.printer);
    }
  }
}

TEST_F(RightsTest, TheOtherPrinterIsAnEnabledOneWithItsLocation) {
  config_.set("printer.Lab_Grey.enabled", "no");
  printers_ = release_printers_from_config(config_).value();
  Result<PrintVerdict> refused = verdict("Lab_Colour", "bob", JobPrint{5, 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "bob may not print on Lab_Colour; try Lab_Mono (Library)");
}

TEST_F(RightsTest, ARefusalWithNowhereElseSaysSo) {
  config_.set("printer.Lab_Grey.max-pages", "100");
  SiteRights rights = rights_from_config(config_).value();
  Result<PrintVerdict> refused = check_printer_rights(rights, site_->people(), printers_,
                                                      "Lab_Grey", "dave", JobPrint{500, 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "this job prints 500 pages; Lab_Grey takes at most 100 per job; no printer of this "
            "site takes this job from dave");
}

TEST_F(RightsTest, AccessWithoutAJob) {
  EXPECT_TRUE(
      check_printer_access(rights_, site_->people(), printers_, "Lab_Colour", "carol").is_ok());
  Status bob = check_printer_access(rights_, site_->people(), printers_, "Lab_Colour", "bob");
  EXPECT_EQ(bob.code(), Code::kPermissionDenied);
  EXPECT_EQ(bob.message(), "bob may not print on Lab_Colour; try Lab_Grey");
}

TEST_F(RightsTest, CupsSubmissionJudgesThePrintersOfTheQueue) {
  PeopleStore& people = site_->people();
  Ledger& ledger = site_->ledger();
  Config queue_config =
      Config::parse("state-dir = " + dir_.path() +
                    "\nallowed-users = @students, @staff\n"
                    "[printer Lab_Colour]\ncups-queue = ColourQueue\n"
                    "allowed-users = @staff, alice\ncolor-users = @staff\nmax-pages = 50\n"
                    "color-fallback = mono\n")
          .value();
  EXPECT_TRUE(
      check_cups_submission(people, ledger, queue_config, "ColourQueue", "carol", JobPrint{5, 5})
          .is_ok());
  EXPECT_EQ(
      check_cups_submission(people, ledger, queue_config, "ColourQueue", "bob", JobPrint{5, 0})
          .message(),
      "bob may not print on Lab_Colour");
  // The filter cannot make the queue print grey: colour without the right is refused there.
  EXPECT_EQ(
      check_cups_submission(people, ledger, queue_config, "ColourQueue", "alice", JobPrint{5, 1})
          .message(),
      "alice may not print colour on Lab_Colour");
  EXPECT_EQ(
      check_cups_submission(people, ledger, queue_config, "ColourQueue", "dave", JobPrint{1, 0})
          .code(),
      Code::kPermissionDenied);
  // A queue no release printer prints from: only the submission right counts.
  EXPECT_TRUE(check_cups_submission(people, ledger, queue_config, "Other", "bob", JobPrint{900, 9})
                  .is_ok());
}

TEST_F(RightsTest, BadKeysAreErrorsNamingTheKey) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"printer.Lab_Mono.color-fallback", "grey"},
                                                        {"color-fallback", "sometimes"},
                                                        {"printer.Lab_Mono.max-pages", "-1"},
                                                        {"printer.Lab_Mono.max-pages", "ten"},
                                                        {"printer.Lab_Mono.allowed-users", "@"},
                                                        {"allowed-users", "@bad/group"}}) {
    Config config = config_;
    config.set(key, value);
    Result<SiteRights> rights = rights_from_config(config);
    ASSERT_FALSE(rights.ok()) << key << " = " << value;
    EXPECT_EQ(rights.status().code(), Code::kInvalidArgument);
    EXPECT_NE(rights.status().message().find(key), std::string::npos) << rights.status().message();
  }
}

TEST_F(RightsTest, TheSiteFallbackAppliesToPrintersWithoutTheirOwn) {
  config_.set("color-fallback", "mono");
  SiteRights rights = rights_from_config(config_).value();
  Result<PrintVerdict> grey =
      check_printer_rights(rights, site_->people(), printers_, "Lab_Colour", "alice", {5, 1});
  PP_ASSERT_OK(grey);
  EXPECT_TRUE(grey->grey);
}

TEST_F(RightsTest, JobPrintCountsImpressionsAndHonoursMonochrome) {
  test::PdfBuilder pdf;
  pdf.add_page("0 g 10 10 100 100 re f");
  pdf.add_page("1 0 0 rg 10 10 100 100 re f");
  pdf.write(dir_.file("two.pdf"));
  Result<DocumentInfo> document = analyze_document(dir_.file("two.pdf"), AnalysisOptions{});
  PP_ASSERT_OK(document);
  Result<JobPrint> plain = job_print_of(*document, {{"copies", "3"}});
  PP_ASSERT_OK(plain);
  EXPECT_EQ(plain->pages, 6);
  EXPECT_EQ(plain->color_pages, 3);
  Result<JobPrint> grey = job_print_of(*document, {{"print-color-mode", "monochrome"}});
  PP_ASSERT_OK(grey);
  EXPECT_EQ(grey->pages, 2);
  EXPECT_EQ(grey->color_pages, 0);
}

TEST_F(RightsTest, GroupMembersMayChargeASharedAccount) {
  Ledger& ledger = site_->ledger();
  PP_ASSERT_OK(
      ledger.create_account(NewAccount{"physics", AccountType::kShared, "Physics", 0, true}));
  PP_ASSERT_OK(ledger.add_member("physics", "@staff"));
  PP_ASSERT_OK(ledger.add_member("physics", "bob"));
  const auto in_group = group_check(site_->people());
  Result<Account> carol = resolve_payer(ledger, config_, "carol", std::string("physics"), in_group);
  PP_ASSERT_OK(carol);
  EXPECT_EQ(carol->name, "physics");
  PP_ASSERT_OK(resolve_payer(ledger, config_, "bob", std::string("physics"), in_group));
  PP_EXPECT_CODE(resolve_payer(ledger, config_, "alice", std::string("physics"), in_group),
                 Code::kPermissionDenied);
  // Without the people store's answer a group entry admits nobody.
  PP_EXPECT_CODE(resolve_payer(ledger, config_, "carol", std::string("physics")),
                 Code::kPermissionDenied);
  EXPECT_TRUE(validate_account_member("@physics").is_ok());
  EXPECT_TRUE(validate_account_member("alice").is_ok());
  EXPECT_EQ(validate_account_member("@").code(), Code::kInvalidArgument);
  EXPECT_EQ(validate_account_member("@a b").code(), Code::kInvalidArgument);
  EXPECT_EQ(validate_account_member("a,b").code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp
