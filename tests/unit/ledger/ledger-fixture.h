// ledger-fixture.h: a fresh SQLite ledger in a private directory, plus Status assertions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ledger/ledger.h"
#include "support/temp-dir.h"

// Fails the test unless `expr` (a Status or Result) succeeded, showing the error.
#define PP_ASSERT_OK(expr)                                                 \
  do {                                                                     \
    auto&& pp_result_ = (expr);                                            \
    ASSERT_TRUE(::pp::test::status_of(pp_result_).is_ok())                 \
        << #expr << ": " << ::pp::test::status_of(pp_result_).to_string(); \
  } while (0)

// Expects `expr` to fail with `code`.
#define PP_EXPECT_CODE(expr, expected_code)                                    \
  do {                                                                         \
    auto&& pp_result_ = (expr);                                                \
    EXPECT_EQ(::pp::test::status_of(pp_result_).code(), expected_code)         \
        << #expr << " gave " << ::pp::test::status_of(pp_result_).to_string(); \
  } while (0)

namespace pp::test {

inline Status status_of(const Status& status) {
  return status;
}
template <typename T>
Status status_of(const Result<T>& result) {
  return result.status();
}

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
  void expect_consistent() {
    auto checked = ledger_->check();
    ASSERT_TRUE(checked.ok()) << checked.status().to_string();
    for (const auto& violation : checked->violations) ADD_FAILURE() << violation;
  }

  TempDir dir_;
  std::unique_ptr<Ledger> ledger_;
};

}  // namespace pp::test
