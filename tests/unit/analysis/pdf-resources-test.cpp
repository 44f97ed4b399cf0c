// pdf-resources-test.cpp: PDF analysis of forms, patterns, shadings, optional content, soft
// masks, Type 3 fonts and annotations.
#include "unit/analysis/pdf-fixture.h"

namespace pp::test {
namespace {

class PdfResourcesTest : public PdfTest {
 protected:
  QPDFObjectHandle xobjects(QPDFObjectHandle form) { return dict({{"/XObject", dict({{"/Fm1", form}})}}); }
  static std::string axial(const std::string& function) {
    return "<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 100 0] /Function " + function + " >>";
  }
};

// ---- forms ----

TEST_F(PdfResourcesTest, FormContentIsFollowed) {
  pdf.add_page("/Fm1 Do", xobjects(pdf.form("0.2 g 0 0 50 50 re f")));
  pdf.add_page("/Fm1 Do", xobjects(pdf.form("0 0 1 rg 0 0 50 50 re f")));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, FormPlacedOffPageOrClippedByBBoxIsNotInk) {
  QPDFObjectHandle form = pdf.form("1 0 0 rg 0 0 50 50 re f 1 0 0 rg 500 500 50 50 re f", {}, "[0 0 100 100]");
  pdf.add_page("q 1 0 0 1 -1000 0 cm /Fm1 Do Q", xobjects(form));  // off the page
  pdf.add_page("q 1 0 0 1 100 100 cm /Fm1 Do Q", xobjects(form));  // on the page
  QPDFObjectHandle clipped = pdf.form("1 0 0 rg 500 500 50 50 re f", {}, "[0 0 100 100]");
  pdf.add_page("/Fm1 Do", xobjects(clipped));  // red box outside the form's BBox
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true, false}));
}

