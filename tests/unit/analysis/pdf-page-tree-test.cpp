// pdf-page-tree-test.cpp: the page tree walk and the re-opening of long PDFs between batches of
// pages: page order and count as qpdf's getAllPages() gives them, inherited attributes, /Count
// ignored, loops refused, and caches that survive (or are dropped at) a re-opening.
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "unit/analysis/pdf-fixture.h"

namespace pp::test {
namespace {

class PdfPageTreeTest : public PdfTest {
 protected:
  // An inner node of the page tree; /Count is set by the caller (the analyser must not need it).
  QPDFObjectHandle node(const std::vector<QPDFObjectHandle>& kids, int count, const std::string& extra = "") {
    QPDFObjectHandle n = pdf.indirect("<< /Type /Pages " + extra + " >>");
    n.replaceKey("/Kids", QPDFObjectHandle::newArray(kids));
    n.replaceKey("/Count", QPDFObjectHandle::newInteger(count));
    for (QPDFObjectHandle kid : kids) kid.replaceKey("/Parent", n);
    return n;
  }

  // A page with no /MediaBox and no /Resources of its own: both come from its ancestors.
  QPDFObjectHandle bare_page(const std::string& content) {
    QPDFObjectHandle page = pdf.add_page(content);
    page.removeKey("/MediaBox");
    page.removeKey("/Resources");
    return page;
  }

  void set_tree_root(QPDFObjectHandle root) { pdf.qpdf().getRoot().replaceKey("/Pages", root); }

  // Analyses the document once per batch size (1, 2, 3 pages per opening, and one opening) and
  // checks that every run gives the same pages as the single opening; returns that run.
  DocumentInfo analyze_in_batches() {
    options.pdf_reopen_growth_mb = 0;  // re-open by page count alone
    options.pdf_pages_per_open = 0;
    Result<DocumentInfo> once = analyze();
    EXPECT_TRUE(once.ok()) << once.status().to_string();
    if (!once.ok()) return {};
    QPDF reference;  // the page count is what qpdf's full walk finds
    reference.setSuppressWarnings(true);
    reference.processFile(dir.file("test.pdf").c_str());
    EXPECT_EQ(static_cast<size_t>(once->page_count()), QPDFPageDocumentHelper(reference).getAllPages().size());
    for (int batch : {1, 2, 3}) {
      options.pdf_pages_per_open = batch;
      std::string path = dir.file("test.pdf");
      Result<DocumentInfo> batched = analyze_pdf(path, options);
      EXPECT_TRUE(batched.ok()) << batched.status().to_string();
      if (!batched.ok()) continue;
      EXPECT_EQ(batched->page_count(), once->page_count()) << "batch " << batch;
      for (int i = 0; i < std::min(batched->page_count(), once->page_count()); ++i) {
        EXPECT_EQ(batched->pages[i].color, once->pages[i].color) << "batch " << batch << " page " << i + 1;
        EXPECT_EQ(batched->pages[i].media, once->pages[i].media) << "batch " << batch << " page " << i + 1;
      }
    }
    return std::move(*once);
  }

