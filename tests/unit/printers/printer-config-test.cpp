// printer-config-test.cpp: [printer NAME] sections: valid printers, and the mistakes that must
// be refused (no device, two devices, a bad scheme, an unknown key, a missing price profile).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "printers/printers.h"
#include "support/config-text.h"

namespace pp {
namespace {

using test::config_of;

// The error message of reading the printers of `text`; "" when it succeeded.
std::string error_of(std::string_view text) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config_of(text));
  if (printers.ok()) return "";
  EXPECT_EQ(printers.status().code(), Code::kInvalidArgument);
  return printers.status().message();
}

constexpr const char* kSite =
    "[price default]\n"
    "mono-impression = 5\n"
    "[price Lab_Colour]\n"
    "color-impression = 35\n"
    "[price cheap]\n"
    "mono-impression = 2\n"
    "[printer Lab_Mono]\n"
    "location = Library, ground floor\n"
    "device-uri = socket://10.0.0.20\n"
    "[printer Lab_Colour]\n"
    "device-uri = ipps://colour.example.org/ipp/print\n"
    "enabled = no\n"
    "[printer Basement]\n"
    "cups-queue = Basement_HP\n"
    "price-profile = cheap\n";

TEST(PrinterConfig, NoSectionsNoPrinters) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(Config());
  ASSERT_TRUE(printers.ok());
  EXPECT_TRUE(printers->empty());
}

TEST(PrinterConfig, ReadsEveryPrinterSortedByName) {
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config_of(kSite));
  ASSERT_TRUE(printers.ok()) << printers.status().to_string();
  ASSERT_EQ(printers->size(), 3u);
  const ReleasePrinter& basement = (*printers)[0];
  const ReleasePrinter& colour = (*printers)[1];
  const ReleasePrinter& mono = (*printers)[2];
  EXPECT_EQ(basement.name, "Basement");
  EXPECT_EQ(basement.cups_queue, "Basement_HP");
  EXPECT_EQ(basement.device_uri, "");
  EXPECT_EQ(basement.profile, "cheap");
  EXPECT_TRUE(basement.enabled);
  EXPECT_EQ(colour.name, "Lab_Colour");
  EXPECT_EQ(colour.device_uri, "ipps://colour.example.org/ipp/print");
  EXPECT_EQ(colour.profile, "Lab_Colour");  // its own [price Lab_Colour]
  EXPECT_FALSE(colour.enabled);
  EXPECT_EQ(mono.name, "Lab_Mono");
  EXPECT_EQ(mono.location, "Library, ground floor");
  EXPECT_EQ(mono.profile, "default");  // no [price Lab_Mono]
}

TEST(PrinterConfig, FindsOnePrinterByName) {
  Result<ReleasePrinter> printer = find_release_printer(config_of(kSite), "Lab_Mono");
  ASSERT_TRUE(printer.ok());
  EXPECT_EQ(printer->device_uri, "socket://10.0.0.20");
  Result<ReleasePrinter> missing = find_release_printer(config_of(kSite), "Nowhere");
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
}

TEST(PrinterConfig, MissingDeviceIsAnError) {
  EXPECT_NE(
      error_of("[printer P]\nlocation = hall\n").find("exactly one of device-uri and cups-queue"),
      std::string::npos);
}

TEST(PrinterConfig, DeviceUriAndQueueTogetherAreAnError) {
  EXPECT_NE(error_of("[printer P]\ndevice-uri = ipp://p/ipp/print\ncups-queue = P\n")
                .find("exactly one of device-uri and cups-queue"),
            std::string::npos);
}

TEST(PrinterConfig, SchemeOutsideTheAllowedListIsAnError) {
  for (const char* uri : {"file:relative/dir", "file://otherhost/tmp", "http://p/",
                          "pullprint:ipp://p/ipp/print",
                          "dnssd://P._ipp._tcp.local/"}) {
    std::string error = error_of("[printer P]\ndevice-uri = " + std::string(uri) + "\n");
    EXPECT_NE(error.find("config key printer.P.device-uri: bad device URI"), std::string::npos)
        << uri << ": " << error;
  }
  EXPECT_NE(error_of("[printer P]\ndevice-uri = ipp:///ipp/print\n").find("no host"),
            std::string::npos);
}

