// pdf-page-tree.cpp: a resumable depth-first walk of the page tree (see pdf-page-tree.h).
#include "analysis/pdf-page-tree.h"

#include <stdexcept>

namespace pp::pdf {

PageTreeCursor::PageTreeCursor(QPDF& pdf) {
  QPDFObjectHandle root = tree_root(pdf);
  if (root.hasKey("/Kids")) enter(root);  // otherwise no pages at all, as for getAllPages()
}

QPDFObjectHandle PageTreeCursor::tree_root(QPDF& pdf) {
  QPDFObjectHandle pages = pdf.getRoot().getKey("/Pages");
  std::set<QPDFObjGen> seen;
  // Files have been found whose catalog points at a page or an inner node: climb to the top.
  while (pages.isDictionary() && pages.hasKey("/Parent")) {
    if (!seen.insert(pages.getObjGen()).second) break;  // a /Parent loop: the walk reports it
    pages = pages.getKey("/Parent");
  }
  return pages;
}

void PageTreeCursor::enter(QPDFObjectHandle node) {
  // Like getAllPages(), which never forgets a node: a node met twice, even on another branch,
  // is an error (a direct node has id 0 0, so two direct inner nodes are one too).
  if (!entered_.insert(node.getObjGen()).second) {
    throw std::runtime_error("Loop detected in /Pages structure");
  }
  Frame frame;
  frame.id = node.getObjGen();
  frame.node = node;
  frame.kids = node.getKey("/Kids");
  frame.kid_count = frame.kids.isArray() ? frame.kids.getArrayNItems() : 0;
  stack_.push_back(std::move(frame));
}

bool PageTreeCursor::next(QPDFObjectHandle& page) {
  while (!stack_.empty()) {
    Frame& top = stack_.back();
    if (top.next_kid >= top.kid_count) {
      stack_.pop_back();
      continue;
    }
    QPDFObjectHandle kid = top.kids.getArrayItem(top.next_kid++);
    if (kid.hasKey("/Kids")) {
      enter(kid);  // invalidates `top`
      continue;
    }
    page = kid;
    return true;
  }
  return false;
}

void PageTreeCursor::rebind(QPDF& pdf) {
  // Every frame's node is the kid its parent visited last: re-read the path from the root.
  for (size_t i = 0; i < stack_.size(); ++i) {
    Frame& frame = stack_[i];
    QPDFObjectHandle node = i == 0 ? tree_root(pdf) : stack_[i - 1].kids.getArrayItem(stack_[i - 1].next_kid - 1);
    QPDFObjectHandle kids = node.getKey("/Kids");
    int kid_count = kids.isArray() ? kids.getArrayNItems() : 0;
    if (node.getObjGen() != frame.id || kid_count != frame.kid_count) {
      throw std::runtime_error("the page tree reads differently after re-opening the file");
    }
    frame.node = node;
    frame.kids = kids;
  }
}

bool PageTreeCursor::may_have_more() const {
  for (const Frame& frame : stack_) {
    if (frame.next_kid < frame.kid_count) return true;
  }
  return false;
}

}  // namespace pp::pdf
