// qr-svg-test.cpp: qr_svg() (qrcode/qr-svg.h): a URL gives a non-empty, deterministic SVG of the
// expected size, its text escaped; empty and oversized texts are refused.
#include "qrcode/qr-svg.h"

#include <gtest/gtest.h>

#include <string>

namespace pp {
namespace {

constexpr const char* kUrl = "https://print.example.edu:8631/pullprint/release?printer=Lab_A&t=abc";

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(QrSvg, UrlGivesANonEmptyDeterministicSvg) {
  Result<std::string> svg = qr_svg(kUrl);
  ASSERT_TRUE(svg) << svg.status().to_string();
  EXPECT_EQ(svg->rfind("<svg ", 0), 0u);
  EXPECT_NE(svg->find("</svg>"), std::string::npos);
  EXPECT_NE(svg->find("id=\"qr-code\""), std::string::npos);
  // Dark modules: many, and the three finder patterns alone have 3 x 33.
  EXPECT_GT(count(*svg, "h1v1h-1z"), 99);
  Result<std::string> again = qr_svg(kUrl);
  ASSERT_TRUE(again);
  EXPECT_EQ(*svg, *again);
  Result<std::string> other = qr_svg(std::string(kUrl) + "x");
  ASSERT_TRUE(other);
  EXPECT_NE(*svg, *other);
}

TEST(QrSvg, SizeIsTheSymbolPlusTheQuietZone) {
  Result<std::string> svg = qr_svg(kUrl);
  ASSERT_TRUE(svg);
  const std::size_t at = svg->find("data-modules=\"");
  ASSERT_NE(at, std::string::npos);
  const int modules = std::stoi(svg->substr(at + 14));
  // A version-N symbol is 17 + 4N modules wide; 71 bytes at level M need version 5 (37).
  EXPECT_EQ((modules - 17) % 4, 0);
  EXPECT_GE(modules, 37);
  const std::string box =
      "viewBox=\"0 0 " + std::to_string(modules + 8) + " " + std::to_string(modules + 8) + "\"";
  EXPECT_NE(svg->find(box), std::string::npos) << *svg;
}

TEST(QrSvg, IdAndTitleEscaped) {
  Result<std::string> svg = qr_svg(kUrl, QrSvgOptions{"sheet-qr", "a<b>&\"c\""});
  ASSERT_TRUE(svg);
  EXPECT_NE(svg->find("id=\"sheet-qr\""), std::string::npos);
  EXPECT_NE(svg->find("<title>a&lt;b&gt;&amp;&quot;c&quot;</title>"), std::string::npos);
  EXPECT_EQ(svg->find("<b>"), std::string::npos);
}

TEST(QrSvg, EmptyAndTooLongRefused) {
  EXPECT_EQ(qr_svg("").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(qr_svg(std::string(8000, 'a')).status().code(), Code::kLimitExceeded);
}

}  // namespace
}  // namespace pp
