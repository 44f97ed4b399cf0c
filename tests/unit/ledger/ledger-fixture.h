// ledger-fixture.h: a fresh SQLite ledger in a private directory, plus Status assertions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "support/status-assert.h"  // PP_ASSERT_OK, PP_EXPECT_CODE
#include "support/temp-dir.h"

namespace pp::test {

// A NewAccount with defaults but its name.
inline NewAccount new_account(const std::string& name) {
  NewAccount spec;
  spec.name = name;
  return spec;
}

// Opens the ledger at `path`, failing the test on error.
inline std::unique_ptr<Ledger> open_ledger_or_fail(const std::string& path) {
  auto opened = open_sqlite_ledger(path);
  EXPECT_TRUE(opened.ok()) << opened.status().to_string();
  return opened.ok() ? std::move(opened).value() : nullptr;
}

class LedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ledger_ = open_ledger_or_fail(path());
    ASSERT_NE(ledger_, nullptr);
  }

  std::string path() const { return dir_.file("ledger.sqlite"); }

  // Creates an account, failing the test on error.
  Account make_account(const std::string& name, std::int64_t credit_limit = 0,
                       bool unlimited = false, AccountType type = AccountType::kPersonal) {
    NewAccount spec;
    spec.name = name;
    spec.type = type;
    spec.credit_limit = credit_limit;
    spec.unlimited = unlimited;
    auto created = ledger_->create_account(spec);
    EXPECT_TRUE(created.ok()) << created.status().to_string();
    return created.ok() ? created.value() : Account{};
  }

  Account account(const std::string& name) {
    auto found = ledger_->get_account(name);
    EXPECT_TRUE(found.ok()) << found.status().to_string();
    return found.ok() ? found.value() : Account{};
  }

  // check() must succeed and report no violation.
  void expect_consistent() { expect_no_violations(ledger_->check()); }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace pp::test
