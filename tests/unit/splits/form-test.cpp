// form-test.cpp: a split form's rows as a request line (lib/splits/split-form.h), and the line
// parsed as the CLI's would be.
#include <gtest/gtest.h>

#include "splits/split-form.h"
#include "splits/split-request.h"

namespace pp {
namespace {

// A row with a payer and a part only.
SplitFormRow row(std::string payer, std::string part) {
  SplitFormRow r;
  r.payer = std::move(payer);
  r.part = std::move(part);
  return r;
}

SplitForm form_of(std::string mode, std::vector<SplitFormRow> rows) {
  SplitForm form;
  form.mode = std::move(mode);
  form.rows = std::move(rows);
  return form;
}

std::string line_of(const SplitForm& form) {
  Result<std::string> line = split_request_from_form(form);
  EXPECT_TRUE(line.ok()) << line.status().to_string();
  return line ? *line : "";
}

TEST(SplitFormTest, EachModeWritesTheCliSyntax) {
  EXPECT_EQ("ratio:alice=50,bob=50%", line_of(form_of("ratio", {row("alice", " 50 "), row("", ""),
                                                                row("bob", "50%"), row("", "")})));
  EXPECT_EQ("copies:alice=2,bob=3",
            line_of(form_of("copies", {row("alice", "2"), row("bob", "3")})));
  EXPECT_EQ("pages:alice=1-4+9,bob=5-8",
            line_of(form_of("pages", {row("alice", "1-4, 9"), row("bob", "5-8")})));
  SplitFormRow carol{"carol", "ignored", "mono", "two-sided-long-edge", "a3", "stationery"};
  SplitFormRow dave{"dave", "", "color", "", "", ""};
  EXPECT_EQ("method:carol=mono+two-sided-long-edge+a3+type=stationery,dave=color",
            line_of(form_of("method", {carol, dave})));
}

TEST(SplitFormTest, SettingsFollowThePayers) {
  SplitForm form = form_of("ratio", {row("alice", "1/3"), row("bob", "2/3")});
  form.deadline = "24";
  form.on_decline = "cancel";
  const std::string line = line_of(form);
  EXPECT_EQ("ratio:alice=1/3,bob=2/3;deadline=24h;on-decline=cancel", line);
  Result<SplitRequest> parsed = parse_split_request(line);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(std::chrono::hours(24), parsed->deadline);
  EXPECT_EQ(OnDecline::kCancel, parsed->on_decline);
}

TEST(SplitFormTest, IncompleteRowsAreNamed) {
  auto refusal = [](const SplitForm& form) {
    Result<std::string> line = split_request_from_form(form);
    EXPECT_FALSE(line.ok());
    EXPECT_EQ(Code::kInvalidArgument, line.status().code());
    return line.status().message();
  };
  EXPECT_EQ("split request: row 2: give bob's part",
            refusal(form_of("ratio", {row("alice", "50"), row("bob", "")})));
  EXPECT_EQ("split request: row 1: whose part is \"50\"? name the payer",
            refusal(form_of("ratio", {row("", "50")})));
  EXPECT_EQ("split request: add at least one payer and their part",
            refusal(form_of("copies", {row("", ""), row("", "")})));
  EXPECT_EQ("split request: choose a mode: ratio, copies, pages or method",
            refusal(form_of("halves", {row("alice", "1")})));
  EXPECT_EQ("split request: row 1: give alice's part (at least one option)",
            refusal(form_of("method", {row("alice", "50")})));
  SplitForm pages = form_of("pages", {row("alice", "1-2")});
  pages.on_decline = "cancel";
  EXPECT_EQ("split request: \"if a payer declines\" is for ratio splits only", refusal(pages));
}

TEST(SplitFormTest, AValueCannotSmuggleAPayerOrASetting) {
  for (const char* part : {"50,mallory=50", "100;deadline=1m", "50=1", "a b"}) {
    Result<std::string> line = split_request_from_form(form_of("ratio", {row("alice", part)}));
    EXPECT_EQ(Code::kInvalidArgument, line.status().code()) << part;
  }
  Result<std::string> line = split_request_from_form(form_of("ratio", {row("al,ice", "100")}));
  EXPECT_EQ(Code::kInvalidArgument, line.status().code());
}

}  // namespace
}  // namespace pp
