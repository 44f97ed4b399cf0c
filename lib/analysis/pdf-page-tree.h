// pdf-page-tree.h (internal): the pages of a PDF in order, one at a time, across re-openings.
//
// QPDF::getAllPages() resolves every page object before the first one is analysed, and qpdf 11
// never evicts a resolved object: on a 2,400-page pdfTeX manual, whose page objects share object
// streams with their link annotations, that walk alone holds 140 MB. PageTreeCursor walks the tree
// depth first, resolving a page only when it is reached, and can move to a fresh QPDF of the same
// file and carry on where it stopped (rebind): the analyser drops a QPDF, and all it cached, every
// few hundred pages. Object numbers are the file's, so the walk in the new QPDF is the same walk.
//
// It yields exactly what qpdf 11.3's getAllPages() yields, by the same rules: the catalog's /Pages
// (followed up through /Parent when it points into the tree); a node with /Kids is an inner node
// whatever its /Type; anything else in a /Kids array is a page (a page listed twice counts twice);
// an inner node reached twice is an error (qpdf's "loop"). /Count is never trusted.
#pragma once

#include "analysis/pdf-qpdf.h"

#include <set>
#include <vector>

namespace pp::pdf {

class PageTreeCursor {
 public:
  // Starts before the first page of `pdf`.
  explicit PageTreeCursor(QPDF& pdf);

  // Moves to the next page and returns it in `page`; false after the last one.
  // Throws std::runtime_error on a loop in the tree, qpdf exceptions on unreadable nodes.
  bool next(QPDFObjectHandle& page);

  // Continues the walk in `pdf`, a fresh QPDF of the same file; handles into the previous QPDF
  // are dropped unread, so it may already be destroyed. Throws std::runtime_error when the tree
  // does not read the same (it cannot for an unchanged, undamaged file).
  void rebind(QPDF& pdf);

  // False when the walk has provably ended (no kid left unvisited), so a re-open would be wasted.
  bool may_have_more() const;

  // Inner nodes from the root to the current page: the cost of a rebind.
  size_t depth() const { return stack_.size(); }

 private:
  struct Frame {
    QPDFObjGen id;  // kept apart: a handle into a destroyed QPDF no longer knows its id
    QPDFObjectHandle node;
    QPDFObjectHandle kids;
    int kid_count = 0;
    int next_kid = 0;  // index in kids of the next kid to visit
  };

  // The catalog's /Pages, or the root above it when it points into the tree (as getAllPages).
  static QPDFObjectHandle tree_root(QPDF& pdf);
  // Enters an inner node (one with /Kids).
  void enter(QPDFObjectHandle node);

  std::vector<Frame> stack_;
  std::set<QPDFObjGen> entered_;  // inner nodes entered so far: a second entry is a loop
};

}  // namespace pp::pdf
