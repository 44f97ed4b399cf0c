// accounts-test.cpp: creating, listing and configuring accounts; members; validation.
#include <gtest/gtest.h>

#include "ledger/ledger.h"
#include "unit/ledger/ledger-fixture.h"

namespace pp::test {
namespace {

using AccountsTest = LedgerTest;

TEST_F(AccountsTest, CreateAndGet) {
  NewAccount spec{"physics", AccountType::kShared, "Physics Department", 500, false};
  auto created = ledger_->create_account(spec);
  PP_ASSERT_OK(created);
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->name, "physics");
  EXPECT_EQ(created->type, AccountType::kShared);
  EXPECT_EQ(created->display_name, "Physics Department");
  EXPECT_EQ(created->balance, 0);
  EXPECT_EQ(created->reserved, 0);
  EXPECT_EQ(created->credit_limit, 500);
  EXPECT_FALSE(created->unlimited);
  EXPECT_TRUE(created->enabled);
  EXPECT_EQ(created->created_at.size(), 24u) << created->created_at;  // 2024-05-01T12:34:56.789Z
  EXPECT_EQ(created->created_at.back(), 'Z');

  auto found = ledger_->get_account("physics");
  PP_ASSERT_OK(found);
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(found->display_name, "Physics Department");
}

TEST_F(AccountsTest, DuplicateNameIsAlreadyExists) {
  make_account("alice");
  auto again = ledger_->create_account(new_account("alice"));
  PP_EXPECT_CODE(again, Code::kAlreadyExists);
  EXPECT_NE(again.status().message().find("alice"), std::string::npos);
}

TEST_F(AccountsTest, InvalidNamesAndLimits) {
  PP_EXPECT_CODE(ledger_->create_account(new_account("")), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->create_account(new_account("a\nb")), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->create_account(new_account(std::string(300, 'x'))),
                 Code::kInvalidArgument);
  NewAccount negative = new_account("bob");
  negative.credit_limit = -1;
  PP_EXPECT_CODE(ledger_->create_account(negative), Code::kInvalidArgument);
}

TEST_F(AccountsTest, UnknownAccountIsNotFoundWithName) {
  auto missing = ledger_->get_account("nobody");
  PP_EXPECT_CODE(missing, Code::kNotFound);
  EXPECT_NE(missing.status().message().find("nobody"), std::string::npos);
  PP_EXPECT_CODE(ledger_->set_credit_limit("nobody", 0, false), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->set_enabled("nobody", false), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->add_member("nobody", "alice"), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->members("nobody"), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->may_charge("alice", "nobody"), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->history("nobody", 10), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->top_up("nobody", 5, "k", "admin", ""), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->reserve("nobody", 5, "k", "job", "filter"), Code::kNotFound);
}

TEST_F(AccountsTest, ListIsSortedByName) {
  make_account("carol");
  make_account("alice");
  make_account("bob");
  auto all = ledger_->list_accounts();
  PP_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].name, "alice");
  EXPECT_EQ((*all)[1].name, "bob");
  EXPECT_EQ((*all)[2].name, "carol");
}

TEST_F(AccountsTest, EnsurePersonalAccountCreatesOnceWithAllocation) {
  auto first = ledger_->ensure_personal_account("dave", 300);
  PP_ASSERT_OK(first);
  EXPECT_EQ(first->type, AccountType::kPersonal);
  EXPECT_EQ(first->balance, 300);
  auto second = ledger_->ensure_personal_account("dave", 999);
  PP_ASSERT_OK(second);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->balance, 300);

  auto entries = ledger_->history("dave", 0);
  PP_ASSERT_OK(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].kind, EntryKind::kAllocation);
  EXPECT_EQ((*entries)[0].idempotency_key, "initial:dave");
  expect_consistent();
}

TEST_F(AccountsTest, EnsurePersonalAccountKeepsAdminCreatedAccount) {
  make_account("erin", 100);
  auto ensured = ledger_->ensure_personal_account("erin", 500);
  PP_ASSERT_OK(ensured);
  EXPECT_EQ(ensured->balance, 0);
  EXPECT_EQ(ensured->credit_limit, 100);
}

TEST_F(AccountsTest, EnsurePersonalAccountZeroBalanceWritesNoEntry) {
  PP_ASSERT_OK(ledger_->ensure_personal_account("frank", 0));
  auto entries = ledger_->history("frank", 0);
  PP_ASSERT_OK(entries);
  EXPECT_TRUE(entries->empty());
}

