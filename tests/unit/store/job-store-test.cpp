// job-store-test.cpp: the SQLite held-job store: add/get/list, compare-and-set transitions
// under races (threads and processes), private spool files, idempotent add, expiry, restart.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "job-store/job-store.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"  // PP_ASSERT_OK, PP_EXPECT_CODE

namespace pp {
namespace {

std::string uuid_for(int n) {
  char text[64];
  std::snprintf(text, sizeof(text), "urn:uuid:00000000-0000-4000-8000-%012d", n);
  return text;
}

NewHeldJob new_job(int n, const std::string& owner = "alice") {
  NewHeldJob job;
  job.uuid = uuid_for(n);
  job.owner = owner;
  job.payer = owner;
  job.title = "report " + std::to_string(n);
  job.format = "application/pdf";
  job.options_json = R"({"copies":"1"})";
  job.pages = 3;
  job.color_pages = 1;
  job.impressions = 3;
  job.price_minor = 70;
  job.currency = "EUR";
  job.reservation_id = 100 + n;
  job.origin = "ipp/PullPrint/" + std::to_string(n);
  return job;
}

int mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

int files_in(const std::string& dir) {
  int count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) count++;
  return count;
}

class JobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    document_ = dir_.file("incoming.pdf");
    test::write_file(document_, "%PDF-1.4 pretend document");
    store_ = open_store();
    ASSERT_NE(store_, nullptr);
  }

  std::unique_ptr<JobStore> open_store() {
    Result<std::unique_ptr<JobStore>> opened = JobStore::open(state_dir());
    EXPECT_TRUE(opened.ok()) << opened.status().to_string();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  HeldJob add(const NewHeldJob& job) {
    Result<HeldJob> added = store_->add(job, document_);
    EXPECT_TRUE(added.ok()) << added.status().to_string();
    return added.ok() ? *added : HeldJob{};
  }

  std::string state_dir() const { return dir_.file("state"); }
  std::string spool() const { return state_dir() + "/spool"; }

  test::TempDir dir_;
  std::string document_;
  std::unique_ptr<JobStore> store_;
};

TEST_F(JobStoreTest, AddStoresTheJobAndACopyOfItsDocument) {
  HeldJob job = add(new_job(1));
  EXPECT_GT(job.id, 0);
  EXPECT_EQ(job.uuid, uuid_for(1));
  EXPECT_EQ(job.owner, "alice");
  EXPECT_EQ(job.title, "report 1");
  EXPECT_EQ(job.pages, 3);
  EXPECT_EQ(job.color_pages, 1);
  EXPECT_EQ(job.price_minor, 70);
  EXPECT_EQ(job.reservation_id, 101);
  EXPECT_EQ(job.options_json, R"({"copies":"1"})");
  EXPECT_EQ(job.state, HeldJobState::kHeld);
  EXPECT_EQ(job.document_path, spool() + "/00000000-0000-4000-8000-000000000001.pdf");
  EXPECT_EQ(test::read_file(job.document_path), "%PDF-1.4 pretend document");
  EXPECT_EQ(job.created_at.size(), 20u) << job.created_at;  // 2024-05-01T12:34:56Z
  EXPECT_GT(job.expires_at, job.created_at);

  Result<HeldJob> by_id = store_->get(job.id);
  PP_ASSERT_OK(by_id);
  EXPECT_EQ(by_id->uuid, job.uuid);
  Result<HeldJob> by_uuid = store_->get_by_uuid(job.uuid);
  PP_ASSERT_OK(by_uuid);
  EXPECT_EQ(by_uuid->id, job.id);
  PP_EXPECT_CODE(store_->get(job.id + 100), Code::kNotFound);
}

TEST_F(JobStoreTest, RecordReleaseKeepsPrinterPriceAndMessage) {
  NewHeldJob facts = new_job(1);
  facts.pages_json = R"({"format":"application/pdf","pages":3})";
  HeldJob job = add(facts);
  EXPECT_EQ(job.pages_json, facts.pages_json);
  EXPECT_EQ(job.printer, "");
  EXPECT_FALSE(job.final_price_minor.has_value());

  ASSERT_TRUE(store_->record_release(job.id, {"Lab_Mono", "carol", 40, "Printed on Lab_Mono"})
                  .is_ok());
  Result<HeldJob> after = open_store()->get(job.id);  // persisted, seen by another connection
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->printer, "Lab_Mono");
  EXPECT_EQ(after->released_by, "carol");
  EXPECT_EQ(after->final_price_minor, 40);
  EXPECT_EQ(after->message, "Printed on Lab_Mono");
  EXPECT_EQ(after->state, HeldJobState::kHeld);  // the state moves only by transition()

  PP_EXPECT_CODE(store_->record_release(job.id, {"Lab_Mono", "carol", -1, ""}),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(store_->record_release(job.id + 100, {"Lab_Mono", "carol", 1, ""}),
                 Code::kNotFound);
}

