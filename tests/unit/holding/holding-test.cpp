// holding-test.cpp: hold_job, cancel_held_job, expire_held_jobs and reconcile_held_jobs over a
// real ledger, a real job store and the real analyser child (the build's pullprint-cost).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "charging/payer.h"
#include "holding/holding.h"
#include "support/pdf-builder.h"
#include "support/temp-dir.h"
#include "unit/holding/holding-fixture.h"
#include "unit/ledger/ledger-fixture.h"  // PP_ASSERT_OK, PP_EXPECT_CODE

namespace pp {
namespace {

// A store whose add() always fails, to see hold_job give the reservation back.
class FailingStore final : public JobStore {
 public:
  explicit FailingStore(JobStore& real) : real_(real) {}
  Result<HeldJob> add(const NewHeldJob&, const std::string&) override {
    return Status(Code::kIoError, "disk full");
  }
  Result<HeldJob> get(std::int64_t id) override { return real_.get(id); }
  Result<HeldJob> get_by_uuid(std::string_view uuid) override { return real_.get_by_uuid(uuid); }
  Result<std::vector<HeldJob>> list(std::string_view owner,
                                    std::optional<HeldJobState> state) override {
    return real_.list(owner, state);
  }
  Status transition(std::int64_t id, HeldJobState from, HeldJobState to) override {
    return real_.transition(id, from, to);
  }
  Status record_release(std::int64_t id, const ReleaseNote& note) override {
    return real_.record_release(id, note);
  }
  Status change_payer(std::int64_t id, std::int64_t from_reservation_id, std::string_view payer,
                      std::int64_t reservation_id) override {
    return real_.change_payer(id, from_reservation_id, payer, reservation_id);
  }
  Status extend_expiry(std::int64_t id, std::string_view expires_at) override {
    return real_.extend_expiry(id, expires_at);
  }
  Status delete_document(std::int64_t id) override { return real_.delete_document(id); }
  Result<std::vector<HeldJob>> expired(std::string_view now_iso) override {
    return real_.expired(now_iso);
  }
  Result<int> remove_orphan_documents(std::int64_t min_age_seconds) override {
    return real_.remove_orphan_documents(min_age_seconds);
  }

