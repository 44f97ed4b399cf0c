// pdf-interpreter.h (internal): the content-stream interpreter behind analyze_page().
//
// It tracks just enough of the graphics state to tell where ink goes and which colour it has:
// the CTM, a clip bounding box in default user space, fill/stroke colours reduced to an Ink
// verdict, the text state and marked-content visibility. A paint operation counts only when its
// device-space bounding box overlaps the clip (which starts as the page box).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "analysis/pdf-content-reader.h"
#include "analysis/pdf-content.h"

namespace pp::pdf {

// A fill or stroke colour, reduced to what it puts on paper.
struct Paint {
  Ink ink = Ink::kNeutral;    // black by default
  QPDFObjectHandle pattern;   // coloured pattern: judged lazily when something is painted with it
  bool local = false;         // set inside the current form (false: inherited from the caller)
};

struct TextState {
  std::shared_ptr<const Font> font;
  double size = 0, char_spacing = 0, word_spacing = 0, hscale = 1, leading = 0, rise = 0;
  int mode = 0;
  bool mode_local = false;
};

struct GraphicsState {
  Matrix ctm;
  Box clip;  // in default user space of the page
  ColorSpacePtr fill_space, stroke_space;
  Paint fill, stroke;
  double line_width = 1;
  bool transfer_undecidable = false;  // per-channel transfer functions can turn grey into colour
  TextState text;
};

// What one run (a page, or a probe of a form) found.
struct RunSummary {
  Ink ink = Ink::kNone;
  bool uses_inherited = false;  // painted with a colour or text mode set outside the run
  std::string reason;           // why undecidable
};

class Interpreter {
 public:
  // geometry=false is a probe: every paint counts wherever it is (used to cache position-free
  // results). depth is the form/pattern/glyph nesting level.
  Interpreter(DocumentContext& doc, RunSummary& out, bool geometry, int depth, const Box& page_box);

  // Interprets content with the given resources, starting from `initial`.
  void run(std::string content, QPDFObjectHandle resources, const GraphicsState& initial);

  // Runs a form XObject (or annotation appearance, or Type 3 glyph procedure) drawn with
  // `placement` as its CTM; parent_resources serve forms without /Resources.
  void run_form(QPDFObjectHandle form, QPDFObjectHandle parent_resources, const Matrix& placement,
                const GraphicsState& state);

 private:
  using Operands = std::vector<Operand>;

  bool stopped() const { return out_.ink == Ink::kColor; }
  bool hidden() const { return hidden_depth_ > 0; }
  GraphicsState& gs() { return stack_.back(); }
  void execute(Operation& operation);
  void undecidable(const std::string& why);
  // Records a paint of `ink` whose device-space bounding box is `box`.
  void mark(Ink ink, const Box& box);
  // Paints with the fill or stroke colour (patterns resolved here).
  void paint_with(Paint& paint, const Box& box);
  Ink resolve(Paint& paint);
  Ink pattern_ink(QPDFObjectHandle pattern);

  // Paths and clipping.
  void path_point(double x, double y);
  void paint_path(bool fill, bool stroke);
  double stroke_margin() const;

  // Colours.
  ColorSpacePtr color_space(const Operand& name);
  ColorSpacePtr color_space_object(QPDFObjectHandle space);
  void set_color_space(bool stroke, const Operands& operands);
  void set_color(bool stroke, const Operands& operands);
  void set_device_color(bool stroke, Ink ink, const ColorSpacePtr& space);

  // Graphics state parameter dictionaries, marked content.
  void apply_ext_gstate(const Operands& operands);
  void begin_marked_content(const Operands& operands);

  // Text (pdf-interpreter-text.cpp).
  void begin_text();
  void end_text();
  void set_font(QPDFObjectHandle font_dict, double size);
  void font_operator(const Operands& operands);
  void move_text(double tx, double ty);
  void next_line();
  void show_text(const Operand& operand);
  void show_string(const std::string& bytes);
  void show_type3_glyphs(const Font& font, const std::vector<unsigned>& codes, double start);
  bool glyph_sets_color(QPDFObjectHandle proc);

  // XObjects, images, shadings, patterns (pdf-interpreter-xobject.cpp).
  void do_xobject(const Operands& operands);
  void draw_image(QPDFObjectHandle image);
  void inline_image(const Operation& operation);
  // Paints an image (after the stencil / neutral-space shortcuts); judge decodes it if needed.
  void paint_image(QPDFObjectHandle dict, const std::function<Ink(const ColorSpace*)>& judge);
  void shade(const Operands& operands);
  Ink probe(QPDFObjectHandle content_stream, QPDFObjectHandle resources, const GraphicsState& state,
            RunSummary& summary);

  DocumentContext& doc_;
  RunSummary& out_;
  bool geometry_;
  int depth_;
  Box page_box_;
  QPDFObjectHandle resources_;
  std::vector<GraphicsState> stack_;
  int hidden_depth_ = 0;
  std::vector<bool> marked_content_;  // per BMC/BDC: did it hide its content?
  // Current path, in device (default user) space, and a pending W/W* clip.
  Box path_box_;
  bool pending_clip_ = false;
  // Text object state.
  Matrix text_matrix_, line_matrix_;
  Box text_clip_box_;
  bool text_clip_used_ = false;
};

// Reads a stream's decoded data as a string (content streams, glyph procedures).
std::string stream_text(QPDFObjectHandle stream);

// Reads a numeric operand (0 for anything else).
inline double num(const std::vector<Operand>& operands, size_t i) {
  return i < operands.size() && operands[i].is_number() ? operands[i].number : 0.0;
}

// Reads a matrix from a 6-number PDF array (identity when absent or broken).
Matrix matrix_from(QPDFObjectHandle array);

// Reads a rectangle array as a Box (empty when absent or broken).
Box box_from(QPDFObjectHandle array);

}  // namespace pp::pdf