TEST_F(JobStoreTest, ExtendExpiryOnlyMovesAHeldJobsExpiryLater) {
  HeldJob job = add(new_job(1));
  const std::string later = "2999-01-01T00:00:00Z";
  PP_ASSERT_OK(store_->extend_expiry(job.id, later));
  EXPECT_EQ(open_store()->get(job.id)->expires_at, later);
  PP_ASSERT_OK(store_->extend_expiry(job.id, "2000-01-01T00:00:00Z"));  // never earlier
  EXPECT_EQ(store_->get(job.id)->expires_at, later);
  ASSERT_TRUE(store_->transition(job.id, HeldJobState::kHeld, HeldJobState::kCancelled).is_ok());
  PP_EXPECT_CODE(store_->extend_expiry(job.id, "3000-01-01T00:00:00Z"), Code::kConflict);
  PP_EXPECT_CODE(store_->extend_expiry(job.id + 100, later), Code::kNotFound);
}

TEST_F(JobStoreTest, SpoolIsPrivate) {
  mode_t old_mask = ::umask(0);  // even a careless umask must not open the spool up
  HeldJob job = add(new_job(1));
  ::umask(old_mask);
  EXPECT_EQ(mode_of(spool()), 0700);
  EXPECT_EQ(mode_of(job.document_path), 0600);
  EXPECT_EQ(mode_of(state_dir() + "/jobs.sqlite"), 0600);
}

TEST_F(JobStoreTest, ExistingSpoolDirIsMadePrivateAgain) {
  ASSERT_EQ(::chmod(spool().c_str(), 0755), 0);
  store_ = open_store();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(mode_of(spool()), 0700);
}

TEST_F(JobStoreTest, FileNameComesFromTheUuidNeverFromTheTitle) {
  NewHeldJob job = new_job(1);
  job.title = "../../etc/passwd";
  job.format = "text/x-unknown";
  HeldJob stored = add(job);
  EXPECT_EQ(stored.document_path, spool() + "/00000000-0000-4000-8000-000000000001.bin");

  NewHeldJob hostile = new_job(2);
  for (std::string uuid : {"urn:uuid:../../../../tmp/x-0000-0000-0000-000000000000", "",
                           "00000000-0000-4000-8000-000000000002",
                           "urn:uuid:00000000-0000-4000-8000-00000000000/"}) {
    hostile.uuid = uuid;
    PP_EXPECT_CODE(store_->add(hostile, document_), Code::kInvalidArgument);
  }
  EXPECT_EQ(files_in(spool()), 1);
}

TEST_F(JobStoreTest, AddIsIdempotentOnUuid) {
  HeldJob first = add(new_job(1));
  NewHeldJob retry = new_job(1);
  retry.title = "a retry with another title";
  HeldJob second = add(retry);
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.title, "report 1");
  EXPECT_EQ(files_in(spool()), 1);
  // Another user's job with that uuid: refused, and the message names nobody.
  Result<HeldJob> stolen = store_->add(new_job(1, "mallory"), document_);
  PP_EXPECT_CODE(stolen, Code::kConflict);
  EXPECT_EQ(stolen.status().message().find("alice"), std::string::npos);
  EXPECT_EQ(stolen.status().message().find("report"), std::string::npos);
}

TEST_F(JobStoreTest, FailedAddLeavesNothingBehind) {
  PP_EXPECT_CODE(store_->add(new_job(1), dir_.file("missing.pdf")), Code::kNotFound);
  PP_EXPECT_CODE(store_->add(new_job(2), dir_.path()), Code::kInvalidArgument);  // a directory
  NewHeldJob bad = new_job(3);
  bad.color_pages = 9;  // more colour pages than pages
  PP_EXPECT_CODE(store_->add(bad, document_), Code::kInvalidArgument);
  EXPECT_EQ(files_in(spool()), 0);
  Result<std::vector<HeldJob>> all = store_->list("", std::nullopt);
  PP_ASSERT_OK(all);
  EXPECT_TRUE(all->empty());
}