TEST_F(PdfResourcesTest, FormInheritsFillColorForUncolouredContent) {
  QPDFObjectHandle form = pdf.form("0 0 50 50 re f");
  pdf.add_page("0 g /Fm1 Do", xobjects(form));
  pdf.add_page("1 0 0 rg /Fm1 Do", xobjects(form));  // same form object, now painting red
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, NestedFormsWithOwnResources) {
  QPDFObjectHandle inner = pdf.form("0 1 0 rg 0 0 10 10 re f");
  QPDFObjectHandle outer = pdf.form("/Inner Do", dict({{"/XObject", dict({{"/Inner", inner}})}}));
  QPDFObjectHandle grey_inner = pdf.form("0.5 g 0 0 10 10 re f");
  QPDFObjectHandle grey_outer = pdf.form("/Inner Do", dict({{"/XObject", dict({{"/Inner", grey_inner}})}}));
  pdf.add_page("/Fm1 Do", xobjects(grey_outer));
  pdf.add_page("/Fm1 Do", xobjects(outer));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, FormWithoutResourcesUsesThePages) {
  QPDFObjectHandle image = pdf.image(1, 1, "/DeviceRGB", 8, std::string("\xff\x00\x00", 3));
  QPDFObjectHandle form = pdf.form("q 50 0 0 50 0 0 cm /Im1 Do Q");
  pdf.add_page("/Fm1 Do", dict({{"/XObject", dict({{"/Fm1", form}, {"/Im1", image}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{true}));
}

// ---- patterns ----

TEST_F(PdfResourcesTest, ColouredTilingPattern) {
  auto pattern = [&](const std::string& cell) {
    return pdf.stream("<< /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 10 10] /XStep 10 /YStep 10 /Resources << >> >>",
                      cell);
  };
  pdf.add_page("/Pattern cs /P1 scn 0 0 100 100 re f", dict({{"/Pattern", dict({{"/P1", pattern("0.3 g 0 0 5 5 re f")}})}}));
  pdf.add_page("/Pattern cs /P1 scn 0 0 100 100 re f", dict({{"/Pattern", dict({{"/P1", pattern("1 0 0 rg 0 0 5 5 re f")}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, UncolouredTilingPatternUsesScnColor) {
  QPDFObjectHandle pattern = pdf.stream(
      "<< /PatternType 1 /PaintType 2 /TilingType 1 /BBox [0 0 10 10] /XStep 10 /YStep 10 /Resources << >> >>",
      "1 0 0 rg 0 0 5 5 re f");  // colour operators are ignored in uncoloured patterns
  QPDFObjectHandle res = dict({{"/Pattern", dict({{"/P1", pattern}})},
                               {"/ColorSpace", dict({{"/CsP", pdf.parse("[/Pattern /DeviceRGB]")}})}});
  pdf.add_page("/CsP cs 0.5 0.5 0.5 /P1 scn 0 0 100 100 re f", res);
  pdf.add_page("/CsP cs 0 0 1 /P1 scn 0 0 100 100 re f", res);
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, ShadingPatternFill) {
  auto pattern = [&](const std::string& c1) {
    return pdf.parse("<< /PatternType 2 /Shading " + axial("<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0] /C1 " + c1 + " /N 1 >>") + " >>");
  };
  pdf.add_page("/Pattern cs /P1 scn 0 0 100 100 re f", dict({{"/Pattern", dict({{"/P1", pattern("[1 1 1]")}})}}));
  pdf.add_page("/Pattern cs /P1 scn 0 0 100 100 re f", dict({{"/Pattern", dict({{"/P1", pattern("[1 0 0]")}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

// ---- shadings ----

TEST_F(PdfResourcesTest, AxialShadingWithExponentialFunction) {
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial("<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0] /C1 [1 1 1] /N 1 >>"))}})}}));
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial("<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0] /C1 [0 0 1] /N 2 >>"))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, StitchingFunctionWithNarrowColourSegment) {
  const std::string grey = "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0] /C1 [1 1 1] /N 1 >>";
  const std::string red = "<< /FunctionType 2 /Domain [0 1] /C0 [1 0 0] /C1 [1 0 0] /N 1 >>";
  auto stitched = [&](const std::string& middle) {
    return "<< /FunctionType 3 /Domain [0 1] /Functions [" + grey + " " + middle + " " + grey +
           "] /Bounds [0.5 0.5001] /Encode [0 1 0 1 0 1] >>";
  };
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial(stitched(grey)))}})}}));
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial(stitched(red)))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, SampledFunctionShading) {
  auto sampled = [&](const std::string& samples) {
    QPDFObjectHandle f = pdf.stream("<< /FunctionType 0 /Domain [0 1] /Range [0 1 0 1 0 1] /Size [2] /BitsPerSample 8 >>", samples);
    QPDFObjectHandle shading = pdf.parse("<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 100 0] >>");
    shading.replaceKey("/Function", f);
    return dict({{"/Shading", dict({{"/Sh1", shading}})}});
  };
  pdf.add_page("/Sh1 sh", sampled(std::string("\x00\x00\x00\xff\xff\xff", 6)));
  pdf.add_page("/Sh1 sh", sampled(std::string("\x00\x00\x00\x00\xff\x00", 6)));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, FunctionArrayOnePerComponent) {
  const std::string grey = "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>";
  const std::string flat = "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [0] /N 1 >>";
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial("[" + grey + " " + grey + " " + grey + "]"))}})}}));
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial("[" + grey + " " + flat + " " + grey + "]"))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, PostScriptFunctionIsUndecidable) {
  QPDFObjectHandle f = pdf.stream("<< /FunctionType 4 /Domain [0 1] /Range [0 1 0 1 0 1] >>", "{ dup dup }");
  QPDFObjectHandle shading = pdf.parse("<< /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 100 0] >>");
  shading.replaceKey("/Function", f);
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", shading}})}}));
  pdf.add_page("q 0 0 10 10 re W n 1 0 0 1 -500 0 cm /Sh1 sh Q", dict({{"/Shading", dict({{"/Sh1", pdf.parse(axial(
      "<< /FunctionType 2 /Domain [0 1] /C0 [0 0 0] /C1 [1 1 1] /N 1 >>"))}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, false}));  // undecidable -> colour without slow path
}

TEST_F(PdfResourcesTest, ShadingClippedAwayIsNotInk) {
  QPDFObjectHandle red = pdf.parse(axial("<< /FunctionType 2 /Domain [0 1] /C0 [1 0 0] /C1 [1 0 0] /N 1 >>"));
  red.replaceKey("/BBox", pdf.parse("[0 0 100 100]"));
  pdf.add_page("q 1 0 0 1 -400 0 cm /Sh1 sh Q", dict({{"/Shading", dict({{"/Sh1", red}})}}));
  pdf.add_page("q 1 0 0 1 10 0 cm /Sh1 sh Q", dict({{"/Shading", dict({{"/Sh1", red}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, FreeFormMeshShadingVertexColours) {
  // Type 4, 8-bit flag, 8-bit coordinates, 8-bit components: flag x y r g b per vertex.
  auto mesh = [&](const std::string& vertices) {
    return pdf.stream("<< /ShadingType 4 /ColorSpace /DeviceRGB /BitsPerCoordinate 8 /BitsPerComponent 8 "
                      "/BitsPerFlag 8 /Decode [0 100 0 100 0 1 0 1 0 1] >>",
                      vertices);
  };
  std::string grey = std::string("\0\0\0\x40\x40\x40\0\xff\0\x80\x80\x80\0\0\xff\xff\xff\xff", 18);
  std::string colour = std::string("\0\0\0\x40\x40\x40\0\xff\0\x80\x80\x80\0\0\xff\xff\x00\xff", 18);
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", mesh(grey)}})}}));
  pdf.add_page("/Sh1 sh", dict({{"/Shading", dict({{"/Sh1", mesh(colour)}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

// ---- optional content ----

class PdfOptionalContentTest : public PdfResourcesTest {
 protected:
  // One OCG; `off` puts it in /D /OFF.
  QPDFObjectHandle add_ocg(bool off) {
    QPDFObjectHandle ocg = pdf.indirect("<< /Type /OCG /Name (Layer) >>");
    QPDFObjectHandle props = pdf.parse("<< /D << >> >>");
    props.replaceKey("/OCGs", QPDFObjectHandle::newArray({ocg}));
    if (off) props.getKey("/D").replaceKey("/OFF", QPDFObjectHandle::newArray({ocg}));
    pdf.qpdf().getRoot().replaceKey("/OCProperties", props);
    return ocg;
  }

  // Page resources that name `ocg` /L1, as "/OC /L1 BDC" refers to it.
  QPDFObjectHandle layer_resources(QPDFObjectHandle ocg) {
    return dict({{"/Properties", dict({{"/L1", ocg}})}});
  }
};

TEST_F(PdfOptionalContentTest, HiddenMarkedContentIsNotInk) {
  QPDFObjectHandle ocg = add_ocg(true);
  EXPECT_FALSE(page_is_color("/OC /L1 BDC 1 0 0 rg 0 0 100 100 re f EMC 0 g 0 0 10 10 re f",
                             layer_resources(ocg)));
}

TEST_F(PdfOptionalContentTest, VisibleMarkedContentIsInk) {
  QPDFObjectHandle ocg = add_ocg(false);
  EXPECT_TRUE(page_is_color("/OC /L1 BDC 1 0 0 rg 0 0 100 100 re f EMC", layer_resources(ocg)));
}

TEST_F(PdfOptionalContentTest, ContentAfterHiddenSectionCounts) {
  QPDFObjectHandle ocg = add_ocg(true);
  EXPECT_TRUE(
      page_is_color("/OC /L1 BDC /Span << /MCID 1 >> BDC 0 g EMC EMC 1 0 0 rg 0 0 100 100 re f",
                    layer_resources(ocg)));
}

TEST_F(PdfOptionalContentTest, FormWithHiddenOcIsNotInk) {
  QPDFObjectHandle ocg = add_ocg(true);
  QPDFObjectHandle form = pdf.form("1 0 0 rg 0 0 50 50 re f");
  form.getDict().replaceKey("/OC", ocg);
  pdf.add_page("/Fm1 Do", xobjects(form));
  QPDFObjectHandle visible = pdf.form("1 0 0 rg 0 0 50 50 re f");
  pdf.add_page("/Fm1 Do", xobjects(visible));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfOptionalContentTest, BaseStateOffAndOcmdPolicies) {
  QPDFObjectHandle a = pdf.indirect("<< /Type /OCG /Name (A) >>");
  QPDFObjectHandle b = pdf.indirect("<< /Type /OCG /Name (B) >>");
  QPDFObjectHandle props = pdf.parse("<< /D << /BaseState /OFF >> >>");
  props.replaceKey("/OCGs", QPDFObjectHandle::newArray({a, b}));
  props.getKey("/D").replaceKey("/ON", QPDFObjectHandle::newArray({a}));  // A on, B off
  pdf.qpdf().getRoot().replaceKey("/OCProperties", props);
  auto ocmd = [&](const std::string& policy) {
    QPDFObjectHandle md = pdf.indirect("<< /Type /OCMD /P " + policy + " >>");
    md.replaceKey("/OCGs", QPDFObjectHandle::newArray({a, b}));
    return dict({{"/Properties", dict({{"/M", md}})}});
  };
  const std::string red = "/OC /M BDC 1 0 0 rg 0 0 100 100 re f EMC";
  pdf.add_page(red, ocmd("/AnyOn"));   // visible
  pdf.add_page(red, ocmd("/AllOn"));   // hidden
  pdf.add_page(red, ocmd("/AnyOff"));  // visible
  pdf.add_page(red, ocmd("/AllOff"));  // hidden
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, false, true, false}));
}

TEST_F(PdfOptionalContentTest, PrintStateUsageWinsWhenPrinting) {
  // Visible on screen (ON), but its /Usage says it does not print: not ink.
  QPDFObjectHandle ocg = pdf.indirect("<< /Type /OCG /Name (Watermark) /Usage << /Print << /PrintState /OFF >> >> >>");
  QPDFObjectHandle props = pdf.parse("<< /D << /AS [<< /Event /Print /Category [/Print] >>] >> >>");
  props.replaceKey("/OCGs", QPDFObjectHandle::newArray({ocg}));
  props.getKey("/D").getKey("/AS").getArrayItem(0).replaceKey("/OCGs", QPDFObjectHandle::newArray({ocg}));
  pdf.qpdf().getRoot().replaceKey("/OCProperties", props);
  EXPECT_FALSE(page_is_color("/OC /L1 BDC 1 0 0 rg 0 0 100 100 re f EMC", layer_resources(ocg)));
}

// ---- soft masks ----

TEST_F(PdfResourcesTest, SoftMaskGroupIsNotPainted) {
  QPDFObjectHandle group = pdf.form("1 0 0 rg 0 0 500 500 re f", {}, "[0 0 500 500]",
                                    "/Group << /S /Transparency /CS /DeviceRGB >>");
  QPDFObjectHandle gs = pdf.parse("<< /Type /ExtGState /SMask << /Type /Mask /S /Luminosity >> >>");
  gs.getKey("/SMask").replaceKey("/G", group);
  QPDFObjectHandle res = dict({{"/ExtGState", dict({{"/GS1", gs}})}});
  pdf.add_page("/GS1 gs 0 g 0 0 100 100 re f", res);
  pdf.add_page("/GS1 gs 0 0 1 rg 0 0 100 100 re f", res);
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfResourcesTest, PerChannelTransferFunctionIsUndecidable) {
  const std::string f = "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>";
  QPDFObjectHandle per_channel = pdf.parse("<< /Type /ExtGState /TR [" + f + f + f + f + "] >>");
  QPDFObjectHandle single = pdf.parse("<< /Type /ExtGState /TR " + f + " >>");
  pdf.add_page("/GS1 gs 0.5 g 0 0 100 100 re f", dict({{"/ExtGState", dict({{"/GS1", per_channel}})}}));
  pdf.add_page("/GS1 gs 0.5 g 0 0 100 100 re f", dict({{"/ExtGState", dict({{"/GS1", single}})}}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, false}));  // undecidable -> colour without slow path
}

// ---- Type 3 fonts ----

class PdfType3Test : public PdfResourcesTest {
 protected:
  QPDFObjectHandle type3_resources(const std::string& glyph_a) {
    QPDFObjectHandle proc = pdf.stream("<< >>", glyph_a);
    QPDFObjectHandle font = pdf.parse(
        "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0] "
        "/Encoding << /Type /Encoding /Differences [65 /a] >> /FirstChar 65 /LastChar 65 /Widths [1000] >>");
    font.replaceKey("/CharProcs", dict({{"/a", proc}}));
    return dict({{"/Font", dict({{"/T3", font}})}});
  }
};

TEST_F(PdfType3Test, ColouredGlyphIsColor) {
  pdf.add_page("0 g BT /T3 24 Tf 100 700 Td (A) Tj ET", type3_resources("1000 0 d0 1 0 0 rg 0 0 1000 1000 re f"));
  pdf.add_page("0 g BT /T3 24 Tf 100 700 Td (A) Tj ET", type3_resources("1000 0 d0 0.4 g 0 0 1000 1000 re f"));
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, false}));
}

TEST_F(PdfType3Test, UncolouredGlyphUsesTextColor) {
  const std::string d1 = "1000 0 0 0 1000 1000 d1 1 0 0 rg 0 0 1000 1000 re f";  // rg ignored after d1
  pdf.add_page("0 g BT /T3 24 Tf 100 700 Td (A) Tj ET", type3_resources(d1));
  pdf.add_page("0 0 1 rg BT /T3 24 Tf 100 700 Td (A) Tj ET", type3_resources(d1));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfType3Test, GlyphsNotShownDoNotCount) {
  // The string shows code 66, which has no glyph: the red procedure for /a never runs.
  EXPECT_FALSE(page_is_color("0 g BT /T3 24 Tf 100 700 Td (B) Tj ET", type3_resources("1000 0 d0 1 0 0 rg 0 0 1000 1000 re f")));
}

TEST_F(PdfType3Test, InvisibleType3TextIsNotInk) {
  EXPECT_FALSE(page_is_color("0 g BT 3 Tr /T3 24 Tf 100 700 Td (A) Tj ET",
                             type3_resources("1000 0 d0 1 0 0 rg 0 0 1000 1000 re f")));
}

// ---- annotations ----

class PdfAnnotationTest : public PdfResourcesTest {
 protected:
  void add_annotated_page(int flags, const std::string& appearance) {
    QPDFObjectHandle page = pdf.add_page("0 g 0 0 10 10 re f");
    QPDFObjectHandle ap = pdf.form(appearance, {}, "[0 0 100 100]");
    QPDFObjectHandle annot = pdf.indirect("<< /Type /Annot /Subtype /Square /Rect [100 100 200 200] /F " +
                                          std::to_string(flags) + " >>");
    annot.replaceKey("/AP", dict({{"/N", ap}}));
    page.replaceKey("/Annots", QPDFObjectHandle::newArray({annot}));
  }
};

TEST_F(PdfAnnotationTest, PrintableAnnotationCounts) {
  add_annotated_page(4, "1 0 0 rg 0 0 100 100 re f");
  add_annotated_page(4, "0.5 g 0 0 100 100 re f");
  EXPECT_EQ(page_colors(), (std::vector<bool>{true, false}));
}

TEST_F(PdfAnnotationTest, NonPrintingAndHiddenAnnotationsDoNotCount) {
  add_annotated_page(0, "1 0 0 rg 0 0 100 100 re f");
  add_annotated_page(4 | 2, "1 0 0 rg 0 0 100 100 re f");
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, false}));
}

TEST_F(PdfAnnotationTest, AppearanceStateSelectsTheStream) {
  QPDFObjectHandle page = pdf.add_page("");
  QPDFObjectHandle on = pdf.form("1 0 0 rg 0 0 100 100 re f", {}, "[0 0 100 100]");
  QPDFObjectHandle off = pdf.form("0 g 0 0 100 100 re f", {}, "[0 0 100 100]");
  QPDFObjectHandle annot = pdf.indirect("<< /Type /Annot /Subtype /Widget /Rect [100 100 120 120] /F 4 /AS /Off >>");
  annot.replaceKey("/AP", dict({{"/N", dict({{"/Yes", on}, {"/Off", off}})}}));
  page.replaceKey("/Annots", QPDFObjectHandle::newArray({annot}));
  QPDFObjectHandle page2 = pdf.add_page("");
  QPDFObjectHandle annot2 = pdf.indirect("<< /Type /Annot /Subtype /Widget /Rect [100 100 120 120] /F 4 /AS /Yes >>");
  annot2.replaceKey("/AP", dict({{"/N", dict({{"/Yes", on}, {"/Off", off}})}}));
  page2.replaceKey("/Annots", QPDFObjectHandle::newArray({annot2}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false, true}));
}

TEST_F(PdfAnnotationTest, AnnotationOutsideThePageDoesNotCount) {
  QPDFObjectHandle page = pdf.add_page("");
  QPDFObjectHandle ap = pdf.form("1 0 0 rg 0 0 100 100 re f", {}, "[0 0 100 100]");
  QPDFObjectHandle annot = pdf.indirect("<< /Type /Annot /Subtype /Square /Rect [700 900 800 1000] /F 4 >>");
  annot.replaceKey("/AP", dict({{"/N", ap}}));
  page.replaceKey("/Annots", QPDFObjectHandle::newArray({annot}));
  EXPECT_EQ(page_colors(), (std::vector<bool>{false}));
}

}  // namespace
}  // namespace pp::test
