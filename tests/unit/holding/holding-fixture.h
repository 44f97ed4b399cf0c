// holding-fixture.h: a real site (ledger, job store, ...) and analyser child in a temporary
// state directory, shared by the holding and release tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "charging/payer.h"
#include "holding/holding.h"
#include "site/site.h"
#include "support/pdf-builder.h"
#include "support/temp-dir.h"
#include "unit/ledger/ledger-fixture.h"  // PP_ASSERT_OK, PP_EXPECT_CODE

namespace pp {

inline const char* kUuid = "urn:uuid:6f1c2a3b-4d5e-4f60-8a7b-8c9d0e1f2a3b";

inline std::string analyser_path() {
  const char* build = std::getenv("PULLPRINT_BUILD_DIR");
  return std::string(build ? build : ".") + "/filters/pullprint-cost";
}

inline bool have_ghostscript() {
  return std::system("gs --version >/dev/null 2>&1") == 0;
}

// alice and bob start with EUR 1.00; a mono impression costs 10, a colour one 50.
class HoldingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = Config::parse("state-dir = " + dir_.path() +
                                          "\ninitial-balance = 100\n"
                                          "[price default]\nmono-impression = 10\n"
                                          "color-impression = 50\n");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = *config;
    config_.set("analyzer", analyser_path());
    reopen_store();
    three_pages_ = write_pdf("three.pdf", {"0 g 10 10 100 100 re f",
                                           "1 0 0 rg 10 10 100 100 re f", "0.5 g 1 1 5 5 re f"});
  }

  void TearDown() override { expect_consistent(); }

  // Opens the site (again: a restart), with fresh connections to every store.
  void reopen_store() {
    ledger_ = nullptr;
    store_ = nullptr;
    site_.reset();
    Result<Site> site = Site::open(config_);
    ASSERT_TRUE(site.ok()) << site.status().to_string();
    site_.emplace(std::move(*site));
    ledger_ = &site_->ledger();
    store_ = &site_->jobs();
  }

  std::string write_pdf(const std::string& name, std::initializer_list<std::string> pages) {
    test::PdfBuilder pdf;
    for (const std::string& content : pages) pdf.add_page(content);
    std::string path = dir_.file(name);
    pdf.write(path);
    return path;
  }

  HoldRequest request(const std::string& document, const std::string& owner = "alice") {
    HoldRequest r;
    r.document_path = document;
    r.owner = owner;
    r.title = "secret thesis draft";
    r.origin = "ipp/PullPrint/1";
    r.uuid = kUuid;
    return r;
  }

  HeldJob hold(const HoldRequest& r) {
    Result<HeldJob> held = hold_job(*site_, config_, r);
    EXPECT_TRUE(held.ok()) << held.status().to_string();
    return held.ok() ? *held : HeldJob{};
  }

  Reservation reservation_of(const HeldJob& job) {
    EXPECT_TRUE(job.reservation_id.has_value());
    Result<Reservation> found = ledger_->get_reservation(job.reservation_id.value_or(0));
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? *found : Reservation{};
  }

  std::int64_t reserved_on(const std::string& account) {
    Result<Account> found = ledger_->get_account(account);
    return found.ok() ? found->reserved : 0;  // an account never created holds nothing
  }

  void expect_nothing_held() {
    Result<std::vector<HeldJob>> jobs = store_->list("", std::nullopt);
    ASSERT_TRUE(jobs.ok()) << jobs.status().to_string();
    EXPECT_TRUE(jobs->empty());
    EXPECT_TRUE(std::filesystem::is_empty(dir_.file("spool")));
    Result<std::optional<Reservation>> reservation =
        ledger_->find_reservation_by_key(std::string("reserve:pullprintd/") + kUuid);
    ASSERT_TRUE(reservation.ok());
    EXPECT_FALSE(reservation->has_value());
  }

  void expect_consistent() {
    if (!ledger_) return;
    Result<LedgerCheck> checked = ledger_->check();
    ASSERT_TRUE(checked.ok()) << checked.status().to_string();
    for (const std::string& violation : checked->violations) ADD_FAILURE() << violation;
  }

  HeldJob current(const HeldJob& job) {
    Result<HeldJob> found = store_->get(job.id);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? *found : HeldJob{};
  }

  test::TempDir dir_;
  Config config_;
  std::optional<Site> site_;
  Ledger* ledger_ = nullptr;   // site_'s
  JobStore* store_ = nullptr;  // site_'s
  std::string three_pages_;
};

}  // namespace pp