TEST_F(JobStoreTest, ConcurrentAddsOfOneJobStoreItOnce) {
  constexpr int kThreads = 4;
  std::vector<std::int64_t> ids(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; i++) {
    threads.emplace_back([&, i] {
      Result<std::unique_ptr<JobStore>> own = JobStore::open(state_dir());  // own connection
      if (!own) return;
      Result<HeldJob> added = (*own)->add(new_job(7), document_);
      if (added) ids[i] = added->id;
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::int64_t id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_GT(ids[0], 0);
  EXPECT_EQ(files_in(spool()), 1);  // no temporary copy left over
}

TEST_F(JobStoreTest, ListIsNewestFirstAndFilters) {
  HeldJob a1 = add(new_job(1, "alice"));
  HeldJob b2 = add(new_job(2, "bob"));
  HeldJob a3 = add(new_job(3, "alice"));
  PP_ASSERT_OK(store_->transition(a3.id, HeldJobState::kHeld, HeldJobState::kCancelled));

  Result<std::vector<HeldJob>> all = store_->list("", std::nullopt);
  PP_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, a3.id);
  EXPECT_EQ((*all)[2].id, a1.id);

  Result<std::vector<HeldJob>> alice = store_->list("alice", std::nullopt);
  PP_ASSERT_OK(alice);
  ASSERT_EQ(alice->size(), 2u);
  EXPECT_EQ((*alice)[0].id, a3.id);

  Result<std::vector<HeldJob>> alice_held = store_->list("alice", HeldJobState::kHeld);
  PP_ASSERT_OK(alice_held);
  ASSERT_EQ(alice_held->size(), 1u);
  EXPECT_EQ((*alice_held)[0].id, a1.id);

  Result<std::vector<HeldJob>> held = store_->list("", HeldJobState::kHeld);
  PP_ASSERT_OK(held);
  EXPECT_EQ(held->size(), 2u);
  Result<std::vector<HeldJob>> nobody = store_->list("carol", std::nullopt);
  PP_ASSERT_OK(nobody);
  EXPECT_TRUE(nobody->empty());
  (void)b2;
}

TEST_F(JobStoreTest, TransitionIsCompareAndSet) {
  HeldJob job = add(new_job(1));
  PP_ASSERT_OK(store_->transition(job.id, HeldJobState::kHeld, HeldJobState::kReleasing));
  PP_EXPECT_CODE(store_->transition(job.id, HeldJobState::kHeld, HeldJobState::kCancelled),
                 Code::kConflict);
  Result<HeldJob> now = store_->get(job.id);
  PP_ASSERT_OK(now);
  EXPECT_EQ(now->state, HeldJobState::kReleasing);
  PP_ASSERT_OK(store_->transition(job.id, HeldJobState::kReleasing, HeldJobState::kPrinted));
  PP_EXPECT_CODE(store_->transition(job.id + 1, HeldJobState::kHeld, HeldJobState::kCancelled),
                 Code::kNotFound);
}

TEST_F(JobStoreTest, ExactlyOneOfTwoThreadsWinsEachJob) {
  constexpr int kJobs = 20;
  std::vector<std::int64_t> ids;
  for (int n = 1; n <= kJobs; n++) ids.push_back(add(new_job(n)).id);
  std::atomic<int> wins[2] = {0, 0};
  std::atomic<int> conflicts{0};
  auto racer = [&](int who, HeldJobState to) {
    Result<std::unique_ptr<JobStore>> own = JobStore::open(state_dir());
    ASSERT_TRUE(own.ok()) << own.status().to_string();
    for (std::int64_t id : ids) {
      Status status = (*own)->transition(id, HeldJobState::kHeld, to);
      if (status.is_ok())
        wins[who]++;
      else if (status.code() == Code::kConflict)
        conflicts++;
    }
  };
  std::thread releaser(racer, 0, HeldJobState::kReleasing);
  std::thread canceller(racer, 1, HeldJobState::kCancelled);
  releaser.join();
  canceller.join();
  EXPECT_EQ(wins[0] + wins[1], kJobs);
  EXPECT_EQ(conflicts, kJobs);
  Result<std::vector<HeldJob>> held = store_->list("", HeldJobState::kHeld);
  PP_ASSERT_OK(held);
  EXPECT_TRUE(held->empty());
}

TEST_F(JobStoreTest, ExactlyOneOfTwoProcessesWins) {
  HeldJob job = add(new_job(1));
  store_.reset();  // no connection crosses fork()
  pid_t children[2];
  for (pid_t& child : children) {
    child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      Result<std::unique_ptr<JobStore>> own = JobStore::open(state_dir());
      if (!own) ::_exit(3);
      Status status = (*own)->transition(job.id, HeldJobState::kHeld, HeldJobState::kReleasing);
      ::_exit(status.is_ok() ? 0 : status.code() == Code::kConflict ? 1 : 2);
    }
  }
  int outcomes[4] = {0, 0, 0, 0};
  for (pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    outcomes[WEXITSTATUS(status)]++;
  }
  EXPECT_EQ(outcomes[0], 1);  // one winner
  EXPECT_EQ(outcomes[1], 1);  // one kConflict
}

TEST_F(JobStoreTest, DeleteDocumentIsIdempotent) {
  HeldJob job = add(new_job(1));
  PP_ASSERT_OK(store_->delete_document(job.id));
  EXPECT_FALSE(std::filesystem::exists(job.document_path));
  Result<HeldJob> after = store_->get(job.id);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->document_path, "");
  PP_ASSERT_OK(store_->delete_document(job.id));
  PP_EXPECT_CODE(store_->delete_document(job.id + 1), Code::kNotFound);
}

