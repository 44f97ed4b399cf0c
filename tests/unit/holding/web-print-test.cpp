// web-print-test.cpp: printing from the browser (holding/web-print.h, pending-uploads.h): the
// form's choices become the options an IPP job carries, the estimate is what hold_job reserves,
// and pending uploads are private, owned, and swept.
#include "holding/web-print.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "holding/pending-uploads.h"
#include "release/release.h"
#include "support/config-text.h"
#include "unit/holding/holding-fixture.h"

namespace pp {
namespace {

using Options = std::map<std::string, std::string>;

TEST(WebPrintOptions, DefaultsAreWhatAnIppJobWithTheseAttributesCarries) {
  Result<Options> options = print_options_from_choices(PrintChoices{});
  PP_ASSERT_OK(options);
  EXPECT_EQ(*options, (Options{{"copies", "1"},
                               {"sides", "one-sided"},
                               {"print-color-mode", "color"},
                               {"number-up", "1"}}));
}

TEST(WebPrintOptions, EveryChoiceIsNamedAsIppNamesIt) {
  PrintChoices choices;
  choices.copies = "3";
  choices.sides = "two-sided-short-edge";
  choices.color = "monochrome";
  choices.page_ranges = " 1-3, 5,7- ";
  choices.number_up = "4";
  Result<Options> options = print_options_from_choices(choices);
  PP_ASSERT_OK(options);
  // page-ranges as ippAttributeString writes a rangeOfInteger (server-hold.cpp reads it so).
  EXPECT_EQ(*options, (Options{{"copies", "3"},
                               {"sides", "two-sided-short-edge"},
                               {"print-color-mode", "monochrome"},
                               {"number-up", "4"},
                               {"page-ranges", "1-3,5-5,7-2147483647"}}));
  // The pricing engine reads them back to the same choices.
  Result<JobOptions> job = job_options_from_map(*options);
  PP_ASSERT_OK(job);
  EXPECT_EQ(job->copies, 3);
  EXPECT_EQ(job->number_up, 4);
  EXPECT_EQ(job->sides, Sides::kTwoSidedShortEdge);
  EXPECT_TRUE(job->monochrome);
  EXPECT_EQ(job->page_ranges.size(), 3u);
}

TEST(WebPrintOptions, RefusesWhatTheFormDoesNotOffer) {
  auto with = [](auto change) {
    PrintChoices choices;
    change(choices);
    return print_options_from_choices(choices);
  };
  for (const char* copies : {"0", "1000", "-1", "2x", "", "99999999999", "+2"})
    PP_EXPECT_CODE(with([&](PrintChoices& c) { c.copies = copies; }), Code::kInvalidArgument);
  PP_EXPECT_CODE(with([](PrintChoices& c) { c.sides = "two-sided"; }), Code::kInvalidArgument);
  PP_EXPECT_CODE(with([](PrintChoices& c) { c.color = "auto"; }), Code::kInvalidArgument);
  for (const char* up : {"3", "6", "16", "0", ""})
    PP_EXPECT_CODE(with([&](PrintChoices& c) { c.number_up = up; }), Code::kInvalidArgument);
  for (const char* ranges : {"5-3", "0", "a", "1,,2", "1-2-3"})
    PP_EXPECT_CODE(with([&](PrintChoices& c) { c.page_ranges = ranges; }), Code::kInvalidArgument);
}

TEST(WebPrintSettings, ReadsSizesAndTimeout) {
  EXPECT_EQ(parse_byte_size("50M"), 50ull * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("512k"), 512ull * 1024);
  EXPECT_EQ(parse_byte_size("1G"), 1ull << 30);
  EXPECT_EQ(parse_byte_size("1000"), 1000u);
  for (const char* bad : {"", "M", "0", "5T", "-1", "1.5M", "99999999999999999"})
    EXPECT_EQ(parse_byte_size(bad), std::nullopt) << bad;
  EXPECT_EQ(describe_byte_size(50ull * 1024 * 1024), "50 MiB");
  EXPECT_EQ(describe_byte_size(1000), "1000 bytes");
  Result<WebPrintSettings> defaults = web_print_settings(test::config_of(""));
  PP_ASSERT_OK(defaults);
  EXPECT_EQ(defaults->max_upload_bytes, 50ull * 1024 * 1024);
  EXPECT_EQ(defaults->pending_lifetime, std::chrono::seconds(1800));
  Result<WebPrintSettings> set =
      web_print_settings(test::config_of("web-upload-max = 1M\nweb-upload-timeout = 60\n"));
  PP_ASSERT_OK(set);
  EXPECT_EQ(set->max_upload_bytes, 1024u * 1024);
  EXPECT_EQ(set->pending_lifetime, std::chrono::seconds(60));
  PP_EXPECT_CODE(web_print_settings(test::config_of("web-upload-max = lots\n")),
                 Code::kInvalidArgument);
  PP_EXPECT_CODE(web_print_settings(test::config_of("web-upload-timeout = 0\n")),
                 Code::kInvalidArgument);
}

// The estimate and the hold: the same document with the same options costs what the page said.
class WebPrintTest : public HoldingTest {};

TEST_F(WebPrintTest, TheEstimateIsWhatHoldJobReserves) {
  PrintChoices choices;
  choices.copies = "2";
  choices.sides = "two-sided-long-edge";
  choices.page_ranges = "2-3";
  choices.number_up = "2";
  Result<Options> options = print_options_from_choices(choices);
  PP_ASSERT_OK(options);
  Result<PrintEstimate> estimate = estimate_print(three_pages_, *options, config_);
  PP_ASSERT_OK(estimate);
  EXPECT_EQ(estimate->format, "application/pdf");
  EXPECT_EQ(estimate->pages, 3);
  EXPECT_EQ(estimate->color_pages, 1);
  // Pages 2-3 (colour, grey) on one side of a sheet (2 per sheet), 2 copies: 2 colour
  // impressions = 2*50 (alice has EUR 1.00).
  EXPECT_EQ(estimate->impressions, 2);
  EXPECT_EQ(estimate->price.minor, 100);
  HoldRequest held_request = request(three_pages_);
  held_request.options = *options;
  Result<HeldJob> held = hold_job(*site_, config_, held_request);
  PP_ASSERT_OK(held);
  EXPECT_EQ(held->price_minor, estimate->price.minor);
  EXPECT_EQ(held->impressions, estimate->impressions);
  EXPECT_EQ(held_job_options(*held), *options);
  // Grey: the colour page is charged as grey.
  choices.color = "monochrome";
  Result<Options> grey = print_options_from_choices(choices);
  PP_ASSERT_OK(grey);
  Result<PrintEstimate> grey_estimate = estimate_print(three_pages_, *grey, config_);
  PP_ASSERT_OK(grey_estimate);
  EXPECT_EQ(grey_estimate->price.minor, 20);
}

TEST_F(WebPrintTest, EstimatesEachEnabledReleasePrinter) {
  Result<Config> config = Config::parse(
      "state-dir = " + dir_.path() + "\nanalyzer = " + analyser_path() +
      "\n[price default]\nmono-impression = 10\ncolor-impression = 50\n"
      "[price cheap]\nmono-impression = 5\ncolor-impression = 20\n"
      "[printer Lab_B]\nprice-profile = cheap\nlocation = Library\n"
      "device-uri = ipp://127.0.0.1:1/ipp/print\n"
      "[printer Lab_Off]\nenabled = false\ndevice-uri = ipp://127.0.0.1:2/ipp/print\n");
  PP_ASSERT_OK(config);
  Result<PrintEstimate> estimate = estimate_print(three_pages_, Options{}, *config);
  PP_ASSERT_OK(estimate);
  EXPECT_EQ(estimate->price.minor, 2 * 10 + 50);
  ASSERT_EQ(estimate->printers.size(), 1u);
  EXPECT_EQ(estimate->printers[0].printer, "Lab_B");
  EXPECT_EQ(estimate->printers[0].location, "Library");
  EXPECT_EQ(estimate->printers[0].price.minor, 2 * 5 + 20);
}

TEST_F(WebPrintTest, RefusesWhatIsNotADocumentByItsContent) {
  const std::string text = dir_.file("notes.pdf");  // the name says PDF; the content does not
  test::write_file(text, "hello, this is plain text\n");
  PP_EXPECT_CODE(web_document_format(text), Code::kUnsupportedFormat);
  PP_EXPECT_CODE(estimate_print(text, Options{}, config_), Code::kUnsupportedFormat);
  const std::string jpeg = dir_.file("photo.bin");
  test::write_file(jpeg, std::string("\xFF\xD8\xFF\xE0", 4));
  EXPECT_EQ(*web_document_format(jpeg), "image/jpeg");
  const std::string ps = dir_.file("x");
  test::write_file(ps, "%!PS-Adobe-3.0\n");
  EXPECT_EQ(*web_document_format(ps), "application/postscript");
  EXPECT_EQ(*web_document_format(three_pages_), "application/pdf");
}

// --- pending uploads

class PendingUploadsTest : public ::testing::Test {
 protected:
  PendingUpload made(const std::string& owner, std::int64_t created) {
    Result<NewPendingDocument> document = uploads_->create_document();
    EXPECT_TRUE(document.ok()) << document.status().to_string();
    EXPECT_TRUE(write_all(document->fd.get(), "%PDF-1.4").is_ok());
    PendingUpload upload;
    upload.token = document->token;
    upload.owner = owner;
    upload.title = "thesis.pdf";
    upload.options = {{"copies", "2"}};
    upload.created_unix = created;
    upload.document_path = document->path;
    EXPECT_TRUE(uploads_->save(upload).is_ok());
    return upload;
  }
  void SetUp() override {
    Result<PendingUploads> uploads = PendingUploads::open(PendingUploads::dir_of(dir_.path()));
    ASSERT_TRUE(uploads.ok()) << uploads.status().to_string();
    uploads_.emplace(std::move(*uploads));
  }
  test::TempDir dir_;
  std::optional<PendingUploads> uploads_;
};

std::int64_t now_unix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(PendingUploadsTest, KeepsDocumentsPrivate) {
  const PendingUpload upload = made("alice", now_unix());
  struct stat info;
  ASSERT_EQ(::stat(uploads_->dir().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat(upload.document_path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat((uploads_->dir() + "/" + upload.token + ".json").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600u);
  EXPECT_TRUE(is_upload_token(upload.token));
  // A directory left open by someone is made private again.
  ASSERT_EQ(::chmod(uploads_->dir().c_str(), 0755), 0);
  PP_ASSERT_OK(PendingUploads::open(uploads_->dir()));
  ASSERT_EQ(::stat(uploads_->dir().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0700u);
}

TEST_F(PendingUploadsTest, OnlyTheOwnerFindsAnUpload) {
  const PendingUpload upload = made("alice", now_unix());
  Result<PendingUpload> found = uploads_->find(upload.token, "alice");
  PP_ASSERT_OK(found);
  EXPECT_EQ(found->title, "thesis.pdf");
  EXPECT_EQ(found->options, upload.options);
  EXPECT_EQ(found->document_path, upload.document_path);
  PP_EXPECT_CODE(uploads_->find(upload.token, "bob"), Code::kPermissionDenied);
  // Paths and other strings are not tokens.
  for (const char* token : {"../../etc/passwd", "", "ABCDEF01-0000-4000-8000-000000000000",
                            "00000000-0000-4000-8000-00000000000/"})
    PP_EXPECT_CODE(uploads_->find(token, "alice"), Code::kInvalidArgument);
  PP_EXPECT_CODE(uploads_->find("00000000-0000-4000-8000-000000000000", "alice"), Code::kNotFound);
  PP_ASSERT_OK(uploads_->remove(upload.token));
  PP_EXPECT_CODE(uploads_->find(upload.token, "alice"), Code::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(upload.document_path));
  PP_ASSERT_OK(uploads_->remove(upload.token));  // again: nothing to remove is fine
}

TEST_F(PendingUploadsTest, SweepRemovesOnlyExpiredUploads) {
  const auto now = std::chrono::system_clock::now();
  const PendingUpload old_upload = made("alice", now_unix() - 3600);
  const PendingUpload fresh = made("bob", now_unix() - 60);
  Result<int> swept = uploads_->sweep(now, std::chrono::seconds(1800));
  PP_ASSERT_OK(swept);
  EXPECT_EQ(*swept, 1);
  EXPECT_FALSE(std::filesystem::exists(old_upload.document_path));
  EXPECT_TRUE(std::filesystem::exists(fresh.document_path));
  // Later (an injected clock): the fresh one expires too.
  swept = uploads_->sweep(now + std::chrono::hours(1), std::chrono::seconds(1800));
  PP_ASSERT_OK(swept);
  EXPECT_EQ(*swept, 1);
  EXPECT_TRUE(std::filesystem::is_empty(uploads_->dir()));
}

TEST_F(PendingUploadsTest, SweepTakesADocumentWithoutRecordByItsTime) {
  Result<NewPendingDocument> document = uploads_->create_document();
  PP_ASSERT_OK(document);
  const auto now = std::chrono::system_clock::now();
  Result<int> swept = uploads_->sweep(now, std::chrono::seconds(60));
  PP_ASSERT_OK(swept);
  EXPECT_EQ(*swept, 0);  // being written now
  swept = uploads_->sweep(now + std::chrono::minutes(5), std::chrono::seconds(60));
  PP_ASSERT_OK(swept);
  EXPECT_EQ(*swept, 1);
  EXPECT_FALSE(std::filesystem::exists(document->path));
}

}  // namespace
}  // namespace pp
