// id-text-test.cpp: directory identifiers as the people store keeps them (entryUUID as text,
// AD's binary objectGUID in hexadecimal).
#include <gtest/gtest.h>

#include "directory/ldap-reader.h"

namespace pp::test {
namespace {

TEST(DirectoryIdText, TextIdentifiersStayAsTheyAre) {
  EXPECT_EQ(directory_id_text("8a5c29ec-8492-1041-8dc8-7773b8ffc55a", "entryUUID"),
            "8a5c29ec-8492-1041-8dc8-7773b8ffc55a");
}

TEST(DirectoryIdText, ObjectGuidIsAlwaysHex) {
  std::string guid(
      "\x01\x02\xab\xcd"
      "ABCD"
      "\x00\xff\x10\x20"
      "wxyz",
      16);
  EXPECT_EQ(directory_id_text(guid, "objectGUID"), "0102abcd4142434400ff10207778797a");
  EXPECT_EQ(directory_id_text("ABCD", "objectGUID"), "41424344") << "even when it looks like text";
}

TEST(DirectoryIdText, BytesThatAreNotPrintableAreHex) {
  EXPECT_EQ(directory_id_text(std::string("a\x01", 2), "someId"), "6101");
}

}  // namespace
}  // namespace pp::test