  QPDFObjectHandle font_resources() {
    return dict({{"/Font", dict({{"/F1", pdf.indirect("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")}})}});
  }
};

std::vector<bool> colors_of(const DocumentInfo& info) {
  std::vector<bool> colors;
  for (const PageInfo& page : info.pages) colors.push_back(page.color);
  return colors;
}

std::vector<std::string> media_of(const DocumentInfo& info) {
  std::vector<std::string> media;
  for (const PageInfo& page : info.pages) media.push_back(page.media);
  return media;
}

// Text in red or black with the font /F1 that only the tree's nodes provide.
std::string red_text() { return text_at("1 0 0 rg", 100, 100); }
std::string black_text() { return text_at("0 g", 100, 100); }

TEST_F(PdfPageTreeTest, DeepUnbalancedTreeWithInheritedAttributes) {
  // root (A4, /F1) [ p1, n1 (letter) [ n2 (A3 turned, /Rotate 90) [ p2, n4 [ p3, p4 (own A5, /Rotate 0) ] ],
  //                                    p5, n3 [], n5 [ n6 [ p6 ] ] ], p7 ]
  QPDFObjectHandle p1 = bare_page(red_text()), p2 = bare_page(black_text()), p3 = bare_page(red_text());
  QPDFObjectHandle p4 = bare_page(red_text()), p5 = bare_page(black_text()), p6 = bare_page(red_text());
  QPDFObjectHandle p7 = bare_page(black_text());
  p4.replaceKey("/MediaBox", pdf.parse("[0 0 420 595]"));
  p4.replaceKey("/Rotate", QPDFObjectHandle::newInteger(0));
  QPDFObjectHandle n4 = node({p3, p4}, 2);
  QPDFObjectHandle n2 = node({p2, n4}, 3, "/MediaBox [0 0 1191 842] /Rotate 90");
  QPDFObjectHandle n3 = node({}, 0);
  QPDFObjectHandle n6 = node({p6}, 1);
  QPDFObjectHandle n5 = node({n6}, 1);
  QPDFObjectHandle n1 = node({n2, p5, n3, n5}, 5, "/MediaBox [0 0 612 792]");
  QPDFObjectHandle root = node({p1, n1, p7}, 7, "/MediaBox [0 0 595 842]");
  root.replaceKey("/Resources", font_resources());
  set_tree_root(root);

  DocumentInfo info = analyze_in_batches();
  EXPECT_EQ(colors_of(info), (std::vector<bool>{true, false, true, true, false, true, false}));
  const std::string a3 = "iso_a3_297x420mm", a4 = "iso_a4_210x297mm", letter = "na_letter_8.5x11in";
  EXPECT_EQ(media_of(info), (std::vector<std::string>{a4, a3, a3, media_name_for_size(420, 595), letter, letter, a4}));
  ASSERT_EQ(info.page_count(), 7);
  EXPECT_EQ(info.pages[6].number, 7);
}

TEST_F(PdfPageTreeTest, WrongCountsAreIgnored) {
  // Every /Count lies; the pages are what the /Kids arrays list, as qpdf's getAllPages() says.
  QPDFObjectHandle p1 = bare_page(black_text()), p2 = bare_page(red_text()), p3 = bare_page(black_text());
  QPDFObjectHandle p4 = bare_page(black_text()), p5 = bare_page(red_text());
  QPDFObjectHandle inner = node({p2, p3, p4}, 1);
  QPDFObjectHandle empty = node({}, 12);
  QPDFObjectHandle root = node({p1, inner, empty, p5}, 2, "/MediaBox [0 0 595 842]");
  root.replaceKey("/Resources", font_resources());
  set_tree_root(root);

  DocumentInfo info = analyze_in_batches();
  EXPECT_EQ(colors_of(info), (std::vector<bool>{false, true, false, false, true}));
}

TEST_F(PdfPageTreeTest, PageListedTwiceCountsTwice) {
  QPDFObjectHandle p1 = bare_page(red_text()), p2 = bare_page(black_text());
  QPDFObjectHandle inner = node({p2, p1}, 2);
  QPDFObjectHandle root = node({p1, inner, p2}, 4, "/MediaBox [0 0 595 842]");
  p1.replaceKey("/Parent", root);
  root.replaceKey("/Resources", font_resources());
  set_tree_root(root);

  DocumentInfo info = analyze_in_batches();
  EXPECT_EQ(colors_of(info), (std::vector<bool>{true, false, true, false}));
}

TEST_F(PdfPageTreeTest, LoopInTheTreeIsAnError) {
  QPDFObjectHandle p1 = bare_page(red_text());
  QPDFObjectHandle inner = node({p1}, 1);
  QPDFObjectHandle root = node({inner}, 1, "/MediaBox [0 0 595 842]");
  inner.getKey("/Kids").appendItem(root);  // root -> inner -> root
  set_tree_root(root);
  for (int batch : {0, 1}) {
    options.pdf_pages_per_open = batch;
    options.pdf_reopen_growth_mb = 0;
    Result<DocumentInfo> info = analyze();
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().code(), Code::kMalformedDocument) << info.status().to_string();
  }
}

TEST_F(PdfPageTreeTest, CatalogPointingIntoTheTreeIsClimbed) {
  // Files exist whose catalog /Pages points at an inner node (or a page): qpdf climbs /Parent.
  QPDFObjectHandle p1 = bare_page(red_text()), p2 = bare_page(black_text()), p3 = bare_page(red_text());
  QPDFObjectHandle inner = node({p2, p3}, 2);
  QPDFObjectHandle root = node({p1, inner}, 3, "/MediaBox [0 0 595 842]");
  root.replaceKey("/Resources", font_resources());
  set_tree_root(inner);

  DocumentInfo info = analyze_in_batches();
  EXPECT_EQ(colors_of(info), (std::vector<bool>{true, false, true}));
}

TEST_F(PdfPageTreeTest, SharedResourcesSurviveReopening) {
  // One Type 3 font (its cached glyph procedures die with each QPDF) and one form XObject (its
  // verdict is cached by object id across openings), used on every page.
  QPDFObjectHandle grey_proc = pdf.stream("<< >>", "1000 0 d0 0.4 g 0 0 1000 1000 re f");
  QPDFObjectHandle red_proc = pdf.stream("<< >>", "1000 0 d0 1 0 0 rg 0 0 1000 1000 re f");
  QPDFObjectHandle font = pdf.indirect(
      "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
      "/Encoding << /Type /Encoding /Differences [65 /grey /red] >> /FirstChar 65 /LastChar 66 /Widths [1000 1000] >>");
  font.replaceKey("/CharProcs", dict({{"/grey", grey_proc}, {"/red", red_proc}}));
  QPDFObjectHandle form = pdf.form("0.5 g 0 0 100 100 re f");
  QPDFObjectHandle resources = dict({{"/Font", dict({{"/T3", font}})}, {"/XObject", dict({{"/Fm", form}})}});
  const std::string grey = "/Fm Do 0 g BT /T3 24 Tf 100 700 Td (A) Tj ET";
  const std::string red = "/Fm Do 0 g BT /T3 24 Tf 100 700 Td (B) Tj ET";
  std::vector<bool> expected;
  for (int i = 0; i < 7; ++i) {
    bool color = i % 3 == 1;
    pdf.add_page(color ? red : grey, resources);
    expected.push_back(color);
  }
  DocumentInfo info = analyze_in_batches();
  EXPECT_EQ(colors_of(info), expected);
}

TEST_F(PdfPageTreeTest, PageLimitCountsPagesAsTheyCome) {
  for (int i = 0; i < 5; ++i) pdf.add_page("0 g 0 0 10 10 re f");
  options.max_pages = 4;
  options.pdf_pages_per_open = 2;
  options.pdf_reopen_growth_mb = 0;
  Result<DocumentInfo> info = analyze();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kLimitExceeded);
  options.max_pages = 5;
  info = analyze();
  ASSERT_TRUE(info.ok()) << info.status().to_string();
  EXPECT_EQ(info->page_count(), 5);
}

}  // namespace
}  // namespace pp::test