TEST_F(JobStoreTest, DeleteDocumentFinishesWhenTheFileIsAlreadyGone) {
  HeldJob job = add(new_job(1));
  ASSERT_EQ(::unlink(job.document_path.c_str()), 0);  // as if a crash came after the unlink
  PP_ASSERT_OK(store_->delete_document(job.id));
  Result<HeldJob> after = store_->get(job.id);
  PP_ASSERT_OK(after);
  EXPECT_EQ(after->document_path, "");
}

TEST_F(JobStoreTest, ExpiredListsHeldJobsPastTheirTime) {
  NewHeldJob short_lived = new_job(1);
  short_lived.lifetime_seconds = 60;
  NewHeldJob long_lived = new_job(2);
  long_lived.lifetime_seconds = 7 * 24 * 3600;
  HeldJob soon = add(short_lived);
  HeldJob later = add(long_lived);
  HeldJob cancelled = add(new_job(3));
  PP_ASSERT_OK(store_->transition(cancelled.id, HeldJobState::kHeld, HeldJobState::kCancelled));

  std::string in_an_hour = iso_utc(std::chrono::system_clock::now() + std::chrono::hours(1));
  Result<std::vector<HeldJob>> due = store_->expired(in_an_hour);
  PP_ASSERT_OK(due);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].id, soon.id);

  Result<std::vector<HeldJob>> none = store_->expired(iso_utc(std::chrono::system_clock::now()));
  PP_ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  Result<std::vector<HeldJob>> all = store_->expired("2999-01-01T00:00:00.000Z");
  PP_ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);  // the cancelled job is not held
  PP_EXPECT_CODE(store_->expired("tomorrow"), Code::kInvalidArgument);
  (void)later;
}

TEST_F(JobStoreTest, ReopeningKeepsHeldJobs) {
  HeldJob job = add(new_job(1));
  store_.reset();
  store_ = open_store();
  ASSERT_NE(store_, nullptr);
  Result<std::vector<HeldJob>> held = store_->list("alice", HeldJobState::kHeld);
  PP_ASSERT_OK(held);
  ASSERT_EQ(held->size(), 1u);
  EXPECT_EQ((*held)[0].id, job.id);
  EXPECT_EQ(test::read_file((*held)[0].document_path), "%PDF-1.4 pretend document");
}

TEST_F(JobStoreTest, OrphanDocumentsAreCollected) {
  HeldJob job = add(new_job(1));
  test::write_file(spool() + "/.00000000-0000-4000-8000-000000000009.abcdef", "crashed add");
  EXPECT_EQ(store_->remove_orphan_documents(3600).value(), 0);  // too young: maybe in progress
  Result<int> removed = store_->remove_orphan_documents(0);
  PP_ASSERT_OK(removed);
  EXPECT_EQ(*removed, 1);
  EXPECT_TRUE(std::filesystem::exists(job.document_path));
  EXPECT_EQ(files_in(spool()), 1);
}

TEST(HeldJobState, NamesRoundTrip) {
  for (HeldJobState state : {HeldJobState::kHeld, HeldJobState::kReleasing, HeldJobState::kPrinted,
                             HeldJobState::kCancelled, HeldJobState::kExpired,
                             HeldJobState::kFailed}) {
    EXPECT_EQ(parse_held_job_state(held_job_state_name(state)), state);
  }
  EXPECT_EQ(held_job_state_name(HeldJobState::kHeld), "held");
  EXPECT_FALSE(parse_held_job_state("gone").has_value());
}

TEST(IsoUtc, WholeSecondsWithZ) {
  EXPECT_EQ(iso_utc(std::chrono::system_clock::from_time_t(0)), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace pp
