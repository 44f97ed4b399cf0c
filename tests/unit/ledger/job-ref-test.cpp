// job-ref-test.cpp: every ledger job reference and key keeps its exact text (existing ledgers and
// delivery logs hold them), and parse reads back every form JobRef makes.
#include "ledger/job-ref.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace pp {
namespace {

constexpr const char* kUuid = "urn:uuid:6f1d2c3a-0000-4000-8000-000000000001";

// parse(ref.str()) gives back the same reference, of the same kind.
void expect_round_trip(const JobRef& ref) {
  std::optional<JobRef> parsed = JobRef::parse(ref.str());
  ASSERT_TRUE(parsed) << ref.str();
  EXPECT_EQ(*parsed, ref) << ref.str();
  EXPECT_EQ(parsed->kind(), ref.kind()) << ref.str();
  EXPECT_EQ(parsed->str(), ref.str());
}

TEST(JobRef, HeldJob) {
  JobRef held = JobRef::held(kUuid);
  EXPECT_EQ(held.kind(), JobRef::Kind::kHeld);
  EXPECT_EQ(held.str(), std::string("pullprintd/") + kUuid);
  EXPECT_EQ(held.held_uuid(), kUuid);
  EXPECT_FALSE(held.split_job());
  EXPECT_FALSE(held.split_payer_key());
  EXPECT_EQ(held.str().rfind(kHeldJobRefPrefix, 0), 0u);
  expect_round_trip(held);
}

TEST(JobRef, HeldJobKeys) {
  JobRef held = JobRef::held("u-1");
  EXPECT_EQ(held.reserve_key(), "reserve:pullprintd/u-1");
  EXPECT_EQ(held.capture_key(), "capture:pullprintd/u-1");
  EXPECT_EQ(held.void_key(), "void:pullprintd/u-1");
  EXPECT_EQ(held.split_carrier_reserve_key(), "reserve:pullprintd/u-1:split-print");
  EXPECT_EQ(held.split_carrier_void_key(), "void:reserve:pullprintd/u-1:split-print");
}

TEST(JobRef, SplitPart) {
  JobRef job = JobRef::held(kUuid);
  JobRef part = JobRef::split_part(job, "bob");
  EXPECT_EQ(part.kind(), JobRef::Kind::kSplitPart);
  EXPECT_EQ(part.str(), std::string("split:pullprintd/") + kUuid + ":bob");
  EXPECT_EQ(part.split_job(), job);
  EXPECT_EQ(part.split_payer_key(), "bob");
  EXPECT_FALSE(part.held_uuid());
  expect_round_trip(part);
  EXPECT_EQ(part.reserve_key(), std::string("reserve:split:pullprintd/") + kUuid + ":bob");
  EXPECT_EQ(part.capture_key(), std::string("capture:split:pullprintd/") + kUuid + ":bob");
  EXPECT_EQ(part.void_key(), std::string("void:split:pullprintd/") + kUuid + ":bob");
}

TEST(JobRef, CoverShareOfASplitPart) {
  EXPECT_EQ(JobRef::split_payer_key("bob", ""), "bob");
  EXPECT_EQ(JobRef::split_payer_key("alice", "bob"), "alice:cover-of:bob");
  JobRef job = JobRef::held(kUuid);
  JobRef cover = JobRef::split_part(job, JobRef::split_payer_key("alice", "bob"));
  EXPECT_EQ(cover.str(), std::string("split:pullprintd/") + kUuid + ":alice:cover-of:bob");
  EXPECT_EQ(cover.reserve_key(),
            std::string("reserve:split:pullprintd/") + kUuid + ":alice:cover-of:bob");
  EXPECT_EQ(cover.split_job(), job);
  EXPECT_EQ(cover.split_payer_key(), "alice:cover-of:bob");
  expect_round_trip(cover);
}

TEST(JobRef, CupsJob) {
  JobRef by_uuid = JobRef::cups_uuid("0b1c2d3e-job");
  EXPECT_EQ(by_uuid.kind(), JobRef::Kind::kCups);
  EXPECT_EQ(by_uuid.str(), "cups/0b1c2d3e-job");
  EXPECT_EQ(by_uuid.reserve_key(), "reserve:cups/0b1c2d3e-job");
  EXPECT_EQ(by_uuid.capture_key(), "capture:cups/0b1c2d3e-job");
  EXPECT_EQ(by_uuid.void_key(), "void:cups/0b1c2d3e-job");
  expect_round_trip(by_uuid);

  JobRef by_queue = JobRef::cups_queue("host", "Lab", "42");
  EXPECT_EQ(by_queue.kind(), JobRef::Kind::kCups);
  EXPECT_EQ(by_queue.str(), "cups/host/Lab/42");
  expect_round_trip(by_queue);
}

TEST(JobRef, CupsJobFromItsOptions) {
  std::map<std::string, std::string> options{{"job-uuid", "urn:uuid:abc"}};
  EXPECT_EQ(JobRef::cups(options, "Lab", "7").str(), "cups/urn:uuid:abc");
  options["job-uuid"] = "";
  JobRef without_uuid = JobRef::cups(options, "Lab", "7");
  EXPECT_EQ(without_uuid.kind(), JobRef::Kind::kCups);
  EXPECT_EQ(without_uuid.str().rfind("cups/", 0), 0u);
  EXPECT_EQ(without_uuid.str().substr(without_uuid.str().size() - 6), "/Lab/7");
  expect_round_trip(without_uuid);
}

TEST(JobRef, ParseRejectsJunk) {
  for (const char* junk : {"", "pullprintd/", "split:", "nonsense", "cups/", "split:bob",
                           "split:pullprintd/u-1:", "split:nonsense:bob",
                           "split:split:pullprintd/u-1:bob:carol", "split::cover-of:bob"}) {
    EXPECT_FALSE(JobRef::parse(junk)) << junk;
  }
}

TEST(JobRef, StoredReferencesKeepTheirText) {
  JobRef stored = JobRef::from_stored("job-1");
  EXPECT_EQ(stored.kind(), JobRef::Kind::kOther);
  EXPECT_EQ(stored.str(), "job-1");
  EXPECT_EQ(stored.reserve_key(), "reserve:job-1");
  EXPECT_EQ(JobRef::from_stored("pullprintd/u-1"), JobRef::held("u-1"));
  EXPECT_EQ(JobRef::held("").kind(), JobRef::Kind::kOther);  // "pullprintd/" names no job
  EXPECT_EQ(JobRef::held("").void_key(), "void:pullprintd/");
}

}  // namespace
}  // namespace pp
