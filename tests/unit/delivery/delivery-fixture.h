// delivery-fixture.h: a ledger with one funded account, a reservation and the delivery log on
// the same file.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "delivery/delivery.h"
#include "ledger/ledger.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {

class DeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = open_ledger_or_fail(path());
    ASSERT_NE(ledger_, nullptr);
    auto log = DeliveryLog::open(path());
    ASSERT_TRUE(log.ok()) << log.status().to_string();
    log_ = std::move(*log);
    PP_ASSERT_OK(ledger_->create_account(new_account("alice")));
    PP_ASSERT_OK(ledger_->top_up("alice", 1000, "topup-1", "cashier", ""));
    reservation_id_ = reserve(kJob, 120);
  }

  std::string path() const { return dir_.file("ledger.sqlite"); }

  // Reserves `amount` on alice for `job_ref` under the filter's key.
  std::int64_t reserve(const std::string& job_ref, std::int64_t amount) {
    auto held = ledger_->reserve("alice", amount, "reserve:" + job_ref, job_ref, "filter");
    EXPECT_TRUE(held.ok()) << held.status().to_string();
    return held.ok() ? held->id : 0;
  }

  // What a held job and its release order both say: alice's report.pdf for printer Lab.
  template <typename Job>
  Job alices_report(const std::string& job_ref) const {
    Job job;
    job.job_ref = job_ref;
    job.reservation_id = reservation_id_;
    job.owner = "alice";
    job.title = "report.pdf";
    job.printer = "Lab";
    job.device_uri = "ipp://printer.example/ipp/print";
    return job;
  }

  HeldDelivery held_job(const std::string& job_ref = kJob) {
    HeldDelivery job = alices_report<HeldDelivery>(job_ref);
    job.cups_queue = "Lab";
    job.cups_job_id = 42;
    return job;
  }

  ReleaseOrder order(const std::string& job_ref = kJob, std::int64_t amount = 100) {
    ReleaseOrder release = alices_report<ReleaseOrder>(job_ref);
    release.amount = amount;
    release.currency = "EUR";
    release.released_by = "alice";
    return release;
  }

  // A released job taken in flight by this process.
  Delivery in_flight(const std::string& job_ref = kJob) {
    EXPECT_TRUE(log_->release(order(job_ref)).ok());
    auto started = log_->begin(job_ref, current_process_stamp());
    EXPECT_TRUE(started.ok()) << started.status().to_string();
    return started.ok() ? *started : Delivery{};
  }

  // The stamp of a process that no longer runs: our pid with another start time.
  static ProcessStamp dead_stamp() {
    ProcessStamp stamp = current_process_stamp();
    stamp.start += 1;
    return stamp;
  }

  Reservation reservation() {
    auto found = ledger_->get_reservation(reservation_id_);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? *found : Reservation{};
  }

  // Journal entries of alice of `kind`.
  int entries(EntryKind kind) {
    auto history = ledger_->history("alice", 1000);
    EXPECT_TRUE(history.ok());
    int count = 0;
    for (const auto& entry : *history) count += entry.kind == kind;
    return count;
  }

  void expect_consistent() { test::expect_no_violations(ledger_->check()); }

  static inline const std::string kJob = "cups/0b1c2d3e-job";
  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<DeliveryLog> log_;
  std::int64_t reservation_id_ = 0;
};

}  // namespace pp::test
