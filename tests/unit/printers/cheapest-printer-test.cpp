// cheapest-printer-test.cpp: the cheapest release printer for a job, ties, and the hint.
#include <gtest/gtest.h>

#include "printers/printers.h"
#include "support/config-text.h"
#include "unit/pricing/documents.h"

namespace pp {
namespace {

using test::config_of;

// Grey pages cost 5 on Lab_Mono and 10 on Lab_Colour; colour pages 25 and 30.
constexpr const char* kSite =
    "[price default]\n"
    "mono-impression = 5\n"
    "color-impression = 25\n"
    "[price Lab_Colour]\n"
    "mono-impression = 10\n"
    "color-impression = 30\n"
    "[printer Lab_Mono]\n"
    "device-uri = socket://127.0.0.1\n"
    "[printer Lab_Colour]\n"
    "device-uri = ipp://127.0.0.1/ipp/print\n"
    "[printer Twin]\n"
    "device-uri = ipp://127.0.0.1/ipp/print\n"
    "price-profile = Lab_Colour\n";

using test::document;  // one page per letter: 'g' grey, 'c' colour, A4

struct CheapestPrinter : ::testing::Test {
  Config config = config_of(kSite);
  std::vector<ReleasePrinter> printers = release_printers_from_config(config).value();
};

TEST_F(CheapestPrinter, PicksTheCheaperProfileAndSaysSo) {
  Result<PrinterChoice> choice =
      cheapest_printer(document("gggc"), {{"copies", "2"}}, printers, config, "Lab_Colour");
  ASSERT_TRUE(choice.ok()) << choice.status().to_string();
  EXPECT_EQ(choice->cheapest.printer, "Lab_Mono");
  EXPECT_EQ(choice->cheapest.price.minor, 2 * (3 * 5 + 25));
  ASSERT_TRUE(choice->given.has_value());
  EXPECT_EQ(choice->given->printer, "Lab_Colour");
  EXPECT_EQ(choice->given->price.minor, 2 * (3 * 10 + 30));
  EXPECT_EQ(choice->hint(),
            "this job costs EUR 0.80 on Lab_Mono instead of EUR 1.20 on Lab_Colour");
}

TEST_F(CheapestPrinter, CheapestPickNeedsNoHint) {
  Result<PrinterChoice> choice = cheapest_printer(document("g"), {}, printers, config, "Lab_Mono");
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->cheapest.printer, "Lab_Mono");
  EXPECT_EQ(choice->hint(), "");
}

TEST_F(CheapestPrinter, TieKeepsThePick) {
  ASSERT_EQ(printers[1].name, "Lab_Mono");
  printers[1].enabled = false;  // Lab_Colour and Twin are left, both on profile Lab_Colour
  Result<PrinterChoice> choice = cheapest_printer(document("c"), {}, printers, config, "Twin");
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->cheapest.printer, "Twin");
  EXPECT_EQ(choice->hint(), "");
}

TEST_F(CheapestPrinter, TieWithoutPickKeepsTheFirst) {
  printers[1].enabled = false;  // Lab_Mono off: Lab_Colour and Twin tie
  Result<PrinterChoice> choice = cheapest_printer(document("gc"), {}, printers, config);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->cheapest.printer, "Lab_Colour");
}

TEST_F(CheapestPrinter, DisabledPrintersAreSkipped) {
  printers[1].enabled = false;  // Lab_Mono
  Result<PrinterChoice> choice =
      cheapest_printer(document("g"), {}, printers, config, "Lab_Colour");
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->cheapest.printer, "Lab_Colour");
  EXPECT_EQ(cheapest_printer(document("g"), {}, printers, config, "Lab_Mono").status().code(),
            Code::kNotFound);
  EXPECT_EQ(cheapest_printer(document("g"), {}, {}, config).status().code(), Code::kNotFound);
}

TEST_F(CheapestPrinter, BadJobOptionsFail) {
  EXPECT_EQ(cheapest_printer(document("g"), {{"copies", "x"}}, printers, config).status().code(),
            Code::kInvalidArgument);
}

}  // namespace
}  // namespace pp
