// status-assert.h: GoogleTest assertions on a Status or Result<T> that show the error, shared by
// every fixture (the ledger's, the splits', the holding and delivery tests').
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "util/status.h"

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

// The Status itself.
inline Status status_of(const Status& status) {
  return status;
}
// A Result's Status.
template <typename T>
Status status_of(const Result<T>& result) {
  return result.status();
}

// Expects `result` to have failed with `code` and a message that contains `words`.
template <typename T>
void expect_failure(const Result<T>& result, Code code, std::string_view words) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), code);
  EXPECT_NE(result.status().message().find(words), std::string::npos) << result.status().message();
}

// Expects `check` (a Result of a check's report, such as Ledger::check()) to have run and found
// no violation.
template <typename Report>
void expect_no_violations(const Result<Report>& check) {
  ASSERT_TRUE(check.ok()) << check.status().to_string();
  for (const auto& violation : check->violations) ADD_FAILURE() << violation;
}

}  // namespace pp::test