TEST_F(AccountsTest, EnsurePersonalAccountRefusesSharedAndBadInput) {
  make_account("lab", 0, false, AccountType::kShared);
  PP_EXPECT_CODE(ledger_->ensure_personal_account("lab", 0), Code::kConflict);
  PP_EXPECT_CODE(ledger_->ensure_personal_account("", 0), Code::kInvalidArgument);
  PP_EXPECT_CODE(ledger_->ensure_personal_account("gina", -5), Code::kInvalidArgument);
}

TEST_F(AccountsTest, CreditLimitAndEnabled) {
  make_account("hank");
  PP_ASSERT_OK(ledger_->set_credit_limit("hank", 250, false));
  EXPECT_EQ(account("hank").credit_limit, 250);
  PP_ASSERT_OK(ledger_->set_credit_limit("hank", 0, true));
  EXPECT_TRUE(account("hank").unlimited);
  PP_EXPECT_CODE(ledger_->set_credit_limit("hank", -1, false), Code::kInvalidArgument);
  PP_ASSERT_OK(ledger_->set_enabled("hank", false));
  EXPECT_FALSE(account("hank").enabled);
  PP_ASSERT_OK(ledger_->set_enabled("hank", true));
  EXPECT_TRUE(account("hank").enabled);
}

TEST_F(AccountsTest, MembersAndMayCharge) {
  make_account("chem", 0, false, AccountType::kShared);
  make_account("ivy");
  PP_ASSERT_OK(ledger_->add_member("chem", "ivy"));
  PP_ASSERT_OK(ledger_->add_member("chem", "ivy"));  // idempotent
  PP_ASSERT_OK(ledger_->add_member("chem", "abe"));
  auto users = ledger_->members("chem");
  PP_ASSERT_OK(users);
  EXPECT_EQ(*users, (std::vector<std::string>{"abe", "ivy"}));

  EXPECT_TRUE(*ledger_->may_charge("ivy", "chem"));
  EXPECT_FALSE(*ledger_->may_charge("zed", "chem"));
  EXPECT_TRUE(*ledger_->may_charge("ivy", "ivy"));  // own personal account
  EXPECT_FALSE(*ledger_->may_charge("abe", "ivy"));

  PP_ASSERT_OK(ledger_->remove_member("chem", "ivy"));
  EXPECT_FALSE(*ledger_->may_charge("ivy", "chem"));
  PP_EXPECT_CODE(ledger_->remove_member("chem", "ivy"), Code::kNotFound);
  PP_EXPECT_CODE(ledger_->add_member("chem", ""), Code::kInvalidArgument);
}

TEST(LedgerPath, InStateDir) {
  EXPECT_EQ(ledger_path_in("/var/lib/pullprint"), "/var/lib/pullprint/ledger.sqlite");
  EXPECT_EQ(ledger_path_in("/var/lib/pullprint/"), "/var/lib/pullprint/ledger.sqlite");
}

TEST(EntryKindName, StableNames) {
  EXPECT_EQ(entry_kind_name(EntryKind::kTopUp), "top-up");
  EXPECT_EQ(entry_kind_name(EntryKind::kReserve), "reserve");
  EXPECT_EQ(entry_kind_name(EntryKind::kCapture), "capture");
  EXPECT_EQ(entry_kind_name(EntryKind::kVoid), "void");
  EXPECT_EQ(entry_kind_name(EntryKind::kRefund), "refund");
  EXPECT_EQ(entry_kind_name(EntryKind::kAdjustment), "adjustment");
  EXPECT_EQ(entry_kind_name(EntryKind::kAllocation), "allocation");
}

TEST(EntryKindName, ParsesItsOwnNamesOnly) {
  for (EntryKind kind :
       {EntryKind::kTopUp, EntryKind::kReserve, EntryKind::kCapture, EntryKind::kVoid,
        EntryKind::kRefund, EntryKind::kAdjustment, EntryKind::kAllocation})
    EXPECT_EQ(parse_entry_kind(entry_kind_name(kind)), kind);
  EXPECT_EQ(parse_entry_kind("topup"), std::nullopt);
  EXPECT_EQ(parse_entry_kind(""), std::nullopt);
}

}  // namespace
}  // namespace pp::test