TEST(PrinterConfig, FolderDeviceNeedsAnAbsolutePath) {
  EXPECT_EQ(error_of("[printer P]\ndevice-uri = file:///srv/pullprint/out\n"), "");
  EXPECT_NE(error_of("[printer P]\ndevice-uri = file:///srv/../etc\n").find("ABSOLUTE"),
            std::string::npos);
}

TEST(PrinterConfig, UppercaseSchemeIsAccepted) {
  EXPECT_EQ(error_of("[printer P]\ndevice-uri = IPP://p/ipp/print\n"), "");
}

TEST(PrinterConfig, CredentialsNeverAppearInMessages) {
  std::string error = error_of("[printer P]\ndevice-uri = ftp://joe:s3cret@p/x\n");
  EXPECT_NE(error.find("ftp://***@p/x"), std::string::npos) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  EXPECT_EQ(redacted_device_uri("ipp://joe:s3cret@p:631/ipp/print"), "ipp://***@p:631/ipp/print");
  EXPECT_EQ(redacted_device_uri("socket://p:9100"), "socket://p:9100");
}

TEST(PrinterConfig, UnknownKeyIsAnError) {
  std::string error = error_of("[printer P]\ndevice_uri = ipp://p/ipp/print\n");
  EXPECT_NE(error.find("unknown printer key printer.P.device_uri"), std::string::npos) << error;
}

TEST(PrinterConfig, PriceProfileMustExist) {
  std::string error = error_of("[printer P]\ndevice-uri = ipp://p/\nprice-profile = Typo\n");
  EXPECT_NE(error.find("no [price Typo] section"), std::string::npos) << error;
  EXPECT_EQ(error_of("[printer P]\ndevice-uri = ipp://p/\nprice-profile = default\n"), "");
}

TEST(PrinterConfig, BadPriceSectionOfThePrinterIsAnError) {
  std::string error =
      error_of("[price P]\ncolour-impression = 1\n[printer P]\ndevice-uri = ipp://p/\n");
  EXPECT_NE(error.find("unknown price key price.P.colour-impression"), std::string::npos) << error;
}

TEST(PrinterConfig, BadQueueNameAndBadEnabledAreErrors) {
  EXPECT_NE(error_of("[printer P]\ncups-queue = \"a b\"\n").find("bad CUPS queue name"),
            std::string::npos);
  EXPECT_NE(error_of("[printer P]\ncups-queue = Q\nenabled = maybe\n").find("printer.P.enabled"),
            std::string::npos);
}

TEST(PrinterConfig, KeyOutsideANamedSectionIsAnError) {
  Config config;
  config.set("printer.location", "hall");
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config);
  ASSERT_FALSE(printers.ok());
  EXPECT_NE(printers.status().message().find("outside a [printer NAME] section"),
            std::string::npos);
}

// The shipped pullprint.conf has no printers, and its commented examples, uncommented, define
// the two printers its comments describe.
TEST(PrinterConfig, ShippedConfigAndItsExamples) {
  std::ifstream file(std::filesystem::path(PULLPRINT_SOURCE_DIR) / "share/pullprint.conf");
  ASSERT_TRUE(file.good());
  std::stringstream shipped;
  shipped << file.rdbuf();
  Result<std::vector<ReleasePrinter>> none = release_printers_from_config(config_of(shipped.str()));
  ASSERT_TRUE(none.ok()) << none.status().to_string();
  EXPECT_TRUE(none->empty());

  static const std::regex kExampleLine(R"(^# (\[[a-z]+ [A-Za-z_]+\]|[a-z][a-z0-9._-]* = .*)$)");
  std::string examples;
  std::istringstream lines(shipped.str());
  for (std::string line; std::getline(lines, line);)
    examples += (std::regex_match(line, kExampleLine) ? line.substr(2) : line) + "\n";
  Result<std::vector<ReleasePrinter>> printers = release_printers_from_config(config_of(examples));
  ASSERT_TRUE(printers.ok()) << printers.status().to_string();
  ASSERT_EQ(printers->size(), 2u);
  EXPECT_EQ((*printers)[0].name, "Lab_Colour");
  EXPECT_EQ((*printers)[0].profile, "Lab_Colour");
  EXPECT_EQ((*printers)[0].device_uri, "ipp://lab-colour.example.org/ipp/print");
  EXPECT_EQ((*printers)[1].name, "Lab_Mono");
  EXPECT_EQ((*printers)[1].profile, "default");
  EXPECT_EQ((*printers)[1].location, "Library, ground floor");
}

}  // namespace
}  // namespace pp