 private:
  JobStore& real_;
};


TEST_F(HoldingTest, IsolatedAnalysisReportsEveryPage) {
  Result<DocumentInfo> info = analyze_document_isolated(three_pages_, config_);
  PP_ASSERT_OK(info);
  EXPECT_EQ(info->format, "application/pdf");
  ASSERT_EQ(info->page_count(), 3);
  EXPECT_EQ(info->pages[1].number, 2);
  EXPECT_FALSE(info->pages[0].color);
  EXPECT_TRUE(info->pages[1].color);
  EXPECT_EQ(info->pages[0].media, "iso_a4_210x297mm");
  EXPECT_NEAR(info->pages[0].width_pt, 595, 0.5);
  EXPECT_NEAR(info->pages[0].height_pt, 842, 0.5);
}

TEST_F(HoldingTest, MissingAnalyserIsAnError) {
  config_.set("analyzer", dir_.file("no-such-program"));
  Result<DocumentInfo> info = analyze_document_isolated(three_pages_, config_);
  ASSERT_FALSE(info.ok());
  EXPECT_TRUE(info.status().code() == Code::kNotFound || info.status().code() == Code::kIoError)
      << info.status().to_string();
}

TEST_F(HoldingTest, HoldReservesThePriceAndStoresTheJob) {
  HeldJob job = hold(request(three_pages_));
  EXPECT_EQ(job.state, HeldJobState::kHeld);
  EXPECT_EQ(job.uuid, kUuid);
  EXPECT_EQ(job.owner, "alice");
  EXPECT_EQ(job.payer, "alice");
  EXPECT_EQ(job.format, "application/pdf");
  EXPECT_EQ(job.pages, 3);
  EXPECT_EQ(job.color_pages, 1);
  EXPECT_EQ(job.price_minor, 2 * 10 + 50);
  Reservation reservation = reservation_of(job);
  EXPECT_EQ(reservation.amount, job.price_minor);
  EXPECT_EQ(reservation.state, ReservationState::kOpen);
  EXPECT_EQ(reservation.job_ref, std::string("pullprintd/") + kUuid);
  EXPECT_EQ(reserved_on("alice"), job.price_minor);
  EXPECT_EQ(held_job_message(job), "Waiting for release: 3 pages (1 colour), EUR 0.70");
  struct stat info {};
  ASSERT_EQ(::stat(job.document_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_F(HoldingTest, HoldingTheSameJobTwiceKeepsTheFirst) {
  HeldJob first = hold(request(three_pages_));
  HeldJob again = hold(request(three_pages_));
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(reserved_on("alice"), first.price_minor);
  // Someone else's job with that uuid is refused without naming it.
  Result<HeldJob> other = hold_job(*site_, config_, request(three_pages_, "bob"));
  PP_EXPECT_CODE(other, Code::kConflict);
  EXPECT_EQ(other.status().message().find("alice"), std::string::npos);
  EXPECT_EQ(reserved_on("bob"), 0);
}

TEST_F(HoldingTest, GeneratesAVersion4UuidWhenNoneIsGiven) {
  HoldRequest r = request(three_pages_);
  r.uuid.clear();
  HeldJob job = hold(r);
  std::regex v4("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(job.uuid, v4)) << job.uuid;
  EXPECT_NE(new_job_uuid(), new_job_uuid());
}

TEST_F(HoldingTest, UnaffordableJobIsRefusedAndLeavesNothing) {
  std::string colour = write_pdf("colour.pdf", {"1 0 0 rg 0 0 9 9 re f", "0 1 0 rg 0 0 9 9 re f",
                                                "0 0 1 rg 0 0 9 9 re f"});  // EUR 1.50
  Result<HeldJob> held = hold_job(*site_, config_, request(colour));
  PP_EXPECT_CODE(held, Code::kInsufficientFunds);
  EXPECT_EQ(held.status().message(),
            "account alice has EUR 1.00 available, the job costs EUR 1.50");
  EXPECT_EQ(reserved_on("alice"), 0);
  expect_nothing_held();
}

TEST_F(HoldingTest, MalformedPdfIsRefusedAndNothingIsReserved) {
  std::string broken = dir_.file("broken.pdf");
  test::write_file(broken, "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R\nno trailer");
  Result<HeldJob> held = hold_job(*site_, config_, request(broken));
  PP_EXPECT_CODE(held, Code::kMalformedDocument);
  EXPECT_EQ(reserved_on("alice"), 0);
  expect_nothing_held();
}

TEST_F(HoldingTest, UnknownFormatIsRefused) {
  std::string text = dir_.file("notes.txt");
  test::write_file(text, "just some text\n");
  PP_EXPECT_CODE(hold_job(*site_, config_, request(text)), Code::kUnsupportedFormat);
  expect_nothing_held();
}

TEST_F(HoldingTest, HostilePostScriptIsStoppedByTheCpuLimit) {
  if (!have_ghostscript()) GTEST_SKIP() << "Ghostscript (gs) is not installed";
  std::string loop = dir_.file("loop.ps");
  test::write_file(loop, "%!PS\n{} loop\n");
  config_.set("child-cpu-seconds", "1");
  config_.set("child-timeout", "20");
  Result<HeldJob> held = hold_job(*site_, config_, request(loop));
  PP_EXPECT_CODE(held, Code::kLimitExceeded);
  expect_nothing_held();
}

// Grey, colour, grey: the same pages as three_pages_, as a PostScript program.
constexpr const char* kThreePagesPostScript =
    "%!PS-Adobe-3.0\n"
    "0 setgray 10 10 100 100 rectfill showpage\n"
    "1 0 0 setrgbcolor 10 10 100 100 rectfill showpage\n"
    "0.5 setgray 1 1 5 5 rectfill showpage\n";

TEST_F(HoldingTest, PostScriptIsHeldAsThePdfGhostscriptMakes) {
  if (!have_ghostscript()) GTEST_SKIP() << "Ghostscript (gs) is not installed";
  std::string ps = dir_.file("three.ps");
  test::write_file(ps, kThreePagesPostScript);
  HeldJob job = hold(request(ps));
  EXPECT_EQ(job.format, "application/pdf");  // what release printers are sent
  EXPECT_EQ(sniff_document_format(job.document_path), "application/pdf");
  EXPECT_EQ(job.pages, 3);
  EXPECT_EQ(job.color_pages, 1);
  EXPECT_EQ(job.price_minor, 2 * 10 + 50);  // as the same pages as PDF
  EXPECT_EQ(reserved_on("alice"), job.price_minor);
}

TEST_F(HoldingTest, PrintableDocumentKeepsOtherFormatsAndCleansUpTheConversion) {
  if (!have_ghostscript()) GTEST_SKIP() << "Ghostscript (gs) is not installed";
  Result<PrintableDocument> pdf = printable_document(three_pages_, config_);
  PP_ASSERT_OK(pdf);
  EXPECT_EQ(pdf->path, three_pages_);
  EXPECT_FALSE(pdf->temp.has_value());
  std::string ps = dir_.file("three.ps");
  test::write_file(ps, kThreePagesPostScript);
  std::string converted;
  {
    Result<PrintableDocument> printable = printable_document(ps, config_);
    PP_ASSERT_OK(printable);
    converted = printable->path;
    EXPECT_NE(converted, ps);
    EXPECT_EQ(sniff_document_format(converted), "application/pdf");
  }
  EXPECT_FALSE(std::filesystem::exists(converted));  // the temporary PDF goes with the result
}

TEST_F(HoldingTest, FailingPostScriptIsRefusedWithGhostscriptsError) {
  if (!have_ghostscript()) GTEST_SKIP() << "Ghostscript (gs) is not installed";
  std::string ps = dir_.file("broken.ps");
  test::write_file(ps, "%!PS\n72 72 moveto nosuchoperator showpage\n");
  Result<HeldJob> held = hold_job(*site_, config_, request(ps));
  PP_EXPECT_CODE(held, Code::kMalformedDocument);
  EXPECT_NE(held.status().message().find("cannot convert the PostScript document to PDF"),
            std::string::npos)
      << held.status().message();
  EXPECT_NE(held.status().message().find("/undefined in nosuchoperator"), std::string::npos)
      << held.status().message();
  expect_nothing_held();
}

TEST_F(HoldingTest, OversizedPostScriptIsRefusedBeforeGhostscriptRuns) {
  std::string ps = dir_.file("big.ps");
  test::write_file(ps, std::string(kThreePagesPostScript) + std::string(4096, '%'));
  config_.set("max-file-size", "1024");
  Result<HeldJob> held = hold_job(*site_, config_, request(ps));
  PP_EXPECT_CODE(held, Code::kLimitExceeded);
  // The PostScript file's own size, not the size of a PDF made of it.
  const std::string size = std::to_string(std::filesystem::file_size(ps));
  EXPECT_NE(held.status().message().find(size + " bytes"), std::string::npos)
      << held.status().message();
  expect_nothing_held();
}

TEST_F(HoldingTest, AccountTheOwnerMayNotChargeIsRefused) {
  PP_ASSERT_OK(ledger_->create_account(test::new_account("physics")));
  HoldRequest r = request(three_pages_);
  r.account_id = "physics";
  PP_EXPECT_CODE(hold_job(*site_, config_, r), Code::kPermissionDenied);
  expect_nothing_held();
}

TEST_F(HoldingTest, SharedAccountPaysWhenTheOwnerIsAMember) {
  PP_ASSERT_OK(ledger_->create_account(test::new_account("physics")));
  PP_ASSERT_OK(ledger_->top_up("physics", 500, "topup-1", "admin", ""));
  PP_ASSERT_OK(ledger_->add_member("physics", "alice"));
  HoldRequest r = request(three_pages_);
  r.account_id = "physics";
  HeldJob job = hold(r);
  EXPECT_EQ(job.payer, "physics");
  EXPECT_EQ(reserved_on("physics"), 70);
  EXPECT_EQ(reserved_on("alice"), 0);
}

TEST_F(HoldingTest, FailedStoreGivesTheReservationBack) {
  FailingStore failing(*store_);
  Result<HeldJob> held = hold_job_into(*site_, failing, config_, request(three_pages_));
  PP_EXPECT_CODE(held, Code::kIoError);
  EXPECT_EQ(reserved_on("alice"), 0);
  Result<std::optional<Reservation>> reservation =
      ledger_->find_reservation_by_key(std::string("reserve:pullprintd/") + kUuid);
  PP_ASSERT_OK(reservation);
  ASSERT_TRUE(reservation->has_value());
  EXPECT_EQ((*reservation)->state, ReservationState::kVoided);
  // The uuid is spent: a retry is refused rather than stored with a voided reservation.
  PP_EXPECT_CODE(hold_job(*site_, config_, request(three_pages_)), Code::kConflict);
}

TEST_F(HoldingTest, OwnerCancelsVoidsAndDeletes) {
  HeldJob job = hold(request(three_pages_));
  PP_ASSERT_OK(cancel_held_job(*site_, job.id, "alice", false));
  HeldJob after = current(job);
  EXPECT_EQ(after.state, HeldJobState::kCancelled);
  EXPECT_EQ(after.document_path, "");
  EXPECT_FALSE(std::filesystem::exists(job.document_path));
  EXPECT_EQ(reservation_of(job).state, ReservationState::kVoided);
  EXPECT_EQ(reserved_on("alice"), 0);
  PP_ASSERT_OK(cancel_held_job(*site_, job.id, "alice", false));  // idempotent
  PP_EXPECT_CODE(cancel_held_job(*site_, job.id + 7, "alice", false), Code::kNotFound);
}

TEST_F(HoldingTest, AnotherUserCannotCancelAndLearnsNothing) {
  HeldJob job = hold(request(three_pages_));
  Status refused = cancel_held_job(*site_, job.id, "mallory", false);
  EXPECT_EQ(refused.code(), Code::kPermissionDenied) << refused.to_string();
  EXPECT_EQ(refused.message().find("alice"), std::string::npos) << refused.message();
  EXPECT_EQ(refused.message().find("thesis"), std::string::npos) << refused.message();
  HeldJob after = current(job);
  EXPECT_EQ(after.state, HeldJobState::kHeld);
  EXPECT_TRUE(std::filesystem::exists(job.document_path));
  EXPECT_EQ(reservation_of(job).state, ReservationState::kOpen);
  EXPECT_EQ(reserved_on("alice"), job.price_minor);
}

TEST_F(HoldingTest, AdminMayCancelAnyJob) {
  HeldJob job = hold(request(three_pages_));
  PP_ASSERT_OK(cancel_held_job(*site_, job.id, "root", true));
  EXPECT_EQ(current(job).state, HeldJobState::kCancelled);
  EXPECT_EQ(reserved_on("alice"), 0);
}

TEST_F(HoldingTest, AReleasingJobCannotBeCancelled) {
  HeldJob job = hold(request(three_pages_));
  PP_ASSERT_OK(store_->transition(job.id, HeldJobState::kHeld, HeldJobState::kReleasing));
  PP_EXPECT_CODE(cancel_held_job(*site_, job.id, "alice", false), Code::kConflict);
  EXPECT_EQ(reservation_of(job).state, ReservationState::kOpen);
  EXPECT_TRUE(std::filesystem::exists(job.document_path));
}

TEST_F(HoldingTest, ExpiryVoidsAndDeletes) {
  HeldJob job = hold(request(three_pages_));
  Result<int> none = expire_held_jobs(*site_, iso_utc(std::chrono::system_clock::now()));
  PP_ASSERT_OK(none);
  EXPECT_EQ(*none, 0);  // 24 h to go
  Result<int> expired = expire_held_jobs(*site_, "2999-01-01T00:00:00Z");
  PP_ASSERT_OK(expired);
  EXPECT_EQ(*expired, 1);
  HeldJob after = current(job);
  EXPECT_EQ(after.state, HeldJobState::kExpired);
  EXPECT_EQ(after.document_path, "");
  EXPECT_EQ(reservation_of(job).state, ReservationState::kVoided);
  EXPECT_EQ(reserved_on("alice"), 0);
  EXPECT_EQ(expire_held_jobs(*site_, "2999-01-01T00:00:00Z").value(), 0);
  PP_EXPECT_CODE(cancel_held_job(*site_, job.id, "alice", false), Code::kConflict);
}

TEST_F(HoldingTest, LifetimeComesFromTheConfig) {
  config_.set("job-lifetime", "60");
  HeldJob job = hold(request(three_pages_));
  std::string in_two_minutes = iso_utc(std::chrono::system_clock::now() + std::chrono::minutes(2));
  EXPECT_EQ(expire_held_jobs(*site_, in_two_minutes).value(), 1);
  EXPECT_EQ(current(job).state, HeldJobState::kExpired);
  config_.set("job-lifetime", "0");
  HoldRequest r = request(three_pages_);
  r.uuid.clear();
  PP_EXPECT_CODE(hold_job(*site_, config_, r), Code::kInvalidArgument);
}

TEST_F(HoldingTest, RestartKeepsHeldJobs) {
  HeldJob job = hold(request(three_pages_));
  reopen_store();
  Result<std::vector<HeldJob>> held = store_->list("alice", HeldJobState::kHeld);
  PP_ASSERT_OK(held);
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].id, job.id);
  EXPECT_EQ((*held)[0].price_minor, 70);
  EXPECT_TRUE(std::filesystem::exists((*held)[0].document_path));
  EXPECT_EQ(reconcile_held_jobs(*site_).value(), 0);  // nothing to finish
  EXPECT_EQ(current(job).state, HeldJobState::kHeld);
}

TEST_F(HoldingTest, ReconcileFinishesACancelInterruptedByACrash) {
  HeldJob job = hold(request(three_pages_));
  // The crash came right after the compare-and-set: cancelled, but still reserved and stored.
  PP_ASSERT_OK(store_->transition(job.id, HeldJobState::kHeld, HeldJobState::kCancelled));
  reopen_store();
  Result<int> finished = reconcile_held_jobs(*site_);
  PP_ASSERT_OK(finished);
  EXPECT_EQ(*finished, 1);
  EXPECT_EQ(reservation_of(job).state, ReservationState::kVoided);
  EXPECT_EQ(current(job).document_path, "");
  EXPECT_EQ(reserved_on("alice"), 0);
}

TEST_F(HoldingTest, RepeatedCancelFinishesAfterACrashBetweenVoidAndDelete) {
  HeldJob job = hold(request(three_pages_));
  PP_ASSERT_OK(store_->transition(job.id, HeldJobState::kHeld, HeldJobState::kCancelled));
  PP_ASSERT_OK(ledger_->void_reservation(*job.reservation_id,
                                         std::string("void:pullprintd/") + kUuid, "alice", ""));
  PP_ASSERT_OK(cancel_held_job(*site_, job.id, "alice", false));
  EXPECT_FALSE(std::filesystem::exists(job.document_path));
  EXPECT_EQ(current(job).document_path, "");
}

TEST_F(HoldingTest, ReconcileVoidsAReservationWhoseJobWasNeverStored) {
  // The crash came between reserve_job and JobStore::add: money held, no job behind it.
  const std::string uuid = "urn:uuid:0d7e2c1a-5b7f-4c1e-9a3b-2f4d6e8a0b1c";
  PP_ASSERT_OK(ledger_->ensure_personal_account("alice", 100));
  Result<Reservation> orphan =
      ledger_->reserve("alice", 10, "reserve:pullprintd/" + uuid, "pullprintd/" + uuid, "test");
  PP_ASSERT_OK(orphan);
  HeldJob kept = hold(request(three_pages_));  // a stored job's reservation must stay open
  // Under the default age the fresh orphan could still be a hold_job in progress: kept.
  Result<int> too_young = reconcile_held_jobs(*site_);
  PP_ASSERT_OK(too_young);
  EXPECT_EQ(*too_young, 0);
  EXPECT_EQ(ledger_->get_reservation(orphan->id)->state, ReservationState::kOpen);
  Result<int> finished = reconcile_held_jobs(*site_, std::chrono::seconds(0));
  PP_ASSERT_OK(finished);
  EXPECT_EQ(*finished, 1);
  EXPECT_EQ(ledger_->get_reservation(orphan->id)->state, ReservationState::kVoided);
  EXPECT_EQ(reservation_of(kept).state, ReservationState::kOpen);
  EXPECT_TRUE(ledger_->check()->ok());
}

TEST(HeldJobMessage, SinglePageWithoutColour) {
  HeldJob job;
  job.pages = 1;
  job.price_minor = 5;
  job.currency = "EUR";
  EXPECT_EQ(held_job_message(job), "Waiting for release: 1 page, EUR 0.05");
}

}  // namespace
}  // namespace pp
